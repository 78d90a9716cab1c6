"""The civil-affairs system (民政): snake_case, real DATE/TIMESTAMP columns, national codes, hard deletes.

Every table but mz_elderly has the update_time cursor; hard deletes (a person who died or left, an old welfare case)
are found by comparing key sets on every sync. Contract: docs/legacy-systems.md §2.
"""

from __future__ import annotations

from datetime import timedelta

from extractors.declare import Attach, Cursor, DatabaseSource, Mapping, Snapshot, Table

# Assistance, elderly care and disability rows describe a person of mz_person, not people of their own.
TO_PERSON = Attach("mz_person", "person_id")

UPDATE_TIME = Cursor("update_time", lookback=timedelta(hours=2), deletes="keys")

SOURCE = DatabaseSource(
    name="civil",
    description="民政业务系统 (civil-affairs system)",
    system="civil",
    tables=(
        Table(
            "mz_person",
            key=("person_id",),
            changes=UPDATE_TIME,
            description="people known to civil affairs",
            mappings=(
                Mapping(
                    "person",
                    {
                        "name": "name", "sex": "gender_code", "citizen_id": "id_number", "birth_date": "birth_date",
                        "ethnicity": "nation", "phone": "phone", "current_township": "township_code",
                        "current_community": "village_name", "current_address": "address",
                    },
                    codes={"sex": "sex", "ethnicity": "ethnicity", "current_township": "township"},
                ),
            ),
        ),
        Table(
            "mz_welfare",
            key=("welfare_id",),
            changes=UPDATE_TIME,
            description="assistance cases (低保/特困/临时救助); person_id refers to mz_person",
            mappings=(Mapping("person", {"welfare_type": "welfare_type"}, codes={"welfare_type": "welfare_type"},
                              attach=TO_PERSON),),
        ),
        Table(
            "mz_elderly",
            key=("person_id",),
            changes=Snapshot(),
            description="elderly care; no timestamp, compared as a full snapshot",
            mappings=(
                Mapping("person", {"is_elderly_alone": "living_alone", "care_level": "care_level"},
                        codes={"care_level": "care_level"}, attach=TO_PERSON),
            ),
        ),
        Table(
            "mz_disability",
            key=("person_id",),
            changes=UPDATE_TIME,
            description="disability certificates",
            mappings=(
                Mapping("person", {"disability_type": "disability_type", "disability_level": "disability_level"},
                        codes={"disability_type": "disability_type"}, attach=TO_PERSON),
            ),
        ),
        Table(
            "mz_social_org",
            key=("org_id",),
            changes=UPDATE_TIME,
            description="social organizations registered with civil affairs",
            mappings=(
                Mapping(
                    "organization",
                    {
                        "name": "org_name", "credit_code": "credit_code", "legal_representative": "legal_rep",
                        "type": "org_type", "address": "address", "registered_date": "reg_date", "status": "status",
                    },
                    codes={"type": "organization_type"},
                ),
            ),
        ),
    ),
)  # fmt: skip
