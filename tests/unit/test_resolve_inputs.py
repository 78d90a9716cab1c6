"""The staged-input contract: checked before resolution starts, with errors that name what to fix."""

from __future__ import annotations

import duckdb
import pytest

from grassroots.errors import FatalError
from transforms.resolve.calibrate import calibrate
from transforms.resolve.inputs import CONTRACTS, PERSON_CONTRACT, check_staged, conformed_sql, staged_columns


def test_missing_required_columns_and_wrong_types_are_named() -> None:
    con = duckdb.connect()
    con.execute(
        "CREATE TABLE stg (source_system VARCHAR, source_table VARCHAR, record_key VARCHAR, birth_date VARCHAR)"
    )
    with pytest.raises(FatalError) as err:
        check_staged(con, "person", "stg")
    text = str(err.value)
    assert (
        "missing required column citizen_id" in text and "column birth_date is VARCHAR, expected DATE" in text
    )


def test_unknown_kind_and_absent_table_are_fatal() -> None:
    con = duckdb.connect()
    with pytest.raises(FatalError, match="no staged-input contract"):
        check_staged(con, "vehicle", "stg")
    with pytest.raises(FatalError, match="does not exist"):
        check_staged(con, "person", "nowhere")


def test_conformed_select_fills_absent_optional_columns_and_keeps_extras() -> None:
    con = duckdb.connect()
    required = [c for c in PERSON_CONTRACT.columns if c.required]
    con.execute(
        "CREATE TABLE stg ("
        + ", ".join(f"{c.name} {c.type}" for c in required)
        + ", religion VARCHAR, raw_name VARCHAR)"
    )
    con.execute(
        "INSERT INTO stg (source_system, source_table, record_key, name) VALUES ('grid', 'JC_RK', '7', '张伟')"
    )
    check_staged(con, "person", "stg")
    rel = con.sql(conformed_sql(PERSON_CONTRACT, staged_columns(con, "stg"), "stg"))
    assert "phones" in rel.columns and "religion" in rel.columns
    assert "raw_name" not in rel.columns  # the source text before standardization plays no part
    assert rel.fetchone()[0] == "grid/JC_RK/7"  # type: ignore[index]


def test_every_kind_has_a_contract_with_the_record_identity() -> None:
    for contract in CONTRACTS.values():
        assert {"source_system", "source_table", "record_key"} <= set(contract.names)


def test_threshold_maximizes_expected_f1() -> None:
    con = duckdb.connect()
    probs = [0.999] * 50 + [0.95] * 10 + [0.6] * 4 + [0.2] * 30 + [0.01] * 100
    con.execute("CREATE TABLE p AS SELECT unnest(?) AS match_probability", [probs])
    cal = calibrate(con, "p")
    # Accepting 0.6 pairs adds 2.4 expected TP for 1.6 FP: worth it; the 0.2 pairs are not.
    assert cal.threshold == pytest.approx(0.6)
    assert 0.9 < cal.expected_precision <= 1.0 and cal.candidate_pairs == len(probs)
