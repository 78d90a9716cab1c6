import duckdb

from transforms.resolve.relations import event_party_sql


def test_event_parties_without_people_or_organizations_is_an_empty_typed_table():
    rel = duckdb.sql(event_party_sql(with_people=False, with_orgs=False))
    assert rel.columns == ["event_id", "party_kind", "party_id", "role", "name"]
    assert rel.fetchall() == []
