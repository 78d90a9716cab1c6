"""The declared rules of the organization, place, thing and event resolutions."""

from __future__ import annotations

import schemas
from transforms.resolve.event_types import type_compatible_sql
from transforms.resolve.findings import ConflictCheck
from transforms.resolve.keyed import KeyRule, KindSpec, PairRule
from transforms.resolve.survivorship import FieldRule

# The civil-affairs registry is the authority on social organizations, the grid on where things are now.
_ORG_TRUST = ("civil", "grid", "police")
_GRID_FIRST = ("grid", "civil", "police")
_POLICE_FIRST = ("police", "grid", "civil")

ORGANIZATION = KindSpec(
    kind="organization",
    table=schemas.ORGANIZATION,
    # An 18-character credit code embeds the 9-character organization code (positions 9-17): old records that
    # carry only the organization code link through it.
    derived=(
        "CASE WHEN credit_code_valid THEN credit_code END AS valid_credit_code, "
        "coalesce(org_code, CASE WHEN length(credit_code) = 18 THEN substr(credit_code, 9, 9) END) AS org_code_x"
    ),
    keys=(
        KeyRule("credit_code", "credit_code", 25.0),
        KeyRule("org_code", "org_code_x", 20.0),
        KeyRule("registration_no", "registration_no", 20.0),
    ),
    # Same name, and the same address or representative; a record without any code links on its name alone only
    # when the representatives do not disagree: many organizations share a name (every 华远小区 has its 业主委员会),
    # and at 1.2 M residents linking those on the name made 116 false pairs (organization precision 0.95).
    pairs=(
        PairRule(
            "name_and_address_or_representative",
            "l.name_key = r.name_key",
            "(l.address_key = r.address_key OR l.legal_representative = r.legal_representative "
            "OR (((l.org_code_x IS NULL AND l.registration_no IS NULL) "
            "OR (r.org_code_x IS NULL AND r.registration_no IS NULL)) "
            "AND NOT coalesce(l.legal_representative <> r.legal_representative, FALSE)))",
        ),
    ),
    anchor="valid_credit_code",
    trust=_ORG_TRUST,
    overrides={
        "credit_code": FieldRule("credit_code", "credit_code", _ORG_TRUST, valid="credit_code_valid"),
        "org_code": FieldRule("org_code", "org_code_x", _ORG_TRUST),
        "address": FieldRule("address", "address", _GRID_FIRST),
        "phone": FieldRule("phone", "phone", _GRID_FIRST),
        "grid_code": FieldRule("grid_code", "grid_code", _GRID_FIRST),
    },
    conflicts=(
        ConflictCheck("legal_representative", "legal_representative", "name"),
        ConflictCheck("name", "name_key"),
    ),
)

_PLACE_PARTS = ("township_code", "community", "road", "door_number", "compound", "building", "unit", "room")

PLACE = KindSpec(
    kind="place",
    table=schemas.PLACE,
    # The node of the standardized address hierarchy: houses and buildings from different systems meet here.
    derived=(
        "CASE WHEN coalesce(" + ", ".join(_PLACE_PARTS) + ", grid_code) IS NOT NULL THEN "
        "concat_ws('|', level, " + ", ".join(f"coalesce({p}, '')" for p in _PLACE_PARTS) + ", "
        "CASE WHEN level IN ('grid') THEN grid_code ELSE '' END) END AS place_key"
    ),
    keys=(KeyRule("address_node", "place_key", 20.0),),
    trust=_GRID_FIRST,
    overrides={"community_name": FieldRule("community_name", "community", _GRID_FIRST)},
    conflicts=(ConflictCheck("owner_name", "owner_name", "name"),),
)

THING = KindSpec(
    kind="thing",
    table=schemas.THING,
    keys=(
        KeyRule("plate_no", "CASE WHEN plate_no IS NOT NULL THEN kind || ':' || plate_no END", 25.0),
        KeyRule("device_code", "CASE WHEN device_code IS NOT NULL THEN kind || ':' || device_code END", 25.0),
    ),
    trust=_POLICE_FIRST,
    overrides={"grid_code": FieldRule("grid_code", "grid_code", _GRID_FIRST)},
    conflicts=(ConflictCheck("owner_name", "owner_name", "name"),),
)

# The same dispute reported to the grid and to the police: same place, within two days, and the same parties
# (or, when neither report names parties, the same type), with types that may describe one happening.
_NEAR = "abs(epoch(l.occurred_at) - epoch(r.occurred_at)) <= 172800"
_ALIKE = type_compatible_sql("l.type", "r.type")
_SAME_PARTIES = (
    "(list_has_any(l.party_ids, r.party_ids) OR list_has_any(l.party_names, r.party_names) "
    "OR (coalesce(len(l.party_ids), 0) + coalesce(len(l.party_names), 0) = 0 "
    "AND coalesce(len(r.party_ids), 0) + coalesce(len(r.party_names), 0) = 0 AND l.type = r.type))"
)

EVENT = KindSpec(
    kind="event",
    table=schemas.EVENT,
    pairs=(
        PairRule(
            "same_place_time_parties",
            "l.address_key = r.address_key",
            f"{_NEAR} AND {_ALIKE} AND {_SAME_PARTIES}",
        ),
        PairRule(
            "same_grid_time_parties",
            "l.grid_code = r.grid_code",
            f"{_NEAR} AND {_ALIKE} AND (list_has_any(l.party_ids, r.party_ids) OR list_has_any(l.party_names, r.party_names))",
        ),
    ),
    trust=_GRID_FIRST,
    conflicts=(ConflictCheck("type", "type"),),
    after_golden="UPDATE {table} SET report_count = source_count",
)

KIND_SPECS: dict[str, KindSpec] = {s.kind: s for s in (ORGANIZATION, PLACE, THING, EVENT)}
