"""The demo's three example questions, asked of the published library as an analyst (masked values, no key).

Each is a question the city asks in its survey, answered by one of the ready marts (docs/analysts.md), and the SQL is
printed as-is so it can be pasted into ``grassroots query``.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyarrow as pa

from grassroots.config import Settings


@dataclass(frozen=True)
class Example:
    question: str
    sql: str


EXAMPLES: tuple[Example, ...] = (
    Example(
        "How many people actually live in each grid, against how many are registered there? (top 5 grids)",
        "SELECT grid_code, grid_name, living, registered, living_registered_elsewhere AS moved_in, "
        "registered_living_elsewhere AS moved_out FROM marts.grid_population "
        "ORDER BY living DESC, grid_code LIMIT 5",
    ),
    Example(
        "Who needs a visit? Elderly people living alone per community (top 5 communities)",
        "SELECT township_code, community, residents, elderly_alone, aged_80_plus, any_vulnerable "
        "FROM marts.vulnerable_by_community ORDER BY elderly_alone DESC, community LIMIT 5",
    ),
    Example(
        "Where do disputes cluster, and how many run past their deadline? (by town, last 3 months)",
        "SELECT township_code, month, disputes, still_open, median_days_to_close, overdue, overdue_open "
        "FROM marts.dispute_by_town_month "
        "WHERE month > (SELECT max(month) FROM marts.dispute_by_town_month) - INTERVAL 3 MONTH "
        "ORDER BY disputes DESC, township_code, month LIMIT 8",
    ),
)


@dataclass(frozen=True)
class Answer:
    example: Example
    table: pa.Table


def ask_examples(settings: Settings) -> list[Answer]:
    """Run each example through the analyst role of the published warehouse."""
    from warehouse.access import query

    return [Answer(example, query(settings, example.sql, role="analyst")) for example in EXAMPLES]
