"""Township spellings of Xiantao from schemas/codes/township.csv: current names, old names, legacy spellings with
characters lost to GB2312 ('?'), and short names with the suffixes data writes after them.
"""

from __future__ import annotations

import re
from functools import cache

from schemas import codes

# Statistics lists name these units, which have no civil-affairs code (domain.md §3): recognized, left uncoded.
UNCODED_UNITS = (
    "工业园区",
    "九合垸原种场",
    "沙湖原种场",
    "五湖渔场",
    "赵西垸林场",
    "畜禽良种场",
    "排湖风景区",
)
_SUFFIXES = ("街道办事处", "街道", "办事处", "街办", "镇", "乡")
# Characters that stand where GB2312 had no glyph: ASCII ?, full-width ？ (made ASCII before matching), U+FFFD.
LOST_CHAR = "?"


@cache
def spellings() -> dict[str, tuple[str, str, str]]:
    """Spelling -> (code, standard name, how: name / short_name / old_name / legacy_spelling)."""
    found: dict[str, tuple[str, str, str]] = {}
    rows = codes.load("township")
    olds = [(row, spelling, how) for column, how in (("old_names", "old_name"), ("legacy_spellings", "legacy_spelling"))
            for row in rows for spelling in codes.split(row.get(column))]  # fmt: skip
    # Exact spellings first, so 沙嘴办事处 counts as the old name it is and not as 沙嘴 + a suffix.
    for row in rows:
        found.setdefault(row["name"], (row["code"], row["name"], "name"))
    for row, spelling, how in olds:
        found.setdefault(spelling, (row["code"], row["name"], how))
    for row in rows:
        for suffix in ("", *_SUFFIXES):
            found.setdefault(row["short_name"] + suffix, (row["code"], row["name"], "short_name"))
    for row, spelling, how in olds:
        base = re.sub(f"({'|'.join(_SUFFIXES)})$", "", spelling)
        for suffix in _SUFFIXES:
            found.setdefault(base + suffix, (row["code"], row["name"], how))
    for unit in UNCODED_UNITS:
        found.setdefault(unit, ("", unit, "uncoded_unit"))
    return found


def pattern() -> str:
    """An RE2 alternation of every spelling, longest first so 沙嘴街道 wins over 沙嘴."""
    alternatives = sorted(spellings(), key=lambda s: (-len(s), s))
    return "|".join(re.escape(a) for a in alternatives)
