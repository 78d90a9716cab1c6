"""The input contract of entity resolution: one staged table per entity kind, one row per source record.

The staging step writes these tables into the DuckDB connection it hands to ``resolve_all``; ``check_staged`` verifies
a table against its contract before anything runs, and says which columns are missing or of the wrong type.
Values are already standardized (transforms/): resolution compares, it does not clean.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import duckdb

from grassroots.errors import FatalError

EntityKind = Literal["person", "organization", "place", "thing", "event"]
KINDS: tuple[EntityKind, ...] = ("person", "organization", "place", "thing", "event")

# citizen_id_status values for which the 18 characters are a checked, real citizen ID.
USABLE_ID_STATUSES: tuple[str, ...] = ("valid", "upgraded")
# Staging keeps each standardized field's source text as raw_<field>; resolution does not read it.
RAW_PREFIX = "raw_"


@dataclass(frozen=True)
class Column:
    """One column of a staged table: its DuckDB type family, whether it must be present, what it holds."""

    name: str
    type: str
    required: bool
    description: str


@dataclass(frozen=True)
class StagedContract:
    """The columns resolution reads for one entity kind; any further column is carried along untouched."""

    kind: EntityKind
    columns: tuple[Column, ...]

    def column(self, name: str) -> Column:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(f"the {self.kind} contract has no column {name!r}")

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)


_RECORD = (
    Column("source_system", "VARCHAR", True, "grid | civil | police (schemas/codes/source_system.csv)"),
    Column(
        "source_table",
        "VARCHAR",
        True,
        "table, or export kind for files (HJRK, not the file name), as truth/source_map.parquet has it",
    ),
    Column(
        "record_key",
        "VARCHAR",
        True,
        "primary key of the record in its source table (as the truth map has it)",
    ),
    Column("load_id", "VARCHAR", False, "extraction load that brought the record"),
    Column("updated_at", "TIMESTAMP", False, "when the source system last changed the record (recency rule)"),
)

PERSON_CONTRACT = StagedContract(
    "person",
    (
        *_RECORD,
        Column(
            "citizen_id",
            "VARCHAR",
            True,
            "18 upper-case characters when the value has the shape of an ID, else NULL",
        ),
        Column(
            "citizen_id_status",
            "VARCHAR",
            True,
            "valid | upgraded (15-digit, upgraded and checked) | bad_check | bad_date | damaged | missing",
        ),
        Column(
            "cert_type", "VARCHAR", False, "certificate type code when the record carries another certificate"
        ),
        Column("cert_number", "VARCHAR", False, "number of that other certificate (passport ...)"),
        Column("name", "VARCHAR", True, "name, normalized (simplified, no separators or annotations)"),
        Column(
            "name_pinyin", "VARCHAR", True, "toneless lower-case pinyin, syllables separated by one space"
        ),
        Column("surname", "VARCHAR", False, "surname (compound surnames kept whole)"),
        Column("given_name", "VARCHAR", False, "given name"),
        Column("sex", "VARCHAR", False, "'1' male, '2' female, NULL unknown"),
        Column("birth_date", "DATE", False, "date of birth"),
        Column(
            "birth_date_precision", "VARCHAR", False, "day | month | year: how much of birth_date is known"
        ),
        Column("phone", "VARCHAR", False, "first normalized phone number"),
        Column("phones", "VARCHAR[]", False, "every normalized phone number of the record"),
        Column("household_no", "VARCHAR", False, "household register number"),
        Column("household_relation", "VARCHAR", False, "relation to the head of household (code)"),
        Column("township_code", "VARCHAR", False, "9-digit township of the current address"),
        Column("community", "VARCHAR", False, "community or village of the current address"),
        Column("address_key", "VARCHAR", False, "standardized address hierarchy key of the current address"),
        Column("address", "VARCHAR", False, "current address, standardized text"),
        Column("grid_code", "VARCHAR", False, "grid of the current address"),
        Column("category", "VARCHAR", False, "01 registered | 02 migrant | 03 foreigner"),
        Column("ethnicity", "VARCHAR", False, "GB/T 3304 code"),
        Column("is_deceased", "BOOLEAN", False, "the source says the person has died"),
    ),
)

ORGANIZATION_CONTRACT = StagedContract(
    "organization",
    (
        *_RECORD,
        Column("credit_code", "VARCHAR", False, "unified social credit code, normalized (18 characters)"),
        Column("credit_code_valid", "BOOLEAN", False, "the credit code passes its GB 32100 check"),
        Column("org_code", "VARCHAR", False, "9-character organization code, without hyphen"),
        Column("registration_no", "VARCHAR", False, "15-digit business registration number"),
        Column("name", "VARCHAR", True, "name as standardized text"),
        Column("name_key", "VARCHAR", True, "name with city prefix, brackets and legal-form variants folded"),
        Column("legal_representative", "VARCHAR", False, "name of the legal representative, normalized"),
        Column("address_key", "VARCHAR", False, "standardized address hierarchy key"),
        Column("address", "VARCHAR", False, "address text"),
    ),
)

PLACE_CONTRACT = StagedContract(
    "place",
    (
        *_RECORD,
        Column(
            "level",
            "VARCHAR",
            True,
            "township | community | grid | building | house (schemas/codes/place_level)",
        ),
        Column("township_code", "VARCHAR", False, "9-digit township code"),
        Column("community", "VARCHAR", False, "community or village name, standardized"),
        Column("grid_code", "VARCHAR", False, "grid code"),
        Column("road", "VARCHAR", False, "road, street or lane"),
        Column("door_number", "VARCHAR", False, "door-plate number, digits only"),
        Column("compound", "VARCHAR", False, "residential compound"),
        Column("building", "VARCHAR", False, "building number, digits only"),
        Column("unit", "VARCHAR", False, "stairwell unit, digits only"),
        Column("room", "VARCHAR", False, "room number, digits only"),
        Column("address", "VARCHAR", False, "standard address text"),
    ),
)

THING_CONTRACT = StagedContract(
    "thing",
    (
        *_RECORD,
        Column("kind", "VARCHAR", True, "vehicle | device | hazard"),
        Column("plate_no", "VARCHAR", False, "normalized plate (GA 36), vehicles"),
        Column("device_code", "VARCHAR", False, "device or facility number"),
        Column("name", "VARCHAR", False, "name or description"),
        Column("address_key", "VARCHAR", False, "where it is, standardized address key"),
    ),
)

EVENT_CONTRACT = StagedContract(
    "event",
    (
        *_RECORD,
        Column("occurred_at", "TIMESTAMP", True, "when it happened (Beijing time)"),
        Column("type", "VARCHAR", False, "event type code"),
        Column("title", "VARCHAR", False, "title"),
        Column("address_key", "VARCHAR", False, "standardized address key of where it happened"),
        Column("grid_code", "VARCHAR", False, "grid it happened in"),
        Column("township_code", "VARCHAR", False, "township it happened in"),
        Column("party_ids", "VARCHAR[]", False, "usable citizen IDs or credit codes of the parties"),
        Column("party_names", "VARCHAR[]", False, "normalized names of the parties"),
        Column("status", "VARCHAR", False, "event status code as this report gives it"),
    ),
)

CONTRACTS: dict[str, StagedContract] = {
    c.kind: c
    for c in (PERSON_CONTRACT, ORGANIZATION_CONTRACT, PLACE_CONTRACT, THING_CONTRACT, EVENT_CONTRACT)
}

# Type families: a staged column may be any of these DuckDB types for the declared one.
_COMPATIBLE: dict[str, tuple[str, ...]] = {
    "VARCHAR": ("VARCHAR",),
    "DATE": ("DATE",),
    "TIMESTAMP": ("TIMESTAMP", "TIMESTAMP WITH TIME ZONE", "TIMESTAMP_NS", "TIMESTAMP_MS", "TIMESTAMP_S"),
    "BOOLEAN": ("BOOLEAN",),
    "VARCHAR[]": ("VARCHAR[]",),
}


def staged_columns(con: duckdb.DuckDBPyConnection, table: str) -> dict[str, str]:
    """Column name -> DuckDB type of a table or view in the connection."""
    rows = con.execute(
        "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = ? ORDER BY ordinal_position",
        [table],
    ).fetchall()
    return {name: dtype for name, dtype in rows}


def contract_problems(contract: StagedContract, present: dict[str, str]) -> list[str]:
    """What is wrong with a staged table's columns, one line each (empty when it honours the contract)."""
    problems = []
    for col in contract.columns:
        dtype = present.get(col.name)
        if dtype is None:
            if col.required:
                problems.append(f"missing required column {col.name} ({col.type}): {col.description}")
        elif dtype not in _COMPATIBLE[col.type]:
            problems.append(f"column {col.name} is {dtype}, expected {col.type}")
    return problems


def check_staged(con: duckdb.DuckDBPyConnection, kind: str, table: str) -> None:
    """Raise a FatalError naming every contract violation of ``table`` as the staged input for ``kind``."""
    contract = CONTRACTS.get(kind)
    if contract is None:
        raise FatalError(f"no staged-input contract for entity kind {kind!r}; kinds: {', '.join(CONTRACTS)}")
    present = staged_columns(con, table)
    if not present:
        raise FatalError(
            f"staged table {table!r} for {kind} does not exist in the connection; run staging first"
        )
    problems = contract_problems(contract, present)
    if problems:
        listed = "\n  ".join(problems)
        raise FatalError(
            f"staged table {table!r} does not honour the {kind} input contract (transforms/resolve/inputs.py):\n"
            f"  {listed}"
        )


def conformed_sql(contract: StagedContract, present: dict[str, str], table: str) -> str:
    """SELECT every contract column of ``table`` (absent optional ones as typed NULLs) plus its other columns.

    ``record_id`` joins system, table and key into one record identity used throughout resolution. The ``raw_``
    columns (a source's text before standardization, kept in staging for quarantine and engineers) play no part
    in resolution and are left out: at 1.2 M residents they are a third of a person record's columns, carried
    through every table resolution writes.
    """
    cols = []
    for col in contract.columns:
        if col.name in present:
            cols.append(f'CAST("{col.name}" AS {col.type}) AS "{col.name}"')
        else:
            cols.append(f'CAST(NULL AS {col.type}) AS "{col.name}"')
    extra = [
        f'"{name}"'
        for name in present
        if name not in contract.names and name != "record_id" and not name.startswith(RAW_PREFIX)
    ]
    record_id = "source_system || '/' || source_table || '/' || record_key AS record_id"
    return f'SELECT {record_id}, {", ".join(cols + extra)} FROM "{table}"'
