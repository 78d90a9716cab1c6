"""Fault injection: each fault looks like the real one and occurs at about the configured rate."""

from __future__ import annotations

import numpy as np
import pandas as pd

from simulator import ids, noise

IDS = pd.Series(
    ids.citizen_ids(
        np.full(4000, "429004"),
        np.datetime64("1950-01-01") + np.arange(4000).astype("timedelta64[D]") * 5,
        np.arange(4000) % 900 + 10,
    ),
    dtype=object,
)


def test_id_damage_rate_and_shapes() -> None:
    damaged, kind = noise.damage_ids(np.random.default_rng(1), IDS, 0.2)
    changed = (damaged != IDS).to_numpy()
    assert 0.17 < changed.mean() < 0.23
    assert (kind >= 0).sum() >= changed.sum()
    by = dict(zip(noise.ID_FAULTS, range(len(noise.ID_FAULTS)), strict=True))
    assert damaged[kind == by["15digit"]].str.len().eq(15).all()
    assert damaged[kind == by["excel_float"]].str.fullmatch(r"4\.\d{5}E\+17").all()
    assert damaged[kind == by["zero_tail"]].str.endswith("000").all()
    assert damaged[kind == by["apostrophe"]].str.startswith("'").all()
    assert damaged[kind == by["fullwidth"]].str.contains("０|１|２|４|９").all()
    wrong = damaged[(kind == by["wrong_digit"]) | (kind == by["swap"])]
    assert not ids.id_is_valid(wrong.to_numpy()).any()


def test_dates_are_mixed_at_the_rate_and_keep_the_day() -> None:
    dates = pd.Series(pd.to_datetime(["1985-03-05"] * 3000))
    out = noise.format_dates(np.random.default_rng(2), dates, 0.35, 0.0)
    assert 0.31 < (out != "1985-03-05").mean() < 0.39
    assert {"1985.3.5", "19850305", "85.03.05", "1985年3月5日", "1985/3/5", "31111", "1985.03"} <= set(out)


def test_sex_text_includes_the_zero_means_male_import() -> None:
    sex = pd.Series(["1", "2"] * 2000)
    out = noise.sex_text(np.random.default_rng(3), sex, 0.5)
    assert set(out[sex == "1"]) == {"男", "1", "M", "男性", "0"}
    assert set(out[sex == "2"]) == {"女", "2", "F", "女性", "1"}


def test_phone_variants_and_dummies() -> None:
    phones = pd.Series(["13972800000"] * 2000 + ["0728-3221234"] * 500, dtype=object)
    out = noise.phone_text(np.random.default_rng(4), phones, 0.5, 0.02)
    assert {"139-7280-0000", "139 7280 0000", "+86 13972800000", "(0728)3221234", "3221234"} <= set(out)
    assert out.str.contains("/0728-").any()
    assert 0.01 < out.isin(["13800000000", "00000000000", "11111111111"]).mean() < 0.03


def test_name_typos_are_homophones() -> None:
    names = pd.Series(["张伟"] * 3000, dtype=object)
    out = noise.name_text(np.random.default_rng(5), names, 0.1, 0.0)
    assert {"章伟", "张玮"} <= set(out)
    assert 0.07 < (out != "张伟").mean() < 0.13


def test_address_variants_use_old_township_names() -> None:
    addr = pd.Series(["湖北省仙桃市剅河镇剅河社区仙源路8号1栋2单元301室"] * 2000, dtype=object)
    out = noise.address_text(np.random.default_rng(6), addr, 0.5)
    assert out.str.contains("豆河镇").any()
    assert (~out.str.contains("湖北省")).any()
    assert out.str.contains("幢|号楼").any()
