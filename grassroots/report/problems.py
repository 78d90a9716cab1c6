"""The biggest problems of the current runs, with a few masked examples each, and quarantined rows by reason."""

from __future__ import annotations

from grassroots.report.current import CURRENT_FINDING, CURRENT_QUARANTINE
from schemas import codes

EXAMPLES_PER_PROBLEM = 3


def quarantine_by_reason_sql() -> str:
    """One row per source, rule and severity of the current quarantine, largest first."""
    return f"""
        SELECT source, rule, severity, count(*) AS records, count(DISTINCT table_or_file) AS tables,
               min(reason) AS reason
        FROM "{CURRENT_QUARANTINE}" GROUP BY ALL ORDER BY records DESC, source, rule"""


def quarantine_problems_sql() -> str:
    """Quarantine problems: source, table, rule, count and examples (record key = masked value)."""
    return f"""
        SELECT 'quarantine' AS origin, source AS systems, table_or_file AS location, rule, min(reason) AS what,
               count(*) AS records,
               list(coalesce(record_key, 'line ' || CAST(line AS VARCHAR), '?') || ': ' ||
                    coalesce(value_masked, '(empty)') ORDER BY record_key, line)[1:{EXAMPLES_PER_PROBLEM}]
                   AS examples
        FROM "{CURRENT_QUARANTINE}" GROUP BY source, table_or_file, rule"""


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def finding_kind_labels_sql() -> str:
    """The finding kinds with their names in both languages (schemas/codes/finding_kind.csv)."""
    rows = ", ".join(
        f"({_literal(r['code'])}, {_literal(r['name'] + ' ' + r['name_en'])})"
        for r in codes.load("finding_kind")
    )
    return f"SELECT * FROM (VALUES {rows}) AS t(kind, label)"


def finding_values_sql(alias: str) -> str:
    """A finding's values as text: 'system=value; ...', or the distinct IDs of a shared-ID finding."""
    zipped = (
        f"array_to_string(list_transform(list_zip(coalesce({alias}.systems, []), {alias}.values_masked), "
        "lambda p: coalesce(p[1], '?') || '=' || coalesce(p[2], '(empty)')), '; ')"
    )
    return f"CASE WHEN {alias}.kind = 'shared_id' THEN array_to_string({alias}.values_masked, ', ') ELSE {zipped} END"


def finding_problems_sql() -> str:
    """Cross-system findings: entity kind, field, kind, how many entities, examples (system = masked value)."""
    return f"""
        SELECT 'finding' AS origin, string_agg(DISTINCT array_to_string(f.systems, '+'), ', ') AS systems,
               f.entity_kind || '.' || f.field AS location, f.kind AS rule, coalesce(min(l.label), f.kind) AS what,
               count(*) AS records,
               list({finding_values_sql("f")} ORDER BY f.entity_id)[1:{EXAMPLES_PER_PROBLEM}] AS examples
        FROM "{CURRENT_FINDING}" f LEFT JOIN ({finding_kind_labels_sql()}) l USING (kind)
        GROUP BY f.entity_kind, f.field, f.kind"""


def top_problems_sql(limit: int) -> str:
    return f"""
        SELECT * FROM ({quarantine_problems_sql()} UNION ALL BY NAME {finding_problems_sql()})
        ORDER BY records DESC, location, rule LIMIT {int(limit)}"""
