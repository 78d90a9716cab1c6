"""Relations that point at resolved ids: household members and the parties of events."""

from __future__ import annotations

# GB/T 4761 relation code of the head of a household.
HEAD_OF_HOUSEHOLD = "02"


def household_member_sql() -> str:
    """One row per household number and resolved person; the relation as the most trusted system states it."""
    return f"""
        SELECT household_no, entity_id AS person_id,
               arg_min(household_relation, CASE source_system WHEN 'police' THEN 0 WHEN 'civil' THEN 1 ELSE 2 END)
                   AS relation,
               coalesce(bool_or(household_relation = '{HEAD_OF_HOUSEHOLD}'), FALSE) AS is_head
        FROM _members_person WHERE household_no IS NOT NULL
        GROUP BY household_no, entity_id
    """


def event_party_sql(with_people: bool, with_orgs: bool) -> str:
    """Parties named by ID in an event's reports, resolved to people (citizen ID) or organizations (credit code).

    The reports do not say who raised the matter, so every party is 'involved'.
    """
    parties = """
        SELECT DISTINCT e.entity_id AS event_id, unnest(e.party_ids) AS party_key
        FROM _members_event e WHERE e.party_ids IS NOT NULL
    """
    joins = []
    if with_people:
        joins.append("""
            SELECT p.event_id, 'person' AS party_kind, m.entity_id AS party_id, 'involved' AS role,
                   any_value(m.name) AS name
            FROM parties p JOIN _members_person m ON m.usable_id = p.party_key GROUP BY p.event_id, m.entity_id
        """)
    if with_orgs:
        joins.append("""
            SELECT p.event_id, 'organization' AS party_kind, m.entity_id AS party_id, 'involved' AS role,
                   any_value(m.name) AS name
            FROM parties p JOIN _members_organization m ON m.valid_credit_code = p.party_key
            GROUP BY p.event_id, m.entity_id
        """)
    if not joins:
        return (
            # ROLE is a keyword in DuckDB: every alias is written with AS and quoted.
            'SELECT NULL::VARCHAR AS "event_id", NULL::VARCHAR AS "party_kind", NULL::VARCHAR AS "party_id", '
            'NULL::VARCHAR AS "role", NULL::VARCHAR AS "name" WHERE FALSE'
        )
    return f"WITH parties AS ({parties}) " + " UNION ALL ".join(f"SELECT * FROM ({j})" for j in joins)
