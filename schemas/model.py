"""The vocabulary of the canonical model: a Field, a Table, and how both turn into DuckDB DDL and Arrow schemas.

Every table of the topic library is declared once with these types (schemas.entities, schemas.relations, ...);
warehouse, transforms, expectations and the analysts' data dictionary all read those declarations.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import pyarrow as pa

Privacy = Literal["public", "personal", "sensitive"]
Mask = Literal["id", "phone", "name", "address", "none"]
Kind = Literal["entity", "relation", "lineage", "quality"]

# DuckDB type -> Arrow type. TIMESTAMPTZ is stored in UTC (pipeline clocks); TIMESTAMP is local Beijing time as the
# source systems recorded it (when something happened in the city).
ARROW_TYPES: dict[str, pa.DataType] = {
    "VARCHAR": pa.string(),
    "DATE": pa.date32(),
    "TIMESTAMP": pa.timestamp("us"),
    "TIMESTAMPTZ": pa.timestamp("us", tz="UTC"),
    "BOOLEAN": pa.bool_(),
    "INTEGER": pa.int32(),
    "BIGINT": pa.int64(),
    "DOUBLE": pa.float64(),
    "VARCHAR[]": pa.list_(pa.string()),
}

# The "9+X" modules of GB/T 31000-2015 (社会治安综合治理 基础数据规范): key -> (中文, English).
MODULES: dict[str, tuple[str, str]] = {
    "governance": ("综治组织及综治业务", "governance organizations and their work"),
    "population": ("实有人口", "actual population"),
    "special_groups": ("特殊人群", "special groups"),
    "key_youth": ("重点青少年", "key youth"),
    "organizations": ("非公有制经济组织和社会组织", "non-public enterprises and social organizations"),
    "public_security": ("社会治安", "public security"),
    "disputes": ("矛盾纠纷排查化解", "dispute screening and resolution"),
    "schools": ("校园及周边安全", "schools and their surroundings"),
    "roads": ("护路护线", "protection of roads and lines"),
    "x": ("地方扩展（X）", "local extension (X)"),
}


@dataclass(frozen=True)
class Field:
    """One column: its DuckDB type, meaning in both languages, code table and privacy class."""

    name: str
    type: str
    description_zh: str
    description_en: str
    required: bool = False
    code_table: str | None = None
    privacy: Privacy = "public"
    mask: Mask = "none"
    # False: a new value here alone is no change of the row (publishing keeps the stored row and its value), e.g.
    # the id of the run that last wrote a lineage row when a later run wrote the same row again.
    tracked: bool = True


@dataclass(frozen=True)
class Table:
    """One table of the topic library, with its grain (what one row is) and its GB/T 31000 module."""

    name: str
    kind: Kind
    grain_zh: str
    grain_en: str
    primary_key: tuple[str, ...]
    description_zh: str
    description_en: str
    module: str
    fields: tuple[Field, ...]
    # A log: each run adds its own rows (its run_id) and never replaces an earlier run's.
    log: bool = False

    def field(self, name: str) -> Field:
        for f in self.fields:
            if f.name == name:
                return f
        raise KeyError(f"table {self.name!r} has no field {name!r}; fields: {', '.join(columns(self))}")


def columns(table: Table) -> list[str]:
    """Column names in declaration order."""
    return [f.name for f in table.fields]


def arrow_schema(table: Table) -> pa.Schema:
    """The Arrow schema of a table; required fields are not nullable."""
    return pa.schema([pa.field(f.name, ARROW_TYPES[f.type], nullable=not f.required) for f in table.fields])


def _quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def create_table_sql(table: Table, name: str | None = None, *, primary_key: bool = True) -> str:
    """DuckDB ``CREATE TABLE`` for a table, optionally under another (possibly qualified) name.

    ``primary_key=False`` leaves the key out, for catalogs that enforce no constraints but NOT NULL (DuckLake).
    """
    target = name if name is not None else _quote(table.name)
    lines = [f"    {_quote(f.name)} {f.type}{' NOT NULL' if f.required else ''}" for f in table.fields]
    if primary_key and table.primary_key:
        lines.append(f"    PRIMARY KEY ({', '.join(_quote(c) for c in table.primary_key)})")
    return f"CREATE TABLE {target} (\n" + ",\n".join(lines) + "\n)"


def audit_fields() -> tuple[Field, ...]:
    """The three fields every resolved entity ends with: when it was first seen, last changed, from how many records."""
    return (
        Field(
            "first_seen",
            "TIMESTAMPTZ",
            "首次出现时间（UTC）",
            "when a source first mentioned this entity (UTC)",
        ),
        Field(
            "last_updated",
            "TIMESTAMPTZ",
            "最近更新时间（UTC）",
            "when any field of this entity last changed (UTC)",
        ),
        Field("source_count", "INTEGER", "来源记录数", "number of source records resolved into this entity"),
    )


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def comment_sql(table: Table, name: str | None = None) -> list[str]:
    """``COMMENT ON`` statements that put the grain and every description into the DuckDB catalog.

    Analysts then see them in ``duckdb_tables()`` / ``duckdb_columns()`` and in any SQL client that shows comments.
    """
    target = name if name is not None else _quote(table.name)
    grain = f"{table.grain_en} / {table.grain_zh}. {table.description_en}"
    statements = [f"COMMENT ON TABLE {target} IS {_literal(grain)}"]
    for f in table.fields:
        text = f"{f.description_en} / {f.description_zh}"
        statements.append(f"COMMENT ON COLUMN {target}.{_quote(f.name)} IS {_literal(text)}")
    return statements
