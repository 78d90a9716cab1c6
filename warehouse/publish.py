"""Publish the topic library: every table of a build into both lakes, one DuckLake snapshot per lake, all or nothing.

Inputs are staged in memory first (full values, then the analyst projection). Each lake gets its own transaction on
its own cursor; both are prepared completely (tables as diffs, entity history, marts) and committed only when both
succeeded, so a failure at any step leaves the last published snapshots untouched. Readers keep seeing the previous
snapshot until the commit. One publisher at a time per home (a file lock).
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import logging
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb

import schemas
from grassroots.config import Settings
from grassroots.errors import FatalError, TransientError
from grassroots.privacy import mask_text
from schemas.model import Table
from warehouse import extensions
from warehouse.catalog import last_snapshot
from warehouse.inputs import DatabaseTable, TableInput, source_database, stage, staged_name
from warehouse.lake import attach_analyst_sql, attach_restricted_sql, layout, privacy_key
from warehouse.projection import analyst_name, last_run, project_analyst
from warehouse.write import LakeWrite, TablePlan, plan_lake, write_lake

log = logging.getLogger(__name__)

EXTENSIONS = ("ducklake", "sqlite_scanner", "postgres_scanner", "httpfs")
ANALYST, RESTRICTED = "lake", "restricted"


@dataclass(frozen=True)
class PublishResult:
    """What one publish produced: the snapshot of each lake, rows per table, and changes per keyed table."""

    run_id: str
    analyst_snapshot: int
    restricted_snapshot: int
    rows: dict[str, int]
    changes: dict[str, dict[str, int]] = field(default_factory=dict)
    marts: tuple[str, ...] = ()


def declaration(name: str, declarations: Mapping[str, Table] | None) -> Table:
    """The declared table ``name``: from ``declarations`` when given, else from schemas/."""
    if declarations is not None and name in declarations:
        return declarations[name]
    try:
        return schemas.get(name)
    except KeyError as exc:
        raise FatalError(
            f"publish: {exc.args[0]}. Every published table needs a declaration with privacy classes in schemas/."
        ) from None


@contextmanager
def publish_lock(path: Path) -> Iterator[None]:
    """Hold the home's publish lock; a second publisher waits instead of racing for snapshot ids."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@contextmanager
def _errors_masked(run_id: str) -> Iterator[None]:
    """DuckDB errors can quote a value (a failed cast, say): re-raise them masked, without the original chain."""
    try:
        yield
    except duckdb.IOException as exc:
        raise TransientError(
            f"publish of run {run_id} hit an I/O error, retry: {_masked_line(exc)}"
        ) from None
    except duckdb.Error as exc:
        raise FatalError(
            f"publish of run {run_id} failed, nothing was published: {type(exc).__name__}: {_masked_line(exc)}"
        ) from None


def _masked_line(exc: BaseException) -> str:
    return mask_text(str(exc).splitlines()[0][:300] if str(exc) else "")


def _stage_all(
    con: duckdb.DuckDBPyConnection,
    decls: Mapping[str, Table],
    tables: Mapping[str, TableInput],
    scopes: Mapping[str, str],
) -> dict[str, int]:
    rows = {}
    for name, value in tables.items():
        started = time.perf_counter()
        rows[name] = stage(con, decls[name], value, scopes.get(name))
        log.debug("%s: %d rows staged in %.2fs", name, rows[name], time.perf_counter() - started)
    return rows


def _plan_both(
    con: duckdb.DuckDBPyConnection,
    decls: Mapping[str, Table],
    key: bytes,
    run_id: str,
    scopes: Mapping[str, str],
) -> list[tuple[LakeWrite, dict[str, TablePlan]]]:
    """Diffs for the restricted lake (within ``scopes``), the analyst projection (reusing them when it can), diffs
    for the rest."""
    restricted = LakeWrite(RESTRICTED, staged_name, decls, full_values=True)
    analyst = LakeWrite(ANALYST, analyst_name, decls, full_values=False)
    in_step = last_run(con, RESTRICTED) == last_run(con, ANALYST)
    params = {"run_id": run_id}
    restricted_plans = plan_lake(con, restricted, scopes=scopes, params=params)
    reused = project_analyst(con, decls, key, restricted_plans, ANALYST, in_step)
    return [(restricted, restricted_plans), (analyst, plan_lake(con, analyst, reused, params=params))]


def _effective_scopes(
    con: duckdb.DuckDBPyConnection,
    run_id: str,
    tables: Mapping[str, TableInput],
    scopes: Mapping[str, str],
    base_run: str | None,
) -> dict[str, str]:
    """The scopes, bound to their databases, when the restricted lake is at the run the build started from
    (``base_run``); otherwise none, and every row is checked and compared."""
    if not scopes:
        return {}
    if base_run is None or last_run(con, RESTRICTED) != base_run:
        log.info(
            "publish %s: the warehouse is not at %s, the build's base; comparing every row", run_id, base_run
        )
        return {}
    return _bound_scopes(con, tables, scopes)


def _bound_scopes(
    con: duckdb.DuckDBPyConnection, tables: Mapping[str, TableInput], scopes: Mapping[str, str]
) -> dict[str, str]:
    """Each scope with ``{db}`` replaced by the alias its table's database is attached under."""
    bound = {}
    for name, scope in scopes.items():
        value = tables.get(name)
        db = source_database(con, value) if isinstance(value, DatabaseTable) else "memory"
        bound[name] = scope.replace("{db}", db)
    return bound


def _attach(con: duckdb.DuckDBPyConnection, settings: Settings, key: bytes) -> None:
    lay = layout(settings)
    lay.analyst_data.mkdir(parents=True, exist_ok=True)
    lay.restricted_data.mkdir(parents=True, exist_ok=True)
    lay.restricted_dir.chmod(0o700)
    try:
        con.execute(attach_restricted_sql(settings, RESTRICTED, key, read_only=False))
        con.execute(attach_analyst_sql(settings, ANALYST, read_only=False))
    except duckdb.Error as exc:
        # The statement carries a derived key: report the kind of failure, never the SQL.
        raise FatalError(
            f"publish: cannot open the warehouse catalogs under {lay.root} ({type(exc).__name__}: "
            f"{str(exc).split(chr(10))[0][:200]}). A wrong GRASSROOTS_PRIVACY_KEY cannot open the restricted lake."
        ) from None


def _commit_message_sql(alias: str, run_id: str) -> tuple[str, list[str]]:
    extra = json.dumps({"run_id": run_id})
    return (
        f"CALL {alias}.set_commit_message('grassroots', ?, extra_info => ?)",
        [f"publish {run_id}", extra],
    )


def _write_both(
    con: duckdb.DuckDBPyConnection,
    writes: list[tuple[LakeWrite, dict[str, TablePlan]]],
    run_id: str,
    published_at: datetime,
) -> tuple[dict[str, dict[str, int]], tuple[str, ...]]:
    """Prepare every lake in its own open transaction, then commit them all; on any failure roll all back."""
    cursors = {w.alias: con.cursor() for w, _ in writes}
    changes: dict[str, dict[str, int]] = {}
    marts: tuple[str, ...] = ()
    try:
        for w, plans in writes:
            cur = cursors[w.alias]
            params = {
                "published_at": published_at,
                "run_id": run_id,
                "snapshot_id": last_snapshot(cur, w.alias) + 1,
            }
            cur.execute("BEGIN TRANSACTION")
            cur.execute(*_commit_message_sql(w.alias, run_id))
            changes, marts = write_lake(cur, w, plans, params)
        for w, _ in writes:  # all prepared: only now do readers see the new snapshots
            started = time.perf_counter()
            cursors[w.alias].execute("COMMIT")
            log.debug("%s lake committed in %.2fs", w.alias, time.perf_counter() - started)
    except BaseException:
        for cur in cursors.values():
            with contextlib.suppress(duckdb.Error):  # no open transaction there (or already committed)
                cur.execute("ROLLBACK")
        raise
    return changes, marts


def publish(
    settings: Settings,
    tables: Mapping[str, TableInput],
    run_id: str,
    *,
    declarations: Mapping[str, Table] | None = None,
    scopes: Mapping[str, str] | None = None,
    base_run: str | None = None,
) -> PublishResult:
    """Publish ``tables`` (canonical name -> database table, DuckDB relation, SQL, Arrow table, DataFrame or Parquet
    path).

    Tables not given keep their last published version. ``scopes`` (per table, a condition over its columns where
    ``{db}`` names the database a DatabaseTable input comes from) say which rows may differ from what run
    ``base_run`` published; when the warehouse is at that run, only those rows are compared. Raises and leaves
    both lakes untouched on any failure.
    """
    if not tables:
        raise FatalError("publish: no tables given; pass the canonical tables the build produced")
    key = privacy_key(settings, "publishing the warehouse")
    decls = {name: declaration(name, declarations) for name in tables}
    with publish_lock(layout(settings).publish_lock), _errors_masked(run_id):
        con = extensions.connect(*EXTENSIONS, settings=settings)
        try:
            _attach(con, settings, key)
            bound = _effective_scopes(con, run_id, tables, scopes or {}, base_run)
            rows = _stage_all(con, decls, tables, bound)
            # Diffs and projections land in memory, before either lake's transaction opens.
            writes = _plan_both(con, decls, key, run_id, bound)
            changes, marts = _write_both(con, writes, run_id, datetime.now(UTC))
            result = PublishResult(
                run_id=run_id,
                analyst_snapshot=last_snapshot(con, ANALYST),
                restricted_snapshot=last_snapshot(con, RESTRICTED),
                rows=rows,
                changes=changes,
                marts=marts,
            )
        finally:
            con.close()
    log.info(
        "published run %s: %d tables, analyst snapshot %d, restricted snapshot %d",
        run_id,
        len(rows),
        result.analyst_snapshot,
        result.restricted_snapshot,
    )
    return result
