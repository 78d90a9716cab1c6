"""Quarantine warnings for standardized values that could not be used: one row per flagged value, built in SQL.

The value stays in the staged row as NULL with its status (nothing is dropped); the warning tells the source
system's owner what to correct. Missing values are no finding of their own and are not listed.
"""

from __future__ import annotations

import schemas
from schemas.masking import mask_sql
from schemas.model import Field
from transforms.layered import ident
from transforms.staging.plan import TablePlan
from transforms.staging.table_sql import field_normalizers, literal

# A field outside the canonical model is masked like an ID: better too much than too little.
_UNKNOWN = Field("value", "VARCHAR", "", "", False, None, "personal", "id")


def _model_field(target: str, name: str) -> Field:
    fields = {f.name: f for f in schemas.get(target).fields}
    return fields.get(name, _UNKNOWN)


def flags_sql(plan: TablePlan, standardized: str, run_id: str) -> str | None:
    """Quarantine rows (grassroots.quarantine.SCHEMA) for the flagged values of one standardized plan."""
    parts = []
    for f, normalizer in field_normalizers(plan).items():
        column = plan.mapping.fields[f]
        if column in plan.owner_columns:
            continue  # the record's own mapping reads this column too and flags it once
        usable = ", ".join(literal(s) for s in (*normalizer.usable, "missing"))
        status = ident(f"{f}_status")
        masked = mask_sql(_model_field(plan.target, f), f"CAST({ident('raw_' + f)} AS VARCHAR)")
        reason = (
            f"{literal(f'{plan.target}.{f} from {plan.source}.{plan.table}.{column}: ')} || {status} || "
            "'; staged as NULL with this status, correct the value in the source system'"
        )
        parts.append(
            f"SELECT {literal(run_id)} AS run_id, 'standardize' AS stage, source_system AS source, "
            f"source_table AS table_or_file, record_key, source_line AS line, "
            f"{literal(f + '_')} || {status} AS rule, {reason} AS reason, CAST({masked} AS VARCHAR) AS value_masked, "
            f"'warning' AS severity, now() AS occurred_at FROM {standardized} WHERE {status} NOT IN ({usable})"
        )
    return " UNION ALL ".join(parts) if parts else None
