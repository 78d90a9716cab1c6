"""The place entity (地): one table for the hierarchy township → community → grid → building → house."""

from __future__ import annotations

from schemas.model import Field, Table, audit_fields

_HIERARCHY = (
    Field("place_id", "VARCHAR", "地实体标识（跨批次稳定）", "stable entity id of the place", required=True),
    Field("level", "VARCHAR", "层级", "level in the hierarchy", required=True, code_table="place_level"),
    Field("parent_id", "VARCHAR", "上级地实体标识", "place_id of the enclosing place (empty for a township)"),
    Field(
        "code",
        "VARCHAR",
        "本级编码：乡镇9位代码/网格编码/房屋编号",
        "code at this level: 9-digit township code, grid code or house number",
    ),
    Field("name", "VARCHAR", "名称", "name (township, community, grid, building or house)"),
    Field("township_code", "VARCHAR", "所属乡镇街道代码", "township it lies in", code_table="township"),
    Field("community_name", "VARCHAR", "所属社区/村", "community or village it lies in"),
    Field("grid_code", "VARCHAR", "所属网格编码", "grid it lies in"),
)

_ADDRESS = (
    Field("road", "VARCHAR", "街路巷", "road, street or lane"),
    Field("door_number", "VARCHAR", "门楼牌号", "door-plate number"),
    Field("compound", "VARCHAR", "小区/院落", "residential compound"),
    Field("building", "VARCHAR", "楼栋号", "building number"),
    Field("unit", "VARCHAR", "单元号", "stairwell unit"),
    Field("room", "VARCHAR", "室号", "room (flat) number"),
    Field(
        "address",
        "VARCHAR",
        "标准地址（自乡镇街道起）",
        "standard address, from the township down (no province or city prefix)",
    ),
)

_HOUSE = (
    Field("use", "VARCHAR", "房屋用途", "use of the house", code_table="house_use"),
    Field("is_rented", "BOOLEAN", "是否出租房屋", "let to tenants"),
    Field("owner_person_id", "VARCHAR", "房主（人员实体标识）", "person_id of the owner, when resolved"),
    Field("owner_name", "VARCHAR", "房主姓名", "name of the owner", privacy="personal", mask="name"),
    Field(
        "owner_citizen_id",
        "VARCHAR",
        "房主公民身份号码",
        "citizen ID of the owner",
        privacy="personal",
        mask="id",
    ),
    Field("area", "DOUBLE", "建筑面积（平方米）", "floor area in square metres"),
    Field("longitude", "DOUBLE", "经度（WGS84）", "longitude (WGS84)"),
    Field("latitude", "DOUBLE", "纬度（WGS84）", "latitude (WGS84)"),
)

PLACE = Table(
    name="place",
    kind="entity",
    grain_zh="每个已消歧的地（乡镇、社区/村、网格、楼栋或房屋）一行",
    grain_en="one row per resolved place: a township, community, grid, building or house",
    primary_key=("place_id",),
    description_zh="地的黄金记录：以层级和上级标识组成乡镇→社区→网格→楼栋→房屋的树，房屋带房主、出租和坐标信息。",
    description_en=(
        "Golden record of a place. Level and parent_id form the tree township → community → grid → building → "
        "house; houses carry owner, letting and coordinates."
    ),
    module="population",
    fields=_HIERARCHY + _ADDRESS + _HOUSE + audit_fields(),
)
