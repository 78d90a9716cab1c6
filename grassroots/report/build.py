"""Assemble one report from the bound inputs: sections, charts, worklists and their follow-up, all masked."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import duckdb

from grassroots.privacy import mask_text
from grassroots.report import charts, current, dimensions, followup, matching, problems, trends, worklist
from grassroots.report.files import Format, write_worklists
from grassroots.report.inputs import ReportInputs, bind
from grassroots.report.roles import Role
from warehouse.analyst import scrub_text_sql

log = logging.getLogger(__name__)

TITLE = "基层数据质量报告"
ROLE_NOTES = {
    "center": (
        "姓名仅保留姓氏，地址截至社区。",
        "names keep the surname only, addresses stop at the community.",
    ),
    "owner": (
        "整改清单中的姓名和详细地址为完整值（供系统负责单位查找记录）。",
        "worklists show names and detailed addresses in full, for the system owners to find the records.",
    ),
}
# Codes that look like old 15-digit IDs to the masking regex but are not personal: grid codes (6 + 3 + 3 + 3).
NOT_PERSONAL = frozenset({"grid_code"})
# Free-text columns of worklist items scrubbed once more in SQL: a key or reason may carry an ID or a mobile.
SCRUBBED = ("record_key", "problem", "current_value", "suggested_value")


@dataclass(frozen=True)
class ReportOptions:
    """How much history and detail a report shows, the worklist format and the recipients' role."""

    runs: int = 10
    stale_days: int = 30
    top_problems: int = 10
    freshness_rows: int = 20
    worklist_format: Format = "csv"
    role: Role = "center"


@dataclass
class ReportContent:
    """What a build produced: the template context, chart PNGs by name and worklist files by source."""

    context: dict[str, Any]
    images: dict[str, bytes] = field(default_factory=dict)
    worklists: dict[str, Path] = field(default_factory=dict)


def rows(con: duckdb.DuckDBPyConnection, sql: str) -> list[dict[str, Any]]:
    cur = con.execute(sql)
    names = [d[0] for d in cur.description]
    return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]


def masked(value: Any) -> Any:
    """A last line of defence over everything shown: IDs and mobiles inside any text are masked."""
    if isinstance(value, str):
        return mask_text(value)
    if isinstance(value, Mapping):
        return {k: v if k in NOT_PERSONAL else masked(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [masked(v) for v in value]
    return value


def items_sql() -> str:
    """Worklist items as shown: masked first, then one per identity (masking can make two record keys equal)."""
    cols = ", ".join(scrub_text_sql(c) + f" AS {c}" if c in SCRUBBED else c for c in worklist.ITEM_COLUMNS)
    return worklist.unique_items_sql(f"SELECT {cols} FROM ({worklist.items_sql()})")


def _worklists(
    con: duckdb.DuckDBPyConnection,
    inputs: ReportInputs,
    out_dir: Path,
    reports: Path,
    run_id: str,
    options: ReportOptions,
) -> tuple[dict[str, Path], list[dict[str, Any]]]:
    worklist.create_golden(con, sorted(inputs.entities), options.role)
    con.execute(f"CREATE OR REPLACE TEMP TABLE report_items AS {items_sql()}")
    table = followup.follow_up(con, "report_items", out_dir, reports, run_id, current.checked_sources(con))
    files = write_worklists(con, table, out_dir, options.worklist_format)
    return files, rows(con, followup.status_counts_sql(table))


def _summary(sections: Mapping[str, Any]) -> list[dict[str, Any]]:
    quarantine = sections["quarantine"]
    follow = sections["followup"]
    return [
        {
            "zh": "拒收记录",
            "en": "refused records",
            "colour": "#c23b3b",
            "value": sum(r["records"] for r in quarantine if r["severity"] == "error"),
        },
        {
            "zh": "警告记录",
            "en": "records with warnings",
            "colour": "#b35900",
            "value": sum(r["records"] for r in quarantine if r["severity"] != "error"),
        },
        {
            "zh": "跨系统不一致",
            "en": "cross-system findings",
            "colour": "#7b5ea7",
            "value": sum(r["records"] for r in sections["problems_all"] if r["origin"] == "finding"),
        },
        {
            "zh": "新增整改事项",
            "en": "new worklist items",
            "colour": "#1f4e79",
            "value": sum(r["new"] for r in follow),
        },
        {
            "zh": "已整改",
            "en": "fixed since last report",
            "colour": "#1a7f37",
            "value": sum(r["fixed"] for r in follow),
        },
    ]


def collect(
    con: duckdb.DuckDBPyConnection,
    inputs: ReportInputs,
    out_dir: Path,
    reports: Path,
    run_id: str,
    options: ReportOptions,
) -> ReportContent:
    """Every section of the report from ``inputs``; worklist files and items are written to ``out_dir``."""
    present = bind(con, inputs)
    current.create(con)
    files, follow = _worklists(con, inputs, out_dir, reports, run_id, options)
    freshness = rows(con, trends.grid_freshness_sql(options.stale_days))
    sections: dict[str, Any] = {
        "scorecard": rows(con, dimensions.scorecard_sql()),
        "quarantine": rows(con, problems.quarantine_by_reason_sql()),
        "matches": rows(con, matching.match_rates_sql()),
        "validation_trend": rows(con, trends.validation_trend_sql(options.runs)),
        "quarantine_trend": rows(con, trends.quarantine_trend_sql(options.runs)),
        "finding_trend": rows(con, trends.finding_trend_sql(options.runs)),
        "freshness": freshness[: options.freshness_rows],
        "freshness_more": len(freshness) > options.freshness_rows,
        "freshness_summary": rows(con, trends.freshness_summary_sql(options.stale_days))[0],
        "problems_all": rows(con, problems.top_problems_sql(1_000_000)),
        "followup": follow,
    }
    sections["problems"] = sections["problems_all"][: options.top_problems]
    images = _charts(sections, freshness)
    zh, en = ROLE_NOTES[options.role]
    context = {
        **sections,
        "title": TITLE,
        "run_id": run_id,
        "generated_at": datetime.now(UTC).strftime("%Y-%m-%d %H:%M"),
        "summary": _summary(sections),
        "missing_inputs": sorted(name for name, ok in present.items() if not ok),
        "stale_days": options.stale_days,
        "stale_before": datetime.now(UTC).replace(tzinfo=None) - timedelta(days=options.stale_days),
        "worklists": {source: path.name for source, path in files.items()},
        "worklist_format": options.worklist_format,
        "role_note_zh": zh,
        "role_note_en": en,
    }
    return ReportContent(context=masked(context), images=images, worklists=files)


def _charts(sections: Mapping[str, Any], freshness: list[dict[str, Any]]) -> dict[str, bytes]:
    made = {
        "scorecard": charts.scorecard_chart(sections["scorecard"]),
        "quarantine": charts.quarantine_chart(sections["quarantine"]),
        "matches": charts.match_chart(sections["matches"]),
        "trends": charts.trend_chart(sections["validation_trend"], sections["quarantine_trend"]),
        "freshness": charts.freshness_chart(freshness),
    }
    return {name: png for name, png in made.items() if png is not None}
