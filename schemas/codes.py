"""Code tables as data: the one place every stage reads national and local codes from.

Each table is a UTF-8 CSV in ``schemas/codes/`` whose first column is ``code``. Multi-valued cells (old names, legacy
spellings) are separated by ``|``.
"""

from __future__ import annotations

import csv
from functools import cache
from pathlib import Path

CODES_DIR = Path(__file__).parent / "codes"


def tables() -> list[str]:
    """Names of every code table shipped."""
    return sorted(p.stem for p in CODES_DIR.glob("*.csv"))


def path(table: str) -> Path:
    p = CODES_DIR / f"{table}.csv"
    if not p.exists():
        raise KeyError(f"no code table {table!r}; known tables: {', '.join(tables())}")
    return p


@cache
def load(table: str) -> tuple[dict[str, str], ...]:
    """The rows of a code table, as read (codes are strings: leading zeros matter)."""
    with path(table).open(encoding="utf-8", newline="") as f:
        return tuple(csv.DictReader(f))


def names(table: str) -> dict[str, str]:
    """code -> name."""
    return {row["code"]: row["name"] for row in load(table)}


def split(cell: str | None) -> list[str]:
    """A ``|``-separated cell as a list, empty parts dropped."""
    return [part for part in (cell or "").split("|") if part]
