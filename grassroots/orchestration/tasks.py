"""The work behind each DAG task, callable without Airflow: sync one source, check a drop folder, run a build step.

Every function takes the Settings and returns a small JSON-able dict (ids, counts, paths): that is all that goes
through XCom. The data itself stays in the landing zone and the warehouse.
"""

from __future__ import annotations

import importlib
import json
import logging
from typing import Any

from extractors.declare import FileSource, Source
from grassroots.config import Settings
from grassroots.errors import FatalError, GrassrootsError, TransientError
from grassroots.orchestration import drop_folder
from grassroots.orchestration.plans import BuildStep

log = logging.getLogger(__name__)


def declared_source(name: str) -> Source:
    from extractors.registry import resolve

    return resolve([name])[0]


def check_drop_folder(settings: Settings, source: str) -> dict[str, Any] | None:
    """The flagged exports of a drop-folder source, or None when none is new since the last successful sync."""
    declared = declared_source(source)
    if not isinstance(declared, FileSource):
        raise FatalError(f"Source {source!r} is a database, not a drop folder; it has nothing to check.")
    listing = drop_folder.flagged_exports(settings, declared)
    new = drop_folder.new_exports(listing, drop_folder.read_seen(settings, source))
    if not new:
        log.info("No new export in the drop folder of %s (%d already synced)", source, len(listing))
        return None
    log.info("%d new export(s) in the drop folder of %s", len(new), source)
    return {"source": source, "new": new, "listing": listing}


def sync_source(settings: Settings, source: str, exports: dict[str, Any] | None = None) -> dict[str, Any]:
    """Sync one source; raise its failure with its kind; for a drop folder, remember the exports checked before."""
    from grassroots.pipeline import sync

    summaries = [_as_json(summary) for summary in sync(settings, [source])]
    for summary in summaries:
        if summary.get("status") == "failed":
            raise failure_of(summary)
    if exports is not None:
        drop_folder.remember(settings, source, exports["listing"])
    landed = sum(int(s.get("rows") or 0) for s in summaries)
    log.info("Sync of %s landed %d changed row(s) in %d load(s)", source, landed, len(summaries))
    return {"source": source, "landed_rows": landed, "summaries": summaries}


def failure_of(summary: dict[str, Any]) -> GrassrootsError:
    """The error a failed summary line stands for; sync() reports a transient one as '... (retry later)'."""
    message = f"Sync of {summary.get('source')} failed: {summary.get('message')}"
    if str(summary.get("message") or "").endswith("(retry later)"):
        return TransientError(message)
    return FatalError(message)


def run_build_step(settings: Settings, step: BuildStep) -> dict[str, Any]:
    """Run one build stage; its function is imported now, not when the DAG file is parsed."""
    module_name, _, function_name = step.function.partition(":")
    function = getattr(importlib.import_module(module_name), function_name)
    return {"step": step.name, "result": _as_json(function(settings))}


def _as_json(value: Any) -> dict[str, Any]:
    if value is None:
        return {}
    if hasattr(value, "to_json"):
        value = value.to_json()
    if isinstance(value, str):
        value = json.loads(value)
    if not isinstance(value, dict):
        raise TypeError(f"Expected a JSON object from the pipeline, got {type(value).__name__}")
    return value
