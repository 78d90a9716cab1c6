"""Vehicle plates (GA 36): full-width forms, separators and lower case cleaned; ordinary and new-energy plates
recognized; 鄂M marks Xiantao.
"""

from __future__ import annotations

from transforms.layered import Layered
from transforms.text import blank_sql, first_status_sql, halfwidth_sql, has_fullwidth_sql, placeholder_sql

FIELDS = ("value", "status", "kind", "local")

STATUSES: dict[str, str] = {
    "ok": "already canonical: 鄂M12345, 鄂MD12345, 鄂M12345D",
    "normalized_fullwidth": "full-width letters or digits made half-width",
    "normalized_separators": "a separator (· - space .) removed",
    "normalized_case": "lower-case letters made upper-case",
    "bad_city_letter": "the letter after the province is I or O (never issued) or not a letter",
    "bad_province": "does not start with a province abbreviation",
    "bad_format": "starts like a plate but the serial has no ordinary or new-energy shape",
    "missing": "NULL or blank",
    "placeholder": "a placeholder such as 无 / 不详",
}
USABLE = ("ok", "normalized_fullwidth", "normalized_separators", "normalized_case")

PROVINCES = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼"
LOCAL_PREFIX = "鄂M"
# Serial letters exclude I and O; new-energy plates have 8 characters with D/F first (small) or last (large).
_S = "[A-HJ-NP-Z0-9]"
_KINDS = (
    ("new_energy_small", f"^.[A-Z][DF]{_S}[0-9]{{4}}$"),
    ("new_energy_large", "^.[A-Z][0-9]{5}[DF]$"),
    ("ordinary", f"^.[A-Z]{_S}{{5}}$"),
    ("special", f"^.[A-Z]{_S}{{4}}[挂学警港澳领试超]$"),
)


def plate_sql(col: str) -> Layered:
    """Outputs value, status, kind (ordinary / new_energy_small / new_energy_large / special), local (鄂M)."""
    kind = " ".join(f"WHEN regexp_matches(@up, '{pattern}') THEN '{name}'" for name, pattern in _KINDS)
    rules = [
        (blank_sql("@raw"), "missing"),
        (placeholder_sql("@raw"), "placeholder"),
        (f"NOT contains('{PROVINCES}', left(@up, 1)) OR length(@up) < 2", "bad_province"),
        ("NOT regexp_matches(substr(@up, 2, 1), '^[A-HJ-NP-Z]$')", "bad_city_letter"),
        ("@kind IS NULL", "bad_format"),
        (has_fullwidth_sql("@raw"), "normalized_fullwidth"),
        ("upper(@raw) <> @up", "normalized_separators"),
        ("@raw <> @up", "normalized_case"),
    ]
    usable = "@status IN ('ok', 'normalized_fullwidth', 'normalized_separators', 'normalized_case')"
    layers: list[dict[str, str]] = [
        {"raw": "CAST(@in AS VARCHAR)"},
        {"up": f"upper(regexp_replace({halfwidth_sql('@raw')}, '[\\s\\x{{A0}}·•・.\\-_—]', '', 'g'))"},
        {"kind": f"CASE {kind} END"},
        {"status": first_status_sql(rules)},
        {"value": f"CASE WHEN {usable} THEN @up END",
         "plate_kind": f"CASE WHEN {usable} THEN @kind END",
         "local": f"CASE WHEN {usable} THEN starts_with(@up, '{LOCAL_PREFIX}') END"},
    ]  # fmt: skip
    return Layered(col, tuple(layers), ("value", "status", "plate_kind", "local"), names=FIELDS)
