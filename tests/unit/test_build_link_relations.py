import logging

import duckdb

from grassroots.pipeline.build import link_relations


def test_residences_wait_for_places_instead_of_failing_the_build(caplog):
    con = duckdb.connect()
    con.execute("CREATE TABLE stg_person_residence (record_key VARCHAR, address_key VARCHAR)")
    con.execute("INSERT INTO stg_person_residence VALUES ('r1', 'k1')")
    with caplog.at_level(logging.WARNING):
        linked = link_relations(con)
    assert linked == {}
    assert "stg_place not staged yet" in caplog.text
