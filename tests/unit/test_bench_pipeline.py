"""The pipeline benchmark's pure parts: parsing command output, run breakdowns, targets, results files, the README."""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest

from bench import floor, measure, pipeline, results, table, targets


def stage(wall: float, rss: float = 500.0, rows: int | None = None, cpu: float = 1.0) -> dict[str, Any]:
    return {"wall_s": wall, "cpu_s": cpu, "peak_rss_mb": rss, "rows": rows, "rows_per_s": None}


def scenario(people: int, run: float, incremental: float, floor_s: float = 100.0, rss: float = 500.0,
             inc_rows: int = 1000, person_s: float = 30.0) -> dict[str, Any]:  # fmt: skip
    return {
        "people": people,
        "dialect": "sqlite",
        "stages": {
            "simulate": stage(30.0),
            "floor": stage(floor_s),
            "run": stage(run, rss),
            "incremental": stage(incremental, rows=inc_rows),
        },
        "whole": {"wall_s": run + incremental, "cpu_s": 2.0, "peak_rss_mb": rss},
        "run": {
            "breakdown": {"sync (remainder)": 10.0, "resolve": 20.0},
            "resolution": {"mode": "full", "person_seconds": {"score": person_s / 2, "golden": person_s / 2}},
        },
        "incremental": {"breakdown": {"sync (remainder)": 2.0}},
        "floor": {"parts": {"grid": {"seconds": 1.0, "rows": 10}}},
        "eval": {"person": {"f1": 0.99, "cluster_f1": 0.98}},
        "peer": {"f1": 0.9, "cluster_f1": 0.85, "seconds": 40.0},
    }


def test_last_json_skips_tables_and_logs() -> None:
    out = 'table line\n{"a": 1}\n{not json\n{"run_id": "b_1", "seconds": {"stage": 2.0}}\n\n'
    assert pipeline.last_json(out)["run_id"] == "b_1"
    with pytest.raises(ValueError):
        pipeline.last_json("no json here\n")


def test_run_breakdown_puts_the_rest_of_the_wall_time_on_sync() -> None:
    breakdown = pipeline.run_breakdown(100.0, {"seconds": {"stage": 20.0, "validate": 10.0, "resolve": 30.0}})
    assert breakdown == {"sync (remainder)": 40.0, "stage": 20.0, "validate": 10.0, "resolve": 30.0}
    assert pipeline.run_breakdown(5.0, {"seconds": {"stage": 6.0}})["sync (remainder)"] == 0.0
    assert pipeline.landed_rows({"sync": {"landed_rows": 42}}) == 42
    assert pipeline.landed_rows({}) == 0


def test_targets_pass_and_miss() -> None:
    good = {
        v.target: v.status for v in targets.judge_scenario(scenario(1_200_000, 290.0, 30.0, floor_s=100.0))
    }
    assert set(good.values()) == {"PASS"}
    bad = targets.judge_scenario(scenario(1_200_000, 700.0, 90.0, floor_s=100.0, rss=9000.0, person_s=200.0))
    assert {v.status for v in bad} == {"MISS"}
    assert "person resolution ≤ 3 min" in good and "better F1 than stock Splink, no slower" in good
    assert "(at 100,000 people)" in targets.judge_scenario(scenario(100_000, 10.0, 1.0))[0].target


def test_growth_compares_incremental_time_with_the_city_ratio() -> None:
    small, large = (
        scenario(100_000, 60.0, 10.0, inc_rows=200),
        scenario(1_200_000, 400.0, 30.0, inc_rows=2400),
    )
    verdict = targets.judge_growth(small, large)
    assert verdict.status == "PASS" and "×3.0" in verdict.value and "change ×12.0" in verdict.value
    assert targets.judge_growth(small, scenario(1_200_000, 400.0, 100.0)).status == "MISS"


def test_demo_verdict() -> None:
    demo: dict[str, Any] = {"people": 20_000, "stages": {"simulate": stage(10.0), "run": stage(40.0)}}
    assert targets.judge_demo(demo).status == "PASS"
    demo["stages"]["run"] = stage(70.0)
    assert targets.judge_demo(demo).status == "MISS"


def test_whole_sums_wall_and_keeps_the_largest_peak() -> None:
    stages = {"a": stage(1.0, 100.0), "b": stage(2.5, 300.0), "c": stage(9.0, 900.0)}
    assert targets.whole(stages, ("a", "b", "missing")) == {"wall_s": 3.5, "cpu_s": 2.0, "peak_rss_mb": 300.0}


def test_machine_facts_parse_proc_files() -> None:
    assert results._cpu_model("processor : 0\nmodel name\t: Test CPU 3000\n") == "Test CPU 3000"
    assert results._memory_gb("MemTotal:       25165824 kB\n") == 24.0


def test_results_saved_and_the_newest_per_size_found(tmp_path: Path) -> None:
    for hour, people in ((1, 100_000), (2, 100_000), (3, 1_200_000)):
        results.save({"people": people, "hour": hour}, tmp_path, datetime(2026, 11, 25, hour, tzinfo=UTC))
    (tmp_path / "simulate-1200000.json").write_text("{}", encoding="utf-8")  # another bench's file
    latest = results.latest_by_size(tmp_path)
    assert {p: r["hour"] for p, r in latest.items()} == {100_000: 2, 1_200_000: 3}


def result(people: int) -> dict[str, Any]:
    machine = {"cpu": "Test CPU", "cores": 2, "memory_gb": 24.0, "os": "Linux", "python": "3.11", "duckdb": "1.5.5",
               "load_average": [9.0, 8.0, 7.0]}  # fmt: skip
    verdicts = [v.to_json() for v in targets.judge_scenario(scenario(people, 120.0, 12.0))]
    return {"started": "2026-11-25T04:30:00+00:00", "people": people, "revision": "abc1234", "machine": machine,
            "load_average_end": [10.0, 9.0, 8.0], "scenarios": [scenario(people, 120.0, 12.0)],
            "verdicts": verdicts}  # fmt: skip


def test_summary_renders_stages_targets_and_machine() -> None:
    text = table.summary({100_000: result(100_000)})
    assert text.startswith(table.START) and text.endswith(table.END)
    assert "### 100,000 residents (2026-11-25T04:30 UTC, revision abc1234)" in text
    assert "Test CPU, 2 cores, 24.0 GB" in text and "9.0/8.0/7.0 at the start" in text
    assert "| `grassroots run` (sync + build), full | 120 s | 1.0 s | — | — | 500 MB |" in text
    assert "| whole: run + report + eval + incremental | 132 s | 2.0 s | — | — | 500 MB |" in text
    assert "| run ≤ 5× I/O floor (at 100,000 people) | 1.2× | PASS |" in text
    assert "ours F1 0.9900 (cluster F1 0.9800); stock Splink F1 0.9000" in text


def test_readme_section_goes_under_the_title_then_is_replaced_in_place(tmp_path: Path) -> None:
    readme = tmp_path / "README.md"
    readme.write_text("# Benchmarks\n\nIntro.\n\n## Validation\n\nTheirs.\n", encoding="utf-8")
    table.update_readme(readme, f"{table.START}\nfirst\n{table.END}")
    table.update_readme(readme, f"{table.START}\nsecond\n{table.END}")
    text = readme.read_text(encoding="utf-8")
    assert (
        text == f"# Benchmarks\n\nIntro.\n\n{table.START}\nsecond\n{table.END}\n\n## Validation\n\nTheirs.\n"
    )


def test_run_stage_measures_its_own_child() -> None:
    code = "import sys; b = bytearray(200 * 1024 * 1024); sys.stdout.write('{\"ok\": 1}')"
    figure = measure.run_stage("child", [sys.executable, "-c", code])
    assert figure.exit_code == 0 and pipeline.last_json(figure.stdout) == {"ok": 1}
    assert figure.peak_rss_mb >= 200
    small = measure.run_stage("small", [sys.executable, "-c", "pass"])
    assert small.peak_rss_mb < 150  # not the earlier child's peak, as RUSAGE_CHILDREN would report
    assert measure.run_stage("fails", [sys.executable, "-c", "raise SystemExit(3)"]).exit_code == 3


def test_run_stage_stops_a_child_that_overruns() -> None:
    figure = measure.run_stage("slow", [sys.executable, "-c", "import time; time.sleep(30)"], timeout_s=1)
    assert figure.exit_code == -9
    assert 1 <= figure.wall_s < 10


def test_floor_copies_gb18030_csv_and_xlsx(tmp_path: Path) -> None:
    import openpyxl

    csv = tmp_path / "HJRK_429004_20260105_001.csv"
    csv.write_bytes("姓名,公民身份号码\r\n张𠮷,42900419900101001X\r\n李喆,\r\n".encode("gb18030"))
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for row in (["警情编号", "报警人"], ["J1", "王"], ["J2"]):
        sheet.append(row)
    book.save(tmp_path / "JQ_429004_20260105_001.xlsx")
    out = tmp_path / "out"
    out.mkdir()
    assert floor.copy_csv_files([csv], out)["rows"] == 2
    assert pq.read_table(out / f"{csv.stem}.parquet").column("姓名").to_pylist() == ["张𠮷", "李喆"]
    assert floor.copy_xlsx_files([tmp_path / "JQ_429004_20260105_001.xlsx"], out)["rows"] == 2
    assert pq.read_table(out / "JQ_429004_20260105_001.parquet").to_pydict() == {
        "警情编号": ["J1", "J2"], "报警人": ["王", None]}  # fmt: skip


def test_result_json_round_trips(tmp_path: Path) -> None:
    path = results.save(result(100_000), tmp_path, datetime(2026, 11, 25, 4, 30, tzinfo=UTC))
    assert path.name == "20261125T043000Z-100000.json"
    assert json.loads(path.read_text(encoding="utf-8"))["machine"]["cores"] == 2


def test_peer_reads_staged_persons_the_truth_knows(tmp_path: Path) -> None:
    import duckdb

    from bench import peer

    con = duckdb.connect()
    staged, truth = tmp_path / "stg.parquet", tmp_path / "truth.parquet"
    con.execute(f"""COPY (SELECT * FROM (VALUES ('grid', 'JC_RK', '1', '张三', DATE '1990-01-01', NULL, NULL, NULL,
                          NULL, '1'), ('grid', 'JC_RK', '2', '李四', NULL, NULL, NULL, NULL, NULL, '2'))
                   t(source_system, source_table, record_key, name, birth_date, citizen_id, phone, household_no,
                     address_key, sex)) TO '{staged}' (FORMAT parquet)""")  # fmt: skip
    con.execute(f"""COPY (SELECT * FROM (VALUES ('grid', 'JC_RK', '1', 'person', 'P1'),
                                                ('grid', 'JC_RK', '2', 'place', 'X9')) t(system, "table", record_key,
                   entity_kind, true_entity_id)) TO '{truth}' (FORMAT parquet)""")  # fmt: skip
    con.execute(peer.people_with_truth_sql(f"read_parquet('{staged}')", truth))
    assert con.execute("SELECT record_key, name, true_entity_id FROM stg_person").fetchall() == [
        ("1", "张三", "P1")
    ]


def test_source_urls_for_the_embedded_defaults_and_unknown_dialects() -> None:
    from grassroots.errors import FatalError

    with pipeline.source_urls("sqlite") as urls:
        assert urls == []
    with pytest.raises(FatalError), pipeline.source_urls("oracle"):
        pass


def test_the_stock_peer_runs_once_whatever_the_dialects() -> None:
    from bench.__main__ import parse_args, scenarios

    both = scenarios(parse_args(["--quick", "--dialects", "sqlite,server"]))
    assert [(s.dialect, s.peer) for s in both] == [("sqlite", True), ("server", False)]
    assert not any(s.peer for s in scenarios(parse_args(["--dialects", "sqlite,server", "--skip-peer"])))


def test_the_server_dialect_fails_at_once_when_a_server_is_down(monkeypatch: pytest.MonkeyPatch) -> None:
    from bench import extract
    from grassroots.errors import FatalError

    monkeypatch.setattr(extract, "PG_ADMIN", "postgresql+psycopg://postgres@127.0.0.1:1/postgres")
    with pytest.raises(FatalError, match=r"PostgreSQL is not reachable .*--dialects sqlite"):
        extract.check_servers()
