"""grassroots build: standardize, validate, resolve and publish the topic library from the landing zone."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from grassroots.config import Settings
    from grassroots.pipeline.build import BuildSummary


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="print the build summary as one JSON object")
    parser.add_argument(
        "--run-id", help="id of this build (default: a new one); re-use it to re-run a failed build"
    )
    parser.add_argument(
        "--reference-date",
        type=dt.date.fromisoformat,
        help="'today' for validation (default: the simulated day when there is one, else today)",
    )


def render(summary: BuildSummary) -> str:
    """The human summary of a build."""
    lines = [f"build {summary.run_id} (reference date {summary.reference_date}): snapshot {summary.snapshot}"]
    lines.append(f"{'kind':<14}{'staged':>10}{'entities':>10}")
    for kind, staged in summary.staged.items():
        lines.append(f"{kind:<14}{staged:>10}{summary.entities.get(kind, 0):>10}")
    if summary.relations:
        lines.append("relations: " + ", ".join(f"{k} {v}" for k, v in summary.relations.items()))
    lines.append(
        f"quarantine: {summary.flagged} values flagged in staging, {summary.refused} rows refused and "
        f"{summary.warned} kept with warnings by validation"
    )
    lines.append("time: " + ", ".join(f"{k} {v:.1f} s" for k, v in summary.seconds.items()))
    return "\n".join(lines) + "\n"


def emit(summary: BuildSummary, as_json: bool, extra: dict[str, object] | None = None) -> None:
    if as_json:
        sys.stdout.write(json.dumps({**(extra or {}), **summary.to_json()}, ensure_ascii=False) + "\n")
    else:
        sys.stdout.write(render(summary))


def run(args: argparse.Namespace, settings: Settings) -> int:
    from grassroots.pipeline.build import build  # heavy: Great Expectations, splink, DuckDB

    summary = build(settings, run_id=args.run_id, reference_date=args.reference_date)
    emit(summary, args.json)
    return 0
