"""Quality tables: refused records (quarantine), expectation results, and conflicts found between source systems."""

from __future__ import annotations

from schemas.model import Field, Table

_RUN_ID = Field("run_id", "VARCHAR", "运行标识", "id of the pipeline run", required=True)

# Mirrors grassroots.quarantine.SCHEMA column for column (a unit test holds them equal).
QUARANTINE = Table(
    name="quarantine",
    kind="quality",
    grain_zh="每条被拒绝或被警告的来源记录、每条违反的规则一行",
    grain_en="one row per source record and rule it broke, refused (error) or kept with a warning",
    primary_key=(),
    description_zh="隔离区：各环节拒收的记录及原因，绝不静默丢弃；问题值已脱敏。",
    description_en="Records a stage refused, with the reason, never silently dropped; offending values are masked.",
    module="x",
    fields=(
        _RUN_ID,
        Field(
            "stage",
            "VARCHAR",
            "环节：extract/standardize/validate/resolve/publish",
            "stage: extract, standardize, validate, resolve or publish",
            required=True,
        ),
        Field("source", "VARCHAR", "来源系统", "source system", required=True, code_table="source_system"),
        Field("table_or_file", "VARCHAR", "来源表或文件", "source table or file", required=True),
        Field("record_key", "VARCHAR", "记录主键（如有）", "primary key of the record, when it has one"),
        Field(
            "line", "BIGINT", "文件中的行号（如有）", "line or row number in a file, when it came from one"
        ),
        Field(
            "rule", "VARCHAR", "规则或期望名称", "machine-readable rule or expectation name", required=True
        ),
        Field("reason", "VARCHAR", "原因及处理建议", "what is wrong and what to do", required=True),
        Field("value_masked", "VARCHAR", "问题值（已脱敏）", "the offending value, personal data masked"),
        Field(
            "severity",
            "VARCHAR",
            "严重程度：error 拒收 / warning 保留并报告",
            "error (refused) or warning (kept, reported)",
            required=True,
        ),
        Field(
            "occurred_at", "TIMESTAMPTZ", "发生时间（UTC）", "when it was quarantined (UTC)", required=True
        ),
    ),
)

VALIDATION_RESULT = Table(
    name="validation_result",
    kind="quality",
    grain_zh="每次运行、每个期望套件、每条期望一行",
    grain_en="one row per run, expectation suite and expectation",
    primary_key=("run_id", "suite", "expectation"),
    description_zh="数据质量期望（Great Expectations）的校验结果，按运行累积，用于质量报告和趋势。",
    description_en=(
        "Results of the declared data-quality expectations (Great Expectations), kept per run for the quality "
        "report and its trends."
    ),
    module="x",
    fields=(
        _RUN_ID,
        Field("suite", "VARCHAR", "期望套件", "expectation suite", required=True),
        Field(
            "expectation",
            "VARCHAR",
            "期望名称（套件内唯一）",
            "name of the expectation, unique within its suite",
            required=True,
        ),
        Field(
            "expectation_type",
            "VARCHAR",
            "期望类型",
            "expectation type, e.g. expect_column_values_to_match_regex",
        ),
        Field(
            "source",
            "VARCHAR",
            "来源系统（如针对来源数据）",
            "source system, when it checks source data",
            code_table="source_system",
        ),
        Field("table_name", "VARCHAR", "被校验的表", "table checked", required=True),
        Field(
            "column_name",
            "VARCHAR",
            "被校验的字段（表级期望为空）",
            "column checked; empty for table-level expectations",
        ),
        Field("success", "BOOLEAN", "是否通过", "passed", required=True),
        Field("element_count", "BIGINT", "校验的记录数", "number of rows checked"),
        Field("unexpected_count", "BIGINT", "不符合的记录数", "number of rows that failed"),
        Field("unexpected_percent", "DOUBLE", "不符合比例（%）", "share of rows that failed, in percent"),
        Field("severity", "VARCHAR", "严重程度：error/warning", "error or warning", required=True),
        Field("validated_at", "TIMESTAMPTZ", "校验时间（UTC）", "when it was checked (UTC)", required=True),
    ),
)

FINDING = Table(
    name="finding",
    kind="quality",
    grain_zh="每次运行、每个实体、每个字段、每种问题一行",
    grain_en="one row per run, entity, field and kind of finding",
    primary_key=("run_id", "entity_kind", "entity_id", "field", "kind"),
    description_zh="跨系统不一致：同一实体在各系统中的取值冲突、缺失或无效，值已脱敏；供大数据中心交回各系统整改。",
    description_en=(
        "Disagreements between systems about one entity: conflicting, missing or invalid values (masked), for the "
        "big-data center to hand back to each system's owner."
    ),
    module="x",
    fields=(
        _RUN_ID,
        Field(
            "entity_kind", "VARCHAR", "实体类型", "kind of entity", required=True, code_table="entity_kind"
        ),
        Field("entity_id", "VARCHAR", "实体标识", "id of the entity", required=True),
        Field("field", "VARCHAR", "字段名", "field the systems disagree on", required=True),
        Field("kind", "VARCHAR", "问题类型", "kind of finding", required=True, code_table="finding_kind"),
        Field(
            "systems",
            "VARCHAR[]",
            "涉及的来源系统（与取值一一对应）",
            "source systems involved, aligned with values_masked",
        ),
        Field(
            "values_masked",
            "VARCHAR[]",
            "各系统的取值（已脱敏）",
            "each system's value, personal data masked",
        ),
        Field("detected_at", "TIMESTAMPTZ", "发现时间（UTC）", "when it was found (UTC)"),
    ),
)

QUALITY: tuple[Table, ...] = (QUARANTINE, VALIDATION_RESULT, FINDING)
