"""Staging plans come from the source declarations; the citizen-ID status mapping covers every standardizer status."""

from __future__ import annotations

import pytest

from extractors.registry import registry
from transforms import citizen_id
from transforms.staging import statuses
from transforms.staging.fields import field_normalizer, normalizer_name
from transforms.staging.plan import enrichments_of, plans
from transforms.staging.table_sql import record_key_sql


def test_every_standardizer_status_has_a_resolution_status() -> None:
    statuses.check_complete()
    assert set(statuses.CITIZEN_ID_STATUS) == set(citizen_id.STATUSES)
    assert set(statuses.CITIZEN_ID_STATUS.values()) == set(statuses.RESOLUTION_STATUSES)
    for usable in citizen_id.USABLE:
        assert statuses.CITIZEN_ID_STATUS[usable] in ("valid", "upgraded")


@pytest.mark.parametrize(
    ("status", "expected"),
    [("upgraded_15_to_18", "upgraded"), ("bad_check_char", "bad_check"), ("future_birth_date", "bad_date"),
     ("excel_zeroed_tail", "damaged"), ("other_certificate", "missing"), ("normalized_fullwidth", "valid")],
)  # fmt: skip
def test_status_mapping(status: str, expected: str) -> None:
    assert statuses.CITIZEN_ID_STATUS[status] == expected


def test_civil_tables_enrich_the_person_records_of_mz_person() -> None:
    all_plans = plans(registry().values())
    person = next(p for p in all_plans if p.table == "mz_person" and p.target == "person")
    assert person.is_entity
    assert {p.table for p in enrichments_of(person, all_plans)} == {
        "mz_welfare",
        "mz_elderly",
        "mz_disability",
    }
    assert not any(p.is_entity for p in all_plans if p.table in ("mz_welfare", "mz_elderly", "mz_disability"))


def test_relation_mappings_travel_with_the_entity_of_their_table() -> None:
    all_plans = plans(registry().values())
    residents = next(p for p in all_plans if p.table == "JC_RK" and p.target == "person")
    assert [m.target for m in residents.related] == [
        "household_member",
        "person_residence",
        "person_residence",
    ]
    current, registered = [p for p in all_plans if p.table == "JC_RK" and p.target == "person_residence"]
    assert current.owner == "person" and current.mapping.references == {"place_id": "JC_FW"}
    assert registered.mapping.constants == {"residence_type": "registered"} and registered.mapping.fields == {
        "address": "HJDXZ"
    }
    # Two mappings of one table to one target stage as two plans under distinct names.
    assert (
        current.name == "grid_jc_rk_person_residence" and registered.name == "grid_jc_rk_person_residence_1"
    )
    assert len({p.name for p in all_plans}) == len(all_plans)
    # The resident's hukou address is flagged once, by the person mapping that reads the same column.
    assert "HJDXZ" in registered.owner_columns and "FWBH" not in current.owner_columns
    incidents = next(p for p in all_plans if p.table == "JQ" and p.target == "event")
    assert [m.target for m in incidents.related] == ["event_party"]
    assert any(p.table == "ZZ_WG" and p.target == "grid_worker" for p in all_plans)
    kinds = {p.target for p in all_plans if p.is_entity}
    assert kinds == {"person", "place", "thing", "event", "organization"}


def test_the_registry_picks_normalizers_by_target_then_field() -> None:
    assert normalizer_name("organization", "name") == "org_name"
    assert normalizer_name("person", "name") == "person_name"
    assert normalizer_name("place", "name") == "text"
    assert normalizer_name("person", "current_address") == "address"
    assert normalizer_name("person", "police_station") == "text"
    assert field_normalizer("person", "sex", "sex", legacy_zero_male=True).name == "code:sex"
    assert field_normalizer("event", "type", "event_type", False).name == "code:event_type"


def test_composite_keys_are_joined_like_the_truth_map() -> None:
    import duckdb

    sql = f"SELECT {record_key_sql(('a', 'b'))} FROM (SELECT '鄂M1' AS a, '02' AS b)"
    assert duckdb.sql(sql).fetchone() == ("鄂M1|02",)
