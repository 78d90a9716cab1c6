"""Relations between entities: staged from the relation mappings, linked to entity ids once resolution has run.

A staged relation row names the source record it came from (its owner: the person of a JC_RK row, the event of a
SJ_MDJF row); after resolution, ``entity_source`` turns that record into its entity id, a ``references`` field (a
resident's house number) into the id of the entity of the referenced record, and a party's citizen ID into the
person holding it. Rows whose ends cannot be found are counted, not published (the relation needs both ends).
"""

from __future__ import annotations

from transforms.layered import ident
from transforms.staging.plan import TablePlan
from transforms.staging.table_sql import PROVENANCE, literal

LINKED = ("household_member", "person_residence", "event_party")
_SEPARATORS = "[,，、;；/\\s]+"


def relation_select_sql(plan: TablePlan, standardized: str) -> str:
    """One relation plan's rows of stg_<relation>: provenance, owner kind, fields, constants, referenced tables."""
    m = plan.mapping
    cols = [ident(c) for c in PROVENANCE]
    cols.append(f"{literal(plan.owner or '')} AS owner_kind")
    cols += [ident(f) for f in m.fields]
    cols += [ident(f) for f in m.constants]
    cols += [f"{literal(table)} AS {ident(field + '__table')}" for field, table in m.references.items()]
    return f"SELECT {', '.join(cols)} FROM {standardized}"


def _owner_join(alias: str, kind: str) -> str:
    return (
        f"JOIN entity_source {alias} ON {alias}.entity_kind = '{kind}' AND {alias}.source_system = r.source_system "
        f"AND {alias}.source_table = r.source_table AND {alias}.record_key = r.record_key"
    )


def household_member_sql(staged: str) -> str:
    """household_member rows: the household number and the person of each resident record."""
    return f"""
        SELECT r.household_no, o.entity_id AS person_id, r.relation, coalesce(r.relation = '02', FALSE) AS is_head
        FROM {staged} r {_owner_join("o", "person")}
        WHERE r.household_no IS NOT NULL
        QUALIFY row_number() OVER (PARTITION BY r.household_no, o.entity_id ORDER BY r.updated_at DESC NULLS LAST) = 1
    """


def person_residence_sql(staged: str) -> str:
    """person_residence rows: the person of each record and the place entity of the record its place_id refers to."""
    return f"""
        SELECT o.entity_id AS person_id, pl.entity_id AS place_id, r.residence_type,
               CAST(NULL AS DATE) AS from_date, CAST(NULL AS DATE) AS to_date, r.source_system AS source
        FROM {staged} r {_owner_join("o", "person")}
        JOIN entity_source pl ON pl.entity_kind = 'place' AND pl.source_system = r.source_system
             AND pl.source_table = r.place_id__table AND pl.record_key = r.place_id
        QUALIFY row_number() OVER (
            PARTITION BY o.entity_id, pl.entity_id, r.residence_type, r.source_system
            ORDER BY r.updated_at DESC NULLS LAST) = 1
    """


def event_party_sql(staged: str) -> str:
    """event_party rows: each party of an event report (IDs and names listed in parallel) that is a known person."""
    ids = f"string_split_regex(upper(trim(coalesce(r.party_id, ''))), '{_SEPARATORS}')"
    names = f"string_split_regex(trim(coalesce(r.name, '')), '{_SEPARATORS}')"
    return f"""
        WITH parties AS (
            SELECT o.entity_id AS event_id, r.role, r.updated_at, unnest({ids}) AS citizen_id, unnest({names}) AS name
            FROM {staged} r {_owner_join("o", "event")}
        )
        SELECT p.event_id, 'person' AS party_kind, pe.person_id AS party_id, p.role, nullif(p.name, '') AS name
        FROM parties p JOIN person pe ON pe.citizen_id = p.citizen_id
        QUALIFY row_number() OVER (
            PARTITION BY p.event_id, pe.person_id, p.role ORDER BY p.updated_at DESC NULLS LAST) = 1
    """


LINK_SQL = {
    "household_member": household_member_sql,
    "person_residence": person_residence_sql,
    "event_party": event_party_sql,
}
