"""What every table or file sync needs: the home, the state database, the run id and the caller's options."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from extractors.landing import table_dir
from extractors.state import StateDB

ChunkHook = Callable[[str, int], None]
"""Called after each landed chunk with (table, chunk number): the place tests inject a failure midway."""


@dataclass
class SyncContext:
    home: Path
    state: StateDB
    run_id: str
    accept_drift: frozenset[str] = frozenset()  # "source.table" names whose schema change is accepted once
    on_chunk: ChunkHook | None = None
    started: datetime = field(default_factory=lambda: datetime.now(UTC))

    def load_dir(self, source: str, table: str, load_id: str) -> Path:
        return table_dir(self.home, source, table) / load_id

    def landed_globs(self, source: str, table: str) -> list[str]:
        return [
            str(Path(load["path"]) / "part-*.parquet")
            for load in self.state.committed(source, table)
            if load["path"]
        ]

    def chunk_done(self, table: str, number: int) -> None:
        if self.on_chunk is not None:
            self.on_chunk(table, number)
