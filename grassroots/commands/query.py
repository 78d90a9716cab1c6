"""grassroots query: ask the topic library in SQL, as an analyst (masked, the default) or an engineer (full values).

Examples:
  grassroots query "SELECT * FROM marts.grid_population ORDER BY living DESC LIMIT 10"
  grassroots query "SELECT count(*) FROM person" --as-of 3
  grassroots query "SELECT * FROM person_history WHERE person_id = 'P1'" --as-of 2026-11-20T10:00 --format csv
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pyarrow as pa

    from grassroots.config import Settings


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    parser.add_argument("sql", help="the SQL query; '-' reads it from standard input")
    parser.add_argument("--format", choices=("table", "csv", "json"), default="table", help="output format")
    parser.add_argument(
        "--as-of",
        default=None,
        metavar="SNAPSHOT|TIME",
        help="query an earlier snapshot: its id (e.g. 3) or a time (2026-11-20T10:00 UTC, or with +08:00)",
    )
    parser.add_argument(
        "--role",
        choices=("analyst", "engineer"),
        default="analyst",
        help="analyst: masked values and pseudonyms (default); engineer: full values, needs the privacy key",
    )
    parser.add_argument("--max-rows", type=int, default=200, help="rows shown in table format (default 200)")


def _json_value(value: Any) -> Any:
    return value if isinstance(value, str | int | float | bool | type(None) | list | dict) else str(value)


def render(table: pa.Table, fmt: str, max_rows: int = 200) -> str:
    """The result as text in the chosen format."""
    if fmt == "json":
        records = [{k: _json_value(v) for k, v in row.items()} for row in table.to_pylist()]
        return json.dumps(records, ensure_ascii=False, default=str, indent=1) + "\n"
    if fmt == "csv":
        import pyarrow as pa
        import pyarrow.csv as pacsv

        sink = pa.BufferOutputStream()
        pacsv.write_csv(table, sink)
        return bytes(sink.getvalue()).decode("utf-8")
    if table.num_columns == 0:
        return "(done)\n"
    frame = table.slice(0, max_rows).to_pandas().astype(object)
    frame = frame.where(frame.notna(), "NULL")
    text = frame.to_string(index=False) if table.num_rows else "(no rows)"
    more = (
        f"\n... {table.num_rows - max_rows} more rows (use --format csv for all)"
        if table.num_rows > max_rows
        else ""
    )
    return f"{text}{more}\n({table.num_rows} rows)\n"


def run(args: argparse.Namespace, settings: Settings) -> int:
    from warehouse.access import parse_as_of, query

    sql = sys.stdin.read() if args.sql == "-" else args.sql
    result = query(settings, sql, role=args.role, as_of=parse_as_of(args.as_of))
    sys.stdout.write(render(result, args.format, args.max_rows))
    return 0
