"""The true city in memory: one frame per kind of entity, and the simulated day."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from schemas import codes


@dataclass
class World:
    """Everything that is really there; the legacy systems are views of it, with faults."""

    today: dt.date
    persons: pd.DataFrame
    communities: pd.DataFrame
    grids: pd.DataFrame
    houses: pd.DataFrame
    orgs: pd.DataFrame
    things: pd.DataFrame
    events: pd.DataFrame

    @property
    def today64(self) -> np.datetime64:
        return np.datetime64(self.today, "D")

    def house_lookup(self, column: str) -> pd.Series:
        return self.houses.set_index("house_id")[column]

    def person_lookup(self, column: str) -> pd.Series:
        return self.persons.set_index("person_id")[column]


def township_names() -> dict[str, str]:
    return codes.names("township")


def township_short() -> dict[str, str]:
    return {r["code"]: r["short_name"] for r in codes.load("township")}


def clock_text(values: pd.Series | np.ndarray) -> pd.Series:
    """Timestamps as the legacy systems write them: 'YYYY-MM-DD HH:MM:SS'."""
    return pd.Series(pd.to_datetime(values)).dt.strftime("%Y-%m-%d %H:%M:%S")
