"""The thing (物), event (事) and organization (组织) entities, and the five entity tables together."""

from __future__ import annotations

from schemas.model import Field, Table, audit_fields
from schemas.person import PERSON
from schemas.place import PLACE

THING = Table(
    name="thing",
    kind="entity",
    grain_zh="每个已消歧的物（车辆、设施设备或安全隐患）一行",
    grain_en="one row per resolved thing: a vehicle, a device or facility, or a hazard",
    primary_key=("thing_id",),
    description_zh="物的黄金记录：车辆（号牌）、雪亮工程摄像头与消防设施、安全隐患点，及其所有人和所在地。",
    description_en=(
        "Golden record of a thing: vehicles (by plate), cameras and fire equipment, hazard sites; "
        "with their owner and where they are."
    ),
    module="public_security",
    fields=(
        Field(
            "thing_id", "VARCHAR", "物实体标识（跨批次稳定）", "stable entity id of the thing", required=True
        ),
        Field("type", "VARCHAR", "物的类型", "type of thing", code_table="thing_type"),
        Field("kind", "VARCHAR", "大类：vehicle/device/hazard", "broad kind: vehicle, device or hazard"),
        Field(
            "plate_no",
            "VARCHAR",
            "号牌号码（GA 36，规范化后）",
            "vehicle plate (GA 36, normalized)",
            privacy="personal",
        ),
        Field(
            "plate_type", "VARCHAR", "号牌种类（GA 24.7）", "plate type (GA 24.7)", code_table="plate_type"
        ),
        Field("is_new_energy", "BOOLEAN", "是否新能源号牌", "new-energy plate"),
        Field("device_code", "VARCHAR", "设施设备编号", "device or facility number"),
        Field("name", "VARCHAR", "名称或描述", "name or description"),
        Field("brand_model", "VARCHAR", "品牌型号（车辆）", "make and model (vehicles)"),
        Field("owner_person_id", "VARCHAR", "所有人（人员实体标识）", "person_id of the owner"),
        Field(
            "owner_org_id",
            "VARCHAR",
            "所有单位（组织实体标识）",
            "org_id of the owner, when an organization owns it",
        ),
        Field("owner_name", "VARCHAR", "所有人姓名", "name of the owner", privacy="personal", mask="name"),
        Field(
            "owner_citizen_id",
            "VARCHAR",
            "所有人公民身份号码",
            "citizen ID of the owner",
            privacy="personal",
            mask="id",
        ),
        Field("place_id", "VARCHAR", "所在地（地实体标识）", "place_id of where the thing is"),
        Field("grid_code", "VARCHAR", "所属网格编码", "grid it lies in"),
        Field(
            "status", "VARCHAR", "状态（正常、停用、已整改等）", "status (in use, out of use, remedied, ...)"
        ),
        Field("registered_date", "DATE", "登记日期", "date of registration"),
        *audit_fields(),
    ),
)

_EVENT_WHAT = (
    Field("event_id", "VARCHAR", "事实体标识（跨批次稳定）", "stable entity id of the event", required=True),
    Field("title", "VARCHAR", "事件名称", "title of the event"),
    Field("type", "VARCHAR", "事件类别", "event type", code_table="event_type"),
    Field(
        "kind",
        "VARCHAR",
        "大类：dispute/request/incident/hazard",
        "broad kind: dispute, request, incident or hazard",
    ),
    Field(
        "source_channel",
        "VARCHAR",
        "事件来源（网格员上报、12345热线等）",
        "channel (grid worker, 12345 hotline, ...)",
        code_table="event_channel",
    ),
    Field("occurred_at", "TIMESTAMP", "发生时间（北京时间）", "when it happened (Beijing time)"),
    Field("reported_at", "TIMESTAMP", "上报时间（北京时间）", "when it was reported (Beijing time)"),
    Field("address", "VARCHAR", "发生地点", "where it happened", privacy="personal", mask="address"),
    Field("township_code", "VARCHAR", "所属乡镇街道代码", "township it happened in", code_table="township"),
    Field("grid_code", "VARCHAR", "所属网格编码", "grid it happened in"),
    Field("place_id", "VARCHAR", "发生地（地实体标识）", "place_id of where it happened"),
    Field("people_involved", "INTEGER", "涉及人数", "number of people involved"),
    Field(
        "summary",
        "VARCHAR",
        "简述（自由文本，可能提及当事人）",
        "summary (free text, may mention the parties)",
        privacy="personal",
    ),
)

_EVENT_HANDLING = (
    Field("status", "VARCHAR", "当前状态", "current status", code_table="event_status"),
    Field("deadline", "TIMESTAMP", "处理时限（北京时间）", "deadline for handling (Beijing time)"),
    Field("closed_at", "TIMESTAMP", "办结时间（北京时间）", "when it was closed (Beijing time)"),
    Field(
        "resolution_method",
        "VARCHAR",
        "化解方式（调解、诉讼等）",
        "how it was resolved (mediation, lawsuit, ...)",
    ),
    Field(
        "handler", "VARCHAR", "责任人", "person responsible for handling it", privacy="personal", mask="name"
    ),
    Field(
        "is_overdue",
        "BOOLEAN",
        "是否超期（办结晚于时限或未办结已过时限）",
        "closed after, or still open past, its deadline",
    ),
    Field(
        "report_count", "INTEGER", "重复上报次数（合并的记录数）", "number of reports merged into this event"
    ),
)

EVENT = Table(
    name="event",
    kind="entity",
    grain_zh="每个已消歧的事件（矛盾纠纷、诉求、案事件、隐患）一行，重复上报合并为一件",
    grain_en="one row per resolved event (dispute, request, incident, hazard); repeated reports merged into one",
    primary_key=("event_id",),
    description_zh="事的黄金记录：类别、时间、地点、状态流转（上报→受理→处置→办结→回访）、时限与化解方式。",
    description_en=(
        "Golden record of an event: type, time, place, its status workflow (reported → accepted → handling → "
        "closed → followed up), deadline and how it was resolved."
    ),
    module="disputes",
    fields=(*_EVENT_WHAT, *_EVENT_HANDLING, *audit_fields()),
)

ORGANIZATION = Table(
    name="organization",
    kind="entity",
    grain_zh="每个已消歧的组织（企业、个体户、社会组织、机关等）一行",
    grain_en="one row per resolved organization: enterprise, individual business, social organization, public body",
    primary_key=("org_id",),
    description_zh="组织的黄金记录：统一社会信用代码（及旧的组织机构代码、工商注册号）、类型、法定代表人、地址与联系方式。",
    description_en=(
        "Golden record of an organization: unified social credit code (and the older organization code and "
        "business registration number), type, legal representative, address and contact."
    ),
    module="organizations",
    fields=(
        Field(
            "org_id",
            "VARCHAR",
            "组织实体标识（跨批次稳定）",
            "stable entity id of the organization",
            required=True,
        ),
        Field(
            "credit_code", "VARCHAR", "统一社会信用代码（GB 32100）", "unified social credit code (GB 32100)"
        ),
        Field(
            "credit_code_valid",
            "BOOLEAN",
            "信用代码校验位是否正确（早期试点代码可能不符但合法）",
            "credit code passes its check (early pilot codes may fail yet be legal)",
        ),
        Field(
            "org_code",
            "VARCHAR",
            "组织机构代码（GB 11714，9位）",
            "organization code (GB 11714, 9 characters)",
        ),
        Field("registration_no", "VARCHAR", "工商注册号（15位）", "business registration number (15 digits)"),
        Field("name", "VARCHAR", "单位名称", "name of the organization"),
        Field("type", "VARCHAR", "组织类型", "type of organization", code_table="organization_type"),
        Field(
            "legal_representative",
            "VARCHAR",
            "法定代表人姓名",
            "name of the legal representative",
            privacy="personal",
            mask="name",
        ),
        Field("address", "VARCHAR", "单位地址", "address of the organization"),
        Field("township_code", "VARCHAR", "所属乡镇街道代码", "township it lies in", code_table="township"),
        Field("grid_code", "VARCHAR", "所属网格编码", "grid it lies in"),
        Field("place_id", "VARCHAR", "所在地（地实体标识）", "place_id of the house or building it occupies"),
        Field("phone", "VARCHAR", "联系电话", "contact phone number", privacy="personal", mask="phone"),
        Field("has_party_org", "BOOLEAN", "是否建立党组织", "has a party organization"),
        Field("hazardous_chemicals", "BOOLEAN", "是否涉及危险化学品", "handles hazardous chemicals"),
        Field(
            "status",
            "VARCHAR",
            "登记状态（存续、注销、吊销等）",
            "registration status (active, deregistered, revoked)",
        ),
        Field("registered_date", "DATE", "成立日期", "date of establishment"),
        *audit_fields(),
    ),
)

ENTITIES: tuple[Table, ...] = (PERSON, PLACE, THING, EVENT, ORGANIZATION)
