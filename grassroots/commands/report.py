"""grassroots report: write the data-quality report (HTML, charts, worklists) and mail it to the big-data center."""

from __future__ import annotations

import argparse
import logging
from pathlib import Path
from typing import TYPE_CHECKING

from grassroots.errors import FatalError

if TYPE_CHECKING:
    from grassroots.config import Settings

log = logging.getLogger(__name__)

# grassroots.report.roles.ROLES, spelled out: importing the grassroots.report package loads matplotlib, which
# every `grassroots ... --help` would pay for. tests/unit/test_cli_imports.py keeps the two equal.
ROLES: tuple[str, ...] = ("center", "owner")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--to",
        action="append",
        default=None,
        metavar="ADDRESS",
        help="recipient (repeat for several); default: GRASSROOTS_REPORT_TO",
    )
    parser.add_argument("--out", type=Path, default=None, metavar="FILE", help="also write the HTML to FILE")
    parser.add_argument("--no-send", action="store_true", help="write the report but do not mail it")
    parser.add_argument(
        "--format",
        choices=("csv", "xlsx"),
        default="csv",
        help="worklist attachments: csv (UTF-8 with BOM) or xlsx",
    )
    parser.add_argument(
        "--role",
        choices=ROLES,
        default="center",
        help="what the recipients may see in the worklists (see docs/quality-report.md); default: center",
    )
    parser.add_argument(
        "--runs", type=int, default=10, help="how many past runs the trends show (default 10)"
    )
    parser.add_argument(
        "--stale-days",
        type=int,
        default=30,
        help="a grid not updated for longer is flagged stale (default 30)",
    )


def run(args: argparse.Namespace, settings: Settings) -> int:
    from grassroots.pipeline.report import build_report, send_report  # heavy: matplotlib, DuckDB
    from grassroots.report import ReportOptions
    from grassroots.report.roles import check_role

    recipients = args.to or settings.report_to
    if not args.no_send and not recipients:
        raise FatalError(
            "no recipient for the report: pass --to ADDRESS, set GRASSROOTS_REPORT_TO (a JSON list), or use --no-send"
        )
    options = ReportOptions(
        runs=args.runs, stale_days=args.stale_days, worklist_format=args.format, role=check_role(args.role)
    )
    result = build_report(settings, options=options, out=args.out)
    log.info("report written: %s", result.html_path)
    if not args.no_send:
        message_id = send_report(settings, result, recipients)
        log.info("report mailed to %d recipient(s), Message-ID %s", len(recipients), message_id)
    return 0
