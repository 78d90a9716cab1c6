"""Lineage rows shared by every kind: which record became which entity, by which rule and weight."""

from __future__ import annotations


def entity_source_sql(kind: str, members: str, edges: str | None, run_id: str) -> str:
    """entity_source rows; the rule and weight are those of the record's strongest accepted edge."""
    if edges is None:
        return f"""
            SELECT '{kind}' AS entity_kind, entity_id, source_system, source_table, record_key, load_id,
                   CASE WHEN count(*) OVER (PARTITION BY entity_id) > 1 THEN match_rule ELSE 'singleton' END
                       AS match_rule,
                   NULL::DOUBLE AS match_weight, '{run_id}' AS run_id
            FROM {members}
        """
    return f"""
        WITH ends AS (
            SELECT a AS record_id, rule, weight FROM {edges} UNION ALL SELECT b, rule, weight FROM {edges}
        ),
        best AS (SELECT record_id, arg_max(rule, weight) AS rule, max(weight) AS weight FROM ends GROUP BY record_id)
        SELECT '{kind}' AS entity_kind, m.entity_id, m.source_system, m.source_table, m.record_key, m.load_id,
               coalesce(b.rule, 'singleton') AS match_rule, b.weight AS match_weight, '{run_id}' AS run_id
        FROM {members} m LEFT JOIN best b USING (record_id)
    """
