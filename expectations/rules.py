"""Declared expectations: each rule is one Great Expectations expectation and the DuckDB predicate of its failing rows.

A rule is declared once. ``expectation()`` is what GX evaluates for the official results and Data Docs;
``failing_sql()`` finds the same failing rows in DuckDB so they can be quarantined without leaving SQL. Unit tests hold
the two equal (the count GX reports is the count the predicate finds). Severity ``error`` blocks: the row goes to
quarantine and leaves the table. ``warning`` keeps the row and reports it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import great_expectations as gx
from great_expectations.expectations.expectation import Expectation
from great_expectations.expectations.metadata_types import FailureSeverity

from schemas.model import Table

Severity = Literal["error", "warning"]
Bound = dt.date | dt.datetime | int | float | None

# GX shows its own severity in Data Docs; ours decides what happens to the row.
_GX_SEVERITY: dict[str, FailureSeverity] = {
    "error": FailureSeverity.CRITICAL,
    "warning": FailureSeverity.WARNING,
}


def quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def literal(value: Any) -> str:
    """A SQL literal for a string, number, date or timestamp bound."""
    if isinstance(value, dt.datetime):
        return f"TIMESTAMP '{value.isoformat(sep=' ')}'"
    if isinstance(value, dt.date):
        return f"DATE '{value.isoformat()}'"
    if isinstance(value, (int, float)):
        return repr(value)
    return "'" + str(value).replace("'", "''") + "'"


@dataclass(frozen=True)
class Rule:
    """What every rule has: a name unique in its suite, a severity, a reason a person can act on, its columns."""

    name: str
    severity: Severity
    reason: str
    columns: tuple[str, ...]
    # Canonical tables the rule reads besides its own (referential checks); their names are resolved per run.
    references: tuple[str, ...] = field(default=(), kw_only=True)

    def expectation(self, tables: Mapping[str, str]) -> Expectation:
        raise NotImplementedError

    def failing_sql(self, batch: str, tables: Mapping[str, str]) -> str:
        """A predicate over one row of ``batch`` that is true exactly when the row fails."""
        raise NotImplementedError

    def _common(self) -> dict[str, Any]:
        return {
            "meta": {"rule": self.name, "severity": self.severity},
            "description": self.reason,
            "severity": _GX_SEVERITY[self.severity],
        }


@dataclass(frozen=True)
class NotNull(Rule):
    def expectation(self, tables: Mapping[str, str]) -> Expectation:
        return gx.expectations.ExpectColumnValuesToNotBeNull(column=self.columns[0], **self._common())

    def failing_sql(self, batch: str, tables: Mapping[str, str]) -> str:
        return f"{quote(self.columns[0])} IS NULL"


@dataclass(frozen=True)
class InSet(Rule):
    values: tuple[str, ...] = ()

    def expectation(self, tables: Mapping[str, str]) -> Expectation:
        return gx.expectations.ExpectColumnValuesToBeInSet(
            column=self.columns[0], value_set=list(self.values), **self._common()
        )

    def failing_sql(self, batch: str, tables: Mapping[str, str]) -> str:
        col = quote(self.columns[0])
        return f"{col} IS NOT NULL AND {col} NOT IN ({', '.join(literal(v) for v in self.values)})"


@dataclass(frozen=True)
class NotInSet(Rule):
    values: tuple[str, ...] = ()

    def expectation(self, tables: Mapping[str, str]) -> Expectation:
        return gx.expectations.ExpectColumnValuesToNotBeInSet(
            column=self.columns[0], value_set=list(self.values), **self._common()
        )

    def failing_sql(self, batch: str, tables: Mapping[str, str]) -> str:
        col = quote(self.columns[0])
        return f"{col} IN ({', '.join(literal(v) for v in self.values)})"


@dataclass(frozen=True)
class Matches(Rule):
    """The whole value matches ``regex`` (anchor it: DuckDB's ``~``, which GX compiles to, is a full match)."""

    regex: str = ""

    def expectation(self, tables: Mapping[str, str]) -> Expectation:
        return gx.expectations.ExpectColumnValuesToMatchRegex(
            column=self.columns[0], regex=self.regex, **self._common()
        )

    def failing_sql(self, batch: str, tables: Mapping[str, str]) -> str:
        col = quote(self.columns[0])
        return f"{col} IS NOT NULL AND NOT regexp_full_match({col}, {literal(self.regex)})"


@dataclass(frozen=True)
class Between(Rule):
    """min <= value <= max (a bound may be None); ``strict_max`` makes the upper bound exclusive."""

    min_value: Bound = None
    max_value: Bound = None
    strict_max: bool = False

    def expectation(self, tables: Mapping[str, str]) -> Expectation:
        return gx.expectations.ExpectColumnValuesToBeBetween(
            column=self.columns[0],
            min_value=self.min_value,
            max_value=self.max_value,
            strict_max=self.strict_max,
            **self._common(),
        )

    def failing_sql(self, batch: str, tables: Mapping[str, str]) -> str:
        col = quote(self.columns[0])
        out = []
        if self.min_value is not None:
            out.append(f"{col} < {literal(self.min_value)}")
        if self.max_value is not None:
            out.append(f"{col} {'>=' if self.strict_max else '>'} {literal(self.max_value)}")
        return f"{col} IS NOT NULL AND ({' OR '.join(out) or 'FALSE'})"


@dataclass(frozen=True)
class Unique(Rule):
    """No two rows share the value (or the combination of values); every row of a duplicate group fails."""

    def expectation(self, tables: Mapping[str, str]) -> Expectation:
        if len(self.columns) == 1:
            return gx.expectations.ExpectColumnValuesToBeUnique(column=self.columns[0], **self._common())
        return gx.expectations.ExpectCompoundColumnsToBeUnique(
            column_list=list(self.columns), **self._common()
        )

    def failing_sql(self, batch: str, tables: Mapping[str, str]) -> str:
        cols = ", ".join(quote(c) for c in self.columns)
        if len(self.columns) == 1:
            col = quote(self.columns[0])
            return (
                f"{col} IS NOT NULL AND {col} IN "
                f"(SELECT {col} FROM {batch} WHERE {col} IS NOT NULL GROUP BY {col} HAVING count(*) > 1)"
            )
        # GX joins each row to its group's count on equality: a row with a NULL in its key joins no group and
        # never fails (the not-null rules of the key columns speak for it).
        all_set = " AND ".join(f"{quote(c)} IS NOT NULL" for c in self.columns)
        return (
            f"{all_set} AND row({cols}) IN "
            f"(SELECT row({cols}) FROM {batch} WHERE {all_set} GROUP BY {cols} HAVING count(*) > 1)"
        )


@dataclass(frozen=True)
class PairEqual(Rule):
    """Two columns agree wherever both are present (cross-field checks)."""

    def expectation(self, tables: Mapping[str, str]) -> Expectation:
        a, b = self.columns
        return gx.expectations.ExpectColumnPairValuesToBeEqual(
            column_A=a, column_B=b, ignore_row_if="either_value_is_missing", **self._common()
        )

    def failing_sql(self, batch: str, tables: Mapping[str, str]) -> str:
        a, b = (quote(c) for c in self.columns)
        return f"{a} IS NOT NULL AND {b} IS NOT NULL AND {a} <> {b}"


@dataclass(frozen=True)
class Predicate(Rule):
    """A rule no built-in expectation states (check characters, references): GX runs it as SQL.

    ``predicate`` is true for a failing row; ``{person}``-style fields name other canonical tables.
    """

    predicate: str = ""

    def _resolved(self, tables: Mapping[str, str]) -> str:
        sql = self.predicate
        for name in self.references:
            sql = sql.replace("{" + name + "}", tables[name])
        return sql

    def expectation(self, tables: Mapping[str, str]) -> Expectation:
        cols = ", ".join(quote(c) for c in self.columns)
        # GX formats the query to put its batch in; braces of our own SQL (regex counts) must survive that.
        where = self._resolved(tables).replace("{", "{{").replace("}", "}}")
        return gx.expectations.UnexpectedRowsExpectation(
            unexpected_rows_query=f"SELECT {cols} FROM {{batch}} WHERE {where}", **self._common()
        )

    def failing_sql(self, batch: str, tables: Mapping[str, str]) -> str:
        return f"({self._resolved(tables)})"


def names(rules: Sequence[Rule]) -> list[str]:
    return [r.name for r in rules]


@dataclass(frozen=True)
class Derived:
    """A column computed over the table for cross-field rules; GX sees it as an ordinary column of the batch."""

    sql: str
    inputs: tuple[str, ...]


@dataclass(frozen=True)
class Declaration:
    """Everything declared about one canonical table: its model, extra rules, derived columns, multi-valued codes."""

    table: Table
    extra: Callable[[dt.date], tuple[Rule, ...]]
    derived: Mapping[str, Derived] = field(default_factory=dict)
    # Code fields holding several codes joined by '|'.
    multi_valued: frozenset[str] = frozenset()
    # Staging column -> the canonical field it holds, where the staging contract names it differently.
    staging_aliases: Mapping[str, str] = field(default_factory=dict)
