"""What staging does with each declared table: read from the source declarations, nothing hard-coded per table.

A Mapping to an entity kind makes a record plan; one with ``attach`` enriches the records of another table; a
Mapping to a relation makes a relation plan. Relation mappings of a table also travel with its entity plan (an
event's parties are part of the event record).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from extractors.declare import ENTITY_KINDS, Cursor, DatabaseSource, Mapping, Source


@dataclass(frozen=True)
class TablePlan:
    """One Mapping of one landed table."""

    source: str
    table: str
    key: tuple[str, ...]
    cursor: str | None  # the column holding when the source last changed a row, when there is one
    from_files: bool
    mapping: Mapping
    related: tuple[Mapping, ...] = ()  # relation mappings of the same table, for entity plans
    owner: str | None = None  # for relation plans: the entity kind of the table's own records
    # for relation plans: source columns the owner's own mapping standardizes too (flagged there, not twice)
    owner_columns: frozenset[str] = frozenset()
    # 1, 2 ... for a table's further mappings to one target (a resident's current, then registered, home)
    variant: int = 0

    @property
    def target(self) -> str:
        return self.mapping.target

    @property
    def is_entity(self) -> bool:
        return self.mapping.target in ENTITY_KINDS and self.mapping.attach is None

    @property
    def is_enrichment(self) -> bool:
        return self.mapping.attach is not None

    @property
    def name(self) -> str:
        """A name safe in a table name, unique per plan: source, table, target (and variant)."""
        base = f"{self.source}_{self.table}_{self.target}".lower()
        return f"{base}_{self.variant}" if self.variant else base


def _units(source: Source) -> Iterable[tuple[str, tuple[str, ...], str | None, bool, tuple[Mapping, ...]]]:
    if isinstance(source, DatabaseSource):
        for t in source.tables:
            cursor = t.changes.column if isinstance(t.changes, Cursor) else None
            yield t.name, t.key, cursor, False, t.mappings
    else:
        for k in source.kinds:
            yield k.name, k.key, None, True, k.mappings


def plans(sources: Iterable[Source]) -> list[TablePlan]:
    """Every mapping of every declared table, as a plan."""
    out = []
    for source in sources:
        for table, key, cursor, files, mappings in _units(source):
            relations = tuple(m for m in mappings if m.target not in ENTITY_KINDS)
            own = next((m for m in mappings if m.target in ENTITY_KINDS and m.attach is None), None)
            owner = own.target if own else None
            owner_columns = frozenset(own.fields.values()) if own else frozenset()
            for i, m in enumerate(mappings):
                variant = sum(1 for earlier in mappings[:i] if earlier.target == m.target)
                if m.target in ENTITY_KINDS:
                    related = relations if m.attach is None else ()
                    out.append(TablePlan(source.name, table, key, cursor, files, m, related, variant=variant))
                else:
                    out.append(
                        TablePlan(
                            source.name, table, key, cursor, files, m,
                            owner=owner, owner_columns=owner_columns, variant=variant,
                        )
                    )  # fmt: skip
    return out


def enrichments_of(plan: TablePlan, all_plans: Iterable[TablePlan]) -> list[TablePlan]:
    """The plans whose rows enrich ``plan``'s records (same source and target, attached to its table)."""
    return [
        p
        for p in all_plans
        if p.is_enrichment
        and p.source == plan.source
        and p.target == plan.target
        and p.mapping.attach is not None
        and p.mapping.attach.table == plan.table
    ]
