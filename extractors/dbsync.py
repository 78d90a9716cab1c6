"""Sync one table of a database source into one load: read changes, compare, land, find deletes, commit."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime

import duckdb
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


@dataclass
class _TableLoad:
    """One load of one table in the making: where its rows go and what it has counted so far."""

    ctx: SyncContext
    src: DatabaseSource
    decl: Table
    engine: sa.Engine
    reader: bulk.BulkReader | None
    sa_table: sa.Table
    columns: list[str]
    load_id: str
    writer: LoadWriter
    delta: Delta
    watermark: str | None
    extracted_at: datetime = field(default_factory=lambda: datetime.now(UTC))

    def __post_init__(self) -> None:
        self.summary = SyncSummary(source=self.src.name, table=self.decl.name)
        self.cursor = self.decl.changes if isinstance(self.decl.changes, Cursor) else None
        # Nothing landed yet (a first load): no key can have been deleted, so no key set is read or kept.
        self.can_delete = self.delta.landed_count() > 0

    def _land(self, rows: pa.Table) -> None:
        self.writer.write(rows)
        self.summary.count_ops(rows["_op"].to_pylist())

    def _chunks(self) -> Iterator[pa.Table]:
        """Changed rows since the watermark (minus the look-back), or the whole table."""
        lower, dialect = None, self.engine.dialect.name
        if self.cursor is not None and self.watermark is not None:
            lower = database.cursor_bound(
                self.sa_table, self.cursor.column, self.watermark, self.cursor.lookback, dialect
            )
        if self.reader is not None and lower is None:
            return self.reader.stream(self.sa_table, self.columns, self.src.chunk_rows)
        column = self.cursor.column if self.cursor else None
        stmt = database.select_rows(self.sa_table, self.columns, column, lower, dialect)
        return database.stream(self.engine, stmt, self.src.chunk_rows)

    def read_changes(self) -> None:
        for number, chunk in enumerate(self._chunks()):
            if self.cursor is not None:
                self.watermark = _max_text(chunk, self.cursor.column, self.watermark)
            keyless = self.delta.keyless(chunk)
            self.summary.quarantined += _quarantine_keyless(self.ctx, self.src.name, self.decl.name, keyless)
            self._land(self.delta.changed(chunk, self.columns, self.load_id, self.extracted_at))
            if self.cursor is None and self.can_delete:
                self.delta.observe(chunk)  # a snapshot's rows are its key set
            self.ctx.chunk_done(self.decl.name, number)

    def find_deletes(self) -> None:
        """Landed keys the source no longer has; a cursor table reads its key set (keys only) for it."""
        if not self.can_delete or (self.cursor is not None and self.cursor.deletes == "none"):
            return
        if self.cursor is not None:
            key = list(self.decl.key)
            keys = (
                self.reader.stream(self.sa_table, key, KEY_CHUNK_ROWS)
                if self.reader is not None
                else database.stream(
                    self.engine, database.select_keys(self.sa_table, self.decl.key), KEY_CHUNK_ROWS
                )
            )
            for chunk in keys:
                self.delta.observe(chunk)
        self._land(self.delta.deletions(self.columns, self.load_id, self.extracted_at))

    def commit(self, schema: list[tuple[str, str]], drift: dict[str, object], duration: float) -> SyncSummary:
        """Write the load's metadata beside its files, then make it visible in one state transaction."""
        path = self.writer.finish(
            {"load_id": self.load_id, "source": self.src.name, "table": self.decl.name, "watermark": self.watermark,
             "schema": schema, "key": list(self.decl.key), "extracted_at": self.extracted_at.isoformat(),
             "duration_s": round(duration, 3), "drift": drift}
        )  # fmt: skip
        s, w = self.summary, self.writer
        commit = Commit(
            load_id=self.load_id, rows=w.rows, deletes=s.deletes, quarantined=s.quarantined, bytes=w.bytes,
            checksum=w.checksum, watermark=self.watermark, duration_s=duration, schema=schema, key=self.decl.key,
            path=path, drift=drift,
        )  # fmt: skip
        self.ctx.state.commit_load(self.src.name, self.decl.name, commit)
        s.load_id, s.watermark, s.drift, s.duration_s = (
            self.load_id,
            self.watermark,
            drift,
            round(duration, 3),
        )
        return s


def sync_table(
    ctx: SyncContext,
    src: DatabaseSource,
    decl: Table,
    engine: sa.Engine,
    reader: bulk.BulkReader | None = None,
    work: duckdb.DuckDBPyConnection | None = None,
) -> SyncSummary:
    """Land the changes of one table as one committed load; whole-table reads go through ``reader`` when given,
    the comparison runs in a session of ``work`` (a DuckDB shared by the source's tables) when given."""
    started = time.monotonic()
    sa_table = database.reflect(engine, decl.name)
    report, schema = _plan(ctx, src, decl, sa_table)
    load_id = ctx.state.begin_load(src.name, decl.name)
    load = _TableLoad(
        ctx, src, decl, engine, reader, sa_table, [c for c, _ in schema], load_id,
        LoadWriter(ctx.load_dir(src.name, decl.name, load_id)),
        Delta(decl.key, ctx.landed_globs(src.name, decl.name), by_line=False, db=work),
        ctx.state.watermark(src.name, decl.name),
    )  # fmt: skip
    try:
        load.read_changes()
        load.find_deletes()
    finally:
        load.delta.close()
    summary = load.commit(schema, report.to_json(), time.monotonic() - started)
    log.info(
        "%s.%s: landed %d rows (%d deleted) as %s",
        src.name,
        decl.name,
        summary.rows,
        summary.deletes,
        load_id,
    )
    return summary
