"""Benchmark of person resolution: accuracy (pairwise and cluster F1), time and peak memory, next to a stock Splink
model on the same records (Jaro-Winkler names, fixed 0.9 threshold, no ID guard).

Runs on the synthetic hard-case population of transforms/resolve/synthetic.py (the staging step that would feed the
simulated city did not exist yet when this was written); ``--households`` scales it.

    uv run python -m bench.resolve [--households 20000] [--threads 2] [--no-baseline]
"""

from __future__ import annotations

import argparse
import logging
import resource
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import duckdb

from grassroots.home import Home
from grassroots.pipeline.resolve import resolve_all
from transforms.resolve.evaluate import evaluate
from transforms.resolve.synthetic import synthetic_people

log = logging.getLogger("bench.resolve")


def _peak_rss_gb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 / 1024


def _ours(con: duckdb.DuckDBPyConnection, u_pairs: float, home: Home) -> tuple[dict[str, Any], float]:
    started = time.perf_counter()
    result = resolve_all(con, home, "bench", {"person": "stg_person"}, u_pairs=u_pairs)
    seconds = time.perf_counter() - started
    if result.person is not None:
        phases = {**result.person.phase_seconds, "lineage+snapshot": result.seconds.get("lineage", 0.0)}
        print("phases: " + ", ".join(f"{k} {v:.1f}s" for k, v in phases.items()))
    rows = con.execute("""
        SELECT e.entity_id, s.true_entity_id FROM stg_person s
        JOIN entity_source e USING (source_system, source_table, record_key)
    """).fetchall()
    return evaluate([r[0] for r in rows], [r[1] for r in rows]), seconds


def _incremental(con: duckdb.DuckDBPyConnection, home: Home, share: float) -> tuple[float, int]:
    """Change the phone of a share of the records, resolve again on the saved state: seconds and records changed."""
    con.execute(f"""
        UPDATE stg_person SET phone = '139' || lpad(CAST(hash(record_key) % 100000000 AS VARCHAR), 8, '0'),
                              phones = NULL
        WHERE hash(record_key || 'bench') % 1000 < {int(share * 1000)}
    """)
    started = time.perf_counter()
    result = resolve_all(con, home, "bench-2", {"person": "stg_person"})
    changed = result.person.changed_records if result.person else 0
    return time.perf_counter() - started, changed


def _baseline(con: duckdb.DuckDBPyConnection, u_pairs: float) -> tuple[dict[str, Any], float]:
    """Splink out of the box: its stock comparisons, blocking on name, birth date and ID, threshold 0.9."""
    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    started = time.perf_counter()
    con.execute("""
        CREATE OR REPLACE TABLE plain_person AS
        SELECT source_system || '/' || source_table || '/' || record_key AS unique_id, name, birth_date,
               citizen_id, phone, household_no, address_key, sex, true_entity_id FROM stg_person
    """)
    settings = SettingsCreator(
        link_type="dedupe_only",
        comparisons=[
            cl.NameComparison("name"),
            cl.DateOfBirthComparison("birth_date", input_is_string=False),
            cl.ExactMatch("citizen_id"),
            cl.ExactMatch("phone"),
            cl.ExactMatch("household_no"),
            cl.ExactMatch("address_key"),
            cl.ExactMatch("sex"),
        ],
        blocking_rules_to_generate_predictions=[
            block_on("name"),
            block_on("birth_date"),
            block_on("citizen_id"),
            block_on("phone"),
        ],
    )
    db_api = DuckDBAPI(connection=con)
    linker = Linker(db_api.register("plain_person"), settings, log_level=None)
    linker.training.estimate_probability_two_random_records_match([block_on("citizen_id")], recall=0.8)
    linker.training.estimate_u_using_random_sampling(max_pairs=u_pairs, seed=1)
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("citizen_id"))
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("birth_date"))
    predictions = linker.inference.predict(threshold_match_probability=0.9)
    clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(predictions, 0.9)
    seconds = time.perf_counter() - started
    rows = con.execute(f"""
        SELECT c.cluster_id, p.true_entity_id FROM {clusters.physical_name} c JOIN plain_person p USING (unique_id)
    """).fetchall()
    return evaluate([r[0] for r in rows], [r[1] for r in rows]), seconds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--households", type=int, default=20000)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--u-pairs", type=float, default=1e6)
    parser.add_argument("--no-baseline", action="store_true")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)

    started = time.perf_counter()
    people, _ = synthetic_people(households=args.households, seed=3)
    log.warning("generated %d records in %.1fs", people.num_rows, time.perf_counter() - started)
    con = duckdb.connect()
    con.execute(f"SET threads = {args.threads}")
    con.register("arrow_people", people)
    con.execute("CREATE TABLE stg_person AS SELECT * FROM arrow_people")
    con.unregister("arrow_people")
    del people

    with tempfile.TemporaryDirectory() as tmp:
        home = Home(Path(tmp))
        figures = [("ours", *_ours(con, args.u_pairs, home), _peak_rss_gb())]
        if not args.no_baseline:
            figures.append(("stock splink", *_baseline(con, args.u_pairs), _peak_rss_gb()))
        incremental = _incremental(con, home, 0.01)
    records = figures[0][1]["records"]
    print(f"person resolution, {records} synthetic records, {args.threads} threads")
    print(
        f"{'model':<14}{'precision':>10}{'recall':>10}{'f1':>10}{'cl.f1':>10}{'seconds':>10}{'peak GB':>10}"
    )
    for name, m, seconds, rss in figures:
        print(
            f"{name:<14}{m['precision']:>10.4f}{m['recall']:>10.4f}{m['f1']:>10.4f}{m['cluster_f1']:>10.4f}"
            f"{seconds:>10.1f}{rss:>10.2f}"
        )
    print(f"incremental run after {incremental[1]} changed records: {incremental[0]:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
