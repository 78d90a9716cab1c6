"""The person golden record: survivorship rules per field, provenance and findings for resolved people."""

from __future__ import annotations

import duckdb

import schemas
from transforms.resolve.findings import (
    create_findings,
    person_findings_sql,
    person_own_findings_sql,
    shared_id_sql,
    split_findings_sql,
)
from transforms.resolve.lineage import entity_source_sql
from transforms.resolve.person import release_working_tables
from transforms.resolve.state import DB, table_exists, write_entities
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


def person_outputs(con: duckdb.DuckDBPyConnection, run_id: str, incremental: bool = False) -> None:
    """From rp_person + rp_person_ids: ``resolved.person`` and ``resolved.person_members``, and the temp tables
    _src_person, _fp_person and _find_person for the lineage tables.

    ``incremental``: only the entities the run re-clustered (``touched_person``, from resolve_people) are rebuilt,
    in place; every other entity has the same records as last time, so its golden record, members, provenance and
    entity_source rows stay as they are, and _src/_fp_person hold the touched entities' rows only.
    """
    joined = "SELECT p.*, i.entity_id FROM rp_person p JOIN rp_person_ids i USING (record_id)"
    if incremental:
        members, touched = "_members_touched", "touched_person"
        con.execute(f"""
            CREATE OR REPLACE TEMP TABLE {members} AS
            {joined} WHERE i.entity_id IN (SELECT entity_id FROM touched_person)
        """)
    else:
        # Written once, straight into the resolved database (a temporary copy first cost 16 s at 1.2 M).
        members, touched = "_members_person", None
        write_entities(con, "person_members", f"({joined})", "entity_id", None)
        con.execute(f"CREATE OR REPLACE TEMP VIEW {members} AS SELECT * FROM {DB}.person_members")
    # The records are in the members now: the features table (2.4 M wide rows at 1.2 M residents) would only
    # crowd the memory the golden records and the lineage need, and be spilled to disk.
    con.execute("DROP TABLE rp_person")
    present = {r[0] for r in con.execute(f"DESCRIBE {members}").fetchall()}
    rules = rules_for(schemas.PERSON, "person_id", OVERRIDES, present)
    golden(con, "person", schemas.PERSON, members, rules, "_person_out", temporary=True)
    # A view: the 30 M provenance rows of a city are written once, into the resolved database, by _write_lineage.
    con.execute(f"CREATE OR REPLACE TEMP VIEW _fp_person AS {provenance_sql('person', rules, run_id)}")
    con.execute(
        "CREATE OR REPLACE TEMP TABLE _src_person AS "
        + entity_source_sql("person", members, "rp_person_edges", run_id)
    )
    write_entities(con, "person", "_person_out", "person_id", touched)
    if incremental:
        write_entities(con, "person_members", members, "entity_id", touched)
        # Every person's members, now up to date, without joining 2.4 M records again (findings, relations).
        con.execute(f"CREATE OR REPLACE TEMP VIEW _members_person AS SELECT * FROM {DB}.person_members")
    splits = [
        split_findings_sql("person", "_rp_rival_ids", "_rp_cc", "rp_person_ids", run_id, "citizen_id", "id"),
        split_findings_sql(
            "person", "_rp_rival_names", "_rp_by_id", "rp_person_ids", run_id, "name_pinyin", "name"
        ),
    ]
    if incremental and table_exists(con, "finding"):
        # The incremental run saw only the touched people's records and clusters: every other person's own
        # findings (conflicts, splits, invalid IDs, unknown migrants) are the last run's, their records unchanged.
        # An ID on two people involves others, so that check still looks at everyone.
        findings = [
            *person_own_findings_sql(members, run_id),
            shared_id_sql("person", "_members_person", "usable_id", "citizen_id", run_id),
            *splits,
            f"SELECT * REPLACE ('{run_id}' AS run_id, now() AS detected_at) FROM {DB}.finding "
            "WHERE entity_kind = 'person' AND kind <> 'shared_id' "
            "AND entity_id IN (SELECT entity_id FROM rp_person_ids) "
            "AND entity_id NOT IN (SELECT entity_id FROM touched_person)",
        ]
    else:
        findings = [*person_findings_sql("_members_person", run_id), *splits]
    create_findings(con, "_find_person", findings)
    release_working_tables(con)
