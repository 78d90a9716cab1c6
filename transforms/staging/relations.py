"""Relations between entities: staged from the relation mappings, linked to entity ids once resolution has run.

A staged relation row names the source record it came from (its owner: the person of a JC_RK row, the event of a
SJ_MDJF row); after resolution, ``entity_source`` turns that record into its entity id, a ``references`` field (a
resident's house number) into the id of the entity of the referenced record, an ``address`` field (a
household-registration address) into the place whose standardized address key it shares, and a party's citizen ID
into the person holding it. Rows whose ends cannot be found are counted, not published (the relation needs both ends).
"""

from __future__ import annotations

from transforms import addresses
from transforms.layered import ident
from transforms.staging.plan import TablePlan
from transforms.staging.table_sql import PROVENANCE, field_columns, literal

LINKED = ("household_member", "person_residence", "event_party")
_SEPARATORS = "[,，、;；/\\s]+"

# Fields a relation's mapping may give only to find the other end: standardized and linked, never stored.
LINK_FIELDS: dict[str, tuple[str, ...]] = {"person_residence": ("address",)}

# Columns a link reads that only some mappings of the relation give; the others stage them as NULL.
LINK_INPUTS: dict[str, tuple[str, ...]] = {
    "person_residence": ("place_id", "place_id__table", "address_key", "address_status"),
}


def relation_select_sql(plan: TablePlan, standardized: str) -> str:
    """One relation plan's rows of stg_<relation>: provenance, owner kind, standardized fields (with status and
    parts), constants, referenced tables, and a NULL for each link input this mapping does not give."""
    m = plan.mapping
    given = {c: ident(c) for c in field_columns(plan, None) if not c.startswith("raw_")}
    given |= {f: ident(f) for f in m.constants}
    given |= {f"{field}__table": literal(table) for field, table in m.references.items()}
    for name in LINK_INPUTS.get(m.target, ()):
        given.setdefault(name, "CAST(NULL AS VARCHAR)")
    cols = [ident(c) for c in PROVENANCE]
    cols.append(f"{literal(plan.owner or '')} AS owner_kind")
    cols += [f"{expr} AS {ident(name)}" for name, expr in given.items()]
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


def _address_places_sql() -> str:
    """Standardized address key -> place entity: the one place with that key; else, when the places sharing the
    key (a village group's houses, whose key names no house) all lie in one grid, that grid's place."""
    places = (
        "FROM stg_place s JOIN entity_source e ON e.entity_kind = 'place' AND e.source_system = s.source_system "
        "AND e.source_table = s.source_table AND e.record_key = s.record_key"
    )
    return f"""
        WITH keyed AS (
            SELECT s.address_key, count(DISTINCT e.entity_id) AS places, any_value(e.entity_id) AS place_id,
                   count(DISTINCT s.grid_code) = 1 AND count(s.grid_code) = count(*) AS one_grid,
                   any_value(s.grid_code) AS grid_code
            {places} WHERE s.address_key IS NOT NULL GROUP BY s.address_key
        ), grids AS (
            SELECT s.grid_code, any_value(e.entity_id) AS place_id
            {places} WHERE s.level = 'grid' AND s.grid_code IS NOT NULL
            GROUP BY s.grid_code HAVING count(DISTINCT e.entity_id) = 1
        )
        SELECT k.address_key, CASE WHEN k.places = 1 THEN k.place_id ELSE g.place_id END AS place_id
        FROM keyed k LEFT JOIN grids g ON k.places > 1 AND k.one_grid AND g.grid_code = k.grid_code
        WHERE k.places = 1 OR g.place_id IS NOT NULL
    """


def person_residence_sql(staged: str) -> str:
    """person_residence rows: the person of each record and its place, either the place entity of the record its
    ``place_id`` refers to (a resident's house) or the place its address names (a household-registration address,
    matched on the standardized address key that staged places carry: a house, or the grid of a village group)."""
    usable = ", ".join(literal(s) for s in addresses.USABLE)
    return f"""
        WITH owned AS (
            SELECT r.*, o.entity_id AS person_id FROM {staged} r {_owner_join("o", "person")}
        ), placed AS (
            SELECT r.person_id, pl.entity_id AS place_entity, r.residence_type, r.source_system, r.updated_at
            FROM owned r JOIN entity_source pl ON pl.entity_kind = 'place' AND pl.source_system = r.source_system
                 AND pl.source_table = r.place_id__table AND pl.record_key = r.place_id
            UNION ALL
            SELECT r.person_id, a.place_id, r.residence_type, r.source_system, r.updated_at
            FROM owned r JOIN ({_address_places_sql()}) a ON a.address_key = r.address_key
            WHERE r.place_id__table IS NULL AND r.address_status IN ({usable})
        )
        SELECT person_id, place_entity AS place_id, residence_type,
               CAST(NULL AS DATE) AS from_date, CAST(NULL AS DATE) AS to_date, source_system AS source
        FROM placed
        QUALIFY row_number() OVER (
            PARTITION BY person_id, place_entity, residence_type, source_system
            ORDER BY updated_at DESC NULLS LAST) = 1
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
