"""Name normalizer: NFKC, separators, spaces, annotations, traditional characters, placeholders, matching keys."""

from __future__ import annotations

import pytest

from transforms.names import STATUSES, name_sql
from transforms.standardize import explain


@pytest.mark.parametrize(
    ("raw", "value", "status"),
    [
        ("张三", "张三", "ok"),
        ("张 三", "张三", "normalized_spaces"),
        ("张\u3000三\u3000丰", "张三丰", "normalized_spaces"),
        ("  王 小 明  ", "王小明", "normalized_spaces"),
        ("王\t小明", "王小明", "normalized_spaces"),
        ("买买提•艾力", "买买提·艾力", "normalized_separator"),
        ("买买提・艾力", "买买提·艾力", "normalized_separator"),
        ("买买提.艾力", "买买提·艾力", "normalized_separator"),
        ("买买提．艾力", "买买提·艾力", "normalized_separator"),
        ("买买提‧艾力", "买买提·艾力", "normalized_separator"),
        ("阿依古丽 · 买买提", "阿依古丽·买买提", "normalized_spaces"),
        ("买买提·艾力", "买买提·艾力", "ok"),
        ("張三豐", "张三丰", "converted_traditional"),
        ("ＬＩ　Ｍｉｎｇ", "LI Ming", "normalized_fullwidth"),
        ("张三（户主）", "张三", "annotation_removed"),
        ("李四(已故)", "李四", "annotation_removed"),
        ("张?", "张?", "suspect_encoding"),
        ("张三1", "张三1", "suspect_chars"),
        ("无名氏", None, "placeholder"),
        ("无", None, "placeholder"),
        ("不详", None, "placeholder"),
        ("未知", None, "placeholder"),
        ("(已故)", None, "placeholder"),
        ("", None, "missing"),
        (None, None, "missing"),
    ],
)
def test_dirty_patterns(raw: str | None, value: str | None, status: str) -> None:
    got = explain(name_sql, raw)
    assert (got["value"], got["status"]) == (value, status)
    assert status in STATUSES


def test_annotation_is_reported() -> None:
    assert explain(name_sql, "张三（户主）")["annotation"] == "户主"
    assert explain(name_sql, "李四(已故)（户主）")["annotation"] == "已故;户主"


@pytest.mark.parametrize(
    ("raw", "pinyin", "surname", "given"),
    [
        ("张三丰", "zhangsanfeng", "张", "三丰"),
        ("張三豐", "zhangsanfeng", "张", "三丰"),
        ("欧阳修", "ouyangxiu", "欧阳", "修"),
        ("司马相如", "simaxiangru", "司马", "相如"),
        ("诸葛亮", "zhugeliang", "诸葛", "亮"),
        ("上官婉儿", "shangguanwaner", "上官", "婉儿"),
        ("司马", "sima", "司", "马"),
        ("买买提·艾力", "maimaitiaili", None, None),
    ],
)
def test_matching_keys(raw: str, pinyin: str, surname: str | None, given: str | None) -> None:
    got = explain(name_sql, raw)
    assert (got["pinyin"], got["surname"], got["given_name"]) == (pinyin, surname, given)
