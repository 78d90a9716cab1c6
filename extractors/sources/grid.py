"""The grid-management platform (网格化管理平台, 2012): pinyin-initial columns, text everywhere, XGSJ as cursor.

Soft deletes (ZXBS='1') arrive as updates and land as data; the rare hard deletes are found by key comparison.
ZZ_WG has no timestamp and is compared as a full snapshot. Contract: docs/legacy-systems.md §1.
"""

from __future__ import annotations

from datetime import timedelta

from extractors.declare import Cursor, DatabaseSource, Mapping, Snapshot, Table

# XGSJ is text on the platform's clock; two hours of overlap catch rows whose transaction committed late.
XGSJ = Cursor("XGSJ", lookback=timedelta(hours=2), deletes="keys")

GRIDS = Table(
    "ZZ_WG",
    key=("WGBM",),
    changes=Snapshot(),
    description="grids (网格) and their grid workers",
    mappings=(
        Mapping("place", {"code": "WGBM", "grid_code": "WGBM", "name": "WGMC", "township_code": "SSJD",
                          "community_name": "SSSQ"},
                codes={"township_code": "township"}, constants={"level": "grid"}),
        Mapping("grid_worker", {"grid_code": "WGBM", "name": "WGYXM", "phone": "WGYLXDH"}),
    ),
)  # fmt: skip

HOUSES = Table(
    "JC_FW",
    key=("FWBH",),
    changes=XGSJ,
    description="houses (房屋)",
    mappings=(
        Mapping(
            "place",
            {
                "code": "FWBH", "grid_code": "WGBM", "township_code": "XZJD", "community_name": "JCWH",
                "road": "JLX", "door_number": "MLPH", "building": "LDH", "unit": "DYH", "room": "SH",
                "address": "FWDZ", "use": "FWLB", "owner_name": "FZXM", "owner_citizen_id": "FZSFHM",
            },
            codes={"township_code": "township", "use": "house_use"},
            constants={"level": "house"},
        ),
    ),
)  # fmt: skip

RESIDENTS = Table(
    "JC_RK",
    key=("RYBH",),
    changes=XGSJ,
    description="actual population (实有人口)",
    mappings=(
        Mapping(
            "person",
            {
                "citizen_id": "GMSFHM", "name": "XM", "sex": "XB", "ethnicity": "MZ", "birth_date": "CSRQ",
                "phone": "LXDH", "category": "SYRKLB", "household_no": "HH", "household_relation": "YHZGX",
                "registered_address": "HJDXZ", "current_address": "XZZ", "current_grid": "WGBM",
                "is_elderly_alone": "SFDJLR", "is_disabled": "SFCJR", "special_group": "TSRQLB",
            },
            codes={
                "sex": "sex", "ethnicity": "ethnicity", "category": "person_category",
                "household_relation": "household_relation", "special_group": "special_group",
            },
        ),
        Mapping("household_member", {"household_no": "HH", "relation": "YHZGX"},
                codes={"relation": "household_relation"}),
        Mapping("person_residence", {"place_id": "FWBH"}, constants={"residence_type": "current"},
                references={"place_id": "JC_FW"}),
        # The hukou address names no house record: it links to the place with the same standardized address.
        Mapping("person_residence", {"address": "HJDXZ"}, constants={"residence_type": "registered"}),
    ),
)  # fmt: skip

EVENTS = Table(
    "SJ_MDJF",
    key=("SJBH",),
    changes=XGSJ,
    description="disputes, citizens' requests and hazard reports (矛盾纠纷/诉求)",
    mappings=(
        Mapping(
            "event",
            {
                "title": "SJMC", "type": "SJLB", "source_channel": "SJLY", "occurred_at": "FSSJ", "address": "FSDD",
                "grid_code": "WGBM", "people_involved": "SJRS", "status": "DQZT", "deadline": "CLSX",
                "closed_at": "BJSJ", "reported_at": "DJSJ",  # 登记时间: when the grid worker registered it
            },
            codes={"type": "event_type", "source_channel": "event_channel", "status": "event_status"},
        ),
        Mapping("event_party", {"name": "DSRXM", "party_id": "DSRSFHM"}, constants={"role": "applicant"}),
    ),
)  # fmt: skip

ORGANIZATIONS = Table(
    "JC_ZZ",
    key=("ZZBH",),
    changes=XGSJ,
    description="organizations and businesses",
    mappings=(
        Mapping(
            "organization",
            {
                "credit_code": "TYSHXYDM", "org_code": "ZZJGDM", "registration_no": "GSZCH", "name": "DWMC",
                "legal_representative": "FDDBR", "address": "DWDZ", "type": "DWLX", "phone": "LXDH",
                "grid_code": "WGBM",
            },
            codes={"type": "organization_type"},
        ),
    ),
)  # fmt: skip

FACILITIES = Table(
    "JC_SS",
    key=("SSBH",),
    changes=XGSJ,
    description="facilities, devices and hazards",
    mappings=(
        Mapping("thing", {"name": "SSMC", "type": "SSLX", "device_code": "SBBM", "grid_code": "WGBM", "status": "ZT"},
                codes={"type": "thing_type"}),
    ),
)  # fmt: skip

SOURCE = DatabaseSource(
    name="grid",
    description="网格化管理平台 (grid-management platform)",
    system="grid",
    tables=(GRIDS, HOUSES, RESIDENTS, EVENTS, ORGANIZATIONS, FACILITIES),
)
