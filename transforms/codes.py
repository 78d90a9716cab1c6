"""Coded values (sex, ethnicity, certificate type, person category, event status and type) mapped onto the national
and local codes of schemas/codes, from codes, names, short names and the legacy spellings listed in those tables.
"""

from __future__ import annotations

from schemas import codes
from transforms.layered import Layered
from transforms.text import blank_sql, halfwidth_sql, placeholder_sql, quote

FIELDS = ("value", "status")

STATUSES: dict[str, str] = {
    "ok": "already the code",
    "mapped_code": "the code written differently (spaces, full-width, 1 for 01)",
    "mapped_name": "the name, short name or English name of the code",
    "mapped_legacy": "a legacy spelling listed in the code table",
    "mapped_keyword": "free text containing a keyword of the code (event types only)",
    "legacy_convention": "sex written 0 = male / 1 = female by a legacy application, converted",
    "missing": "NULL or blank",
    "placeholder": "a placeholder such as 无 / 不详",
    "unknown_value": "no code, name or spelling matched",
}
USABLE = ("ok", "mapped_code", "mapped_name", "mapped_legacy", "mapped_keyword", "legacy_convention")

_NAME_COLUMNS = ("name", "short_name", "name_en")


def _key_sql(x: str) -> str:
    """The lookup key: half-width, upper case, no whitespace."""
    return f"upper(regexp_replace({halfwidth_sql(x)}, '[\\s\\x{{A0}}]', '', 'g'))"


def _key(text: str) -> str:
    return "".join(text.upper().split())


def spellings(table: str) -> dict[str, tuple[str, str]]:
    """Lookup key -> (code, how it matched) for every code, name and legacy spelling of a code table.

    Codes win over names and names over legacy spellings when one spelling appears twice.
    """
    found: dict[str, tuple[str, str]] = {}
    rows = codes.load(table)
    for row in rows:
        code = row["code"]
        found.setdefault(_key(code), (code, "mapped_code"))
        if code.isdigit() and code.lstrip("0"):
            found.setdefault(code.lstrip("0"), (code, "mapped_code"))
    for row in rows:
        for column in _NAME_COLUMNS:
            if row.get(column):
                found.setdefault(_key(row[column]), (row["code"], "mapped_name"))
    for row in rows:
        for spelling in codes.split(row.get("legacy_spellings")):
            found.setdefault(_key(spelling), (row["code"], "mapped_legacy"))
    return found


def _lookup_sql(key: str, mapping: dict[str, tuple[str, str]], part: int) -> str:
    whens = " ".join(f"WHEN {quote(k)} THEN {quote(v[part])}" for k, v in mapping.items())
    return f"CASE {key} {whens} END"


def _keyword_sql(key: str, table: str) -> tuple[str, str]:
    """(code, keyword) of the longest keyword of ``table`` contained in ``key``: longer keywords are more specific."""
    pairs = [(_key(k), row["code"]) for row in codes.load(table) for k in codes.split(row.get("keywords"))]
    pairs.sort(key=lambda p: -len(p[0]))
    whens = " ".join(f"WHEN contains({key}, {quote(k)}) THEN {quote(code)}" for k, code in pairs)
    return (f"CASE {whens} END" if pairs else "NULL"), "mapped_keyword"


def code_sql(col: str, table: str, remap: dict[str, str] | None = None, remap_sql: str = "NULL") -> Layered:
    """Outputs value (the code) and status for a column holding codes, names or legacy spellings of ``table``.

    ``remap`` rewrites lookup keys first (a legacy convention such as sex 0 = male), or ``remap_sql``, an SQL
    expression over the key ``@key0`` giving the rewritten key or NULL; rewritten rows get the status
    ``legacy_convention``. Tables with a ``keywords`` column also match free text containing a keyword.
    """
    mapping = spellings(table)
    keyword_code, _ = _keyword_sql("@key", table)
    if remap:
        remap_sql = _lookup_sql("@key0", {k: (v, "") for k, v in remap.items()}, 0)
    rules = [
        (blank_sql("@raw"), "missing"),
        ("@remapped IS NOT NULL", "legacy_convention"),
        ("@exact IS NOT NULL AND @raw = @exact", "ok"),
        ("@exact IS NOT NULL", "@how"),
        ("@keyword IS NOT NULL", "mapped_keyword"),
        (placeholder_sql("@raw"), "placeholder"),
    ]
    whens = " ".join(
        f"WHEN {cond} THEN {status if status.startswith('@') else quote(status)}" for cond, status in rules
    )
    layers: list[dict[str, str]] = [
        {"raw": "CAST(@in AS VARCHAR)"},
        {"key0": _key_sql("@raw")},
        {"remapped": remap_sql},
        {"key": "coalesce(@remapped, @key0)"},
        {"exact": _lookup_sql("@key", mapping, 0), "how": _lookup_sql("@key", mapping, 1)},
        {"keyword": keyword_code},
        {"status": f"(CASE {whens} ELSE 'unknown_value' END)"},
        {"value": "CASE WHEN @status IN ('ok', 'mapped_code', 'mapped_name', 'mapped_legacy', 'legacy_convention')"
                  " THEN @exact WHEN @status = 'mapped_keyword' THEN @keyword END"},
    ]  # fmt: skip
    return Layered(col, tuple(layers), ("value", "status"))


def sex_sql(col: str, legacy_zero_male: bool = False, id_col: str | None = None) -> Layered:
    """Sex (GB/T 2261.1: 0 unknown, 1 male, 2 female, 9 unspecified) from 男/1/M/男性/F/女 ...

    ``legacy_zero_male`` reads 0 as male and 1 as female for a whole source (sex_convention_sql() found it follows
    that convention). ``id_col``, the record's raw citizen ID, decides row by row instead, for sources where
    only some rows came from the legacy application: 0 with a male ID, or 1 with a female ID, is the legacy
    convention; 1 with a male ID is the standard one.
    """
    if legacy_zero_male:
        return code_sql(col, "sex", remap={"0": "1", "1": "2"})
    if id_col is None:
        return code_sql(col, "sex")
    return code_sql(col, "sex", remap_sql=_legacy_by_id_sql(id_col))


def id_sex_sql(id_col: str) -> str:
    """'1' or '2' from the sequence parity of a raw 18- or 15-digit ID (17th or 15th digit), else NULL."""
    raw = f"upper(trim(CAST({id_col} AS VARCHAR)))"
    digit = (
        f"CASE WHEN regexp_matches({raw}, '^[0-9]{{17}}[0-9X]$') THEN substr({raw}, 17, 1)"
        f" WHEN regexp_matches({raw}, '^[0-9]{{15}}$') THEN substr({raw}, 15, 1) END"
    )
    return f"CASE WHEN (ascii({digit}) - 48) % 2 = 1 THEN '1' WHEN {digit} IS NOT NULL THEN '2' END"


def _legacy_by_id_sql(id_col: str) -> str:
    by_id = id_sex_sql(id_col)
    return f"CASE WHEN @key0 = '0' AND {by_id} = '1' THEN '1' WHEN @key0 = '1' AND {by_id} = '2' THEN '2' END"


def ethnicity_sql(col: str) -> Layered:
    """Ethnic group (GB/T 3304) from 汉 / 汉族 / 01 / 1 / Han ...; 穿青人 and other undetermined groups are 97."""
    return code_sql(col, "ethnicity")


def certificate_type_sql(col: str) -> Layered:
    return code_sql(col, "certificate_type")


def person_category_sql(col: str) -> Layered:
    return code_sql(col, "person_category")


def event_status_sql(col: str) -> Layered:
    return code_sql(col, "event_status")


def event_type_sql(col: str) -> Layered:
    """Event type from a code, a name, or free text by the keyword rules of event_type.csv (longest keyword wins)."""
    return code_sql(col, "event_type")


def sex_convention_sql(source: str, sex_col: str, id_col: str, min_rows: int = 20, share: float = 0.9) -> str:
    """A one-row query telling whether a source writes sex as 0 = male, 1 = female.

    Compares the raw 0/1 values with the parity of the 17th digit of valid-looking 18-character IDs; returns
    compared, agree_standard, agree_legacy and convention ('standard', 'legacy_zero_male' or 'undetermined').
    """
    raw = f"trim(CAST({sex_col} AS VARCHAR))"
    odd = f"({id_sex_sql(id_col)} = '1')"
    base = (
        f"SELECT {raw} AS s, {odd} AS male FROM {source}"
        f" WHERE {raw} IN ('0', '1') AND {id_sex_sql(id_col)} IS NOT NULL"
    )
    return (
        "SELECT count(*) AS compared,"
        " count(*) FILTER (WHERE s = '1' AND male) AS agree_standard,"
        " count(*) FILTER (WHERE (s = '0' AND male) OR (s = '1' AND NOT male)) AS agree_legacy,"
        f" CASE WHEN count(*) < {min_rows} THEN 'undetermined'"
        f" WHEN agree_legacy >= {share} * count(*) THEN 'legacy_zero_male'"
        f" WHEN count(*) FILTER (WHERE s = '0') <= {1 - share} * count(*) THEN 'standard'"
        f" ELSE 'undetermined' END AS convention FROM ({base})"
    )
