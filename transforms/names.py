"""Personal names: NFKC, traditional → simplified, separators of minority names unified to ·, annotations such as
（户主） removed and reported, placeholders nulled; a toneless pinyin key and a surname / given-name split for matching.
"""

from __future__ import annotations

from transforms.layered import Layered
from transforms.text import PLACEHOLDERS, blank_sql, first_status_sql, in_list_sql

FIELDS = ("value", "status", "annotation", "pinyin", "surname", "given_name")

STATUSES: dict[str, str] = {
    "ok": "already clean",
    "normalized_fullwidth": "NFKC changed full-width or compatibility characters",
    "normalized_spaces": "spaces or ideographic spaces removed between Han characters, or collapsed",
    "normalized_separator": "a minority-name separator (• ・ . ． ‧ ...) written as ·",
    "converted_traditional": "traditional characters converted to simplified (OpenCC t2s)",
    "annotation_removed": "a bracketed note such as （户主） or (已故) removed; it is in the annotation output",
    "suspect_chars": "digits or symbols inside the name; value kept",
    "suspect_encoding": "a ? or U+FFFD where a character was lost in an encoding round trip; value kept",
    "missing": "NULL or blank",
    "placeholder": "无名氏, 不详, 未知 ... or nothing left once annotations are removed",
}
USABLE = tuple(s for s in STATUSES if s not in ("missing", "placeholder"))

NAME_PLACEHOLDERS = ("无名氏", "无名", "佚名", "某某", "某", "匿名", "测试", "不祥", "未填", "待补充", "待定")
# Two-character surnames: a name starting with one of these splits after two characters, not one.
COMPOUND_SURNAMES = (
    "欧阳", "司马", "诸葛", "上官", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙", "宇文", "司徒", "司空", "夏侯", "轩辕", "令狐", "钟离",
    "闻人", "赫连", "澹台", "公冶", "宗政", "濮阳", "淳于", "单于", "太叔", "申屠", "仲孙", "独孤", "南宫", "西门", "呼延", "万俟", "端木",
    "拓跋", "百里", "东郭", "第五",
)  # fmt: skip
# · (U+00B7) is the standard; these stand in for it in legacy data (domain.md §4). NFKC has already mapped
# the full-width full stop and the half-width katakana middle dot.
_SEPARATORS = "[•・.‧∙⋅･‐]"
_ANNOTATION = r"[(\[【]([^)\]】]*)[)\]】]"
_UDFS = frozenset({"grassroots_nfkc", "grassroots_t2s", "grassroots_pinyin"})


def _spaces_sql(x: str) -> str:
    """Whitespace between two Han characters removed (two passes reach every gap), other runs collapsed."""
    one = f"regexp_replace({x}, '(\\p{{Han}})\\s+(\\p{{Han}}|·)', '\\1\\2', 'g')"
    two = f"regexp_replace({one}, '(\\p{{Han}}|·)\\s+(\\p{{Han}})', '\\1\\2', 'g')"
    three = f"trim(regexp_replace(regexp_replace({two}, '(\\p{{Han}})\\s+(\\p{{Han}})', '\\1\\2', 'g'), '\\s+', ' ', 'g'))"
    # Capture groups make RE2 slow: only values holding whitespace go through them.
    return f"(CASE WHEN regexp_matches({x}, '\\s') THEN {three} ELSE {x} END)"


def _status_rules() -> list[tuple[str, str]]:
    placeholders = tuple(p.upper() for p in (*PLACEHOLDERS, *NAME_PLACEHOLDERS))
    return [
        (blank_sql("@raw"), "missing"),
        (f"@v = '' OR {in_list_sql('upper(@v)', placeholders)}", "placeholder"),
        ("regexp_matches(@v, '[?\\x{FFFD}]')", "suspect_encoding"),
        ("regexp_matches(@v, '[^\\p{Han}·A-Za-z ]')", "suspect_chars"),
        ("len(@notes) > 0", "annotation_removed"),
        ("@simplified <> @folded", "converted_traditional"),
        (
            "regexp_replace(@separated, '\\s', '', 'g') <> regexp_replace(@spaced, '\\s', '', 'g')",
            "normalized_separator",
        ),
        ("@v <> @stripped", "normalized_spaces"),
        ("@folded <> @raw", "normalized_fullwidth"),
    ]


def name_sql(col: str) -> Layered:
    """Outputs value, status, annotation, pinyin (toneless key), surname, given_name for a column of names.

    Needs the Python functions of transforms.chinese; standardize() registers them.
    """
    usable = in_list_sql("@status", USABLE)
    compound = in_list_sql("left(@v, 2)", COMPOUND_SURNAMES)
    layers: list[dict[str, str]] = [
        {"raw": "CAST(@in AS VARCHAR)"},
        {"folded": "grassroots_nfkc(@raw)"},
        {"simplified": "grassroots_t2s(@folded)"},
        {"notes": f"list_filter(regexp_extract_all(@simplified, '{_ANNOTATION}', 1), n -> trim(n) <> '')",
         "stripped": f"trim(regexp_replace(@simplified, '{_ANNOTATION}', '', 'g'))"},
        # Control and format characters (tabs, zero-width spaces) count as spaces.
        {"spaced": "regexp_replace(@stripped, '[\\p{Cc}\\p{Cf}]', ' ', 'g')"},
        {"separated": f"trim(regexp_replace(regexp_replace(@spaced, '\\s*({_SEPARATORS}|·)\\s*', '·', 'g'),"
                      " '·+', '·', 'g'), '·')"},
        {"v": f"trim({_spaces_sql('@separated')}, ' ·')"},
        {"status": first_status_sql(_status_rules())},
        {"value": f"CASE WHEN {usable} THEN @v END",
         "annotation": "CASE WHEN len(@notes) > 0 THEN array_to_string(list_transform(@notes, n -> trim(n)), ';') END",
         "split_at": f"CASE WHEN contains(@v, '·') OR NOT regexp_matches(@v, '^\\p{{Han}}{{2,}}$') THEN NULL"
                     f" WHEN length(@v) >= 3 AND {compound} THEN 2 ELSE 1 END"},
        {"pinyin": "nullif(grassroots_pinyin(@value), '')",
         "surname": "CASE WHEN @value IS NOT NULL THEN left(@value, @split_at) END",
         "given_name": "CASE WHEN @value IS NOT NULL THEN substr(@value, @split_at + 1) END"},
    ]  # fmt: skip
    outputs = ("value", "status", "annotation", "pinyin", "surname", "given_name")
    return Layered(col, tuple(layers), outputs, udfs=_UDFS)
