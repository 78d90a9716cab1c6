"""The Python functions behind the name normalizer: whole Arrow arrays, nulls, repeats, line breaks, the memo."""

from __future__ import annotations

import pyarrow as pa

from transforms import chinese


def test_t2s_nfkc_pinyin_over_arrays() -> None:
    arr = pa.array(["張三豐", None, "張三豐", "ＬＩ", "多行\n文字"])
    assert chinese.t2s(arr).to_pylist() == ["张三丰", None, "张三丰", "ＬＩ", "多行\n文字"]
    assert chinese.nfkc(arr).to_pylist() == ["張三豐", None, "張三豐", "LI", "多行\n文字"]
    assert chinese.pinyin_key(pa.array(["欧阳修", "李·Ming", None])).to_pylist() == [
        "ouyangxiu",
        "liming",
        None,
    ]


def test_memo_converts_each_value_once_and_stays_bounded() -> None:
    calls: list[list[str]] = []

    def upper(values: list[str]) -> list[str]:
        calls.append(values)
        return [v.upper() for v in values]

    memo = chinese._Memo(upper, limit=3)
    assert memo(["a", "b", "a"]) == ["A", "B", "A"]
    assert memo(["b", "c"]) == ["B", "C"]
    assert memo(["d", "e"]) == ["D", "E"]  # over the limit: the memo starts again from these
    assert calls == [["a", "b"], ["c"], ["d", "e"]]
    assert set(memo.seen) == {"d", "e"}
