"""Sync whole sources: one lock per source, orphans of a dead sync cleaned, each table or file its own load.

A failing table stops its source (its later tables would see an inconsistent picture) but never the other sources.
"""

from __future__ import annotations

import fcntl
import logging
import os
import uuid
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import duckdb
import sqlalchemy as sa

from extractors import bulk, dbsync, filesync
from extractors.context import ChunkHook, SyncContext
from extractors.database import connect, safe_url
from extractors.declare import DatabaseSource, Source
from extractors.landing import clean_orphans
from extractors.registry import resolve
from extractors.state import StateDB, state_path
from extractors.summary import SyncSummary
from grassroots import duck
from grassroots.config import Settings
from grassroots.errors import GrassrootsError, TransientError
from grassroots.privacy import mask_text

log = logging.getLogger(__name__)


@contextmanager
def source_lock(home: Path, source: str) -> Iterator[None]:
    """An exclusive lock on one source; the OS releases it if the process dies, so a killed sync never blocks."""
    path = home / "state" / f"sync-{source}.lock"
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_CREAT | os.O_RDWR, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            raise TransientError(f"another sync of {source} is running; retry when it has finished") from exc
        yield
    finally:
        os.close(fd)


def _recover(ctx: SyncContext, source: str) -> None:
    abandoned = ctx.state.abandon_running(source)
    if abandoned:
        log.warning("%s: %d load(s) of an interrupted sync abandoned", source, len(abandoned))
    clean_orphans(ctx.home, source, ctx.state.committed_ids(source))
    for leftover in (ctx.home / "state" / "tmp" / source).glob("*.csv"):  # decoded copies of a dead file sync
        leftover.unlink(missing_ok=True)


def _bulk_reader(url: str) -> bulk.BulkReader:
    try:
        return bulk.BulkReader(url)
    except duckdb.Error as exc:  # the message may quote the connection string: name the error type only
        raise TransientError(
            f"DuckDB cannot attach {safe_url(url)} ({type(exc).__name__}); retry, "
            "or declare bulk_reader='sqlalchemy' for this source"
        ) from exc


def _sync_database(
    ctx: SyncContext, source: DatabaseSource, settings: Settings, out: list[SyncSummary]
) -> None:
    url = source.url(settings)
    engine = connect(url)
    reader = None
    work = duck.connect(settings=settings)  # the tables' comparisons, one after the other
    try:
        if source.bulk_reader == "duckdb" and bulk.supports(url):
            reader = _bulk_reader(url)
        for table in source.tables:
            try:
                out.append(dbsync.sync_table(ctx, source, table, engine, reader, work))
            except (sa.exc.DBAPIError, duckdb.IOException) as exc:
                cause = type(getattr(exc, "orig", None) or exc).__name__
                raise TransientError(f"reading {source.name}.{table.name} failed ({cause}); retry") from exc
    finally:
        if reader is not None:
            reader.close()
        work.close()
        engine.dispose()


def sync_source(ctx: SyncContext, source: Source, settings: Settings, out: list[SyncSummary]) -> None:
    """Sync every table or file kind of one source into ``out``; raises on the first failure (what landed before
    it stays committed)."""
    with source_lock(ctx.home, source.name):
        _recover(ctx, source.name)
        if isinstance(source, DatabaseSource):
            _sync_database(ctx, source, settings, out)
        else:
            out.extend(filesync.sync_folder(ctx, source, source.folder(settings)))


def _failed(source: str, exc: Exception) -> SyncSummary:
    if isinstance(exc, TransientError):
        kind, hint = "transient", "retry later"
    elif isinstance(exc, GrassrootsError):
        kind, hint = "fatal", "fix, then re-run"
    else:
        kind, hint = "fatal", "unexpected error, see the log"
    message = mask_text(f"{exc} ({hint})")
    log.error("sync of %s failed: %s", source, message)
    return SyncSummary(source=source, table="*", status="failed", message=message, error=kind)


def _sync_one(
    settings: Settings, source: Source, run_id: str, accept_drift: frozenset[str], on_chunk: ChunkHook | None
) -> list[SyncSummary]:
    """One source with its own state connection (a SQLite connection stays in its thread)."""
    state = StateDB(state_path(settings.home))
    out: list[SyncSummary] = []
    try:
        sync_source(SyncContext(settings.home, state, run_id, accept_drift, on_chunk), source, settings, out)
    except Exception as exc:  # one source failing must not stop the others
        if not isinstance(exc, GrassrootsError):
            log.exception("unexpected failure syncing %s", source.name)
        out.append(_failed(source.name, exc))
    finally:
        state.close()
    return out


def sync(
    settings: Settings,
    sources: Sequence[str] | None = None,
    *,
    accept_drift: Sequence[str] = (),
    on_chunk: ChunkHook | None = None,
) -> list[SyncSummary]:
    """Sync the named sources (all declared ones by default); a failed source yields a ``failed`` line and the
    others still sync.

    Sources are independent (each its own lock, loads and state rows), so they sync side by side, one per core:
    a drop folder's parsing is Python while a database's comparison runs in DuckDB without holding the GIL.
    Summaries come back in declaration order.
    """
    selected = resolve(list(sources) if sources else None)
    StateDB(
        state_path(settings.home)
    ).close()  # create the state database before the sources open it together
    run_id, accepted = uuid.uuid4().hex[:12], frozenset(accept_drift)
    workers = max(1, min(len(selected), os.cpu_count() or 1))
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="sync") as pool:
        results = list(pool.map(lambda src: _sync_one(settings, src, run_id, accepted, on_chunk), selected))
    return [summary for result in results for summary in result]
