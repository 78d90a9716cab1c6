"""Suites follow from the canonical model's metadata plus the declared extras, and fit the columns a table has."""

from __future__ import annotations

import datetime as dt

import pytest

from expectations import suites
from expectations.rules import InSet, Matches, NotNull, PairEqual, Predicate, Unique
from grassroots.pipeline.validate import phases
from schemas import codes, get

REF = dt.date(2026, 11, 25)


def _all_columns(name: str) -> frozenset[str]:
    return frozenset(f.name for f in get(name).fields)


@pytest.mark.parametrize("name", sorted(suites.DECLARATIONS))
def test_every_declared_table_builds_a_suite_with_unique_rule_names(name: str) -> None:
    suite = suites.build(name, name, _all_columns(name), REF, {n: n for n in suites.DECLARATIONS})
    names = [r.name for r in suite.rules]
    assert len(names) == len(set(names))
    assert suite.skipped == ()
    # Every rule reads columns the table has, or columns derived from them.
    assert all(set(r.columns) <= _all_columns(name) | set(suite.derived) for r in suite.rules)


def test_person_suite_is_derived_from_the_model() -> None:
    suite = suites.build("person", "person", _all_columns("person"), REF, {})
    rules = {r.name: r for r in suite.rules}
    assert (
        isinstance(rules["person_id_not_null"], NotNull) and rules["person_id_not_null"].severity == "error"
    )
    assert isinstance(rules["person_id_unique"], Unique)
    sex = rules["sex_in_code_table"]
    assert isinstance(sex, InSet) and set(sex.values) == set(codes.names("sex"))
    assert isinstance(rules["citizen_id_format"], Matches) and rules["citizen_id_format"].severity == "error"
    assert isinstance(rules["citizen_id_check_char"], Predicate)
    assert isinstance(rules["phone_format"], Matches) and rules["phone_format"].severity == "warning"
    assert isinstance(rules["current_township_format"], Matches)
    assert isinstance(rules["sex_matches_citizen_id"], PairEqual)
    # Multi-valued special groups are checked code by code, not as one string.
    assert isinstance(rules["special_group_in_code_table"], Predicate)
    assert set(suite.derived) == {"citizen_id_sex", "citizen_id_birth_date", "sex_stated"}


def test_staging_table_gets_provenance_rules_and_skips_absent_columns() -> None:
    columns = frozenset({"source_system", "source_table", "source_key", "load_id", "citizen_id", "sex"})
    suite = suites.build("person", "stg_person", columns, REF, {})
    names = {r.name for r in suite.rules}
    assert {"source_key_not_null", "source_system_known", "source_record_once", "citizen_id_format"} <= names
    assert "person_id_not_null" in suite.skipped
    assert "birth_date_matches_citizen_id" in suite.skipped
    assert set(suite.derived) == {"citizen_id_sex", "sex_stated"}


def test_staging_contract_names_and_severities() -> None:
    columns = frozenset(
        {"source_system", "source_table", "record_key", "citizen_id", "birth_date", "township_code"}
    )
    rules = {r.name: r for r in suites.build("person", "stg_person", columns, REF, {}).rules}
    assert rules["record_key_not_null"].severity == "error"
    # Resolution does not link on a bad ID, so a staging record with one is kept and reported.
    assert rules["citizen_id_check_char"].severity == "warning"
    assert rules["birth_date_age_0_to_120"].severity == "warning"
    assert isinstance(rules["township_code_in_code_table"], InSet)
    golden = {r.name: r for r in suites.build("person", "person", _all_columns("person"), REF, {}).rules}
    assert golden["citizen_id_check_char"].severity == "error"


def test_golden_table_without_required_fields_is_reported(caplog: pytest.LogCaptureFixture) -> None:
    suite = suites.build("household_member", "hm", frozenset({"whatever"}), REF, {})
    assert suite.rules == ()
    assert "lacks required fields ['household_no', 'person_id', 'is_head']" in caplog.text


def test_reference_rules_need_the_referenced_table() -> None:
    columns = _all_columns("person_residence")
    without = suites.build("person_residence", "pr", columns, REF, {})
    assert "person_id_exists" in without.skipped
    with_person = suites.build("person_residence", "pr", columns, REF, {"person": "golden_person"})
    rule = next(r for r in with_person.rules if r.name == "person_id_exists")
    assert rule.severity == "error"
    assert "golden_person" in rule.failing_sql("b", {"person": "golden_person"})


def test_referenced_tables_are_validated_first() -> None:
    tables = {
        "person_residence": "pr",
        "person": "p",
        "place": "pl",
        "event_party": "ep",
        "organization": "o",
    }
    order = phases(tables, REF)
    position = {name: i for i, phase in enumerate(order) for name in phase}
    assert position["person"] < position["person_residence"]
    assert position["place"] < position["person_residence"]
    assert position["organization"] < position["event_party"]


def test_unknown_table_says_what_is_declared() -> None:
    with pytest.raises(KeyError, match="declared: person"):
        suites.declaration("nonsense")
