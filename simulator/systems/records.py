"""A source table as built by the simulator: its rows, its key, and the true entity behind every row."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

ENTITY_COLUMN = "_entity_id"


@dataclass
class SourceTable:
    """Rows of one table (or police export kind) with the hidden column ``_entity_id`` naming the true entity."""

    system: str
    name: str
    kind: str
    key: tuple[str, ...]
    frame: pd.DataFrame

    @property
    def rows(self) -> pd.DataFrame:
        """The rows as the source holds them, without the hidden columns (truth, write hints) starting with ``_``."""
        return self.frame.drop(columns=[c for c in self.frame.columns if c.startswith("_")])

    def record_keys(self, frame: pd.DataFrame | None = None) -> pd.Series:
        """The key as text; composite keys joined with ``|``."""
        f = self.frame if frame is None else frame
        keys = f[self.key[0]].astype(str)
        for col in self.key[1:]:
            keys = keys + "|" + f[col].astype(str)
        return keys

    def source_map(self) -> pd.DataFrame:
        return pd.DataFrame(
            {
                "system": self.system,
                "table": self.name,
                "record_key": self.record_keys().to_numpy(),
                "entity_kind": self.kind,
                "true_entity_id": self.frame[ENTITY_COLUMN].to_numpy(),
            }
        )
