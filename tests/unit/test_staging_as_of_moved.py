"""A normalizer reading the reference date says which raw values may stage differently on another day: every
value whose outputs do differ must be among them (incremental staging restages only those)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence

import duckdb
import pytest

from transforms import citizen_id, dates
from transforms.layered import Layered
from transforms.staging import simple
from transforms.standardize import explain_many

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def _id(birth: str, seq: str = "123") -> str:
    body = "429004" + birth + seq
    return body + "10X98765432"[sum(int(c) * w for c, w in zip(body, _WEIGHTS, strict=True)) % 11]


def _days(day: dt.date, around: int = 3) -> list[dt.date]:
    return [day + dt.timedelta(days=i) for i in range(-around, around + 1)]


def _ids(old: dt.date, new: dt.date) -> list[str | None]:
    near = (
        _days(old)
        + _days(new)
        + _days(old.replace(year=old.year - 120))
        + _days(new.replace(year=new.year - 120))
    )
    out = [_id(d.strftime("%Y%m%d")) for d in near]
    out += [_id(d.strftime("%Y%m%d"))[:6] + d.strftime("%y%m%d") + "123" for d in near if d.year < 2000]  # 15
    full = str.maketrans("0123456789X", "０１２３４５６７８９Ｘ")
    out += [_id(d.strftime("%Y%m%d")).translate(full) for d in near[:4]]
    out += [_id("19800101"), "4290041980010112", "", "无"]
    return [*out, None]


def _dates(old: dt.date, new: dt.date) -> list[str]:
    out = []
    for d in _days(old) + _days(new):
        out += [d.isoformat(), d.strftime("%Y%m%d"), d.strftime("%y.%m.%d"), d.strftime("%Y年%m月%d日"),
                d.strftime("%d/%m/%Y"), str((d - dt.date(1899, 12, 30)).days), d.strftime("%Y-%m")]  # fmt: skip
    return [*out, "1985-03-05", "85.3.5", str(new.year), "２０２６-０１-０８"]


def _timestamps(old: dt.date, new: dt.date) -> list[str]:
    out = []
    for d in _days(old, 5) + _days(new, 5):
        out += [f"{d.isoformat()} 10:20:30", d.strftime("%Y/%m/%d %H:%M"), d.strftime("%Y%m%d") + "102030"]
    return [*out, "2024/8/30 07:29"]


def _check(
    builder: Callable[..., Layered],
    moved: Callable[[str, dt.date, dt.date], str | None],
    values: Sequence[str | None],
    old: dt.date,
    new: dt.date,
) -> None:
    before = explain_many(builder, values, as_of=old)
    after = explain_many(builder, values, as_of=new)
    predicate = moved('"v"', old, new)
    assert predicate is not None
    flagged = [
        bool(r[0])
        for r in duckdb.execute(
            f"SELECT coalesce({predicate}, FALSE) FROM (SELECT unnest($1::VARCHAR[]) AS v, "
            "unnest(range(len($1::VARCHAR[]))) AS pos) ORDER BY pos",
            [values],
        ).fetchall()
    ]
    differing = [v for v, a, b, f in zip(values, before, after, flagged, strict=True) if a != b]
    assert differing, "the sample must hold values that move"
    missed = [v for v, a, b, f in zip(values, before, after, flagged, strict=True) if a != b and not f]
    assert not missed
    # ... and it narrows: most values are not flagged.
    assert sum(flagged) < len(values)


@pytest.mark.parametrize(
    ("old", "new"),
    [(dt.date(2026, 1, 7), dt.date(2026, 1, 8)), (dt.date(2024, 2, 28), dt.date(2024, 3, 2))],
)
def test_citizen_ids_that_move_with_the_reference_date_are_flagged(old: dt.date, new: dt.date) -> None:
    _check(citizen_id.citizen_id_sql, citizen_id.as_of_moved_sql, _ids(old, new), old, new)


def test_dates_and_timestamps_that_move_are_flagged() -> None:
    old, new = dt.date(2026, 1, 7), dt.date(2026, 1, 9)
    _check(dates.date_sql, dates.as_of_moved_sql, _dates(old, new), old, new)
    _check(simple.timestamp_sql, simple.timestamp_moved_sql, _timestamps(old, new), old, new)


def test_dates_across_a_new_year_or_far_apart_are_not_narrowed() -> None:
    assert dates.as_of_moved_sql('"v"', dt.date(2025, 12, 31), dt.date(2026, 1, 1)) is None
    assert citizen_id.as_of_moved_sql('"v"', dt.date(2020, 1, 1), dt.date(2026, 1, 1)) is None
    assert simple.timestamp_moved_sql('"v"', dt.date(2020, 1, 1), dt.date(2026, 1, 1)) is None
