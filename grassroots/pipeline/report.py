"""Build the data-quality report into ``<home>/reports/<run>/`` and mail it to the big-data center.

``build_report`` reads the analyst lake when one is published, else what the home holds (quarantine and validation
files), or the :class:`ReportInputs` given; ``send_report`` mails the result with inline charts and worklists.
"""

from __future__ import annotations

import logging
import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb

from grassroots import duck
from grassroots.config import Settings
from grassroots.errors import FatalError
from grassroots.notify import InlineImage, send_mail
from grassroots.report.build import ReportOptions, collect
from grassroots.report.inputs import ReportInputs
from grassroots.report.render import cid_sources, data_uri_sources, render_html, render_text

log = logging.getLogger(__name__)

HTML_FILE = "report.html"
CHARTS_DIR = "charts"


@dataclass(frozen=True)
class ReportResult:
    """One built report: its folder, the browser HTML file, the mail HTML (cid images), charts and attachments."""

    run_id: str
    out_dir: Path
    html_path: Path
    mail_html: str
    text: str
    subject: str
    images: dict[str, bytes]
    attachments: tuple[Path, ...]
    summary: tuple[dict[str, Any], ...]

    def cid(self, name: str) -> str:
        return content_id(name, self.run_id)


def content_id(name: str, run_id: str) -> str:
    """Content-ID of chart ``name`` in the mail (unique per run, so clients never mix two reports' images)."""
    return f"{name}.{run_id}@grassroots"


def new_run_id() -> str:
    """A report run id that sorts by time (the follow-up finds the previous report by it)."""
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")


def _warehouse_inputs(settings: Settings) -> tuple[duckdb.DuckDBPyConnection, ReportInputs] | None:
    """The analyst lake attached as ``lake`` with the inputs it holds, or None when nothing is published yet."""
    from warehouse import access, catalog  # imported here: the warehouse needs its DuckDB extensions

    if settings.catalog_url is None and not (settings.paths.warehouse / "catalog.sqlite").exists():
        return None
    con = access.connect(settings, "analyst")
    con.execute("USE memory")  # the report's own views live in memory, the lake stays read-only
    inputs = ReportInputs.from_catalog(
        access.ALIAS,
        set(catalog.tables(con, access.ALIAS, "main")),
        set(catalog.tables(con, access.ALIAS, "marts")),
    )
    return con, inputs


def _connect(
    settings: Settings, inputs: ReportInputs | None
) -> tuple[duckdb.DuckDBPyConnection, ReportInputs]:
    home_inputs = ReportInputs.from_home(settings.paths.root)
    if inputs is not None:
        return duck.connect(settings=settings), inputs
    found = _warehouse_inputs(settings)
    if found is None:
        log.info(
            "no warehouse published yet: the report reads the quarantine and validation files of the home"
        )
        return duck.connect(settings=settings), home_inputs
    con, lake_inputs = found
    return con, lake_inputs.merged(home_inputs)


def build_report(
    settings: Settings,
    inputs: ReportInputs | None = None,
    *,
    options: ReportOptions | None = None,
    run_id: str | None = None,
    out: Path | None = None,
    con: duckdb.DuckDBPyConnection | None = None,
) -> ReportResult:
    """Build the report; ``con`` (with ``inputs``) lets a caller point at relations it has already set up.

    Writes ``report.html`` (charts as data URIs), ``charts/*.png``, one worklist per source and the worklist items
    under ``<home>/reports/<run_id>/``; ``out`` receives a copy of the HTML too.
    """
    options = options or ReportOptions()
    run_id = run_id or new_run_id()
    reports = settings.paths.reports
    out_dir = reports / run_id
    if out_dir.exists():
        raise FatalError(f"report run {run_id} exists already under {reports}; pick another run id")
    out_dir.mkdir(parents=True)
    own = con is None
    if con is None:
        con, inputs = _connect(settings, inputs)
    elif inputs is None:
        raise FatalError("build_report: give the inputs when passing a connection")
    try:
        content = collect(con, inputs, out_dir, reports, run_id, options)
        return _write(content.context, content.images, content.worklists, out_dir, run_id, out)
    except BaseException:
        # A half-built report must not become the baseline the next report's follow-up compares with.
        shutil.rmtree(out_dir, ignore_errors=True)
        raise
    finally:
        if own:
            con.close()


def _write(
    context: dict[str, Any],
    images: dict[str, bytes],
    worklists: dict[str, Path],
    out_dir: Path,
    run_id: str,
    out: Path | None,
) -> ReportResult:
    charts = out_dir / CHARTS_DIR
    charts.mkdir()
    for name, png in images.items():
        (charts / f"{name}.png").write_bytes(png)
    html = render_html(context, data_uri_sources(images))
    html_path = out_dir / HTML_FILE
    html_path.write_text(html, encoding="utf-8")
    if out is not None:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(html, encoding="utf-8")
    log.info("report %s written to %s (%d worklists)", run_id, out_dir, len(worklists))
    return ReportResult(
        run_id=run_id,
        out_dir=out_dir,
        html_path=html_path,
        mail_html=render_html(context, cid_sources({name: content_id(name, run_id) for name in images})),
        text=render_text(context),
        subject=f"{context['title']} Data-quality report {run_id[:8]}",
        images=images,
        attachments=tuple(worklists[s] for s in sorted(worklists)),
        summary=tuple(context["summary"]),
    )


def send_report(settings: Settings, result: ReportResult, to: Sequence[str] | None = None) -> str:
    """Mail a built report to ``to`` (default: GRASSROOTS_REPORT_TO); returns the Message-ID."""
    recipients = list(to) if to else list(settings.report_to)
    inline = [InlineImage(cid=result.cid(name), content=png) for name, png in result.images.items()]
    return send_mail(
        settings,
        recipients,
        result.subject,
        result.mail_html,
        text=result.text,
        attachments=list(result.attachments),
        inline_images=inline,
    )
