"""The sync state database (SQLite under Home.state): loads, cursors, committed schemas and the file manifest.

A load becomes visible only when one transaction marks it committed together with its new cursor, its schema and
its file-manifest entry; files of a load that never committed are orphans, ignored by readers and cleaned later.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from grassroots.errors import TransientError

DDL = """
CREATE TABLE IF NOT EXISTS loads (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    load_id TEXT UNIQUE,
    source TEXT NOT NULL,
    table_name TEXT NOT NULL,
    status TEXT NOT NULL,              -- running | committed | abandoned
    started_at TEXT NOT NULL,
    committed_at TEXT,
    rows INTEGER, deletes INTEGER, quarantined INTEGER, bytes INTEGER,
    checksum TEXT, watermark TEXT, duration_s REAL,
    schema_json TEXT, key_json TEXT, path TEXT, file_name TEXT, codec TEXT, format TEXT, drift_json TEXT
);
CREATE INDEX IF NOT EXISTS loads_by_table ON loads (source, table_name, status, seq);
CREATE TABLE IF NOT EXISTS cursors (
    source TEXT NOT NULL, table_name TEXT NOT NULL, watermark TEXT, load_id TEXT NOT NULL,
    PRIMARY KEY (source, table_name)
);
CREATE TABLE IF NOT EXISTS schemas (
    source TEXT NOT NULL, table_name TEXT NOT NULL, columns_json TEXT NOT NULL, load_id TEXT NOT NULL,
    PRIMARY KEY (source, table_name)
);
CREATE TABLE IF NOT EXISTS files (
    source TEXT NOT NULL, sha256 TEXT NOT NULL, file_name TEXT NOT NULL, kind TEXT, size INTEGER, mtime_ns INTEGER,
    status TEXT NOT NULL,              -- landed | duplicate | quarantined
    reason TEXT, load_id TEXT, seen_at TEXT NOT NULL,
    PRIMARY KEY (source, file_name, sha256)
);
CREATE INDEX IF NOT EXISTS files_by_sha ON files (source, sha256);
"""


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds")


@dataclass(frozen=True)
class Commit:
    """Everything one load records when it commits."""

    load_id: str
    rows: int
    deletes: int
    quarantined: int
    bytes: int
    checksum: str
    watermark: str | None
    duration_s: float
    schema: list[tuple[str, str]]
    key: tuple[str, ...]
    path: str | None
    drift: dict[str, Any]
    file: dict[str, Any] | None = (
        None  # manifest entry: sha256, file_name, kind, size, status, reason, codec, format
    )


class StateDB:
    """A thin typed wrapper over the state database; every write is one short transaction.

    Load folders are recorded relative to the home (``<home>/state/extract.sqlite`` is this database), so that a
    home can be moved or restored from a backup elsewhere; readers get them back absolute.
    """

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.home = path.resolve().parent.parent
        self._conn = sqlite3.connect(path, timeout=30, isolation_level=None)
        self._conn.execute("PRAGMA journal_mode=WAL")
        self._conn.executescript(DDL)

    def close(self) -> None:
        self._conn.close()

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        try:
            self._conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            raise TransientError(
                f"the sync state database {self.path} is locked ({exc}); retry shortly"
            ) from exc
        try:
            yield self._conn
        except BaseException:
            self._conn.execute("ROLLBACK")
            raise
        self._conn.execute("COMMIT")

    def begin_load(self, source: str, table: str) -> str:
        """Reserve a load id; load ids sort in the order loads were started."""
        with self._transaction() as conn:
            cur = conn.execute(
                "INSERT INTO loads (source, table_name, status, started_at) VALUES (?, ?, 'running', ?)",
                (source, table, _now()),
            )
            seq = cur.lastrowid
            load_id = f"L{seq:09d}"
            conn.execute("UPDATE loads SET load_id = ? WHERE seq = ?", (load_id, seq))
        return load_id

    def commit_load(self, source: str, table: str, c: Commit) -> None:
        """The single transaction that makes a load, its cursor, its schema and its manifest entry visible."""
        file = c.file or {}
        with self._transaction() as conn:
            conn.execute(
                """UPDATE loads SET status='committed', committed_at=?, rows=?, deletes=?, quarantined=?, bytes=?,
                   checksum=?, watermark=?, duration_s=?, schema_json=?, key_json=?, path=?, file_name=?, codec=?,
                   format=?, drift_json=? WHERE load_id=? AND status='running'""",
                (
                    _now(), c.rows, c.deletes, c.quarantined, c.bytes, c.checksum, c.watermark, c.duration_s,
                    json.dumps(c.schema, ensure_ascii=False), json.dumps(list(c.key), ensure_ascii=False),
                    self._relative(c.path),
                    file.get("file_name"), file.get("codec"), file.get("format"),
                    json.dumps(c.drift, ensure_ascii=False), c.load_id,
                ),
            )  # fmt: skip
            if c.watermark is not None:
                conn.execute(
                    "INSERT OR REPLACE INTO cursors VALUES (?, ?, ?, ?)",
                    (source, table, c.watermark, c.load_id),
                )
            if c.schema:
                conn.execute(
                    "INSERT OR REPLACE INTO schemas VALUES (?, ?, ?, ?)",
                    (source, table, json.dumps(c.schema, ensure_ascii=False), c.load_id),
                )
            if file:
                conn.execute(
                    "INSERT OR REPLACE INTO files VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        source, file["sha256"], file["file_name"], file.get("kind"), file.get("size"),
                        file.get("mtime_ns"), file["status"], file.get("reason"), c.load_id, _now(),
                    ),
                )  # fmt: skip

    def abandon_running(self, source: str) -> list[str]:
        """Mark the loads a dead sync left running as abandoned; returns their ids for cleaning."""
        with self._transaction() as conn:
            rows = conn.execute(
                "SELECT load_id FROM loads WHERE source=? AND status='running'", (source,)
            ).fetchall()
            conn.execute("UPDATE loads SET status='abandoned' WHERE source=? AND status='running'", (source,))
        return [r[0] for r in rows]

    def watermark(self, source: str, table: str) -> str | None:
        row = self._conn.execute(
            "SELECT watermark FROM cursors WHERE source=? AND table_name=?", (source, table)
        ).fetchone()
        return None if row is None else row[0]

    def schema(self, source: str, table: str) -> list[tuple[str, str]] | None:
        row = self._conn.execute(
            "SELECT columns_json FROM schemas WHERE source=? AND table_name=?", (source, table)
        ).fetchone()
        return None if row is None else [tuple(c) for c in json.loads(row[0])]  # type: ignore[misc]

    def committed(self, source: str, table: str) -> list[dict[str, Any]]:
        """Committed loads of one table, oldest first."""
        cur = self._conn.execute(
            "SELECT * FROM loads WHERE source=? AND table_name=? AND status='committed' ORDER BY seq",
            (source, table),
        )
        names = [d[0] for d in cur.description]
        loads = [dict(zip(names, row, strict=True)) for row in cur.fetchall()]
        for load in loads:
            if load["path"]:  # absolute as recorded before paths were relative, else under this home
                load["path"] = str(self.home / load["path"])
        return loads

    def _relative(self, path: str | None) -> str | None:
        if path is None:
            return None
        try:
            return str(Path(path).resolve().relative_to(self.home))
        except ValueError:  # a landing zone outside the home stays absolute
            return path

    def committed_ids(self, source: str) -> set[str]:
        rows = self._conn.execute(
            "SELECT load_id FROM loads WHERE source=? AND status='committed'", (source,)
        ).fetchall()
        return {r[0] for r in rows}

    def known_file(self, source: str, sha256: str) -> dict[str, Any] | None:
        """The first manifest entry with this content (landed first, then quarantined), if any."""
        cur = self._conn.execute(
            "SELECT * FROM files WHERE source=? AND sha256=? ORDER BY status <> 'landed', seen_at",
            (source, sha256),
        )
        row = cur.fetchone()
        return None if row is None else dict(zip([d[0] for d in cur.description], row, strict=True))

    def known_name(self, source: str, file_name: str, size: int, mtime_ns: int) -> bool:
        """A file already handled under this name, size and modification time: skipped without re-reading it."""
        row = self._conn.execute(
            "SELECT 1 FROM files WHERE source=? AND file_name=? AND size=? AND mtime_ns=?",
            (source, file_name, size, mtime_ns),
        ).fetchone()
        return row is not None

    def record_file(self, source: str, entry: dict[str, Any]) -> None:
        """A manifest entry without a load (a file quarantined whole)."""
        with self._transaction() as conn:
            conn.execute(
                "INSERT OR REPLACE INTO files VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL, ?)",
                (
                    source, entry["sha256"], entry["file_name"], entry.get("kind"), entry.get("size"),
                    entry.get("mtime_ns"), entry["status"], entry.get("reason"), _now(),
                ),
            )  # fmt: skip


def state_path(home: Path) -> Path:
    return home / "state" / "extract.sqlite"
