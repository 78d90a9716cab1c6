"""Table definitions of the civil-affairs (民政) system: snake_case, real DATE/TIMESTAMP columns, hard deletes.

docs/legacy-systems.md §2 documents every column; keep the two in step.
"""

from __future__ import annotations

import sqlalchemy as sa

metadata = sa.MetaData()

mz_person = sa.Table(
    "mz_person",
    metadata,
    sa.Column("person_id", sa.BigInteger, primary_key=True, autoincrement=False),
    sa.Column("name", sa.String(50), nullable=False),
    sa.Column("gender_code", sa.String(1), comment="GB/T 2261.1: 1 male, 2 female"),
    sa.Column("id_number", sa.String(20), comment="citizen ID as entered (a few 15-digit, lower-case x)"),
    sa.Column("birth_date", sa.Date, comment="may disagree with the ID and with other systems"),
    sa.Column("nation", sa.String(2), comment="GB/T 3304 two-digit code"),
    sa.Column("phone", sa.String(40)),
    sa.Column("township_code", sa.String(9), comment="9-digit township code"),
    sa.Column("village_name", sa.String(100)),
    sa.Column("address", sa.String(255)),
    sa.Column("create_time", sa.DateTime, nullable=False),
    sa.Column("update_time", sa.DateTime, nullable=False),
)

mz_welfare = sa.Table(
    "mz_welfare",
    metadata,
    sa.Column("welfare_id", sa.BigInteger, primary_key=True, autoincrement=False),
    sa.Column("person_id", sa.BigInteger, nullable=False, index=True),
    sa.Column("welfare_type", sa.String(10), comment="低保 / 特困 / 临时救助"),
    sa.Column("start_date", sa.Date),
    sa.Column("end_date", sa.Date),
    sa.Column("monthly_amount", sa.Numeric(10, 2)),
    sa.Column("status", sa.String(10), comment="在保 / 停保"),
    sa.Column("update_time", sa.DateTime, nullable=False),
)

mz_elderly = sa.Table(
    "mz_elderly",
    metadata,
    sa.Column("person_id", sa.BigInteger, primary_key=True, autoincrement=False),
    sa.Column("living_alone", sa.Boolean),
    sa.Column("care_level", sa.String(10), comment="自理 / 半失能 / 失能"),
    sa.Column("subsidy_amount", sa.Numeric(10, 2), comment="高龄津贴 per month"),
    sa.Column("assess_date", sa.Date),
)

mz_disability = sa.Table(
    "mz_disability",
    metadata,
    sa.Column("person_id", sa.BigInteger, primary_key=True, autoincrement=False),
    sa.Column(
        "disability_cert_no", sa.String(22), comment="残疾人证号: citizen ID + type digit + level digit"
    ),
    sa.Column("disability_type", sa.SmallInteger, comment="1 视力 2 听力 3 言语 4 肢体 5 智力 6 精神 7 多重"),
    sa.Column("disability_level", sa.SmallInteger, comment="1 (most severe) to 4"),
    sa.Column("issue_date", sa.Date),
    sa.Column("update_time", sa.DateTime, nullable=False),
)

mz_social_org = sa.Table(
    "mz_social_org",
    metadata,
    sa.Column("org_id", sa.BigInteger, primary_key=True, autoincrement=False),
    sa.Column("org_name", sa.String(200), nullable=False),
    sa.Column("credit_code", sa.String(20)),
    sa.Column("legal_rep", sa.String(50)),
    sa.Column("org_type", sa.String(20), comment="社会团体 / 民办非企业单位 / 基金会"),
    sa.Column("address", sa.String(255)),
    sa.Column("reg_date", sa.Date),
    sa.Column("status", sa.String(10), comment="正常 / 注销"),
    sa.Column("update_time", sa.DateTime, nullable=False),
)

TABLES: tuple[sa.Table, ...] = (mz_person, mz_welfare, mz_elderly, mz_disability, mz_social_org)
