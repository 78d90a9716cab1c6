"""Trends over the last runs, and timeliness: how fresh each grid's data is."""

from __future__ import annotations

from grassroots.report.inputs import view_name


def validation_trend_sql(runs: int) -> str:
    """Per validation run (oldest first) and source: rows checked, failing share, failed expectations."""
    v = view_name("validation_result")
    return f"""
        WITH last_runs AS (
            SELECT run_id, timezone('UTC', max(validated_at)) AS run_at FROM "{v}" GROUP BY run_id ORDER BY run_at DESC LIMIT {int(runs)}
        )
        SELECT r.run_id, r.run_at, coalesce(v.source, 'model') AS source,
               sum(v.element_count) AS checked,
               sum(coalesce(v.unexpected_count, 0)) / nullif(sum(v.element_count), 0) AS failing_share,
               count(*) FILTER (WHERE NOT v.success) AS failed_expectations
        FROM last_runs r JOIN "{v}" v USING (run_id) GROUP BY ALL ORDER BY r.run_at, source"""


def quarantine_trend_sql(runs: int) -> str:
    """Quarantined rows per run (oldest first) and source."""
    q = view_name("quarantine")
    return f"""
        WITH last_runs AS (
            SELECT run_id, timezone('UTC', max(occurred_at)) AS run_at FROM "{q}" GROUP BY run_id ORDER BY run_at DESC LIMIT {int(runs)}
        )
        SELECT r.run_id, r.run_at, q.source, count(*) AS records
        FROM last_runs r JOIN "{q}" q USING (run_id) GROUP BY ALL ORDER BY r.run_at, q.source"""


def finding_trend_sql(runs: int) -> str:
    """Findings per resolution run (oldest first)."""
    f = view_name("finding")
    return f"""
        SELECT * FROM (
            SELECT run_id, timezone('UTC', max(detected_at)) AS run_at, count(*) AS findings, count(DISTINCT entity_id) AS entities
            FROM "{f}" GROUP BY run_id ORDER BY run_at DESC LIMIT {int(runs)}
        ) ORDER BY run_at"""


def grid_freshness_sql(stale_days: int) -> str:
    """Grids, stalest first, flagged when their data is older than ``stale_days``."""
    return f"""
        SELECT grid_code, people, timezone('UTC', last_updated) AS last_updated, days_since_update, person_share_updated_90d,
               days_since_update > {int(stale_days)} AS stale
        FROM "{view_name("grid_freshness")}" ORDER BY days_since_update DESC NULLS FIRST, grid_code"""


def freshness_summary_sql(stale_days: int) -> str:
    return f"""
        SELECT count(*) AS grids, count(*) FILTER (WHERE days_since_update > {int(stale_days)}) AS stale,
               median(days_since_update) AS median_days, max(days_since_update) AS max_days,
               avg(person_share_updated_90d) AS share_updated_90d
        FROM "{view_name("grid_freshness")}" """
