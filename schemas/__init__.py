"""The canonical model of the grassroots topic library: every table, its grain, fields, codes and privacy classes.

``schemas.TABLES`` lists them all; ``schemas.get(name)`` finds one. Code tables live in ``schemas.codes``.
"""

from __future__ import annotations

from schemas.entities import ENTITIES, EVENT, ORGANIZATION, PERSON, PLACE, THING
from schemas.lineage import LINEAGE
from schemas.model import Field, Table, arrow_schema, columns, comment_sql, create_table_sql
from schemas.quality import QUALITY
from schemas.relations import RELATIONS

TABLES: tuple[Table, ...] = ENTITIES + RELATIONS + LINEAGE + QUALITY

_BY_NAME = {t.name: t for t in TABLES}


def get(name: str) -> Table:
    """The table called ``name``; the error lists the known ones."""
    try:
        return _BY_NAME[name]
    except KeyError:
        raise KeyError(f"no table {name!r} in the model; known tables: {', '.join(_BY_NAME)}") from None


__all__ = [
    "ENTITIES",
    "EVENT",
    "LINEAGE",
    "ORGANIZATION",
    "PERSON",
    "PLACE",
    "QUALITY",
    "RELATIONS",
    "TABLES",
    "THING",
    "Field",
    "Table",
    "arrow_schema",
    "columns",
    "comment_sql",
    "create_table_sql",
    "get",
]
