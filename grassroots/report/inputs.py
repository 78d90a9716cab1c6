"""What the quality report reads: a small typed declaration of table sources, bound to DuckDB views.

Each input is a DuckDB table or view name (e.g. ``lake.main.finding``) or a Parquet path or glob. An input that is
not given becomes an empty view with its declared columns, so a report can be built before every stage exists.
"""

from __future__ import annotations

import logging
from collections.abc import Set
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

import schemas
from expectations import results
from grassroots import quarantine
from grassroots.errors import FatalError
from grassroots.home import Home
from schemas.model import Table

log = logging.getLogger(__name__)

# The columns the report reads from the grid-freshness mart (warehouse.marts.grid_freshness_sql).
GRID_FRESHNESS_COLUMNS: tuple[tuple[str, str], ...] = (
    ("grid_code", "VARCHAR"),
    ("people", "BIGINT"),
    ("last_updated", "TIMESTAMPTZ"),
    ("days_since_update", "BIGINT"),
    ("person_share_updated_90d", "DOUBLE"),
)

QUALITY_TABLES = ("quarantine", "validation_result", "finding", "entity_source", "field_provenance")


@dataclass(frozen=True)
class ReportInputs:
    """Where each input lives: a DuckDB relation name, or a Parquet path/glob; ``None`` means not available.

    ``entities`` maps an entity kind (person, place, ...) to its golden table; the worklists take suggested values
    from it. ``grid_freshness`` is the warehouse mart of the same name.
    """

    quarantine: str | None = None
    validation_result: str | None = None
    finding: str | None = None
    entity_source: str | None = None
    field_provenance: str | None = None
    grid_freshness: str | None = None
    entities: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_catalog(cls, alias: str, tables: Set[str], marts: Set[str] = frozenset()) -> ReportInputs:
        """Inputs from an attached lake (the analyst lake): its ``main`` tables and ``marts`` views it holds."""

        def ref(name: str) -> str | None:
            return f'{alias}.main."{name}"' if name in tables else None

        return cls(
            quarantine=ref("quarantine"),
            validation_result=ref("validation_result"),
            finding=ref("finding"),
            entity_source=ref("entity_source"),
            field_provenance=ref("field_provenance"),
            grid_freshness=f'{alias}.marts."grid_freshness"' if "grid_freshness" in marts else None,
            entities={t.name: r for t in schemas.ENTITIES if (r := ref(t.name)) is not None},
        )

    @classmethod
    def from_home(cls, home: Path) -> ReportInputs:
        """What a home holds before anything is published: the quarantine and validation-result files."""
        has_quarantine = any(quarantine.quarantine_dir(home).glob("stage=*/*.parquet"))
        has_results = any(results.results_dir(Home(home)).glob("*.parquet"))
        return cls(
            quarantine=quarantine.glob(home) if has_quarantine else None,
            validation_result=results.glob(Home(home)) if has_results else None,
        )

    def merged(self, other: ReportInputs) -> ReportInputs:
        """These inputs, with gaps filled from ``other``."""
        return ReportInputs(
            quarantine=self.quarantine or other.quarantine,
            validation_result=self.validation_result or other.validation_result,
            finding=self.finding or other.finding,
            entity_source=self.entity_source or other.entity_source,
            field_provenance=self.field_provenance or other.field_provenance,
            grid_freshness=self.grid_freshness or other.grid_freshness,
            entities={**other.entities, **self.entities},
        )


def view_name(name: str) -> str:
    """The view the report's SQL reads ``name`` through."""
    return f"report_{name}"


def _is_path(source: str) -> bool:
    return source.endswith(".parquet") or ("/" in source and "*" in source)


def source_sql(source: str) -> str:
    """A FROM-clause item for a relation name or a Parquet path/glob."""
    if _is_path(source):
        literal = source.replace("'", "''")
        return f"read_parquet('{literal}', union_by_name = true)"
    return source


def _empty_sql(columns: list[tuple[str, str]]) -> str:
    cols = ", ".join(f'CAST(NULL AS {type_}) AS "{name}"' for name, type_ in columns)
    return f"SELECT {cols} WHERE false"


def _columns(table: Table) -> list[tuple[str, str]]:
    return [(f.name, f.type) for f in table.fields]


def bind_view_sql(name: str, source: str | None, columns: list[tuple[str, str]]) -> str:
    """``CREATE VIEW`` of the declared columns from ``source``; empty when there is no source."""
    if source is None:
        body = _empty_sql(columns)
    else:
        cols = ", ".join(f'CAST("{c}" AS {t}) AS "{c}"' for c, t in columns)
        body = f"SELECT {cols} FROM {source_sql(source)}"
    return f'CREATE OR REPLACE TEMP VIEW "{view_name(name)}" AS {body}'


def bind(con: duckdb.DuckDBPyConnection, inputs: ReportInputs) -> dict[str, bool]:
    """Create every report view on ``con``; returns which inputs were present."""
    declared: dict[str, tuple[str | None, list[tuple[str, str]]]] = {
        name: (getattr(inputs, name), _columns(schemas.get(name))) for name in QUALITY_TABLES
    }
    declared["grid_freshness"] = (inputs.grid_freshness, list(GRID_FRESHNESS_COLUMNS))
    present: dict[str, bool] = {}
    for name, (source, columns) in declared.items():
        try:
            con.execute(bind_view_sql(name, source, columns))
        except duckdb.Error as exc:
            raise FatalError(
                f"report input {name!r} from {source!r} does not have the declared columns "
                f"{[c for c, _ in columns]} ({type(exc).__name__}: {exc}); point ReportInputs at the right table"
            ) from None
        present[name] = source is not None
        if source is None:
            log.info("report input %s is not available; its sections will be empty", name)
    for kind, source in inputs.entities.items():
        con.execute(
            f'CREATE OR REPLACE TEMP VIEW "{view_name("entity_" + kind)}" AS SELECT * FROM {source_sql(source)}'
        )
    return present
