"""The police system (公安): an isolated network whose exports are dropped as files (GB18030 CSV, Excel).

The first export of each kind is full, later ones are deltas with a 变更类型 column (新增/修改/注销), so the header
grows by one column once: the kinds evolve. A 注销 row carries the record's last state and lands as data, like the
grid's ZXBS flag; absence from a delta file says nothing, so files never produce deletion rows.
Contract: docs/legacy-systems.md §3.
"""

from __future__ import annotations

from extractors.declare import FileKind, FileSource, Mapping
from grassroots.config import Settings

# Strict attempts in this order: UTF-8 (with or without BOM) never decodes GB18030 text by accident, while GB18030
# decodes almost any bytes, so it must come last.
ENCODINGS = ("utf-8-sig", "gb18030")

SOURCE = FileSource(
    name="police",
    description="公安人口与警情导出 (police exports)",
    locate=Settings.police_folder,
    kinds=(
        FileKind(
            "HJRK",
            "HJRK_429004_*_*.csv",
            key=("公民身份号码",),
            formats=("csv",),
            encodings=ENCODINGS,
            description="household registry (户籍人口)",
            mappings=(
                Mapping(
                    "person",
                    {
                        "citizen_id": "公民身份号码", "name": "姓名", "former_name": "曾用名", "sex": "性别",
                        "ethnicity": "民族", "birth_date": "出生日期", "household_no": "户号",
                        "household_relation": "与户主关系", "registered_address": "户籍地址", "current_address": "现住址",
                        "marital_status": "婚姻状况", "education": "文化程度", "employer": "服务处所", "phone": "联系电话",
                        "police_station": "派出所", "is_deceased": "人员状态", "is_moved_out": "人员状态",
                    },
                    codes={
                        "sex": "sex", "ethnicity": "ethnicity", "household_relation": "household_relation",
                        "marital_status": "marital_status", "education": "education",
                    },
                ),
                Mapping("person_residence", {"address": "户籍地址"}, constants={"residence_type": "registered"}),
            ),
        ),
        FileKind(
            "LDRK",
            "LDRK_429004_*_*.xlsx",
            key=("证件号码",),
            formats=("xlsx",),
            description="migrants and foreigners (流动人口/境外人员)",
            mappings=(
                Mapping(
                    "person",
                    {
                        "cert_type": "证件种类", "cert_number": "证件号码", "name": "姓名", "sex": "性别", "ethnicity": "民族",
                        "birth_date": "出生日期", "nationality": "国籍", "registered_address": "户籍地址",
                        "current_address": "现住址", "migrant_reason": "流入原因", "residence_permit_no": "居住证编号",
                        "residence_permit_expiry": "有效期至", "phone": "联系电话", "police_station": "派出所",
                        "is_moved_out": "人员状态",
                    },
                    codes={"cert_type": "certificate_type", "sex": "sex", "ethnicity": "ethnicity"},
                ),
                # Most migrants' hukou is outside Xiantao and links to no place here; the rest link like HJRK's.
                Mapping("person_residence", {"address": "户籍地址"}, constants={"residence_type": "registered"}),
            ),
        ),
        FileKind(
            "JDC",
            "JDC_429004_*_*.csv",
            key=("号牌号码", "号牌种类"),
            formats=("csv",),
            encodings=ENCODINGS,
            description="motor vehicles (机动车)",
            mappings=(
                Mapping(
                    "thing",
                    {
                        "plate_no": "号牌号码", "plate_type": "号牌种类", "brand_model": "品牌型号", "owner_name": "所有人",
                        "owner_citizen_id": "所有人证件号码", "registered_date": "初次登记日期", "status": "机动车状态",
                    },
                    codes={"plate_type": "plate_type"},
                    constants={"kind": "vehicle"},
                ),
            ),
        ),
        FileKind(
            "JQ",
            "JQ_429004_*_*.xlsx",
            key=("警情编号",),
            formats=("xlsx",),
            description="police incidents (警情)",
            mappings=(
                Mapping(
                    "event",
                    {
                        # The call is both the first sign of the happening and its report.
                        "occurred_at": "报警时间", "reported_at": "报警时间", "type": "警情类别", "address": "发生地址",
                        "summary": "简要案情", "handler": "处警单位", "status": "处理状态", "closed_at": "办结时间",
                    },
                    codes={"type": "event_type", "status": "event_status"},
                ),
                Mapping("event_party", {"name": "报警人", "party_id": "报警人证件号码"}, constants={"role": "reporter"}),
            ),
        ),
    ),
)  # fmt: skip
