"""The scorecard: completeness, validity, uniqueness and cross-system consistency per source and entity kind.

Scores are shares of checks passed (1.0 = clean): for expectation-based dimensions, rows passing over rows checked
in the latest validation run; for consistency, entities the source shares with another system on which no
finding says they disagree.
"""

from __future__ import annotations

from grassroots.report.current import CURRENT_FINDING, CURRENT_QUARANTINE, CURRENT_VALIDATION, TABLE_KIND
from grassroots.report.inputs import view_name

DIMENSIONS = ("completeness", "validity", "uniqueness", "consistency")

KINDS_RE = "(person|place|thing|event|organization)"


def dimension_sql(expectation_type: str) -> str:
    """Which quality dimension an expectation type measures."""
    t = expectation_type
    return f"""CASE
        WHEN {t} IN ('expect_column_values_to_not_be_null', 'expect_column_values_to_be_null') THEN 'completeness'
        WHEN {t} LIKE '%unique%' THEN 'uniqueness'
        WHEN {t} LIKE '%column_pair%' OR {t} LIKE '%multicolumn%' THEN 'consistency'
        ELSE 'validity' END"""


def kind_of_table_sql(source: str, table: str) -> str:
    """The entity kind of a source table or export file (HJRK_429004_20261124_1.csv is table HJRK): learnt from
    entity_source, else named in the table, else 'other'."""
    return f"""coalesce(
        (SELECT min(entity_kind) FROM "{TABLE_KIND}" k WHERE k.source = {source}
            AND ({table} = k.table_name OR starts_with({table}, k.table_name || '_'))),
        nullif(regexp_extract({table}, '{KINDS_RE}'), ''), 'other')"""


def expectation_scores_sql() -> str:
    """Long form: one row per source, kind and expectation-based dimension."""
    return f"""
        SELECT coalesce(source, 'model') AS source, {kind_of_table_sql("v.source", "v.table_name")} AS entity_kind,
               {dimension_sql("expectation_type")} AS dimension,
               CASE WHEN sum(element_count) > 0
                    THEN 1 - sum(coalesce(unexpected_count, 0)) / sum(element_count)
                    ELSE avg(CAST(success AS DOUBLE)) END AS score,
               sum(element_count) AS checked, count(*) FILTER (WHERE NOT success) AS failed_expectations
        FROM "{CURRENT_VALIDATION}" v GROUP BY ALL"""


def consistency_scores_sql() -> str:
    """Long form: consistency of each source's shared entities with the other systems."""
    return f"""
        WITH es AS (SELECT DISTINCT entity_kind, entity_id, source_system FROM "{view_name("entity_source")}"),
        shared AS (
            SELECT entity_kind, entity_id FROM es GROUP BY ALL HAVING count(DISTINCT source_system) > 1
        ),
        disputed AS (
            SELECT DISTINCT f.entity_kind, f.entity_id, es.source_system
            FROM "{CURRENT_FINDING}" f JOIN es USING (entity_kind, entity_id)
            WHERE f.systems IS NULL OR list_contains(f.systems, es.source_system)
        )
        SELECT es.source_system AS source, es.entity_kind, 'consistency' AS dimension,
               1 - count(d.entity_id) / count(*) AS score, count(*) AS checked,
               CAST(NULL AS BIGINT) AS failed_expectations
        FROM es JOIN shared USING (entity_kind, entity_id)
        LEFT JOIN disputed d USING (entity_kind, entity_id, source_system)
        GROUP BY ALL"""


def scorecard_sql() -> str:
    """One row per source and entity kind: the four scores, records, quarantined rows, failed expectations and
    when its data was last validated (a source whose sync stalls keeps an old date)."""
    long = f"SELECT * FROM ({expectation_scores_sql()}) UNION ALL SELECT * FROM ({consistency_scores_sql()})"
    scores = ",\n".join(f"max(score) FILTER (WHERE dimension = '{d}') AS {d}" for d in DIMENSIONS)
    return f"""
        WITH long AS ({long}),
        scored AS (
            SELECT source, entity_kind, {scores}, sum(failed_expectations) AS failed_expectations
            FROM (SELECT source, entity_kind, dimension, sum(score * coalesce(checked, 1)) / nullif(sum(coalesce(checked, 1)), 0) AS score,
                         sum(failed_expectations) AS failed_expectations
                  FROM long GROUP BY ALL)
            GROUP BY ALL
        ),
        records AS (
            SELECT source_system AS source, entity_kind, count(*) AS records
            FROM "{view_name("entity_source")}" GROUP BY ALL
        ),
        checked AS (
            SELECT coalesce(source, 'model') AS source, {kind_of_table_sql("v.source", "v.table_name")} AS entity_kind,
                   timezone('UTC', max(validated_at)) AS last_checked
            FROM "{view_name("validation_result")}" v GROUP BY ALL
        ),
        quarantined AS (
            SELECT source, {kind_of_table_sql("q.source", "q.table_or_file")} AS entity_kind,
                   count(*) FILTER (WHERE severity = 'error') AS refused,
                   count(*) FILTER (WHERE severity <> 'error') AS warned
            FROM "{CURRENT_QUARANTINE}" q GROUP BY ALL
        )
        SELECT source, entity_kind, s.completeness, s.validity, s.uniqueness, s.consistency,
               coalesce(r.records, 0) AS records, coalesce(q.refused, 0) AS refused,
               coalesce(q.warned, 0) AS warned, coalesce(s.failed_expectations, 0) AS failed_expectations,
               c.last_checked
        FROM scored s FULL JOIN records r USING (source, entity_kind) FULL JOIN quarantined q USING (source, entity_kind)
        LEFT JOIN checked c USING (source, entity_kind)
        ORDER BY source, entity_kind"""
