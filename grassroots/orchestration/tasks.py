"""The work behind each DAG task, callable without Airflow: sync one source, check a drop folder, run a build step.

Every function takes the Settings and returns a small JSON-able dict (ids, counts, paths): that is all that goes
through XCom. The data itself stays in the landing zone and the warehouse.
"""

from __future__ import annotations

import importlib
import json
import logging
from datetime import UTC, datetime
from typing import Any

from extractors.declare import FileSource, Source
from grassroots.config import Settings
from grassroots.errors import FatalError
from grassroots.orchestration import drop_folder
from grassroots.orchestration.plans import BuildStep

log = logging.getLogger(__name__)


def declared_source(name: str) -> Source:
    from extractors.registry import resolve

    return resolve([name])[0]


def check_drop_folder(settings: Settings, source: str) -> dict[str, Any] | None:
    """The exports waiting in a drop-folder source, or None when no sync is needed."""
    declared = declared_source(source)
    if not isinstance(declared, FileSource):
        raise FatalError(f"Source {source!r} is a database, not a drop folder; it has nothing to check.")
    pending = drop_folder.pending_exports(settings, declared)
    if not pending:
        log.info("No new export in the drop folder of %s", source)
        return None
    log.info("%d new export(s) in the drop folder of %s", len(pending), source)
    return {"source": source, "pending": pending}


def sync_source(settings: Settings, source: str) -> dict[str, Any]:
    """Sync one source and raise its failure as the error it is (transient or fatal)."""
    from grassroots.pipeline.sync import raise_for_failures, sync

    results = sync(settings, [source])
    raise_for_failures(results)
    summaries = [_as_json(summary) for summary in results]
    landed = sum(int(s.get("rows") or 0) for s in summaries)
    log.info("Sync of %s landed %d changed row(s) in %d load(s)", source, landed, len(summaries))
    return {"source": source, "landed_rows": landed, "summaries": summaries}


def run_build_step(settings: Settings, step: BuildStep, run_id: str) -> dict[str, Any]:
    """Run one build stage of build ``run_id``; its function is imported now, not when the DAG file is parsed."""
    return {"step": step.name, "run_id": run_id, "result": _as_json(_import(step.function)(settings, run_id))}


def build_run_id(run_after: datetime) -> str:
    """The build id of one Airflow run: sorts by time like ``grassroots build``'s ids, and a re-run of that Airflow
    run (same ``run_after``) reuses it, so a cleared step finds the work of the steps before it."""
    return "b_" + run_after.astimezone(UTC).strftime("%Y%m%dT%H%M%S%fZ")


def build_report(settings: Settings) -> dict[str, Any]:
    """Build the quality report and write what its mail needs beside it; returns the mail manifest (paths only).

    The mail is a separate task so that a retry after an SMTP fault resends this report instead of building another.
    """
    from grassroots.pipeline.report import CHARTS_DIR
    from grassroots.pipeline.report import build_report as build

    result = build(settings)
    mail_html, mail_text = result.out_dir / "mail.html", result.out_dir / "mail.txt"
    mail_html.write_text(result.mail_html, encoding="utf-8")
    mail_text.write_text(result.text, encoding="utf-8")
    charts = result.out_dir / CHARTS_DIR
    return {
        "run_id": result.run_id,
        "subject": result.subject,
        "html": str(mail_html),
        "text": str(mail_text),
        "images": {result.cid(name): str(charts / f"{name}.png") for name in result.images},
        "attachments": [str(path) for path in result.attachments],
    }


def _import(dotted: str) -> Any:
    module_name, _, function_name = dotted.partition(":")
    return getattr(importlib.import_module(module_name), function_name)


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
