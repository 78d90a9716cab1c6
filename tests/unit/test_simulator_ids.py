"""Identifier generators: worked examples of the standards, and properties of generated batches."""

from __future__ import annotations

import re

import numpy as np
from stdnum.cn import uscc

from simulator import ids


def test_citizen_id_matches_the_worked_examples() -> None:
    got = ids.citizen_ids(
        np.array(["429004", "110105"]),
        np.array(["1985-03-05", "1949-12-31"], dtype="datetime64[D]"),
        np.array([123, 2]),
    )
    assert got.tolist() == ["429004198503051239", "11010519491231002X"]


def test_id_is_valid_rejects_a_wrong_check_and_short_ids() -> None:
    ok = ids.id_is_valid(
        np.array(["429004198503051239", "429004198503051238", "42900419850305123", "4.29004E+17"])
    )
    assert ok.tolist() == [True, False, False, False]


def test_credit_code_matches_the_worked_example_and_stdnum() -> None:
    org = ids.org_codes(np.array(["MA4F7K2Q"]))
    assert org.tolist() == ["MA4F7K2Q6"]
    code = ids.credit_codes(np.array(["91"]), "429004", org)
    assert code.tolist() == ["91429004MA4F7K2Q6Q"]
    rng = np.random.default_rng(3)
    bodies = np.array(["".join(r) for r in rng.choice(list(ids.CREDIT_CHARSET[:10]), size=(200, 8))])
    many = ids.credit_codes(rng.choice(["91", "92", "51", "12"], 200), "429004", ids.org_codes(bodies))
    assert all(uscc.is_valid(c) for c in many)
    assert ids.credit_code_is_valid(many).all()
    assert not ids.credit_code_is_valid(np.array(["91429004MA4F7K2Q6A"]))[0]


def test_registration_number_check_digit() -> None:
    assert ids.registration_numbers("110108", np.array([1])).tolist() == ["110108000000016"]


def test_plates_are_distinct_and_well_formed() -> None:
    rng = np.random.default_rng(1)
    plain = ids.ordinary_plates(rng, 5000)
    ne = ids.new_energy_plates(rng, 500)
    assert len(set(plain)) == 5000 and len(set(ne)) == 500
    assert all(re.fullmatch(r"鄂M[A-HJ-NP-Z][A-HJ-NP-Z0-9]\d{3}", p) for p in plain)
    assert all(re.fullmatch(r"鄂M[DF]\d{5}", p) for p in ne)
