"""The record of one simulated day: every change made to a source record, and the records that came into being."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from simulator.systems.records import SourceTable


def day_times(rng: np.random.Generator, day: dt.date, n: int) -> tuple[pd.Series, pd.Series]:
    """Registration and modification times within the working hours of ``day``, as text."""
    start = np.datetime64(day, "s") + np.timedelta64(8, "h")
    reg = start + rng.integers(0, 6 * 3600, n).astype("timedelta64[s]")
    upd = reg + rng.integers(0, 4 * 3600, n).astype("timedelta64[s]")
    fmt = "%Y-%m-%d %H:%M:%S"
    return pd.Series(pd.to_datetime(reg).strftime(fmt)), pd.Series(pd.to_datetime(upd).strftime(fmt))


@dataclass
class ChangeLog:
    """Changes of one day as (system, table, record_key, op) and the source-map rows of inserted records."""

    day: dt.date
    rows: list[pd.DataFrame] = field(default_factory=list)
    new_records: list[pd.DataFrame] = field(default_factory=list)

    def add(self, system: str, table: str, keys: pd.Series | list[str], op: str) -> None:
        keys = pd.Series(keys, dtype=object).astype(str)
        if len(keys):
            self.rows.append(pd.DataFrame({"day": self.day, "system": system, "table": table,
                                           "record_key": keys.to_numpy(), "op": op}))  # fmt: skip

    def inserted(self, table: SourceTable) -> None:
        self.add(table.system, table.name, table.record_keys(), "insert")
        self.new_records.append(table.source_map())

    def frame(self) -> pd.DataFrame:
        if not self.rows:
            return pd.DataFrame(columns=["day", "system", "table", "record_key", "op"])
        return pd.concat(self.rows, ignore_index=True)
