"""Error types: fatal ones (fix something, then re-run) and transient ones (retry later)."""

from __future__ import annotations


class GrassrootsError(Exception):
    """Base of the product's errors; the message says what to do."""


class FatalError(GrassrootsError):
    """Retrying will not help: bad configuration, a frozen schema broken, a missing file."""


class TransientError(GrassrootsError):
    """A passing fault (a source database down, a lock held): retry with backoff."""


class NotBuiltYet(FatalError):
    """A subcommand whose stage has not been built yet."""
