"""Xiantao addresses parsed into township (9-digit code), community or village, road and number, compound,
building, unit and room; returns a normalized address and a key that links the same house across systems.

Linking to the grid and place hierarchy is a later stage; the parts it needs are outputs here.
"""

from __future__ import annotations

from transforms import townships
from transforms.layered import Layered
from transforms.text import blank_sql, first_status_sql, halfwidth_sql, placeholder_sql, quote

FIELDS = (
    "value", "status", "key", "township_code", "township", "community", "community_key", "village_group",
    "road", "house_number", "compound", "building", "unit", "room", "remainder", "region",
)  # fmt: skip

STATUSES: dict[str, str] = {
    "ok": "already the normalized form",
    "normalized": "prefix removed, township written with its current name, parts rewritten",
    "township_old_name": "the township is written with an old name (沙嘴办事处, 豆河镇, 沔阳镇 ...)",
    "township_legacy_spelling": "the township is written with a legacy spelling (长倘口镇, ?河镇 ...)",
    "no_township": "parts recognized but no township named",
    "outside_xiantao": "the address names another province or city; kept as cleaned text, not parsed",
    "unparsed": "nothing recognized; kept as cleaned text",
    "missing": "NULL or blank",
    "placeholder": "a placeholder such as 无 / 不详",
}
USABLE = tuple(s for s in STATUSES if s not in ("missing", "placeholder"))

_PREFIX = "^(中国)?(湖北省?(省直辖县级行政区划|省直辖行政单位)?(仙桃市?|沔阳县|沔阳市)?|仙桃市|沔阳县|沔阳市)"
_PROVINCES = (
    "北京|天津|上海|重庆|河北|山西|辽宁|吉林|黑龙江|江苏|浙江|安徽|福建|江西|山东|河南|湖南|广东|海南|四川|贵州|云南"
    "|陕西|甘肃|青海|台湾|内蒙古|广西|西藏|宁夏|新疆|香港|澳门"
)
_HUBEI_CITIES = "武汉|黄石|十堰|宜昌|襄阳|鄂州|荆门|孝感|荆州|黄冈|咸宁|随州|恩施|潜江|天门|神农架"
# Patterns are used with group 0 and non-capturing groups: RE2 then finds the match with its fast DFA, where
# capture groups would force the slow NFA (eight times slower on the township alternation).
# 村 may be followed by 社区 or 村委会 (新村社区, 张村村委会): those belong to the name, not to what follows.
_COMMUNITY = r"^\p{Han}{1,12}?(?:村民委员会|居民委员会|村委会|居委会|社区|村(?:社区|村委会|民委员会|委会)?)"
_COMMUNITY_SUFFIX = "(村民委员会|居民委员会|村委会|居委会|社区|村)$"
_NUM = "[0-9一二三四五六七八九十两〇零]+"
_ROAD = r"^\p{Han}{1,10}?(?:大道|大街|路|街|巷)"
_ROAD_NUMBER = r"^[0-9]+(?:-[0-9]+)?号"
_COMPOUND = r"^\p{Han}{1,12}?(?:小区|花园|苑|院|公寓|家园|广场|大厦|新村|城)"
_BUILDING = f"(?:{_NUM}|[A-Z])(?:栋|幢|号楼|座|#楼|#)"
_BUILDING_SUFFIX = "(栋|幢|号楼|座|#楼|#)$"
_UNIT = f"{_NUM}单元"
_ROOM = "[0-9]{2,5}(?:室|号房|房|号)?$"
_TRIPLE = "^[0-9]+-[0-9]+-[0-9]+$"
# What is left after the building when 单元 and 室 were typed as a hyphen: 3栋2-301.
_PAIR = "^[0-9]+-[0-9]+$"


def cn_number_sql(x: str) -> str:
    """Small Chinese numerals (一 .. 九十九) and digit strings as digits without leading zeros; other text as is."""
    t = f"translate({x}, '一二三四五六七八九〇零两', '123456789002')"
    chinese = (
        f"CASE WHEN regexp_matches({t}, '^[0-9]+$') THEN {t} WHEN {t} = '十' THEN '10'"
        f" WHEN regexp_matches({t}, '^十[0-9]$') THEN '1' || right({t}, 1)"
        f" WHEN regexp_matches({t}, '^[0-9]十$') THEN left({t}, 1) || '0'"
        f" WHEN regexp_matches({t}, '^[0-9]十[0-9]$') THEN left({t}, 1) || right({t}, 1) ELSE {x} END"
    )
    # translate() is slow: only values holding a Chinese numeral go through it.
    digits = f"CASE WHEN regexp_matches({x}, '[一二三四五六七八九十两〇零]') THEN {chinese} ELSE {x} END"
    return f"(CASE WHEN regexp_matches({digits}, '^0+[0-9]') THEN ltrim({digits}, '0') ELSE {digits} END)"


def _township_layers() -> list[dict[str, str]]:
    spellings = townships.spellings()
    code = " ".join(f"WHEN {quote(k)} THEN {quote(v[0])}" for k, v in spellings.items())
    name = " ".join(f"WHEN {quote(k)} THEN {quote(v[1])}" for k, v in spellings.items())
    how = " ".join(f"WHEN {quote(k)} THEN {quote(v[2])}" for k, v in spellings.items())
    return [
        {"town_text": f"regexp_extract(@p, '^(?:{townships.pattern()})', 0)"},
        {"town_code": f"nullif(CASE @town_text {code} END, '')", "town_name": f"CASE @town_text {name} END",
         "town_how": f"CASE @town_text {how} END", "r1": "substr(@p, length(@town_text) + 1)"},
    ]  # fmt: skip


def _parts_layers() -> list[dict[str, str]]:
    tail = f"regexp_replace(regexp_replace(@r5, '{_BUILDING}', ''), '{_UNIT}', '')"
    return [
        {"community_any": f"regexp_extract(@r1, '{_COMMUNITY}', 0)"},
        # 新村路 is a road, not the village 新: a community name must not run into a road suffix.
        {"community_text": "CASE WHEN regexp_matches(substr(@r1, length(@community_any) + 1, 1), '[路街道巷]')"
                           " THEN '' ELSE @community_any END"},
        {"r2": "substr(@r1, length(@community_text) + 1)"},
        {"group_full": f"regexp_extract(@r2, '^{_NUM}组', 0)"},
        {"group_text": "rtrim(@group_full, '组')", "r3": "substr(@r2, length(@group_full) + 1)"},
        {"road_text": f"regexp_extract(@r3, '{_ROAD}', 0)"},
        {"number_full": f"regexp_extract(substr(@r3, length(@road_text) + 1), '{_ROAD_NUMBER}', 0)"},
        {"number_text": "CASE WHEN @road_text <> '' THEN rtrim(@number_full, '号') ELSE '' END",
         "r4": "substr(@r3, length(@road_text) + CASE WHEN @road_text <> '' THEN length(@number_full) ELSE 0 END + 1)"},
        {"compound_text": f"regexp_extract(@r4, '{_COMPOUND}', 0)"},
        {"r5": "substr(@r4, length(@compound_text) + 1)"},
        {"triple": f"CASE WHEN regexp_matches(@r5, '{_TRIPLE}') THEN string_split(@r5, '-') END",
         "building_full": f"regexp_extract(@r5, '{_BUILDING}', 0)", "unit_full": f"regexp_extract(@r5, '{_UNIT}', 0)",
         "tail": tail},
        {"pair": f"CASE WHEN @building_full <> '' AND regexp_matches(@tail, '{_PAIR}') THEN string_split(@tail, '-') END",
         "room_full": f"regexp_extract(@tail, '{_ROOM}', 0)"},
        {"building_text": f"coalesce(@triple[1], regexp_replace(@building_full, '{_BUILDING_SUFFIX}', ''))",
         "unit_text": "coalesce(@triple[2], @pair[1], replace(@unit_full, '单元', ''))",
         "room_text": "coalesce(@triple[3], @pair[2], regexp_replace(@room_full, '[^0-9]', '', 'g'))",
         "rest": f"CASE WHEN @triple IS NULL AND @pair IS NULL THEN regexp_replace(@tail, '{_ROOM}', '') ELSE '' END"},
    ]  # fmt: skip


def _output_layers() -> list[dict[str, str]]:
    parsed = "(@town_text <> '' OR @community_text <> '' OR @road_text <> '' OR @compound_text <> '')"
    rules = [
        (blank_sql("@raw"), "missing"),
        (placeholder_sql("@s"), "placeholder"),
        ("@outside", "outside_xiantao"),
        (f"NOT {parsed}", "unparsed"),
        ("@town_how = 'legacy_spelling'", "township_legacy_spelling"),
        ("@town_how = 'old_name'", "township_old_name"),
        ("@town_text = ''", "no_township"),
        ("@raw <> @norm", "normalized"),
    ]
    parts = {
        "township_code": "@town_code", "township": "@town_name", "community": "nullif(@community_text, '')",
        "community_key": f"nullif(regexp_replace(@community_text, '{_COMMUNITY_SUFFIX}', ''), '')",
        "village_group": "nullif(@group_no, '')", "road": "nullif(@road_text, '')",
        "house_number": "nullif(@number_text, '')", "compound": "nullif(@compound_text, '')",
        "building": "nullif(@building_no, '')", "unit": "nullif(@unit_no, '')", "room": "nullif(@room_text, '')",
        "remainder": "nullif(@rest, '')",
    }  # fmt: skip
    parsed_ok = "@status NOT IN ('missing', 'placeholder', 'outside_xiantao', 'unparsed')"
    empty = "''"
    key_parts = ("coalesce(@town_code, @town_name)", "@community_key0", "@group_no", "@road_text", "@number_text", "@compound_text",
                 "@building_no", "@unit_no", "@room_text")  # fmt: skip
    return [
        {"group_no": cn_number_sql("@group_text"), "building_no": cn_number_sql("@building_text"),
         "unit_no": cn_number_sql("@unit_text"),
         "community_key0": f"regexp_replace(@community_text, '{_COMMUNITY_SUFFIX}', '')"},
        {"norm": "coalesce(@town_name, '') || @community_text"
                 " || CASE WHEN @group_no <> '' THEN @group_no || '组' ELSE '' END || @road_text"
                 " || CASE WHEN @number_text <> '' THEN @number_text || '号' ELSE '' END || @compound_text"
                 " || CASE WHEN @building_no <> '' THEN @building_no || '栋' ELSE '' END"
                 " || CASE WHEN @unit_no <> '' THEN @unit_no || '单元' ELSE '' END"
                 " || CASE WHEN @room_text <> '' THEN @room_text || '室' ELSE '' END || @rest"},
        {"status": first_status_sql(rules)},
        {"value": f"CASE WHEN {parsed_ok} THEN @norm WHEN @status IN ('outside_xiantao', 'unparsed') THEN @s END",
         "key": f"CASE WHEN {parsed_ok} THEN concat_ws('|', {', '.join(f'coalesce({k}, {empty})' for k in key_parts)}) END",
         "region": f"CASE WHEN @outside THEN 'elsewhere' WHEN {parsed_ok} THEN 'xiantao' END",
         **{k: f"CASE WHEN {parsed_ok} THEN {v} END" for k, v in parts.items()}},
    ]  # fmt: skip


def address_sql(col: str) -> Layered:
    """Outputs value (normalized address), status, key (house link key) and the parts listed in FIELDS."""
    outside = f"regexp_matches(@s, '^(中国)?(({_PROVINCES})|(湖北省?)?({_HUBEI_CITIES}))')"
    layers: list[dict[str, str]] = [
        {"raw": "CAST(@in AS VARCHAR)"},
        {"s": f"regexp_replace(regexp_replace({halfwidth_sql('@raw')}, '[\\s\\x{{A0}}]', '', 'g'),"
              " '[\\x{FFFD}]', '?', 'g')"},
        {"p": f"regexp_replace(@s, '{_PREFIX}', '')", "outside": outside},
        *_township_layers(),
        *_parts_layers(),
        *_output_layers(),
    ]  # fmt: skip
    return Layered(col, tuple(layers), FIELDS)


def _with_suffix_sql(col: str | None, suffix: str = "", already: str = "") -> str:
    """A part column with ``suffix`` appended unless it ends with one of ``already``; '' for NULL or no column."""
    if col is None:
        return "''"
    text = f"trim(coalesce(CAST({col} AS VARCHAR), ''))"
    if not suffix:
        return text
    return f"(CASE WHEN {text} = '' OR regexp_matches({text}, '({already})$') THEN {text} ELSE {text} || '{suffix}' END)"


def address_from_parts_sql(
    township: str | None = None,
    community: str | None = None,
    road: str | None = None,
    number: str | None = None,
    building: str | None = None,
    unit: str | None = None,
    room: str | None = None,
) -> str:
    """One address text from the split columns some systems keep (乡镇街道, 社区, 街路巷, 门牌号, 楼栋, 单元, 室),
    for address_sql(): the parts then get the same key as the same house written as one string."""
    parts = [
        _with_suffix_sql(township),
        _with_suffix_sql(community),
        _with_suffix_sql(road),
        _with_suffix_sql(number, "号", "号"),
        _with_suffix_sql(building, "栋", "栋|幢|号楼|座|#"),
        _with_suffix_sql(unit, "单元", "单元"),
        _with_suffix_sql(room, "室", "室|号|房"),
    ]
    return "(" + " || ".join(parts) + ")"
