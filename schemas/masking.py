"""What analysts see: each field's masking rule as a DuckDB expression, and the masked view of a whole table.

The SQL is the vectorized twin of grassroots.privacy (mask_id, mask_phone, mask_name) and of :func:`mask_address`
below; unit tests hold each pair equal. Sensitive fields are withheld (NULL) in the analysts' view.
"""

from __future__ import annotations

import re

from schemas.model import Field, Table

# An address is cut after the first community-level unit; failing that, after the township.
_COMMUNITY_RE = r"^.*?(?:社区|居委会|村委会)"
_VILLAGE_RE = r"^.*?村"
_TOWNSHIP_RE = r"^.*?(?:街道|办事处|镇|乡)"
_ADDRESS_RES = (_COMMUNITY_RE, _VILLAGE_RE, _TOWNSHIP_RE)


def mask_address(value: str | None) -> str | None:
    """沙嘴街道新华社区光明路12号3栋 -> 沙嘴街道新华社区***: keep the address down to the community only."""
    if value is None:
        return None
    for pattern in _ADDRESS_RES:
        m = re.match(pattern, value)
        if m:
            return m.group(0) + "***"
    return "***"


def _quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def _mask_id_sql(x: str) -> str:
    return (
        f"CASE WHEN length({x}) <= 10 THEN repeat('*', length({x})) "
        f"ELSE left({x}, 6) || repeat('*', length({x}) - 10) || right({x}, 4) END"
    )


def _mask_phone_sql(x: str) -> str:
    return (
        f"CASE WHEN length({x}) = 11 AND left({x}, 1) = '1' THEN left({x}, 3) || '****' || right({x}, 4) "
        f"WHEN length({x}) <= 4 THEN repeat('*', length({x})) "
        f"ELSE repeat('*', length({x}) - 4) || right({x}, 4) END"
    )


def _mask_name_sql(x: str) -> str:
    return f"left({x}, 1) || repeat('*', greatest(length({x}) - 1, 0))"


def _mask_address_sql(x: str) -> str:
    cuts = ", ".join(f"nullif(regexp_extract({x}, '{pattern}'), '')" for pattern in _ADDRESS_RES)
    return f"coalesce({cuts}, '') || '***'"


_MASK_SQL = {
    "id": _mask_id_sql,
    "phone": _mask_phone_sql,
    "name": _mask_name_sql,
    "address": _mask_address_sql,
}


def mask_sql(field: Field, expr: str | None = None) -> str:
    """The expression an analyst sees for ``field`` (``expr`` defaults to the quoted column); NULL stays NULL."""
    x = expr if expr is not None else _quote(field.name)
    if field.privacy == "sensitive":
        return f"CAST(NULL AS {field.type})"
    if field.mask == "none":
        return x
    # Masks work on text: a non-VARCHAR column is cast first.
    text = x if field.type == "VARCHAR" else f"CAST({x} AS VARCHAR)"
    return f"CASE WHEN {x} IS NULL THEN NULL ELSE {_MASK_SQL[field.mask](text)} END"


def analyst_select_sql(table: Table, source: str | None = None) -> str:
    """``SELECT`` of every column of ``table`` as analysts see it, from ``source`` (default: the table itself)."""
    cols = ",\n    ".join(f"{mask_sql(f)} AS {_quote(f.name)}" for f in table.fields)
    return f"SELECT\n    {cols}\nFROM {source if source is not None else _quote(table.name)}"
