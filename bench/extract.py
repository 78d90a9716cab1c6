"""Benchmark of extraction: land a simulated city from MariaDB (grid) and PostgreSQL (civil, and the grid copied
there), full and incremental, against DuckDB's scanners copying the same tables to Parquet.

    uv run python -m bench.extract [--people 50000] [--seed 1] [--keep DIR]

Needs the PostgreSQL and MariaDB servers of tests/conftest.py (GRASSROOTS_TEST_PG / GRASSROOTS_TEST_MARIADB).
"""

from __future__ import annotations

import argparse
import dataclasses
import logging
import os
import resource
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy as sa
from pydantic import SecretStr

from extractors import scanner
from extractors.context import SyncContext
from extractors.declare import DatabaseSource
from extractors.run import sync_source
from extractors.sources import civil, grid
from extractors.state import StateDB, state_path
from extractors.summary import SyncSummary
from grassroots.cli import main as cli
from grassroots.config import Settings
from grassroots.errors import FatalError

log = logging.getLogger("bench.extract")

PG_ADMIN = os.environ.get("GRASSROOTS_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
MARIADB_ADMIN = os.environ.get("GRASSROOTS_TEST_MARIADB", "mysql+pymysql://root@127.0.0.1:3306/")


def check_servers() -> None:
    """Fail at once, saying what to do, when the servers the throw-away databases need are not reachable."""
    for label, url in (("PostgreSQL", PG_ADMIN), ("MariaDB", MARIADB_ADMIN)):
        try:
            with sa.create_engine(url).connect():
                pass
        except sa.exc.SQLAlchemyError as exc:
            shown = sa.engine.make_url(url).render_as_string(hide_password=True)
            raise FatalError(
                f"{label} is not reachable at {shown} ({type(exc).__name__}): start it, point "
                "GRASSROOTS_TEST_PG / GRASSROOTS_TEST_MARIADB at a server, or leave out the server dialect "
                "(--dialects sqlite)"
            ) from exc


@contextmanager
def databases() -> Iterator[tuple[str, str, str]]:
    """Throw-away databases: MariaDB for the grid, PostgreSQL for civil affairs and for a copy of the grid."""
    name = f"gr_bench_{uuid.uuid4().hex[:8]}"
    pg = sa.create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    my = sa.create_engine(MARIADB_ADMIN, isolation_level="AUTOCOMMIT")
    with pg.connect() as c:
        c.execute(sa.text(f"CREATE DATABASE {name}_civil ENCODING 'UTF8' TEMPLATE template0"))
        c.execute(sa.text(f"CREATE DATABASE {name}_grid ENCODING 'UTF8' TEMPLATE template0"))
    with my.connect() as c:
        c.execute(sa.text(f"CREATE DATABASE {name} CHARACTER SET utf8mb4"))
    urls = (
        sa.engine.make_url(MARIADB_ADMIN).set(database=name, query={"charset": "utf8mb4"}),
        sa.engine.make_url(PG_ADMIN).set(database=f"{name}_civil"),
        sa.engine.make_url(PG_ADMIN).set(database=f"{name}_grid"),
    )
    try:
        yield tuple(u.render_as_string(hide_password=False) for u in urls)  # type: ignore[misc]
    finally:
        with pg.connect() as c:
            for suffix in ("civil", "grid"):
                c.execute(sa.text(f"DROP DATABASE IF EXISTS {name}_{suffix} WITH (FORCE)"))
        with my.connect() as c:
            c.execute(sa.text(f"DROP DATABASE IF EXISTS {name}"))


def copy_grid_to_postgres(mariadb_url: str, pg_url: str) -> None:
    """The grid's tables in PostgreSQL too, so both engines are measured on the biggest system."""
    con = scanner.connect(mariadb_url, "my")
    con.execute(f"LOAD '{scanner.extension_file('duckdb_extension_postgres_scanner')}'")
    con.execute(scanner.attach_sql(pg_url, "pg").replace("READ_ONLY", "READ_WRITE"))
    for table in grid.SOURCE.tables:
        con.execute(f'CREATE TABLE pg."{table.name}" AS SELECT * FROM my."{table.name}"')
    con.close()
    engine = sa.create_engine(pg_url)
    with engine.begin() as c:
        for table in grid.SOURCE.tables:
            cols = ", ".join(f'"{k}"' for k in table.key)
            c.execute(sa.text(f'ALTER TABLE "{table.name}" ADD PRIMARY KEY ({cols})'))


def timed_sync(home: Path, source: DatabaseSource, url: str) -> tuple[float, list[SyncSummary]]:
    settings = Settings(home=home, grid_url=SecretStr(url), civil_url=SecretStr(url))
    state = StateDB(state_path(home))
    out: list[SyncSummary] = []
    start = time.perf_counter()
    try:
        sync_source(SyncContext(home, state, "bench"), source, settings, out)
    finally:
        state.close()
    return time.perf_counter() - start, out


def timed_scan(url: str, source: DatabaseSource, out: Path) -> float:
    out.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    con = scanner.connect(url)
    for table in source.tables:
        con.execute(scanner.copy_table_sql("src", table.name, out / f"{table.name}.parquet"))
    con.close()
    return time.perf_counter() - start


def touch_share(url: str, share: float, stamp: str) -> int:
    """Move the cursor of ``share`` of the residents, as a day of edits would (XGSJ is part of the row)."""
    step = max(1, round(1 / share))
    with sa.create_engine(url).begin() as c:
        result = c.execute(
            sa.text(f"UPDATE `JC_RK` SET `XGSJ` = :stamp WHERE MOD(CRC32(`RYBH`), {step}) = 0"),
            {"stamp": stamp},
        )
        return int(result.rowcount)


def row(label: str, seconds: float, summaries: list[SyncSummary]) -> str:
    rows = sum(s.rows for s in summaries)
    return f"| {label} | {seconds:.1f} s | {rows:,} |"


class Table(list[str]):
    """The figures, each printed as soon as it is measured (a long run that fails late keeps what it measured)."""

    def append(self, line: str) -> None:
        print(line, flush=True)
        super().append(line)


def run(people: int, seed: int, root: Path) -> None:
    lines = Table()
    lines.append("| step | time | rows landed |")
    lines.append("| --- | --- | --- |")
    with databases() as (mariadb_url, pg_civil, pg_grid):
        home = root / "home"
        start = time.perf_counter()
        assert cli(["--home", str(home), "-q", "simulate", "--people", str(people), "--seed", str(seed),
                    "--grid-url", mariadb_url, "--civil-url", pg_civil]) == 0  # fmt: skip
        log.info("simulated %d people in %.0f s", people, time.perf_counter() - start)
        copy_grid_to_postgres(mariadb_url, pg_grid)
        grid_pg = dataclasses.replace(grid.SOURCE, name="grid_pg")
        for label, source, url in [("grid on MariaDB", grid.SOURCE, mariadb_url),
                                   ("grid on PostgreSQL", grid_pg, pg_grid),
                                   ("civil on PostgreSQL", civil.SOURCE, pg_civil)]:  # fmt: skip
            general = dataclasses.replace(source, bulk_reader="sqlalchemy")
            through_sqlalchemy, summaries = timed_sync(root / "home_sqlalchemy", general, url)
            lines.append(row(f"full sync, SQLAlchemy reader, {label}", through_sqlalchemy, summaries))
            ours, summaries = timed_sync(home, source, url)
            scan = timed_scan(url, source, root / "scan" / source.name)
            lines.append(row(f"full sync, DuckDB bulk reader (default), {label}", ours, summaries))
            lines.append(
                f"| DuckDB scanner copy to Parquet, {label} | {scan:.1f} s | ratios: sync {ours / scan:.1f}x, "
                f"SQLAlchemy sync {through_sqlalchemy / scan:.1f}x |"
            )
            again, summaries = timed_sync(home, source, url)
            lines.append(row(f"second sync (nothing changed), {label}", again, summaries))
        if cli(["--home", str(home), "-q", "simulate", "advance", "--days", "1"]) != 0:
            lines.append("| simulate advance failed: no figures after a simulated day | | |")
        for label, source, url in [("grid on MariaDB", grid.SOURCE, mariadb_url),
                                   ("civil on PostgreSQL", civil.SOURCE, pg_civil)]:  # fmt: skip
            seconds, summaries = timed_sync(home, source, url)
            lines.append(row(f"after `simulate advance --days 1`, {label}", seconds, summaries))
        only_rk = dataclasses.replace(grid.SOURCE, tables=(grid.RESIDENTS,))
        for day, share in enumerate((0.01, 0.10), start=1):
            touched = touch_share(mariadb_url, share, f"2099-01-0{day} 00:00:00")
            seconds, summaries = timed_sync(home, only_rk, mariadb_url)
            lines.append(
                row(f"JC_RK with {share:.0%} of rows changed ({touched:,}), MariaDB", seconds, summaries)
            )
    lines.append(f"\npeak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--people", type=int, default=50_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--keep", type=Path, default=None, help="keep the home here instead of a temporary folder"
    )
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s: %(message)s")
    print(f"extraction, {args.people:,} simulated people\n", flush=True)
    if args.keep:
        run(args.people, args.seed, args.keep)
    else:
        with tempfile.TemporaryDirectory() as tmp:
            run(args.people, args.seed, Path(tmp))
    return 0


if __name__ == "__main__":
    sys.exit(main())
