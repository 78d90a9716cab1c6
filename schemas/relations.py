"""Relations between the resolved entities: who lives where, who belongs to which household, organization, event, grid."""

from __future__ import annotations

from schemas.model import Field, Table


def _period_and_source() -> tuple[Field, ...]:
    return (
        Field("from_date", "DATE", "起始日期", "first day the relation held, when known"),
        Field(
            "to_date",
            "DATE",
            "截止日期（空表示仍有效）",
            "last day the relation held; empty while it still holds",
        ),
        Field(
            "source",
            "VARCHAR",
            "来源系统",
            "source system that reported it",
            required=True,
            code_table="source_system",
        ),
    )


_PERSON_ID = Field("person_id", "VARCHAR", "人员实体标识", "person_id of the person", required=True)
_PLACE_ID = Field("place_id", "VARCHAR", "地实体标识", "place_id of the place", required=True)

PERSON_RESIDENCE = Table(
    name="person_residence",
    kind="relation",
    grain_zh="每人、每处房屋、每种居住关系（户籍/现住）、每个来源系统一行",
    grain_en="one row per person, place, kind of residence (registered or current) and source system",
    primary_key=("person_id", "place_id", "residence_type", "source"),
    description_zh="人与地的居住关系：户籍地和现住地，含起止日期和来源；用于“谁住在哪里、每个网格实际住多少人”。",
    description_en=(
        "Residence of people at places, registered and current, with dates and source: answers who lives where "
        "and how many people actually live in each grid."
    ),
    module="population",
    fields=(
        _PERSON_ID,
        _PLACE_ID,
        Field(
            "residence_type",
            "VARCHAR",
            "居住关系类型",
            "kind of residence",
            required=True,
            code_table="residence_type",
        ),
        *_period_and_source(),
    ),
)

HOUSEHOLD_MEMBER = Table(
    name="household_member",
    kind="relation",
    grain_zh="每个户号下每名成员一行",
    grain_en="one row per member of a registered household",
    primary_key=("household_no", "person_id"),
    description_zh="户籍户的成员及其与户主关系。",
    description_en="Members of each registered household and their relation to its head.",
    module="population",
    fields=(
        Field(
            "household_no", "VARCHAR", "户号", "household register number", required=True, privacy="personal"
        ),
        _PERSON_ID,
        Field("relation", "VARCHAR", "与户主关系", "relation to the head", code_table="household_relation"),
        Field("is_head", "BOOLEAN", "是否户主", "is the head of the household", required=True),
    ),
)

PERSON_ORGANIZATION = Table(
    name="person_organization",
    kind="relation",
    grain_zh="每人、每个组织、每种角色一行",
    grain_en="one row per person, organization and role",
    primary_key=("person_id", "org_id", "role"),
    description_zh="人与组织的关系：从业人员、法定代表人、成员、联系人。",
    description_en="People's ties to organizations: employee, legal representative, member, contact.",
    module="organizations",
    fields=(
        _PERSON_ID,
        Field("org_id", "VARCHAR", "组织实体标识", "org_id of the organization", required=True),
        Field("role", "VARCHAR", "角色", "role of the person", required=True, code_table="org_role"),
        *_period_and_source(),
    ),
)

EVENT_PARTY = Table(
    name="event_party",
    kind="relation",
    grain_zh="每个事件、每个当事人（人员或组织）、每种角色一行",
    grain_en="one row per event, party (person or organization) and role",
    primary_key=("event_id", "party_kind", "party_id", "role"),
    description_zh="事件的当事人：申请人、被申请人、反映人和其他涉及人员或组织。",
    description_en="Parties of an event: applicant, respondent, reporter and others involved, people or organizations.",
    module="disputes",
    fields=(
        Field("event_id", "VARCHAR", "事实体标识", "event_id of the event", required=True),
        Field(
            "party_kind",
            "VARCHAR",
            "当事人类型：person 或 organization",
            "kind of party: person or organization",
            required=True,
            code_table="entity_kind",
        ),
        Field(
            "party_id",
            "VARCHAR",
            "当事人实体标识（person_id 或 org_id）",
            "person_id or org_id",
            required=True,
        ),
        Field(
            "role", "VARCHAR", "当事人角色", "role in the event", required=True, code_table="event_party_role"
        ),
        Field(
            "name",
            "VARCHAR",
            "当事人名称（原记录中）",
            "name as the event record gives it",
            privacy="personal",
            mask="name",
        ),
    ),
)

PLACE_GRID = Table(
    name="place_grid",
    kind="relation",
    grain_zh="每处地、每个网格、每个来源系统一行",
    grain_en="one row per place, grid and source system",
    primary_key=("place_id", "grid_code", "source"),
    description_zh="地属于哪个网格；来源系统不一致时各自一行，便于发现网格划分冲突。",
    description_en="Which grid a place belongs to; one row per source, so disagreements between systems show up.",
    module="governance",
    fields=(
        _PLACE_ID,
        Field("grid_code", "VARCHAR", "网格编码", "grid code", required=True),
        Field("grid_place_id", "VARCHAR", "网格的地实体标识", "place_id of the grid itself"),
        *_period_and_source(),
    ),
)

GRID_WORKER = Table(
    name="grid_worker",
    kind="relation",
    grain_zh="每个网格、每名网格员一行",
    grain_en="one row per grid and grid worker",
    primary_key=("grid_code", "person_id"),
    description_zh="网格与网格员：负责人员、姓名和联系电话，用于任务下发和回访。",
    description_en="Grids and their workers, with name and phone, for handing out tasks and following them up.",
    module="governance",
    fields=(
        Field("grid_code", "VARCHAR", "网格编码", "grid code", required=True),
        _PERSON_ID,
        Field("name", "VARCHAR", "网格员姓名", "name of the grid worker", privacy="personal", mask="name"),
        Field("phone", "VARCHAR", "网格员电话", "phone of the grid worker", privacy="personal", mask="phone"),
        Field("role", "VARCHAR", "网格员类型", "kind of grid worker", code_table="grid_worker_role"),
        *_period_and_source(),
    ),
)

EVENT_REPORT = Table(
    name="event_report",
    kind="relation",
    grain_zh="每个事件的每份来源上报记录一行",
    grain_en="one row per source report merged into an event",
    primary_key=("event_id", "source_system", "source_table", "record_key"),
    description_zh="同一事件在不同系统中的各份上报：合并为一个事件后，每份原始上报仍保留。",
    description_en="The reports of one event in the different systems: merged into one event, every report kept.",
    module="disputes",
    fields=(
        Field("event_id", "VARCHAR", "事件实体标识", "event_id of the event", required=True),
        Field(
            "source_system", "VARCHAR", "来源系统", "source system", required=True, code_table="source_system"
        ),
        Field("source_table", "VARCHAR", "来源表或文件", "table or file in the source system", required=True),
        Field("record_key", "VARCHAR", "来源记录主键", "primary key of the report", required=True),
        Field("occurred_at", "TIMESTAMP", "该上报所记发生时间", "when this report says it happened"),
        Field("type", "VARCHAR", "该上报所记类别", "event type this report gives", code_table="event_type"),
        Field("status", "VARCHAR", "该上报所记状态", "status this report gives", code_table="event_status"),
        Field("match_rule", "VARCHAR", "合并规则", "rule that merged it into the event"),
    ),
)


RELATIONS: tuple[Table, ...] = (
    PERSON_RESIDENCE,
    HOUSEHOLD_MEMBER,
    PERSON_ORGANIZATION,
    EVENT_PARTY,
    EVENT_REPORT,
    PLACE_GRID,
    GRID_WORKER,
)
