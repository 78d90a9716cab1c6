"""What one sync of one table or file did: the figures the summary table, ``--json`` and the DAGs report."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class SyncSummary:
    """One line of the sync report; ``status`` is ok, skipped (nothing ready) or failed (``message`` says why)."""

    source: str
    table: str
    file: str | None = None
    rows: int = 0
    inserts: int = 0
    updates: int = 0
    deletes: int = 0
    quarantined: int = 0
    watermark: str | None = None
    load_id: str | None = None
    drift: dict[str, Any] = field(default_factory=dict)
    status: str = "ok"
    message: str | None = None
    duration_s: float = 0.0
    codec: str | None = None
    error: str | None = None  # transient (retry) | fatal (fix first), when status is failed

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, default=str)

    def count_ops(self, ops: list[str]) -> None:
        """Add the ``_op`` values of landed rows to the counts."""
        self.inserts += ops.count("insert")
        self.updates += ops.count("update")
        self.deletes += ops.count("delete")
        self.rows = self.inserts + self.updates + self.deletes
