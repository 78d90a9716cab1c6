"""grassroots eval: pairwise and cluster-level precision, recall and F1 of resolution against the ground truth."""

from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING

from grassroots.errors import FatalError

if TYPE_CHECKING:
    import duckdb

    from grassroots.config import Settings


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--json", action="store_true", help='one JSON object: {"person": {"precision": ...}, ...}'
    )


def truth_pairs(con: duckdb.DuckDBPyConnection, source_map: str, kind: str) -> tuple[list[str], list[str]]:
    """Predicted and true entity of every record of one kind that both the truth and the resolution know (the
    resolved database attached as ``resolved``)."""
    rows = con.execute(
        f"""
        SELECT i.entity_id, t.true_entity_id
        FROM read_parquet(?) t
        JOIN resolved.{kind}_ids i ON i.record_id = t.system || '/' || t."table" || '/' || t.record_key
        WHERE t.entity_kind = ?
        """,
        [source_map, kind],
    ).fetchall()
    return [r[0] for r in rows], [r[1] for r in rows]


def evaluate_all(settings: Settings) -> dict[str, dict[str, float | int]]:
    """Pairwise and cluster scores per kind of the last published resolution; empty when there is none."""
    from grassroots import duck
    from transforms.resolve.evaluate import evaluate
    from transforms.resolve.inputs import KINDS
    from transforms.resolve.state import ResolveState, table_exists

    source_map = settings.paths.truth / "source_map.parquet"
    if not source_map.exists():
        raise FatalError(
            f"no ground truth at {source_map}: eval needs a simulated city ('grassroots simulate')"
        )
    state = ResolveState(settings.paths.state / "resolve")
    report: dict[str, dict[str, float | int]] = {}
    con = duck.connect(settings=settings)
    try:
        if not state.open_base(con):
            return report
        for kind in KINDS:
            if table_exists(con, f"{kind}_ids"):
                report[kind] = evaluate(*truth_pairs(con, str(source_map), kind))
    finally:
        con.close()
    return report


def run(args: argparse.Namespace, settings: Settings) -> int:
    report = evaluate_all(settings)
    if not report:
        raise FatalError("nothing resolved yet: run 'grassroots build' first")
    if args.json:
        sys.stdout.write(json.dumps(report) + "\n")
    else:
        lines = [f"{'kind':<14}{'precision':>10}{'recall':>10}{'f1':>10}{'cl.f1':>10}{'records':>10}"]
        for name, m in report.items():
            lines.append(
                f"{name:<14}{m['precision']:>10.4f}{m['recall']:>10.4f}{m['f1']:>10.4f}"
                f"{m['cluster_f1']:>10.4f}{m['records']:>10}"
            )
        sys.stdout.write("\n".join(lines) + "\n")
    return 0
