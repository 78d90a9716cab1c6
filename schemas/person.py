"""The person entity (人): one golden record per resolved person, across the grid, civil-affairs and police systems."""

from __future__ import annotations

from schemas.model import Field, Table, audit_fields

_IDENTITY = (
    Field(
        "person_id",
        "VARCHAR",
        "人员实体标识（跨批次稳定）",
        "stable entity id of the resolved person",
        required=True,
    ),
    Field(
        "citizen_id",
        "VARCHAR",
        "公民身份号码（18位，已校验并升位）",
        "citizen ID number (18 characters, check digit verified, 15-digit numbers upgraded)",
        privacy="personal",
        mask="id",
    ),
    Field(
        "cert_type",
        "VARCHAR",
        "其他证件种类（身份证以外）",
        "type of the non-ID certificate in cert_number",
        code_table="certificate_type",
    ),
    Field(
        "cert_number",
        "VARCHAR",
        "其他证件号码（护照等）",
        "number of a certificate other than the citizen ID, e.g. a passport",
        privacy="personal",
        mask="id",
    ),
    Field("name", "VARCHAR", "姓名（规范化后）", "name, normalized", privacy="personal", mask="name"),
    Field("former_name", "VARCHAR", "曾用名", "former name", privacy="personal", mask="name"),
    Field(
        "name_pinyin", "VARCHAR", "姓名拼音", "name in pinyin, lower case", privacy="personal", mask="name"
    ),
    Field("sex", "VARCHAR", "性别（GB/T 2261.1）", "sex (GB/T 2261.1)", code_table="sex"),
    Field("birth_date", "DATE", "出生日期", "date of birth", privacy="personal"),
    Field("ethnicity", "VARCHAR", "民族（GB/T 3304）", "ethnic group (GB/T 3304)", code_table="ethnicity"),
    Field(
        "nationality",
        "VARCHAR",
        "国籍（GB/T 2659 三字母码）",
        "nationality (GB/T 2659 alpha-3 code, e.g. CHN)",
    ),
    Field("native_place", "VARCHAR", "籍贯", "native place (ancestral home)"),
    Field(
        "marital_status",
        "VARCHAR",
        "婚姻状况（GB/T 2261.2）",
        "marital status (GB/T 2261.2)",
        code_table="marital_status",
    ),
    Field(
        "education", "VARCHAR", "文化程度（GB/T 4658）", "education level (GB/T 4658)", code_table="education"
    ),
    Field(
        "religion",
        "VARCHAR",
        "宗教信仰（敏感个人信息）",
        "religious belief (sensitive personal information)",
        privacy="sensitive",
    ),
    Field("occupation", "VARCHAR", "职业", "occupation"),
    Field("employer", "VARCHAR", "服务处所", "employer or place of work"),
    Field("police_station", "VARCHAR", "户籍或登记派出所", "police station that holds the registration"),
    Field(
        "phone",
        "VARCHAR",
        "联系电话（规范化后）",
        "phone number, normalized",
        privacy="personal",
        mask="phone",
    ),
    Field(
        "category",
        "VARCHAR",
        "实有人口类别：户籍/流动/境外",
        "population category: registered resident, migrant, foreigner",
        code_table="person_category",
    ),
)

_HOUSEHOLD_AND_ADDRESS = (
    Field("household_no", "VARCHAR", "户号", "household register number", privacy="personal"),
    Field(
        "household_relation",
        "VARCHAR",
        "与户主关系",
        "relation to the head of household",
        code_table="household_relation",
    ),
    Field(
        "registered_address",
        "VARCHAR",
        "户籍详址",
        "registered (hukou) address in full",
        privacy="personal",
        mask="address",
    ),
    Field(
        "registered_township",
        "VARCHAR",
        "户籍地乡镇街道代码",
        "township of the registered address",
        code_table="township",
    ),
    Field(
        "current_address",
        "VARCHAR",
        "现住详址",
        "current address in full",
        privacy="personal",
        mask="address",
    ),
    Field(
        "current_township",
        "VARCHAR",
        "现住地乡镇街道代码",
        "township of the current address",
        code_table="township",
    ),
    Field("current_community", "VARCHAR", "现住地社区/村", "community or village of the current address"),
    Field("current_grid", "VARCHAR", "现住地网格编码", "grid code of the current address"),
    Field("current_place_id", "VARCHAR", "现住房屋地实体标识", "place_id of the house the person lives in"),
)

_MIGRATION_AND_WELFARE = (
    Field("migrant_reason", "VARCHAR", "流入原因（流动人口）", "reason for moving here (migrants)"),
    Field(
        "residence_permit_no",
        "VARCHAR",
        "居住证号码",
        "residence permit number",
        privacy="personal",
        mask="id",
    ),
    Field("residence_permit_expiry", "DATE", "居住证有效期至", "residence permit valid until"),
    Field("is_elderly_alone", "BOOLEAN", "是否独居老人", "elderly person living alone", privacy="personal"),
    Field(
        "is_disabled",
        "BOOLEAN",
        "是否残疾人（健康信息）",
        "person with a disability (health data)",
        privacy="sensitive",
    ),
    Field(
        "disability_type",
        "VARCHAR",
        "残疾类别（视力、听力、言语、肢体、智力、精神、多重）",
        "kind of disability (sight, hearing, speech, physical, intellectual, mental, multiple)",
        code_table="disability_type",
        privacy="sensitive",
    ),
    Field(
        "disability_level",
        "INTEGER",
        "残疾等级（1 最重，至 4）",
        "disability grade, 1 (most severe) to 4",
        privacy="sensitive",
    ),
    Field(
        "care_level",
        "VARCHAR",
        "老年人照护等级（自理、半失能、失能；健康信息）",
        "care need of an elderly person (independent, partly or fully dependent; health data)",
        code_table="care_level",
        privacy="sensitive",
    ),
    Field(
        "is_low_income",
        "BOOLEAN",
        "是否低保/低收入",
        "receives minimum-living or low-income support",
        privacy="personal",
    ),
    Field(
        "welfare_type",
        "VARCHAR",
        "救助类别（低保、特困等）",
        "kind of social assistance (minimum living, extreme poverty, temporary)",
        code_table="welfare_type",
        privacy="personal",
    ),
    Field(
        "special_group",
        "VARCHAR",
        "特殊人群类别（多个以|分隔，敏感）",
        "special-group codes, several joined by '|' (sensitive)",
        code_table="special_group",
        privacy="sensitive",
    ),
    Field("is_deceased", "BOOLEAN", "是否死亡", "deceased"),
    Field("death_date", "DATE", "死亡日期", "date of death"),
    Field(
        "is_moved_out",
        "BOOLEAN",
        "是否已迁出（户籍迁出或流动人口注销）",
        "moved away (hukou moved out or migrant deregistered)",
    ),
    Field("moved_out_date", "DATE", "迁出或注销日期", "date moved away or deregistered"),
)

PERSON = Table(
    name="person",
    kind="entity",
    grain_zh="每个已消歧的人员一行",
    grain_en="one row per resolved person",
    primary_key=("person_id",),
    description_zh="人员黄金记录：合并网格、民政、公安系统中同一人的记录，每个字段按可信度、时效和有效性择优。",
    description_en=(
        "Golden record of a person: records of the same person in the grid, civil-affairs and police systems "
        "merged, each field chosen by source trust, recency and validity."
    ),
    module="population",
    fields=_IDENTITY + _HOUSEHOLD_AND_ADDRESS + _MIGRATION_AND_WELFARE + audit_fields(),
)
