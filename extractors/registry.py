"""The registry of declared sources: every module in extractors/sources/ that defines ``SOURCE``.

Onboarding a system is adding one such module; nothing here changes.
"""

from __future__ import annotations

import importlib
import pkgutil

from extractors import sources as sources_package
from extractors.declare import Source
from grassroots.errors import FatalError


def registry() -> dict[str, Source]:
    """Declared sources by name, in module order."""
    found: dict[str, Source] = {}
    for info in sorted(pkgutil.iter_modules(sources_package.__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{sources_package.__name__}.{info.name}")
        source = getattr(module, "SOURCE", None)
        if source is None:
            continue
        if source.name in found:
            raise FatalError(f"two declarations name the source {source.name!r}; source names must be unique")
        found[source.name] = source
    return found


def resolve(names: list[str] | tuple[str, ...] | None) -> list[Source]:
    """The sources to sync: the named ones (unknown names are a FatalError) or all of them."""
    known = registry()
    if not names:
        return list(known.values())
    unknown = [n for n in names if n not in known]
    if unknown:
        raise FatalError(f"unknown source(s) {', '.join(unknown)}; declared sources: {', '.join(known)}")
    return [known[n] for n in names]
