"""Lineage rows shared by every kind: which record became which entity, by which rule and weight."""

from __future__ import annotations


def entity_source_sql(kind: str, members: str, edges: str, run_id: str) -> str:
    """entity_source rows; the rule and weight are those of the record's strongest edge inside its entity (an edge
    the clustering guard cut, between two entities, explains nothing)."""
    return f"""
        WITH inside AS (
            SELECT e.a, e.b, e.rule, e.weight FROM {edges} e
            JOIN {members} x ON x.record_id = e.a JOIN {members} y ON y.record_id = e.b
            WHERE x.entity_id = y.entity_id
        ),
        ends AS (SELECT a AS record_id, rule, weight FROM inside UNION ALL SELECT b, rule, weight FROM inside),
        best AS (SELECT record_id, arg_max(rule, weight) AS rule, max(weight) AS weight FROM ends GROUP BY record_id)
        SELECT '{kind}' AS entity_kind, m.entity_id, m.source_system, m.source_table, m.record_key, m.load_id,
               coalesce(b.rule, 'singleton') AS match_rule, b.weight AS match_weight, '{run_id}' AS run_id
        FROM {members} m LEFT JOIN best b USING (record_id)
    """
