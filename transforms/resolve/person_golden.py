"""The person golden record: survivorship rules per field, provenance and findings for resolved people."""

from __future__ import annotations

from pathlib import Path

import duckdb

import schemas
from transforms.resolve.findings import create_findings, person_findings_sql, split_findings_sql
from transforms.resolve.lineage import entity_source_sql
from transforms.resolve.survivorship import (
    WELFARE_TRUST,
    WHEREABOUTS_TRUST,
    FieldRule,
    golden,
    provenance_sql,
    rules_for,
)

OVERRIDES: dict[str, FieldRule] = {
    "citizen_id": FieldRule("citizen_id", "usable_id"),
    "phone": FieldRule("phone", "phone", WHEREABOUTS_TRUST),
    "current_address": FieldRule("current_address", "address", WHEREABOUTS_TRUST),
    "current_township": FieldRule("current_township", "township_code", WHEREABOUTS_TRUST),
    "current_community": FieldRule("current_community", "community", WHEREABOUTS_TRUST),
    "current_grid": FieldRule("current_grid", "grid_code", WHEREABOUTS_TRUST),
    "occupation": FieldRule("occupation", "occupation", WHEREABOUTS_TRUST),
    "employer": FieldRule("employer", "employer", WHEREABOUTS_TRUST),
    "special_group": FieldRule("special_group", "special_group", WHEREABOUTS_TRUST),
    "is_elderly_alone": FieldRule("is_elderly_alone", "is_elderly_alone", WELFARE_TRUST),
    "is_disabled": FieldRule("is_disabled", "is_disabled", WELFARE_TRUST),
    "disability_level": FieldRule("disability_level", "disability_level", WELFARE_TRUST),
    "is_low_income": FieldRule("is_low_income", "is_low_income", WELFARE_TRUST),
    "welfare_type": FieldRule("welfare_type", "welfare_type", WELFARE_TRUST),
    "birth_date": FieldRule("birth_date", "birth_date", valid="birth_date_precision = 'day'"),
}


def person_outputs(
    con: duckdb.DuckDBPyConnection, run_id: str, previous: Path | None = None, out: str = "person"
) -> None:
    """From rp_person + rp_person_ids: the person table, and _src/_fp/_find person rows for the lineage tables.

    ``previous`` (an incremental run: the last run's snapshot folder) limits survivorship to the entities whose
    records were re-clustered (``_rp_nodes``); every other entity has the same records as last time, so its golden
    record and provenance are taken over unchanged.
    """
    con.execute("""
        CREATE OR REPLACE TEMP TABLE _members_person AS
        SELECT p.*, i.entity_id FROM rp_person p JOIN rp_person_ids i USING (record_id)
    """)
    present = {r[0] for r in con.execute("DESCRIBE _members_person").fetchall()}
    rules = rules_for(schemas.PERSON, "person_id", OVERRIDES, present)
    reuse = previous is not None and all(
        (previous / f"{n}.parquet").exists() for n in ("person", "field_provenance", "finding")
    )
    if not reuse:
        golden(con, "person", schemas.PERSON, "_members_person", rules, out)
        con.execute(f"CREATE OR REPLACE TEMP TABLE _fp_person AS {provenance_sql('person', rules, run_id)}")
    else:
        assert previous is not None
        _golden_of_touched(con, rules, previous, run_id, out)
    con.execute(
        "CREATE OR REPLACE TEMP TABLE _src_person AS "
        + entity_source_sql("person", "_members_person", "rp_person_edges", run_id)
    )
    findings = [
        *person_findings_sql("_members_person", run_id),
        split_findings_sql("person", "_rp_rival_ids", "_rp_cc", "rp_person_ids", run_id, "citizen_id", "id"),
        split_findings_sql(
            "person", "_rp_rival_names", "_rp_by_id", "rp_person_ids", run_id, "name_pinyin", "name"
        ),
    ]
    if reuse:
        assert previous is not None
        # The incremental clustering saw only the touched records: the split findings of the other entities are
        # the last run's (their clusters did not change).
        findings.append(
            f"SELECT * REPLACE ('{run_id}' AS run_id, now() AS detected_at) "
            f"FROM read_parquet('{previous / 'finding.parquet'}') WHERE entity_kind = 'person' "
            "AND kind = 'conflict' AND systems IS NULL AND entity_id IN (SELECT entity_id FROM rp_person_ids) "
            "AND entity_id NOT IN (SELECT entity_id FROM _touched_person)"
        )
    create_findings(con, "_find_person", findings)


def _golden_of_touched(
    con: duckdb.DuckDBPyConnection, rules: list[FieldRule], previous: Path, run_id: str, out: str
) -> None:
    con.execute("""
        CREATE OR REPLACE TEMP TABLE _touched_person AS
        SELECT DISTINCT entity_id FROM rp_person_ids WHERE record_id IN (SELECT node FROM _rp_nodes)
    """)
    con.execute("""
        CREATE OR REPLACE TEMP TABLE _members_touched AS
        SELECT * FROM _members_person WHERE entity_id IN (SELECT entity_id FROM _touched_person)
    """)
    golden(con, "person", schemas.PERSON, "_members_touched", rules, "_person_touched")

    def kept(column: str) -> str:
        return (
            f"{column} IN (SELECT entity_id FROM rp_person_ids) "
            f"AND {column} NOT IN (SELECT entity_id FROM _touched_person)"
        )

    con.execute(
        f'CREATE OR REPLACE TABLE "{out}" AS SELECT * FROM _person_touched UNION ALL BY NAME '
        f"SELECT * FROM read_parquet(?) WHERE {kept('person_id')} ORDER BY person_id",
        [str(previous / "person.parquet")],
    )
    con.execute("DROP TABLE _person_touched")
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE _fp_person AS {provenance_sql('person', rules, run_id)} UNION ALL BY NAME "
        f"SELECT * REPLACE ('{run_id}' AS run_id) FROM read_parquet(?) WHERE entity_kind = 'person' AND {kept('entity_id')}",
        [str(previous / "field_provenance.parquet")],
    )
