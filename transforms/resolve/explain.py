"""Why an entity is what it is: its source records, the edges that joined them, the survivorship per field.

Reads the resolved database of the last published build (transforms.resolve.state); every personal value is masked
as its model field says.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import duckdb

import schemas
from grassroots import duck
from grassroots.errors import FatalError
from grassroots.privacy import mask_id, mask_name, mask_phone
from transforms.resolve.state import DB, ResolveState, table_exists

_RECORD_COLUMNS = {
    "person": ("name", "citizen_id", "citizen_id_status", "birth_date", "sex", "phone", "household_no"),
    "organization": ("name", "credit_code", "org_code", "legal_representative", "address"),
    "place": ("level", "address", "grid_code"),
    "thing": ("kind", "plate_no", "device_code", "name"),
    "event": ("occurred_at", "type", "title", "address_key"),
}
_MASKS = {
    "citizen_id": "id",
    "credit_code": "none",
    "name": "name",
    "phone": "phone",
    "legal_representative": "name",
}


@dataclass(frozen=True)
class Explanation:
    kind: str
    entity_id: str
    golden: dict[str, Any]
    records: list[dict[str, Any]]
    edges: list[dict[str, Any]]
    survivorship: list[dict[str, Any]]


def mask_value(kind: str, column: str, value: Any) -> Any:
    """Mask a value the way its field is declared (entity table) or, for staged columns, by its meaning."""
    if value is None:
        return None
    table = schemas.get(kind)
    mask = _MASKS.get(column, "none")
    if column in {f.name for f in table.fields}:
        mask = table.field(column).mask
        if kind == "person" and column == "name":
            mask = "name"
    if kind != "person" and column == "name":
        mask = "none"
    if mask == "id":
        return mask_id(str(value))
    if mask == "phone":
        return mask_phone(str(value))
    if mask == "name":
        return mask_name(str(value))
    if mask == "address":
        return str(value)[:12] + "…" if len(str(value)) > 12 else value
    return value


def _rows(con: duckdb.DuckDBPyConnection, sql: str, params: list[Any]) -> list[dict[str, Any]]:
    cur = con.execute(sql, params)
    names = [d[0] for d in cur.description]
    return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]


def explain(state: ResolveState, kind: str, entity_id: str) -> Explanation:
    """Gather and mask what the last published resolution decided about one entity."""
    con = duck.connect()
    try:
        if not state.open_base(con) or not table_exists(con, kind):
            raise FatalError(f"no resolved {kind} data under {state.root}; run 'grassroots build' first")
        return _explain(con, kind, entity_id)
    finally:
        con.close()


def _explain(con: duckdb.DuckDBPyConnection, kind: str, entity_id: str) -> Explanation:
    id_field = schemas.get(kind).primary_key[0]
    golden = _rows(
        con,
        "SELECT * REPLACE (CAST(first_seen AS VARCHAR) AS first_seen, CAST(last_updated AS VARCHAR) AS last_updated) "
        f'FROM {DB}."{kind}" WHERE {id_field} = ?',
        [entity_id],
    )
    if not golden:
        raise FatalError(
            f"no {kind} with id {entity_id!r} in the last run; check the id (entity_id_history maps old ids)"
        )
    cols = ", ".join(("record_id", "source_system", "source_table", "record_key", *_RECORD_COLUMNS[kind]))
    members = _rows(
        con, f"SELECT {cols} FROM {DB}.{kind}_members WHERE entity_id = ? ORDER BY record_id", [entity_id]
    )
    ids = [m["record_id"] for m in members]
    edges = _rows(
        con,
        f"SELECT * FROM {DB}.{kind}_edges WHERE list_contains(?, a) AND list_contains(?, b) ORDER BY weight DESC",
        [ids, ids],
    )
    prov = _rows(
        con,
        "SELECT field, source_system, source_table, record_key, rule, candidates FROM "
        f"{DB}.field_provenance WHERE entity_kind = ? AND entity_id = ? ORDER BY field",
        [kind, entity_id],
    )
    g = {k: mask_value(kind, k, v) for k, v in golden[0].items() if v is not None}
    for p in prov:
        p["value"] = g.get(p["field"])
    records = [{k: mask_value(kind, k, v) for k, v in m.items()} for m in members]
    return Explanation(kind, entity_id, g, records, edges, prov)


def render(e: Explanation) -> str:
    lines = [f"{e.kind} {e.entity_id}", "", "golden record:"]
    lines += [f"  {k}: {v}" for k, v in e.golden.items()]
    lines += ["", f"source records ({len(e.records)}):"]
    lines += ["  " + "  ".join(f"{k}={v}" for k, v in r.items() if k != "record_id") for r in e.records]
    lines += ["", "links that joined them (rule, match weight):"]
    lines += [f"  {x['a']} — {x['b']}: {x['rule']} {float(x['weight']):.2f}" for x in e.edges] or [
        "  (one record)"
    ]
    lines += ["", "survivorship (field <- source record, rule, distinct candidates):"]
    lines += [
        f"  {p['field']} = {p['value']} <- {p['source_system']}/{p['source_table']}/{p['record_key']} "
        f"({p['rule']}, {p['candidates']})"
        for p in e.survivorship
    ]
    return "\n".join(lines) + "\n"
