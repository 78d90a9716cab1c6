import duckdb

from grassroots import quarantine


def test_quarantine_rows_are_masked_and_readable(home):
    rows = [
        quarantine.record(
            run_id="r1",
            stage="extract",
            source="police",
            table_or_file="HJRK_429004_20261125_001.csv",
            line=12,
            rule="unparseable_row",
            reason="row has 9 fields, header has 15: 429004198503051239",
            value="429004198503051239,张三,13972800000",
        )
    ]
    assert quarantine.write(home, "extract", rows) is not None
    assert quarantine.write(home, "extract", []) is None
    got = duckdb.sql(
        f"select stage, line, reason, value_masked from read_parquet('{quarantine.glob(home)}', hive_partitioning=true)"
    ).fetchall()
    assert len(got) == 1
    stage, line, reason, value = got[0]
    assert (stage, line) == ("extract", 12)
    assert "429004198503051239" not in reason + value
    assert "13972800000" not in value
