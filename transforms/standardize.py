"""Apply a set of normalizers to a DuckDB table or relation: standardized columns plus one status column each.

    rel = standardize(con, "landing.jc_rk", {"id_number": citizen_id_sql("GMSFHM", as_of=date(2026, 1, 1)),
                                            "name": name_sql("XM")})

returns the source columns plus ``id_number``, ``id_number_status``, ``id_number_birth_date`` ... ``name``,
``name_status`` ... (see each module's FIELDS and STATUSES).
"""

from __future__ import annotations

import itertools
import logging
import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from functools import cache
from typing import Any

import duckdb

from transforms import chinese
from transforms.layered import Layered, ident, internal_name, resolve

log = logging.getLogger(__name__)
_views = itertools.count()


def standardize_sql(
    source: str, normalizers: Mapping[str, Layered], checks: Mapping[str, str] | None = None
) -> str:
    """One SELECT over ``source`` (a table name or a parenthesized query) adding every normalizer's columns.

    ``checks`` are further expressions (e.g. ``citizen_id_crosscheck_sql``) over the standardized columns.
    """
    query = f"SELECT * FROM {source}"
    depth = max((len(n.layers) for n in normalizers.values()), default=0)
    for level in range(depth):
        exprs = [
            f"{resolve(expr, n, out)} AS {ident(internal_name(out, name))}"
            for out, n in normalizers.items()
            if level < len(n.layers)
            for name, expr in n.layers[level].items()
        ]
        query = f"SELECT *, {', '.join(exprs)} FROM ({query}) AS layer{level}"
    internals = [
        internal_name(out, name) for out, n in normalizers.items() for layer in n.layers for name in layer
    ]
    renamed = [
        f"{ident(internal_name(out, name))} AS {ident(column)}"
        for out, n in normalizers.items()
        for name, _, column in n.columns(out)
    ]
    if internals:
        excluded = ", ".join(ident(name) for name in internals)
        query = f"SELECT * EXCLUDE ({excluded}), {', '.join(renamed)} FROM ({query}) AS standardized"
    if checks:
        extra = ", ".join(f"{expr} AS {ident(name)}" for name, expr in checks.items())
        query = f"SELECT *, {extra} FROM ({query}) AS checked"
    return query


def status_counts_sql(source: str, outputs: Iterable[str]) -> str:
    """Rows per (normalizer, status) of a standardized table: what the quality report and the run log show."""
    parts = [
        f"SELECT '{out}' AS normalizer, {ident(out + '_status')} AS status, count(*) AS n FROM {source} GROUP BY ALL"
        for out in outputs
    ]
    return f"SELECT * FROM ({' UNION ALL '.join(parts)}) ORDER BY normalizer, n DESC, status"


def prepare(con: duckdb.DuckDBPyConnection, normalizers: Iterable[Layered]) -> None:
    """Register the Python functions (OpenCC, pypinyin) the normalizers need on this connection."""
    needed = frozenset().union(*(n.udfs for n in normalizers))
    chinese.register(con, needed)


def standardize(
    con: duckdb.DuckDBPyConnection,
    source: str | duckdb.DuckDBPyRelation,
    normalizers: Mapping[str, Layered],
    checks: Mapping[str, str] | None = None,
) -> duckdb.DuckDBPyRelation:
    """The standardized relation (lazy: nothing runs until it is materialized or fetched)."""
    prepare(con, normalizers.values())
    if isinstance(source, duckdb.DuckDBPyRelation):
        view = f"__standardize_source_{next(_views)}"
        source.create_view(view)
        source = ident(view)
    log.debug("standardizing %s with %s", source, ", ".join(normalizers))
    return con.sql(standardize_sql(source, normalizers, checks))


def explain(builder: Callable[..., Layered], value: Any, **options: Any) -> dict[str, Any]:
    """Run one normalizer on one value and return its outputs by name: for tests and for explaining a status."""
    return explain_many(builder, [value], **options)[0]


@cache
def _scratch() -> duckdb.DuckDBPyConnection:
    # One in-memory connection for explain(): opening one per call costs more than the query.
    return duckdb.connect()


_scratch_lock = threading.Lock()


def explain_many(
    builder: Callable[..., Layered], values: Sequence[Any], **options: Any
) -> list[dict[str, Any]]:
    """Run one normalizer on a list of values (in one query) and return one dict of outputs per value, in order."""
    layered = builder("raw", **options)
    source = "(SELECT unnest($1::VARCHAR[]) AS raw, unnest(range(len($1::VARCHAR[]))) AS pos)"
    selected = ", ".join(f"{ident(col)} AS {ident(fld)}" for _, fld, col in layered.columns("out"))
    query = f"SELECT {selected} FROM ({standardize_sql(source, {'out': layered})}) ORDER BY pos"
    text = [None if v is None else str(v) for v in values]
    with _scratch_lock:
        con = _scratch()
        prepare(con, [layered])
        cur = con.execute(query, [text])
        names = [d[0] for d in cur.description or ()]
        return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]
