"""The vocabulary of a source declaration: what a legacy system holds, how to reach it and how to read its changes.

A source is declared once (extractors/sources/<name>.py) with these frozen dataclasses; the mechanics in
extractors/database.py and extractors/filedrop.py read nothing else. docs/onboarding-a-source.md shows an example.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Literal

from grassroots.config import Settings

Drift = Literal["evolve", "freeze", "discard"]
"""What a schema change does: evolve = land the new shape; freeze = stop with a FatalError; discard = ignore new
columns and keep landing the committed ones."""

ENTITY_KINDS = ("person", "place", "thing", "event", "organization")


@dataclass(frozen=True)
class Cursor:
    """Changes found by a monotonically updated column (XGSJ, update_time).

    Each sync reads ``column >= watermark - lookback`` (plus rows whose cursor is NULL): the overlap catches rows
    committed late with an older timestamp; rows already landed unchanged are dropped by key + row hash.
    ``deletes="keys"`` compares the source's key set with the landed one on every sync (keys only, cheap) so hard
    deletes are landed as deletion rows; ``"none"`` is for systems that never hard-delete.
    """

    column: str
    lookback: timedelta = timedelta(hours=1)
    deletes: Literal["keys", "none"] = "keys"


@dataclass(frozen=True)
class Snapshot:
    """No trustworthy cursor: every sync reads the whole table and compares it with the landed version by key + row
    hash, finding inserts, updates and deletes."""


@dataclass(frozen=True)
class Attach:
    """The rows of a table describe records of another table of the same source: ``column`` holds their key.

    Such a table enriches those records (civil assistance cases add to the person of mz_person) instead of being
    records of its own; when several rows describe one record, the most recently updated one wins.
    """

    table: str
    column: str


@dataclass(frozen=True)
class Mapping:
    """How the columns of one table feed one canonical entity or relation.

    ``target`` is an entity kind (person, place, thing, event, organization) or a relation table name;
    ``fields`` maps canonical field -> source column; ``codes`` maps canonical field -> code table in schemas/codes
    whose codes (or legacy variants) the source column carries; ``constants`` gives canonical fields one value for
    every row (a place level, a thing kind); ``attach`` makes the table enrich another table's records;
    ``references`` maps a relation's field -> the table of the same source whose record key the column holds (a
    resident's house number refers to a JC_FW record).
    """

    target: str
    fields: dict[str, str]
    codes: dict[str, str] = field(default_factory=dict)
    constants: dict[str, str] = field(default_factory=dict)
    attach: Attach | None = None
    references: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Table:
    """One table of a database source."""

    name: str
    key: tuple[str, ...]
    changes: Cursor | Snapshot
    drift: Drift = "evolve"
    mappings: tuple[Mapping, ...] = ()
    description: str = ""


@dataclass(frozen=True)
class DatabaseSource:
    """A relational legacy system reached through SQLAlchemy.

    ``system`` names the connection: ``Settings.source_url(system)`` resolves it (GRASSROOTS_<SYSTEM>_URL, or what
    the simulator recorded). Reads stream ``chunk_rows`` rows at a time through a server-side cursor.
    ``bulk_reader="duckdb"`` reads whole tables (snapshots, first loads, key sets) through DuckDB's scanner when
    the database has one (PostgreSQL, MariaDB/MySQL, SQLite); incremental reads always go through SQLAlchemy.
    """

    name: str
    description: str
    system: str
    tables: tuple[Table, ...]
    chunk_rows: int = 50_000
    bulk_reader: Literal["duckdb", "sqlalchemy"] = "duckdb"

    def url(self, settings: Settings) -> str:
        return settings.source_url(self.system)

    @property
    def units(self) -> tuple[str, ...]:
        return tuple(t.name for t in self.tables)


@dataclass(frozen=True)
class FileKind:
    """One kind of exported file in a drop folder; it lands as a table named ``name``.

    ``pattern`` is a glob on the file name; ``encodings`` are tried strictly in order (the first that decodes the
    whole file wins and is recorded); ``formats`` are the formats accepted, recognized by content, not extension.
    CSV exports hold one record per line unless ``records_span_lines`` (quoted line breaks) is declared.
    """

    name: str
    pattern: str
    key: tuple[str, ...]
    formats: tuple[Literal["csv", "xlsx"], ...] = ("csv", "xlsx")
    encodings: tuple[str, ...] = ("utf-8-sig", "gb18030")
    drift: Drift = "evolve"
    mappings: tuple[Mapping, ...] = ()
    description: str = ""
    records_span_lines: bool = False


@dataclass(frozen=True)
class FileSource:
    """An isolated system whose exports are dropped as files into a folder.

    A file is read only once its flag file ``<file><flag_suffix>`` exists (when ``flag_suffix`` is set) and its size
    stayed the same for ``settle_seconds``. ``locate`` resolves the folder from the settings (e.g.
    ``Settings.police_folder``).
    """

    name: str
    description: str
    kinds: tuple[FileKind, ...]
    locate: Callable[[Settings], Path]
    flag_suffix: str | None = ".ok"
    settle_seconds: float = 1.0

    def folder(self, settings: Settings) -> Path:
        return self.locate(settings)

    @property
    def units(self) -> tuple[str, ...]:
        return tuple(k.name for k in self.kinds)


Source = DatabaseSource | FileSource
