"""The home directory: where every piece of state lives, laid out in one place."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Home:
    """Paths under the home directory (``--home`` / ``GRASSROOTS_HOME``, default ``./var``)."""

    root: Path

    @property
    def sources(self) -> Path:
        """The simulated legacy systems (databases, the police drop folder)."""
        return self.root / "sources"

    @property
    def grid_db(self) -> Path:
        return self.sources / "grid.sqlite"

    @property
    def civil_db(self) -> Path:
        return self.sources / "civil.sqlite"

    @property
    def police_drop(self) -> Path:
        return self.sources / "police_drop"

    @property
    def systems_file(self) -> Path:
        """Where the simulator records how its systems are reached (SQLAlchemy URLs, drop folder)."""
        return self.sources / "systems.json"

    @property
    def truth(self) -> Path:
        """Ground truth of the simulated city: true entities and the change log."""
        return self.root / "truth"

    @property
    def landing(self) -> Path:
        return self.root / "landing"

    @property
    def state(self) -> Path:
        return self.root / "state"

    @property
    def staging(self) -> Path:
        return self.root / "staging"

    @property
    def warehouse(self) -> Path:
        return self.root / "warehouse"

    @property
    def reports(self) -> Path:
        return self.root / "reports"

    def ensure(self) -> Home:
        self.root.mkdir(parents=True, exist_ok=True)
        return self

    def read_systems(self) -> dict[str, str]:
        """The connection facts the simulator wrote, or an empty mapping when there is none."""
        if not self.systems_file.exists():
            return {}
        data: dict[str, str] = json.loads(self.systems_file.read_text(encoding="utf-8"))
        return data
