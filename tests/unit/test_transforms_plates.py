"""Plate normalizer (GA 36): separators, full-width, case, new-energy shapes, I/O after the province."""

from __future__ import annotations

import pytest

from transforms.plates import STATUSES, plate_sql
from transforms.standardize import explain


@pytest.mark.parametrize(
    ("raw", "value", "kind", "local", "status"),
    [
        ("鄂M12345", "鄂M12345", "ordinary", True, "ok"),
        ("鄂M·12345", "鄂M12345", "ordinary", True, "normalized_separators"),
        ("鄂M-12345", "鄂M12345", "ordinary", True, "normalized_separators"),
        ("鄂 M 12345", "鄂M12345", "ordinary", True, "normalized_separators"),
        ("鄂m1234a", "鄂M1234A", "ordinary", True, "normalized_case"),
        ("鄂ＭＤ12345", "鄂MD12345", "new_energy_small", True, "normalized_fullwidth"),
        ("鄂MF12345", "鄂MF12345", "new_energy_small", True, "ok"),
        ("鄂M12345D", "鄂M12345D", "new_energy_large", True, "ok"),
        ("京A12345", "京A12345", "ordinary", False, "ok"),
        ("鄂M1234学", "鄂M1234学", "special", True, "ok"),
        ("鄂O12345", None, None, None, "bad_city_letter"),
        ("鄂I12345", None, None, None, "bad_city_letter"),
        ("鄂M1234", None, None, None, "bad_format"),
        ("鄂M12I45", None, None, None, "bad_format"),
        ("AB12345", None, None, None, "bad_province"),
        ("无", None, None, None, "placeholder"),
        (None, None, None, None, "missing"),
    ],
)
def test_dirty_patterns(
    raw: str | None, value: str | None, kind: str | None, local: bool | None, status: str
) -> None:
    got = explain(plate_sql, raw)
    assert (got["value"], got["kind"], got["local"], got["status"]) == (value, kind, local, status)
    assert status in STATUSES
