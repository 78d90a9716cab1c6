"""grassroots run: the main job, sync every source then build and publish the topic library.

A source that fails to sync does not stop the build: its last landed state is built with the others, the failure
is logged and the command exits 1 so the scheduler notices.
"""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import sys
from typing import TYPE_CHECKING

from grassroots.commands.build import emit
from grassroots.commands.sync import render_table

if TYPE_CHECKING:
    from grassroots.config import Settings

log = logging.getLogger(__name__)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--json", action="store_true", help="print the sync lines and the build summary as JSON"
    )
    parser.add_argument(
        "--reference-date",
        type=dt.date.fromisoformat,
        help="'today' for validation (default: the simulated day when there is one, else today)",
    )
    parser.add_argument(
        "--report",
        action="store_true",
        help="after publishing, build the quality report and mail it to GRASSROOTS_REPORT_TO when set",
    )


def run(args: argparse.Namespace, settings: Settings) -> int:
    from grassroots.pipeline.build import build  # heavy: Great Expectations, splink, DuckDB
    from grassroots.pipeline.sync import sync  # heavy: SQLAlchemy, the source drivers

    summaries = sync(settings)
    failed = [s for s in summaries if s.status == "failed"]
    for s in failed:
        log.warning("sync of %s %s failed (%s); building its last landed state", s.source, s.table, s.message)
    if not args.json:
        sys.stdout.write(render_table(summaries) + "\n")
    summary = build(settings, reference_date=args.reference_date)
    landed = sum(int(s.rows or 0) for s in summaries)
    extra: dict[str, object] = {
        "sync": {"tables": len(summaries), "landed_rows": landed, "failed": len(failed)}
    }
    if args.report:
        extra["report"] = _report(settings)
    emit(summary, args.json, extra)
    report = extra.get("report")
    if report and not args.json:
        sys.stdout.write(f"quality report: {report}\n")
    return 1 if failed else 0


def _report(settings: Settings) -> dict[str, object]:
    from grassroots.pipeline.report import build_report, send_report  # heavy: matplotlib

    result = build_report(settings)
    sent = send_report(settings, result) if settings.report_to else None
    log.info("quality report %s written to %s%s", result.run_id, result.out_dir, ", mailed" if sent else "")
    return {"run_id": result.run_id, "folder": str(result.out_dir), "mailed": bool(sent)}
