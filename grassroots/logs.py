"""Logging set-up for the command line: one format, personal data masked on the way out."""

from __future__ import annotations

import logging
import sys

from grassroots.privacy import MaskingFilter


def configure(verbosity: int = 0) -> None:
    level = logging.WARNING if verbosity < 0 else logging.INFO if verbosity == 0 else logging.DEBUG
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s", "%H:%M:%S"))
    handler.addFilter(MaskingFilter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    # Great Expectations announces its own plugin registry at INFO on import (hundreds of lines), and Splink logs
    # every sampling chunk and EM iteration of training and scoring: not our news. Resolution logs its own
    # one-line summaries (threshold, pairs, phases) instead.
    for noisy in ("great_expectations", "splink"):
        logging.getLogger(noisy).setLevel(max(level, logging.WARNING))
