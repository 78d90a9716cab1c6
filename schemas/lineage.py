"""Lineage tables: which source record became which entity, where each golden value came from, how ids moved."""

from __future__ import annotations

from schemas.model import Field, Table

_ENTITY_KIND = Field(
    "entity_kind", "VARCHAR", "实体类型", "kind of entity", required=True, code_table="entity_kind"
)
# A row keeps the run that last changed it: a later run deciding the same again does not rewrite it.
_RUN_ID = Field("run_id", "VARCHAR", "消歧运行标识", "id of the resolution run", required=True, tracked=False)


def _source_record(required: bool) -> tuple[Field, ...]:
    return (
        Field(
            "source_system",
            "VARCHAR",
            "来源系统",
            "source system",
            required=required,
            code_table="source_system",
        ),
        Field(
            "source_table", "VARCHAR", "来源表或文件", "table or file in the source system", required=required
        ),
        Field("record_key", "VARCHAR", "来源记录主键", "primary key of the source record", required=required),
        Field("load_id", "VARCHAR", "抽取批次标识", "id of the extraction load that brought the record"),
    )


ENTITY_SOURCE = Table(
    name="entity_source",
    kind="lineage",
    grain_zh="每条来源记录、每种实体类型一行（一条网格人员记录可同时产生人和房屋）",
    grain_en="one row per source record and entity kind (a grid resident record can yield a person and a house)",
    primary_key=("entity_kind", "source_system", "source_table", "record_key"),
    description_zh="来源记录到实体的映射，及匹配所用规则和权重；可追溯每个实体由哪些原始记录合并而来。",
    description_en=(
        "Which source record became which entity, by which match rule and with what weight: traces every entity "
        "back to the raw records merged into it."
    ),
    module="x",
    fields=(
        _ENTITY_KIND,
        Field("entity_id", "VARCHAR", "实体标识", "id of the entity the record became", required=True),
        *_source_record(required=True),
        Field(
            "match_rule",
            "VARCHAR",
            "匹配规则（如 citizen_id 精确、概率匹配）",
            "rule that linked it (e.g. exact citizen_id, probabilistic)",
        ),
        Field(
            "match_weight",
            "DOUBLE",
            "匹配权重（概率匹配的对数似然比）",
            "match weight (log2 Bayes factor when probabilistic)",
        ),
        _RUN_ID,
    ),
)

FIELD_PROVENANCE = Table(
    name="field_provenance",
    kind="lineage",
    grain_zh="每个实体的每个字段一行",
    grain_en="one row per field of each entity",
    primary_key=("entity_kind", "entity_id", "field"),
    description_zh="黄金记录每个字段取自哪条来源记录、按哪条择优规则（可信度/时效/有效性）选出，以及候选值个数。",
    description_en=(
        "Where each golden-record value came from: the source record, the survivorship rule that chose it "
        "(trust, recency, validity) and how many candidate values there were."
    ),
    module="x",
    fields=(
        _ENTITY_KIND,
        Field("entity_id", "VARCHAR", "实体标识", "id of the entity", required=True),
        Field("field", "VARCHAR", "字段名", "name of the field in the entity table", required=True),
        *_source_record(required=False),
        Field("rule", "VARCHAR", "择优规则", "survivorship rule", code_table="survivorship_rule"),
        Field("candidates", "INTEGER", "候选值个数（去重后）", "number of distinct candidate values"),
        _RUN_ID,
    ),
)

ENTITY_ID_HISTORY = Table(
    name="entity_id_history",
    kind="lineage",
    grain_zh="每次运行中每对新旧实体标识一行",
    grain_en="one row per old id, new id and run in which one became the other",
    primary_key=("entity_kind", "old_id", "new_id", "run_id"),
    description_zh="实体标识在两次运行之间的合并与拆分：按 old_id 查到现在的 new_id，旧标识的引用不会失效。",
    description_en=(
        "Merges and splits of entity ids between runs: follow old_id to new_id so references to old ids keep working."
    ),
    module="x",
    fields=(
        _ENTITY_KIND,
        Field("old_id", "VARCHAR", "原实体标识", "id before the change", required=True),
        Field("new_id", "VARCHAR", "新实体标识", "id after the change", required=True),
        Field("change", "VARCHAR", "变化类型", "kind of change", required=True, code_table="id_change"),
        _RUN_ID,
        Field("changed_at", "TIMESTAMPTZ", "变化时间（UTC）", "when the run made the change (UTC)"),
    ),
    log=True,
)

LINEAGE: tuple[Table, ...] = (ENTITY_SOURCE, FIELD_PROVENANCE, ENTITY_ID_HISTORY)
