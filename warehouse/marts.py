"""Ready answers to the mission's questions, as pure SQL builders over the canonical tables.

Each builder takes ``ref``, which maps a canonical table name to the relation to read. Aggregate marts
(``full_values=True``) read the full-value tables, because the analyst view withholds sensitive fields they count,
and publish only counts. Listing marts read the lake's own tables, so in the analyst lake they carry masked values
and pseudonyms. Publish materializes every mart as ``marts.<name>`` in the same snapshot as the tables.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

Ref = Callable[[str], str]

MIGRANT = "02"  # person_category: 流动人口
DISPUTE = "dispute"  # event.kind
# Local (Beijing) time, as the events' own timestamps are recorded.
_NOW_LOCAL = "(now() AT TIME ZONE 'Asia/Shanghai')"


def grid_population_sql(ref: Ref) -> str:
    """One row per grid: people actually living there vs registered (hukou) there, and the mismatch both ways."""
    return f"""
WITH alive AS (
    SELECT person_id, current_grid FROM {ref("person")} WHERE NOT coalesce(is_deceased, false)
), registered AS (
    -- The grid of the house the hukou address names; the household registry (police) decides between sources.
    SELECT r.person_id, first(pl.grid_code ORDER BY r.source = 'police' DESC, pl.grid_code) AS registered_grid
    FROM {ref("person_residence")} AS r JOIN {ref("place")} AS pl USING (place_id)
    WHERE r.residence_type = 'registered' AND r.to_date IS NULL AND pl.grid_code IS NOT NULL
    GROUP BY r.person_id
), people AS (
    SELECT a.person_id, a.current_grid, g.registered_grid FROM alive AS a LEFT JOIN registered AS g USING (person_id)
), flags AS (
    SELECT current_grid AS grid_code, true AS living, registered_grid IS NOT DISTINCT FROM current_grid AS registered
    FROM people WHERE current_grid IS NOT NULL
    UNION ALL
    SELECT registered_grid, false, true FROM people
    WHERE registered_grid IS NOT NULL AND registered_grid IS DISTINCT FROM current_grid
), counts AS (
    SELECT grid_code,
        count(*) FILTER (WHERE living) AS living,
        count(*) FILTER (WHERE registered) AS registered,
        count(*) FILTER (WHERE living AND registered) AS living_and_registered,
        count(*) FILTER (WHERE living AND NOT registered) AS living_registered_elsewhere,
        count(*) FILTER (WHERE registered AND NOT living) AS registered_living_elsewhere
    FROM flags GROUP BY grid_code
), grids AS (
    SELECT code AS grid_code, any_value(name) AS grid_name, any_value(township_code) AS township_code,
        any_value(community_name) AS community_name
    FROM {ref("place")} WHERE level = 'grid' AND code IS NOT NULL GROUP BY code
)
SELECT coalesce(g.grid_code, c.grid_code) AS grid_code, g.grid_name, g.township_code, g.community_name,
    coalesce(c.living, 0) AS living, coalesce(c.registered, 0) AS registered,
    coalesce(c.living_and_registered, 0) AS living_and_registered,
    coalesce(c.living_registered_elsewhere, 0) AS living_registered_elsewhere,
    coalesce(c.registered_living_elsewhere, 0) AS registered_living_elsewhere,
    coalesce(c.living, 0) - coalesce(c.registered, 0) AS living_minus_registered
FROM grids AS g FULL OUTER JOIN counts AS c USING (grid_code)
ORDER BY grid_code"""


def vulnerable_by_community_sql(ref: Ref) -> str:
    """One row per community (and township): living residents and how many belong to each vulnerable group."""
    return f"""
SELECT current_township AS township_code, current_community AS community,
    count(*) AS residents,
    count(*) FILTER (WHERE is_elderly_alone) AS elderly_alone,
    count(*) FILTER (WHERE birth_date <= current_date - INTERVAL 80 YEAR) AS aged_80_plus,
    count(*) FILTER (WHERE is_disabled) AS disabled,
    count(*) FILTER (WHERE is_low_income) AS low_income,
    count(*) FILTER (WHERE nullif(special_group, '') IS NOT NULL) AS special_group,
    count(*) FILTER (WHERE is_elderly_alone OR is_disabled OR is_low_income
        OR nullif(special_group, '') IS NOT NULL) AS any_vulnerable,
    current_date AS as_of_date
FROM {ref("person")}
WHERE NOT coalesce(is_deceased, false)
GROUP BY ALL
ORDER BY township_code, community"""


def _overdue_sql() -> str:
    # The source's own flag when it has one; otherwise closed after the deadline, or open past it.
    return f"coalesce(is_overdue, closed_at > deadline, closed_at IS NULL AND deadline < {_NOW_LOCAL}, false)"


def dispute_by_town_month_sql(ref: Ref) -> str:
    """Disputes per township and month reported: how many, closed, days to resolution, overdue."""
    return f"""
WITH d AS (
    SELECT township_code, date_trunc('month', coalesce(reported_at, occurred_at))::DATE AS month,
        closed_at, date_diff('hour', coalesce(reported_at, occurred_at), closed_at) / 24.0 AS days_to_close,
        {_overdue_sql()} AS overdue
    FROM {ref("event")} WHERE kind = '{DISPUTE}'
)
SELECT township_code, month, count(*) AS disputes,
    count(closed_at) AS closed, count(*) - count(closed_at) AS still_open,
    round(avg(days_to_close), 1) AS avg_days_to_close,
    round(median(days_to_close), 1) AS median_days_to_close,
    count(*) FILTER (WHERE overdue) AS overdue,
    count(*) FILTER (WHERE overdue AND closed_at IS NULL) AS overdue_open
FROM d GROUP BY ALL ORDER BY township_code, month"""


def overdue_dispute_sql(ref: Ref) -> str:
    """One row per dispute that is overdue, open ones first, with how many days past its deadline."""
    return f"""
SELECT event_id, title, type, township_code, grid_code, status, reported_at, deadline, closed_at, handler,
    date_diff('day', deadline, coalesce(closed_at, {_NOW_LOCAL})) AS days_past_deadline
FROM {ref("event")}
WHERE kind = '{DISPUTE}' AND {_overdue_sql()}
ORDER BY closed_at IS NOT NULL, days_past_deadline DESC, event_id"""


def migrant_unknown_to_police_sql(ref: Ref) -> str:
    """Living migrants that no police record was resolved into: the police do not know they live here."""
    return f"""
SELECT p.person_id, COLUMNS('^(citizen_id|citizen_id_pseudonym|name)$'), p.sex, p.current_township,
    p.current_community, p.current_grid, p.migrant_reason, p.residence_permit_expiry, p.first_seen, p.last_updated
FROM {ref("person")} AS p
WHERE p.category = '{MIGRANT}' AND NOT coalesce(p.is_deceased, false)
    AND NOT EXISTS (
        SELECT 1 FROM {ref("entity_source")} AS s
        WHERE s.entity_kind = 'person' AND s.entity_id = p.person_id AND s.source_system = 'police'
    )
ORDER BY p.current_township, p.current_community, p.current_grid, p.person_id"""


def disagreement_summary_sql(ref: Ref) -> str:
    """Findings of the latest run that produced any, per entity kind, field, kind of finding and systems."""
    return f"""
WITH latest AS (
    SELECT * FROM {ref("finding")}
    WHERE run_id = (SELECT arg_max(run_id, detected_at) FROM {ref("finding")})
)
SELECT run_id, entity_kind, field, kind, array_to_string(list_sort(systems), '+') AS systems,
    count(*) AS findings, count(DISTINCT entity_id) AS entities, max(detected_at) AS detected_at
FROM latest GROUP BY ALL ORDER BY findings DESC, entity_kind, field"""


def grid_freshness_sql(ref: Ref) -> str:
    """One row per grid: when its people, places and events last changed, and the share of people seen lately."""
    return f"""
WITH u AS (
    SELECT current_grid AS grid_code, 'person' AS kind, last_updated FROM {ref("person")}
    UNION ALL SELECT grid_code, 'place', last_updated FROM {ref("place")}
    UNION ALL SELECT grid_code, 'event', last_updated FROM {ref("event")}
)
SELECT grid_code,
    count(*) FILTER (WHERE kind = 'person') AS people,
    max(last_updated) FILTER (WHERE kind = 'person') AS person_last_updated,
    max(last_updated) FILTER (WHERE kind = 'place') AS place_last_updated,
    max(last_updated) FILTER (WHERE kind = 'event') AS event_last_updated,
    max(last_updated) AS last_updated,
    date_diff('day', max(last_updated), now()) AS days_since_update,
    round(avg(CASE WHEN last_updated >= now() - INTERVAL 90 DAY THEN 1.0 ELSE 0.0 END)
        FILTER (WHERE kind = 'person'), 3) AS person_share_updated_90d
FROM u WHERE grid_code IS NOT NULL
GROUP BY grid_code ORDER BY grid_code"""


@dataclass(frozen=True)
class Mart:
    """One mart: its name, the question it answers, the tables it reads and whether it reads full values."""

    name: str
    question: str
    needs: tuple[str, ...]
    full_values: bool
    build: Callable[[Ref], str]


MARTS: tuple[Mart, ...] = (
    Mart(
        "grid_population",
        "people living in each grid vs registered there",
        ("person", "person_residence", "place"),
        True,
        grid_population_sql,
    ),
    Mart(
        "vulnerable_by_community",
        "elderly living alone and other vulnerable people per community",
        ("person",),
        True,
        vulnerable_by_community_sql,
    ),
    Mart(
        "dispute_by_town_month",
        "disputes by township and month, time to resolution, overdue",
        ("event",),
        True,
        dispute_by_town_month_sql,
    ),
    Mart("overdue_dispute", "overdue disputes, open ones first", ("event",), False, overdue_dispute_sql),
    Mart(
        "migrant_unknown_to_police",
        "living migrants unknown to the police",
        ("person", "entity_source"),
        False,
        migrant_unknown_to_police_sql,
    ),
    Mart(
        "disagreement_summary",
        "records that disagree between systems (latest run)",
        ("finding",),
        False,
        disagreement_summary_sql,
    ),
    Mart(
        "grid_freshness",
        "how fresh each grid's data is",
        ("person", "place", "event"),
        True,
        grid_freshness_sql,
    ),
)
