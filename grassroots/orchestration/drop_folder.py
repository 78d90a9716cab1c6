"""The cheap check before a drop-folder sync: which flagged exports arrived since the last successful sync.

Only names, sizes and modification times are compared (no file is read), so the check can run every few minutes.
What the last successful sync saw is kept in ``state/orchestration/<source>_seen.json`` under the home.
"""

from __future__ import annotations

import fnmatch
import json
import os
from pathlib import Path

from extractors.declare import FileSource
from grassroots.config import Settings
from grassroots.errors import FatalError

Listing = dict[str, list[int]]
"""File name -> [size, mtime_ns] of each export whose flag file exists."""


def flagged_exports(settings: Settings, source: FileSource) -> Listing:
    """The exports in the source's folder that match one of its kinds and, if it uses flags, are flagged."""
    folder = source.folder(settings)
    if not folder.is_dir():
        raise FatalError(
            f"Drop folder of source {source.name!r} does not exist: {folder}. "
            "Create it or set its location (e.g. GRASSROOTS_POLICE_DIR)."
        )
    names = {entry.name: entry for entry in os.scandir(folder) if entry.is_file()}
    patterns = [kind.pattern for kind in source.kinds]
    listing: Listing = {}
    for name, entry in names.items():
        if not any(fnmatch.fnmatch(name, pattern) for pattern in patterns):
            continue
        if source.flag_suffix and f"{name}{source.flag_suffix}" not in names:
            continue  # still being written
        stat = entry.stat()
        listing[name] = [stat.st_size, stat.st_mtime_ns]
    return listing


def seen_file(settings: Settings, source: str) -> Path:
    return settings.paths.state / "orchestration" / f"{source}_seen.json"


def read_seen(settings: Settings, source: str) -> Listing:
    path = seen_file(settings, source)
    if not path.exists():
        return {}
    seen: Listing = json.loads(path.read_text(encoding="utf-8"))
    return seen


def new_exports(listing: Listing, seen: Listing) -> list[str]:
    """Exports that are new or changed (same name, other size or time) since ``seen``."""
    return sorted(name for name, stat in listing.items() if seen.get(name) != stat)


def remember(settings: Settings, source: str, listing: Listing) -> None:
    """Record what a successful sync saw; written atomically so a crash never leaves half a file."""
    path = seen_file(settings, source)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(listing, sort_keys=True), encoding="utf-8")
    tmp.replace(path)
