"""The tables resolution hands to publishing: names and columns from schemas/, plus the event_report relation."""

from __future__ import annotations

import duckdb

import schemas
from schemas.model import Field, Table

EVENT_REPORT = Table(
    name="event_report",
    kind="relation",
    grain_zh="每个事件的每份来源上报记录一行",
    grain_en="one row per source report merged into an event",
    primary_key=("event_id", "source_system", "source_table", "record_key"),
    description_zh="同一事件在不同系统中的各份上报：合并为一个事件后，每份原始上报仍保留。",
    description_en="The reports of one event in the different systems: merged into one event, every report kept.",
    module="disputes",
    fields=(
        Field("event_id", "VARCHAR", "事实体标识", "event_id of the event", required=True),
        Field(
            "source_system", "VARCHAR", "来源系统", "source system", required=True, code_table="source_system"
        ),
        Field("source_table", "VARCHAR", "来源表或文件", "table or file in the source system", required=True),
        Field("record_key", "VARCHAR", "来源记录主键", "primary key of the report", required=True),
        Field("occurred_at", "TIMESTAMP", "该上报所记发生时间", "when this report says it happened"),
        Field("type", "VARCHAR", "该上报所记类别", "event type this report gives", code_table="event_type"),
        Field("status", "VARCHAR", "该上报所记状态", "status this report gives", code_table="event_status"),
        Field("match_rule", "VARCHAR", "合并规则", "rule that merged it into the event"),
    ),
)


def select_as_sql(table: Table, source: str) -> str:
    """The model's columns of ``table``, in order and cast, from a source query with those names."""
    cols = ", ".join(f'CAST("{f.name}" AS {f.type}) AS "{f.name}"' for f in table.fields)
    return f"SELECT {cols} FROM ({source})"


def create_empty(con: duckdb.DuckDBPyConnection, table: Table) -> None:
    con.execute(f'DROP TABLE IF EXISTS "{table.name}"')
    con.execute(schemas.create_table_sql(table, primary_key=False))


def write_union(con: duckdb.DuckDBPyConnection, table: Table, parts: list[str]) -> None:
    """Create ``table`` as the union of the temp tables ``parts`` (an empty table when there is none)."""
    if not parts:
        create_empty(con, table)
        return
    union = " UNION ALL BY NAME ".join(f"SELECT * FROM {p}" for p in parts)
    con.execute(f'CREATE OR REPLACE TABLE "{table.name}" AS {select_as_sql(table, union)}')


def event_report_sql() -> str:
    return """
        SELECT m.entity_id AS event_id, m.source_system, m.source_table, m.record_key, m.occurred_at, m.type,
               m.status, s.match_rule
        FROM _members_event m JOIN _src_event s ON s.source_system = m.source_system
             AND s.source_table = m.source_table AND s.record_key = m.record_key
    """
