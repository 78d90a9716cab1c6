"""Sync one table of a database source into one load: read changes, compare, land, find deletes, commit."""

from __future__ import annotations

import logging
import time
from datetime import UTC, datetime

import pyarrow as pa
import pyarrow.compute as pc
import sqlalchemy as sa

from extractors import bulk, database
from extractors.context import SyncContext
from extractors.declare import Cursor, DatabaseSource, Table
from extractors.delta import Delta
from extractors.drift import DriftReport, apply_policy, compare
from extractors.landing import LoadWriter
from extractors.state import Commit
from extractors.summary import SyncSummary
from grassroots import quarantine
from grassroots.errors import FatalError

log = logging.getLogger(__name__)

KEY_CHUNK_ROWS = 200_000


def _check_columns(decl: Table, columns: list[str], where: str) -> None:
    wanted = list(decl.key) + ([decl.changes.column] if isinstance(decl.changes, Cursor) else [])
    missing = [c for c in wanted if c not in columns]
    if missing:
        raise FatalError(
            f"{where} has no column(s) {', '.join(missing)} that its declaration uses as key or cursor; "
            "fix the declaration or the source"
        )


def _max_text(chunk: pa.Table, column: str, current: str | None) -> str | None:
    value = pc.max(chunk[column]).as_py() if chunk.num_rows else None
    if value is None:
        return current
    return value if current is None or value > current else current


def _quarantine_keyless(ctx: SyncContext, source: str, table: str, rows: pa.Table) -> int:
    if rows.num_rows == 0:
        return 0
    records = [
        quarantine.record(
            run_id=ctx.run_id, stage="extract", source=source, table_or_file=table, rule="key_missing",
            reason="row has an empty primary key and cannot be tracked; fix the record in the source",
            value=str(row),
        )
        for row in rows.slice(0, 1000).to_pylist()
    ]  # fmt: skip
    quarantine.write(ctx.home, "extract", records)
    return rows.num_rows


def _plan(
    ctx: SyncContext, src: DatabaseSource, decl: Table, sa_table: sa.Table
) -> tuple[DriftReport, list[tuple[str, str]]]:
    where = f"{src.name}.{decl.name}"
    current = database.schema_of(sa_table)
    report = compare(ctx.state.schema(src.name, decl.name), current)
    report, schema = apply_policy(report, decl.drift, where, current, accept=where in ctx.accept_drift)
    if report:
        log.warning("schema drift in %s: %s (%s)", where, report.describe(), report.action)
    _check_columns(decl, [c for c, _ in schema], where)
    return report, schema


def sync_table(
    ctx: SyncContext,
    src: DatabaseSource,
    decl: Table,
    engine: sa.Engine,
    reader: bulk.BulkReader | None = None,
) -> SyncSummary:
    """Land the changes of one table as one committed load; whole-table reads go through ``reader`` when given."""
    started = time.monotonic()
    summary = SyncSummary(source=src.name, table=decl.name)
    sa_table = database.reflect(engine, decl.name)
    report, schema = _plan(ctx, src, decl, sa_table)
    columns = [c for c, _ in schema]
    load_id = ctx.state.begin_load(src.name, decl.name)
    extracted_at = datetime.now(UTC)
    writer = LoadWriter(ctx.load_dir(src.name, decl.name, load_id))
    delta = Delta(decl.key, ctx.landed_globs(src.name, decl.name), by_line=False)
    watermark = ctx.state.watermark(src.name, decl.name)
    try:
        cursor = decl.changes if isinstance(decl.changes, Cursor) else None
        lower = None
        if cursor is not None and watermark is not None:
            lower = database.cursor_bound(
                sa_table, cursor.column, watermark, cursor.lookback, engine.dialect.name
            )
        stmt = database.select_rows(
            sa_table, columns, cursor.column if cursor else None, lower, engine.dialect.name
        )
        if reader is not None and lower is None:  # a whole-table read
            chunks = reader.stream(sa_table, columns, src.chunk_rows)
        else:
            chunks = database.stream(engine, stmt, src.chunk_rows)
        for number, chunk in enumerate(chunks):
            if cursor is not None:
                watermark = _max_text(chunk, cursor.column, watermark)
            good, keyless = delta.without_key(chunk)
            summary.quarantined += _quarantine_keyless(ctx, src.name, decl.name, keyless)
            landed = delta.changed(good, columns, load_id, extracted_at)
            writer.write(landed)
            summary.count_ops(landed["_op"].to_pylist())
            if cursor is None:
                delta.observe(good)
            ctx.chunk_done(decl.name, number)
        if cursor is None or cursor.deletes == "keys":
            if cursor is not None:
                key_chunks = (
                    reader.stream(sa_table, list(decl.key), KEY_CHUNK_ROWS)
                    if reader is not None
                    else database.stream(engine, database.select_keys(sa_table, decl.key), KEY_CHUNK_ROWS)
                )
                for keys in key_chunks:
                    delta.observe(keys)
            deleted = delta.deletions(columns, load_id, extracted_at)
            writer.write(deleted)
            summary.count_ops(deleted["_op"].to_pylist())
    finally:
        delta.close()
    duration = time.monotonic() - started
    path = writer.finish(
        {"load_id": load_id, "source": src.name, "table": decl.name, "watermark": watermark,
         "schema": schema, "key": list(decl.key), "extracted_at": extracted_at.isoformat(),
         "duration_s": round(duration, 3), "drift": report.to_json()}
    )  # fmt: skip
    ctx.state.commit_load(
        src.name,
        decl.name,
        Commit(
            load_id=load_id, rows=writer.rows, deletes=summary.deletes, quarantined=summary.quarantined,
            bytes=writer.bytes, checksum=writer.checksum, watermark=watermark, duration_s=duration,
            schema=schema, key=decl.key, path=path, drift=report.to_json(),
        ),
    )  # fmt: skip
    summary.load_id, summary.watermark, summary.drift = load_id, watermark, report.to_json()
    summary.duration_s = round(duration, 3)
    log.info(
        "%s.%s: landed %d rows (%d deleted) as %s",
        src.name,
        decl.name,
        summary.rows,
        summary.deletes,
        load_id,
    )
    return summary
