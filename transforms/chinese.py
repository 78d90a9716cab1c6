"""Traditional → simplified (OpenCC t2s), NFKC and toneless pinyin over whole Arrow columns, as DuckDB functions.

SQL cannot express these; each function converts the distinct values of a batch in one call and maps them back.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from functools import cache

import duckdb
import opencc
import pyarrow as pa
import pyarrow.compute as pc
from duckdb.func import FunctionNullHandling, PythonUDFType
from pypinyin import Style, lazy_pinyin

# Line breaks cannot survive inside a value that reached these functions' callers (names are cleaned first), but
# the batch join below must not depend on it: values holding one are converted one by one.
_SEP = "\n"


@cache
def _t2s() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


def _convert_batch(values: list[str], convert: Callable[[str], str]) -> list[str]:
    """Convert many strings with one call when the conversion keeps line breaks, as OpenCC and NFKC do."""
    joined = [v for v in values if _SEP not in v]
    out = convert(_SEP.join(joined)).split(_SEP) if joined else []
    if len(out) != len(joined):
        out = [convert(v) for v in joined]
    it = iter(out)
    return [next(it) if _SEP not in v else convert(v) for v in values]


class _Memo:
    """Results of a conversion kept across batches: DuckDB calls a function once per 2048 rows, and names repeat
    across the whole table. Bounded so that a table of unique values cannot exhaust memory."""

    def __init__(self, convert: Callable[[list[str]], list[str]], limit: int = 500_000) -> None:
        self.convert, self.limit, self.seen = convert, limit, dict[str, str]()

    def __call__(self, values: list[str]) -> list[str]:
        # DuckDB may call from several threads: read through a local reference and replace the dict instead of
        # clearing it, so that no caller ever sees a value vanish between its lookup and its read.
        seen = self.seen
        out: list[str | None] = list(map(seen.get, values))  # C-level lookups: most values were seen before
        missing = list(dict.fromkeys(v for v, o in zip(values, out, strict=True) if o is None))
        if not missing:
            return out  # type: ignore[return-value]
        fresh = dict(zip(missing, self.convert(missing), strict=True))
        if len(seen) + len(fresh) > self.limit:
            self.seen = fresh
        else:
            seen.update(fresh)
        return [fresh[v] if o is None else o for v, o in zip(values, out, strict=True)]


def _on_distinct(arr: pa.Array, convert: Callable[[list[str]], list[str]]) -> pa.Array:
    """Apply a list conversion to the distinct non-null values of ``arr`` and spread the results back."""
    arr = arr.combine_chunks() if isinstance(arr, pa.ChunkedArray) else arr
    encoded = pc.dictionary_encode(arr)  # one hashing pass: the distinct values and where each row's is
    converted = pa.array(convert(encoded.dictionary.to_pylist()), type=pa.string())
    return pc.take(converted, encoded.indices)


# NFKC leaves ASCII, the CJK Unified Ideographs block and the middle dot as they are: names written only with
# those (nearly all) skip Python.
_NFKC_STABLE = "^[\\x{00}-\\x{7F}\\x{4E00}-\\x{9FFF}\\x{B7}]*$"


def _pinyin_key(value: str) -> str:
    syllables = lazy_pinyin(value, style=Style.NORMAL, errors="default")
    return "".join(ch for ch in "".join(syllables).lower() if ch.isascii() and ch.isalnum())


_T2S = _Memo(lambda vs: _convert_batch(vs, _t2s().convert))
_NFKC = _Memo(lambda vs: _convert_batch(vs, lambda s: unicodedata.normalize("NFKC", s)))
_PINYIN = _Memo(lambda vs: [_pinyin_key(v) for v in vs])


def t2s(arr: pa.Array) -> pa.Array:
    """Traditional Chinese characters as simplified ones (OpenCC t2s)."""
    return _on_distinct(arr, _T2S)


def nfkc(arr: pa.Array) -> pa.Array:
    """Unicode NFKC: full-width forms, compatibility ideographs and ligatures as their plain forms."""
    arr = arr.combine_chunks() if isinstance(arr, pa.ChunkedArray) else arr
    stable = pc.match_substring_regex(arr, _NFKC_STABLE)
    if pc.all(pc.fill_null(stable, True)).as_py():
        return arr
    return pc.if_else(stable, arr, _on_distinct(arr, _NFKC))


def pinyin_key(arr: pa.Array) -> pa.Array:
    """Toneless pinyin of the Han characters, lower case, other letters kept, everything else dropped."""
    return _on_distinct(arr, _PINYIN)


FUNCTIONS: dict[str, Callable[[pa.Array], pa.Array]] = {
    "grassroots_t2s": t2s,
    "grassroots_nfkc": nfkc,
    "grassroots_pinyin": pinyin_key,
}


def register(con: duckdb.DuckDBPyConnection, names: frozenset[str]) -> None:
    """Register the named functions on ``con`` unless they already are."""
    for name in sorted(names):
        try:
            con.create_function(
                name, FUNCTIONS[name], [duckdb.sqltype("VARCHAR")], duckdb.sqltype("VARCHAR"),
                type=PythonUDFType.ARROW, null_handling=FunctionNullHandling.SPECIAL, side_effects=False,
            )  # fmt: skip
        except duckdb.NotImplementedException as e:
            # DuckDB refuses a second function of the same name: it is registered already.
            if "already created" not in str(e):
                raise
