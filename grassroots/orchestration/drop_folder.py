"""The cheap check before a drop-folder sync: are there flagged exports the extractor has not handled yet?

It asks the extractor's own mechanics (its file listing, and its manifest of handled files by name, size and
modification time), so "new" means exactly what the sync would pick up. No file is read: it can run every few minutes.
"""

from __future__ import annotations

from extractors.declare import FileSource
from extractors.filedrop import list_candidates
from extractors.state import StateDB, state_path
from grassroots.config import Settings
from grassroots.errors import FatalError


def pending_exports(settings: Settings, source: FileSource) -> list[str]:
    """Names of the flagged exports in the source's folder that no sync has handled yet, in name order."""
    folder = source.folder(settings)
    if not folder.is_dir():
        raise FatalError(
            f"Drop folder of source {source.name!r} does not exist: {folder}. "
            "Create it or set its location (e.g. GRASSROOTS_POLICE_DIR)."
        )
    ready, _waiting_for_flag = list_candidates(source, folder)
    path = state_path(settings.home)
    if not path.exists():  # never synced: everything is new, and a check must not create the state database
        return [c.path.name for c in ready]
    state = StateDB(path)
    try:
        # The same test the sync applies before hashing a file (extractors/filesync.py).
        return [
            c.path.name for c in ready if not state.known_name(source.name, c.path.name, c.size, c.mtime_ns)
        ]
    finally:
        state.close()
