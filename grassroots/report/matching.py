"""Match rates between systems: of the entities one system knows, how many another system knows too.

Computed from entity_source (which source record became which entity): "of the grid's residents, how many does the
police know", and the reverse, for every entity kind and ordered pair of systems.
"""

from __future__ import annotations

from grassroots.report.inputs import view_name


def match_rates_sql() -> str:
    """One row per entity kind and ordered pair (system, other): entities of system, of them also in other, rate."""
    return f"""
        WITH es AS (SELECT DISTINCT entity_kind, entity_id, source_system FROM "{view_name("entity_source")}"),
        per_system AS (SELECT entity_kind, source_system, count(*) AS entities FROM es GROUP BY ALL),
        pairs AS (
            SELECT a.entity_kind, a.source_system AS system, b.source_system AS other, count(*) AS both_known
            FROM es a JOIN es b ON a.entity_kind = b.entity_kind AND a.entity_id = b.entity_id
                AND a.source_system <> b.source_system
            GROUP BY ALL
        )
        SELECT s.entity_kind, s.source_system AS system, o.source_system AS other, s.entities,
               coalesce(p.both_known, 0) AS both_known, coalesce(p.both_known, 0) / s.entities AS rate
        FROM per_system s JOIN per_system o ON s.entity_kind = o.entity_kind AND s.source_system <> o.source_system
        LEFT JOIN pairs p ON p.entity_kind = s.entity_kind AND p.system = s.source_system
            AND p.other = o.source_system
        ORDER BY s.entity_kind, system, other"""
