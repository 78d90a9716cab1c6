"""Which normalizer standardizes which canonical field: the one declarative registry staging reads.

A field is looked up first as ``target.field`` (a name means different things for a person and a company), then
as ``field``; a field with a code table in its Mapping is always a code; anything else is trimmed text.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from transforms import addresses, citizen_id, codes, credit_code, dates, names, phones, plates
from transforms.layered import Layered
from transforms.staging import simple


@dataclass(frozen=True)
class Normalizer:
    """A normalizer builder and the statuses under which its value is usable (any other, but missing, is flagged).

    ``moved``, for a normalizer reading the reference date: SQL true for at least the raw values whose outputs
    differ between two reference dates (None: cannot tell, every value may), so a new day restages few records.
    """

    name: str
    build: Callable[[str, dt.date | None], Layered]
    usable: tuple[str, ...]
    moved: Callable[[str, dt.date, dt.date], str | None] | None = None


def _citizen_id(col: str, as_of: dt.date | None) -> Layered:
    return citizen_id.citizen_id_sql(col, as_of=as_of)


def _date(col: str, as_of: dt.date | None) -> Layered:
    return dates.date_sql(col, as_of=as_of)


_DEAD, _ALIVE = ("死亡", "已故"), ("正常", "迁出", "注销")
_GONE, _HERE = ("迁出", "注销"), ("正常", "死亡")

NORMALIZERS: dict[str, Normalizer] = {
    n.name: n
    for n in (
        Normalizer("citizen_id", _citizen_id, citizen_id.USABLE, citizen_id.as_of_moved_sql),
        Normalizer("person_name", lambda c, _: names.name_sql(c), names.USABLE),
        Normalizer("org_name", lambda c, _: simple.org_name_sql(c), simple.ORG_NAME_USABLE),
        Normalizer("date", _date, dates.USABLE, dates.as_of_moved_sql),
        Normalizer("timestamp", simple.timestamp_sql, simple.TIMESTAMP_USABLE, simple.timestamp_moved_sql),
        Normalizer("phone", lambda c, _: phones.phone_sql(c), phones.USABLE),
        Normalizer("address", lambda c, _: addresses.address_sql(c), addresses.USABLE),
        Normalizer("credit_code", lambda c, _: credit_code.credit_code_sql(c), credit_code.KEPT),
        Normalizer("plate", lambda c, _: plates.plate_sql(c), plates.USABLE),
        Normalizer("flag", lambda c, _: simple.flag_sql(c), simple.FLAG_USABLE),
        Normalizer("count", lambda c, _: simple.count_sql(c), simple.COUNT_USABLE),
        # Person status columns of the police registers (正常 / 死亡 / 迁出 / 注销).
        Normalizer("deceased", lambda c, _: simple.status_flag_sql(c, _DEAD, _ALIVE), simple.FLAG_USABLE),
        Normalizer("moved_out", lambda c, _: simple.status_flag_sql(c, _GONE, _HERE), simple.FLAG_USABLE),
        Normalizer("text", lambda c, _: simple.text_sql(c), simple.TEXT_USABLE),
    )
}

# canonical field (or target.field) -> normalizer name
FIELD_NORMALIZERS: dict[str, str] = {
    # identifiers
    "citizen_id": "citizen_id",
    "owner_citizen_id": "citizen_id",
    "person.cert_number": "citizen_id",  # LDRK: the number of whatever certificate, most often the ID card
    "event_party.party_id": "text",  # a list of IDs in one cell: split later, per ID
    "credit_code": "credit_code",
    "plate_no": "plate",
    # names
    "name": "person_name",
    "former_name": "person_name",
    "owner_name": "person_name",
    "legal_representative": "person_name",
    "organization.name": "org_name",
    "place.name": "text",
    "thing.name": "text",
    "event_party.name": "text",  # several names in one cell: split later
    # dates and times
    "birth_date": "date",
    "registered_date": "date",
    "residence_permit_expiry": "date",
    "occurred_at": "timestamp",
    "reported_at": "timestamp",
    "deadline": "timestamp",
    "closed_at": "timestamp",
    # contacts and places
    "phone": "phone",
    "address": "address",
    "current_address": "address",
    "registered_address": "address",
    # flags and counts
    "is_elderly_alone": "flag",
    "is_disabled": "flag",
    "people_involved": "count",
    "is_deceased": "deceased",
    "is_moved_out": "moved_out",
    "disability_level": "count",
}

# Code tables with a normalizer of their own (keywords, legacy conventions); every other table uses code_sql.
_CODE_BUILDERS: dict[str, Callable[[str], Layered]] = {
    "ethnicity": codes.ethnicity_sql,
    "certificate_type": codes.certificate_type_sql,
    "person_category": codes.person_category_sql,
    "event_status": codes.event_status_sql,
    "event_type": codes.event_type_sql,
}


def normalizer_name(target: str, field: str) -> str:
    """The registry's normalizer for a canonical field of ``target`` (``text`` when none is declared)."""
    return FIELD_NORMALIZERS.get(f"{target}.{field}") or FIELD_NORMALIZERS.get(field) or "text"


def code_normalizer(table: str, legacy_zero_male: bool = False) -> Normalizer:
    """The normalizer of a coded field; ``legacy_zero_male`` for a source found writing sex 0 = male."""
    if table == "sex":
        return Normalizer("code:sex", lambda c, _: codes.sex_sql(c, legacy_zero_male), codes.USABLE)
    builder = _CODE_BUILDERS.get(table)
    if builder is not None:
        return Normalizer(f"code:{table}", lambda c, _: builder(c), codes.USABLE)
    return Normalizer(f"code:{table}", lambda c, _: codes.code_sql(c, table), codes.USABLE)


def field_normalizer(target: str, field: str, code_table: str | None, legacy_zero_male: bool) -> Normalizer:
    """The normalizer staging applies to one mapped field."""
    if code_table is not None:
        return code_normalizer(code_table, legacy_zero_male)
    return NORMALIZERS[normalizer_name(target, field)]
