"""The staged table of each entity kind: standardized plan rows projected onto resolution's input contract.

Per kind, each contract column is an expression over the standardized columns (transforms/resolve/inputs.py says
what each holds); every other field of the canonical entity table that a source maps is carried too (typed), so
survivorship can build golden records from it. A column no source of a table gives is a typed NULL.
"""

from __future__ import annotations

from collections.abc import Callable, Collection

import schemas
from schemas import codes
from transforms import credit_code
from transforms.layered import ident
from transforms.resolve.inputs import CONTRACTS
from transforms.staging.statuses import citizen_id_status_sql, citizen_id_value_sql
from transforms.staging.table_sql import PROVENANCE

ID_CARD = "111"  # certificate_type code of the resident identity card
_ID_SHAPE = "[0-9]{17}[0-9X]"
_LIST_SEPARATORS = "[,，、;；/\\s]+"


class Cols:
    """The columns of one standardized plan: ``c("x")`` is the quoted column, or NULL when the plan lacks it."""

    def __init__(self, present: Collection[str]) -> None:
        self.present = frozenset(present)

    def __call__(self, name: str) -> str:
        return ident(name) if name in self.present else "NULL"

    def has(self, name: str) -> bool:
        return name in self.present


def _digits(x: str) -> str:
    return f"nullif(regexp_extract(CAST({x} AS VARCHAR), '([0-9]+)', 1), '')"


def _first(*exprs: str) -> str:
    kept = [e for e in exprs if e != "NULL"]
    return "NULL" if not kept else kept[0] if len(kept) == 1 else f"coalesce({', '.join(kept)})"


def _split_sql(raw: str) -> str:
    parts = (
        f"list_filter(string_split_regex(trim(CAST({raw} AS VARCHAR)), '{_LIST_SEPARATORS}'), x -> x <> '')"
    )
    return f"CASE WHEN {raw} IS NOT NULL THEN {parts} END"


def _person(c: Cols) -> dict[str, str]:
    if c.has("citizen_id"):
        cid = citizen_id_value_sql(c("citizen_id"), c("citizen_id_status"), c("citizen_id_cleaned"))
        status = citizen_id_status_sql(c("citizen_id_status"))
    elif c.has("cert_number"):
        # A migrant's certificate is most often the ID card: then its number is the citizen ID.
        is_id = f"coalesce({c('cert_type')}, '{ID_CARD}') = '{ID_CARD}'"
        value = citizen_id_value_sql(c("cert_number"), c("cert_number_status"), c("cert_number_cleaned"))
        cid = f"CASE WHEN {is_id} THEN {value} END"
        status = f"CASE WHEN {is_id} THEN {citizen_id_status_sql(c('cert_number_status'))} ELSE 'missing' END"
    else:
        cid, status = "NULL", "'missing'"
    other_cert = f"coalesce({c('cert_type')}, '{ID_CARD}') <> '{ID_CARD}'"
    welfare = c("welfare_type")
    return {
        "citizen_id": cid,
        "citizen_id_status": status,
        "cert_type": f"CASE WHEN {other_cert} THEN {c('cert_type')} END",
        "cert_number": f"CASE WHEN {other_cert} THEN {c('raw_cert_number')} END",
        "name": c("name"),
        # The contract separates syllables; the standardizer's key runs them together. Surname and given name
        # are separated here, which is what resolution reads (the surname's pinyin blocks candidate pairs).
        "name_pinyin": (
            f"nullif(concat_ws(' ', grassroots_pinyin({c('name_surname')}), grassroots_pinyin({c('name_given_name')})), '')"
            if c.has("name_surname")
            else "NULL"
        ),
        "surname": c("name_surname"),
        "given_name": c("name_given_name"),
        "sex": f"CASE WHEN {c('sex')} IN ('1', '2') THEN {c('sex')} END",
        "birth_date": c("birth_date"),
        "birth_date_precision": c("birth_date_precision"),
        "phone": c("phone"),
        "phones": c("phone_numbers"),
        "household_no": c("household_no"),
        "household_relation": c("household_relation"),
        "township_code": _first(c("current_township"), c("current_address_township_code")),
        "community": _first(c("current_community"), c("current_address_community")),
        "address_key": c("current_address_key"),
        "address": c("current_address"),
        "grid_code": c("current_grid"),
        "category": c("category"),
        "ethnicity": c("ethnicity"),
        "registered_township": c("registered_address_township_code"),
        "is_disabled": _first(
            c("is_disabled"),
            f"CASE WHEN {c('disability_type')} IS NOT NULL OR {c('disability_level')} IS NOT NULL THEN TRUE END",
        ),
        "is_low_income": f"CASE WHEN {welfare} IS NOT NULL THEN {welfare} = 'minimum_living' END",
    }


def _organization(c: Cols) -> dict[str, str]:
    usable = ", ".join(f"'{s}'" for s in credit_code.USABLE)
    org_code = f"nullif(upper(regexp_replace({c('org_code')}, '[^0-9A-Za-z]', '', 'g')), '')"
    return {
        "credit_code": c("credit_code"),
        "credit_code_valid": (
            f"CASE WHEN {c('credit_code')} IS NOT NULL THEN {c('credit_code_status')} IN ({usable}) END"
            if c.has("credit_code")
            else "NULL"
        ),
        "org_code": _first(org_code if c.has("org_code") else "NULL", c("credit_code_org_code")),
        "registration_no": _first(
            _digits(c("registration_no")) if c.has("registration_no") else "NULL",
            c("credit_code_registration_number"),
        ),
        "name": c("name"),
        "name_key": c("name_key"),
        "legal_representative": c("legal_representative"),
        "address_key": c("address_key"),
        "address": c("address"),
        "township_code": c("address_township_code"),
    }


def _place(c: Cols) -> dict[str, str]:
    return {
        "level": c("level"),
        "township_code": _first(c("township_code"), c("address_township_code")),
        "community": _first(c("community_name"), c("address_community")),
        "grid_code": c("grid_code"),
        "road": _first(c("road"), c("address_road")),
        "door_number": _digits(_first(c("door_number"), c("address_house_number"))),
        "compound": c("address_compound"),
        "building": _digits(_first(c("building"), c("address_building"))),
        "unit": _digits(_first(c("unit"), c("address_unit"))),
        "room": _digits(_first(c("room"), c("address_room"))),
        "address": c("address"),
        # Not resolution's input: relations link an address (a household-registration address) to a place by it.
        "address_key": c("address_key"),
    }


def kind_of_type_sql(table: str, type_col: str) -> str:
    """The broad kind of a standardized type code, from the ``kind`` column of its code table (NULL if unknown)."""
    whens = " ".join(f"WHEN '{r['code']}' THEN '{r['kind']}'" for r in codes.load(table) if r.get("kind"))
    return f"(CASE {type_col} {whens} END)"


def _thing(c: Cols) -> dict[str, str]:
    return {
        "kind": _first(c("kind"), kind_of_type_sql("thing_type", c("type")) if c.has("type") else "NULL"),
        "plate_no": c("plate_no"),
        "device_code": c("device_code"),
        "name": c("name"),
        "address_key": c("address_key"),
        "is_new_energy": f"{c('plate_no_kind')} = 'new_energy'" if c.has("plate_no_kind") else "NULL",
    }


def _event(c: Cols) -> dict[str, str]:
    ids = _split_sql(f"upper({c('event_party__party_id')})")
    return {
        "occurred_at": c("occurred_at"),
        "type": c("type"),
        # Every source's type is standardized to one event_type code; its table says dispute, request, incident...
        "kind": _first(c("kind"), kind_of_type_sql("event_type", c("type")) if c.has("type") else "NULL"),
        "title": c("title"),
        "address_key": c("address_key"),
        "grid_code": c("grid_code"),
        "township_code": c("address_township_code"),
        "party_ids": f"list_filter({ids}, x -> regexp_full_match(x, '{_ID_SHAPE}'))"
        if c.has("event_party__party_id")
        else "NULL",
        "party_names": _split_sql(c("event_party__name")) if c.has("event_party__name") else "NULL",
        "status": c("status"),
    }


PROJECTIONS: dict[str, Callable[[Cols], dict[str, str]]] = {
    "person": _person,
    "organization": _organization,
    "place": _place,
    "thing": _thing,
    "event": _event,
}


# Staged columns that are neither in the contract nor in the canonical table, read when linking relations.
_LINK_TYPES = {"address_key": "VARCHAR"}


def _types(kind: str) -> dict[str, str]:
    """Column -> type of the staged table: the contract's, then the canonical entity table's, then link columns."""
    out = dict(_LINK_TYPES)
    out.update({f.name: f.type for f in schemas.get(kind).fields})
    out.update({col.name: col.type for col in CONTRACTS[kind].columns})
    return out


def kind_select_sql(kind: str, source: str, present: Collection[str]) -> str:
    """One standardized plan (``source``, with columns ``present``) as rows of ``stg_<kind>``."""
    c = Cols(present)
    exprs = PROJECTIONS[kind](c)
    types = _types(kind)
    skip = {schemas.get(kind).primary_key[0], "first_seen", "last_updated", "source_count"}
    # Every other canonical field a source maps rides along for the golden record.
    for f in schemas.get(kind).fields:
        if f.name not in exprs and f.name not in skip and c.has(f.name):
            exprs[f.name] = c(f.name)
    cols = [ident(p) for p in PROVENANCE]
    cols += [f"TRY_CAST({e} AS {types[name]}) AS {ident(name)}" for name, e in exprs.items()]
    raws = sorted(p for p in c.present if p.startswith("raw_"))
    cols += [ident(r) for r in raws]
    return f"SELECT {', '.join(cols)} FROM {source}"


def union_sql(selects: list[str]) -> str:
    """The staged table of one kind from the selects of its plans (columns matched by name)."""
    return " UNION ALL BY NAME ".join(f"({s})" for s in selects)
