"""Two reports in a row: the second says which items of the first worklist were fixed, and shows it in the HTML."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import duckdb

from grassroots.config import Settings
from grassroots.pipeline.report import build_report
from grassroots.report import synthetic
from grassroots.report.followup import ITEMS_FILE


def test_second_report_shows_fixed_items(home: Path, tmp_path: Path) -> None:
    settings = Settings(home=home)
    inputs = synthetic.write(tmp_path / "inputs")
    first = build_report(settings, inputs, run_id="20261124T080000Z")

    # A later extraction of the grid refuses only R003: R001 and F009 were corrected at the source.
    assert inputs.quarantine is not None
    later = tmp_path / "quarantine-later.parquet"
    duckdb.execute(f"""
        COPY (SELECT * REPLACE ('x3' AS run_id, occurred_at + INTERVAL 1 DAY AS occurred_at)
              FROM read_parquet('{inputs.quarantine}') WHERE run_id = 'x2' AND source = 'grid' AND record_key = 'R003'
              UNION ALL SELECT * FROM read_parquet('{inputs.quarantine}'))
        TO '{later}' (FORMAT parquet)""")
    second = build_report(settings, replace(inputs, quarantine=str(later)), run_id="20261125T080000Z")

    items = duckdb.sql(
        f"SELECT source, record_key, rule, status FROM read_parquet('{second.out_dir / ITEMS_FILE}')"
    ).fetchall()
    status = {(s, k, r): st for s, k, r, st in items}
    assert status[("grid", "R001", "id_checksum")] == "fixed"
    assert status[("grid", "F009", "address_missing")] == "fixed"
    assert status[("grid", "R003", "birth_date_future")] == "open"
    assert status[("grid", "R011", "finding:conflict:sex")] == "open"
    assert dict((s["en"], s["value"]) for s in second.summary)["fixed since last report"] == 2
    assert dict((s["en"], s["value"]) for s in first.summary)["fixed since last report"] == 0
    grid = (second.out_dir / "worklist-grid.csv").read_text(encoding="utf-8-sig")
    assert grid.count("已整改 fixed") == 2 and "20261124T080000Z" in grid  # first reported in the first run
