"""The analyst projection of a canonical table: masked values, keyed pseudonyms for joins, scrubbed free text.

Driven by the privacy metadata of schemas (Field.privacy, Field.mask) through schemas.masking; this module adds the
pseudonym columns and the free-text scrubbing, both vectorized SQL.
"""

from __future__ import annotations

from schemas.masking import mask_sql
from schemas.model import Field, Table

PSEUDONYM_SUFFIX = "_pseudonym"
# Masks whose values identify a person across systems: analysts join on their pseudonyms instead.
_PSEUDONYMIZED = ("id", "phone")
# IDs (18 or 15 characters) and mobiles standing alone inside free text, as RE2 patterns for regexp_replace.
_ID_IN_TEXT = r"(^|[^0-9A-Za-z])(\d{6})(\d{8}|\d{5})(\d{3}[0-9Xx]|\d{4}|\d{3})([^0-9A-Za-z]|$)"
_MOBILE_IN_TEXT = r"(^|\D)(1[3-9]\d)[- ]?(\d{4})[- ]?(\d{4})(\D|$)"


def quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def hmac_sql(expr: str) -> str:
    """HMAC-SHA256 of ``expr`` (text) as 32 hex characters, like grassroots.privacy.pseudonym.

    The key never appears in the SQL: the two prepared parameters are ``key XOR opad`` and ``key XOR ipad``
    (RFC 2104), bound by the caller from :func:`hmac_pads`. sha256 over BLOBs keeps it vectorized.
    """
    inner = f"unhex(sha256($ipad::BLOB || encode({expr})))"
    return f"left(sha256($opad::BLOB || {inner}), 32)"


def hmac_pads(key: bytes) -> dict[str, bytes]:
    """The named parameters :func:`hmac_sql` expects, for a key of any length."""
    import hashlib

    block = hashlib.sha256(key).digest() if len(key) > 64 else key
    block = block.ljust(64, b"\0")
    return {"ipad": bytes(b ^ 0x36 for b in block), "opad": bytes(b ^ 0x5C for b in block)}


def scrub_text_sql(expr: str) -> str:
    """Mask every citizen ID and mobile number inside free text (the SQL twin of privacy.mask_text).

    RE2 has no look-around, so the boundary characters are captured and put back; two passes catch numbers
    separated by a single character, whose shared boundary the first pass consumed.
    """
    out = expr
    for _ in range(2):
        out = f"regexp_replace({out}, '{_ID_IN_TEXT}', '\\1\\2********\\4\\5', 'g')"
    for _ in range(2):
        out = f"regexp_replace({out}, '{_MOBILE_IN_TEXT}', '\\1\\2****\\4\\5', 'g')"
    return out


def _on_text(field: Field, make: str, column: str) -> str:
    """Apply a text expression template (``{x}`` = one value) to a VARCHAR or VARCHAR[] column."""
    if field.type == "VARCHAR[]":
        return f"list_transform({column}, x -> {make.replace('{x}', 'x')})"
    return make.replace("{x}", column)


def analyst_column_sql(field: Field) -> list[tuple[str, str]]:
    """(expression, output name) pairs for one field: its analyst value, then its pseudonym if it has one."""
    column = quote(field.name)
    if field.type == "VARCHAR[]" and field.mask != "none" and field.privacy != "sensitive":
        masked = _on_text(field, mask_sql(Field("x", "VARCHAR", "", "", mask=field.mask), "{x}"), column)
    elif field.privacy == "personal" and field.mask == "none" and field.type in ("VARCHAR", "VARCHAR[]"):
        masked = _on_text(field, scrub_text_sql("{x}"), column)
    else:
        masked = mask_sql(field)
    pairs = [(masked, field.name)]
    if field.mask in _PSEUDONYMIZED and field.privacy != "sensitive":
        pseudonym = _on_text(field, hmac_sql("{x}"), column)
        pairs.append((pseudonym, field.name + PSEUDONYM_SUFFIX))
    return pairs


def analyst_select_sql(table: Table, source: str) -> str:
    """``SELECT`` of ``table`` as analysts see it, reading ``source``; bind :func:`hmac_pads` as parameters."""
    pairs = [pair for field in table.fields for pair in analyst_column_sql(field)]
    cols = ",\n    ".join(f"{expr} AS {quote(name)}" for expr, name in pairs)
    return f"SELECT\n    {cols}\nFROM {source}"


def analyst_columns(table: Table) -> list[str]:
    """The column names of the analyst projection, in order."""
    return [name for field in table.fields for _, name in analyst_column_sql(field)]
