"""A small synthetic set of report inputs (two runs of three systems), for tests and for trying the report out.

It carries full citizen IDs and mobiles where real inputs could (entity tables, a careless record key), so the
masking of everything the report shows is exercised, not assumed.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from grassroots.report.inputs import GRID_FRESHNESS_COLUMNS, ReportInputs

QUARANTINE_SQL = """
SELECT * FROM (VALUES
  ('x1', 'extract', 'grid', 'JC_RK', 'R001', NULL, 'id_checksum', '公民身份号码校验位错误，请核对原始证件', '429004********1238', 'error', TIMESTAMPTZ '2026-11-20 01:00:00+00'),
  ('x1', 'extract', 'grid', 'JC_RK', 'R002', NULL, 'phone_format', '联系电话不是有效手机号', '139****000', 'warning', TIMESTAMPTZ '2026-11-20 01:00:00+00'),
  ('x2', 'extract', 'grid', 'JC_RK', 'R001', NULL, 'id_checksum', '公民身份号码校验位错误，请核对原始证件', '429004********1238', 'error', TIMESTAMPTZ '2026-11-24 01:00:00+00'),
  ('x2', 'extract', 'grid', 'JC_RK', 'R003', NULL, 'birth_date_future', '出生日期晚于今天', '2031-01-01', 'error', TIMESTAMPTZ '2026-11-24 01:00:00+00'),
  ('x2', 'extract', 'grid', 'JC_FW', 'F009', NULL, 'address_missing', '房屋地址为空', NULL, 'warning', TIMESTAMPTZ '2026-11-24 01:00:00+00'),
  ('x2', 'extract', 'police', 'HJRK_429004_20261124_1.csv', '429004198503051239', 17, 'sex_code', '性别与身份证号第17位不符，联系电话 13972801234', '9', 'error', TIMESTAMPTZ '2026-11-24 01:05:00+00'),
  ('x2', 'validate', 'civil', 'mz_person', '77', NULL, 'expect_column_values_to_match_regex', '民族代码不在 GB/T 3304 中', '穿青人', 'warning', TIMESTAMPTZ '2026-11-24 02:00:00+00')
) AS t(run_id, stage, source, table_or_file, record_key, line, rule, reason, value_masked, severity, occurred_at)
"""

VALIDATION_SQL = """
WITH runs(run_id, run_at, bad) AS (VALUES
  ('v1', TIMESTAMPTZ '2026-11-18 02:00:00+00', 40), ('v2', TIMESTAMPTZ '2026-11-21 02:00:00+00', 25),
  ('v3', TIMESTAMPTZ '2026-11-24 02:00:00+00', 10)),
checks(suite, expectation, expectation_type, source, table_name, column_name, rows, factor) AS (VALUES
  ('grid_JC_RK', 'gmsfhm_not_null', 'expect_column_values_to_not_be_null', 'grid', 'JC_RK', 'GMSFHM', 1000, 1),
  ('grid_JC_RK', 'gmsfhm_regex', 'expect_column_values_to_match_regex', 'grid', 'JC_RK', 'GMSFHM', 1000, 2),
  ('grid_JC_RK', 'rybh_unique', 'expect_column_values_to_be_unique', 'grid', 'JC_RK', 'RYBH', 1000, 0),
  ('civil_mz_person', 'id_card_regex', 'expect_column_values_to_match_regex', 'civil', 'mz_person', 'id_card', 300, 1),
  ('police_HJRK', 'sex_in_set', 'expect_column_values_to_be_in_set', 'police', 'HJRK', '性别', 2000, 1),
  ('police_HJRK', 'id_unique', 'expect_column_values_to_be_unique', 'police', 'HJRK', '公民身份号码', 2000, 0))
SELECT run_id, suite, expectation, expectation_type, source, table_name, column_name,
       bad * factor = 0 AS success, rows AS element_count, bad * factor AS unexpected_count,
       100.0 * bad * factor / rows AS unexpected_percent,
       CASE WHEN expectation_type LIKE '%not_be_null' THEN 'error' ELSE 'warning' END AS severity, run_at AS validated_at
FROM runs, checks
"""

ENTITY_SOURCE_SQL = """
SELECT entity_kind, entity_id, source_system, source_table, record_key, 'L1' AS load_id, 'citizen_id' AS match_rule,
       NULL::DOUBLE AS match_weight, 'res2' AS run_id
FROM (VALUES
  ('person', 'P1', 'grid', 'JC_RK', 'R011'), ('person', 'P1', 'police', 'HJRK', '429004198503051239'),
  ('person', 'P2', 'grid', 'JC_RK', 'R012'), ('person', 'P2', 'police', 'HJRK', '42900419900101123X'),
  ('person', 'P2', 'civil', 'mz_person', '78'),
  ('person', 'P3', 'grid', 'JC_RK', 'R013'), ('person', 'P3', 'police', 'LDRK', 'E12345678'),
  ('person', 'P4', 'grid', 'JC_RK', 'R014'),
  ('person', 'P5', 'police', 'HJRK', '429004200001011234'),
  ('place', 'H1', 'grid', 'JC_FW', 'F001'), ('place', 'H1', 'grid', 'JC_RK', 'R011'),
  ('place', 'H2', 'grid', 'JC_FW', 'F002')
) AS t(entity_kind, entity_id, source_system, source_table, record_key)
"""

FINDING_SQL = """
SELECT 'res2' AS run_id, entity_kind, entity_id, field, kind, systems, values_masked,
       TIMESTAMPTZ '2026-11-24 03:00:00+00' AS detected_at
FROM (VALUES
  ('person', 'P1', 'sex', 'conflict', ['grid', 'police'], ['1', '2']),
  ('person', 'P2', 'name', 'conflict', ['civil', 'grid', 'police'], ['王*', '汪*', '王*']),
  ('person', 'P3', 'citizen_id', 'shared_id', ['grid', 'police'], ['429004********1239']),
  ('person', 'P4', 'category', 'missing', ['grid'], ['02'])
) AS t(entity_kind, entity_id, field, kind, systems, values_masked)
UNION ALL
SELECT 'res1', 'person', 'P1', 'sex', 'conflict', ['grid', 'police'], ['1', '2'], TIMESTAMPTZ '2026-11-20 03:00:00+00'
"""

FIELD_PROVENANCE_SQL = """
SELECT 'person' AS entity_kind, entity_id, field, source_system, source_table, record_key, NULL AS load_id,
       'trust' AS rule, 2 AS candidates, 'res2' AS run_id
FROM (VALUES ('P1', 'sex', 'police', 'HJRK', '429004198503051239'), ('P2', 'name', 'police', 'HJRK', '42900419900101123X'))
  AS t(entity_id, field, source_system, source_table, record_key)
"""

# Golden records with full values, as the restricted lake holds them.
PERSON_SQL = """
SELECT * FROM (VALUES
  ('P1', '429004198503051239', '李建国', '2', '13972801234'),
  ('P2', '42900419900101123X', '王小红', '2', NULL),
  ('P3', NULL, '张三', '1', NULL), ('P4', NULL, '赵四', '1', NULL), ('P5', '429004200001011234', '钱五', '1', NULL)
) AS t(person_id, citizen_id, name, sex, phone)
"""

GRID_FRESHNESS_SQL = f"""
SELECT {", ".join(f"CAST(c{i} AS {t}) AS {n}" for i, (n, t) in enumerate(GRID_FRESHNESS_COLUMNS))} FROM (VALUES
  ('429004001001001', 420, TIMESTAMPTZ '2026-11-23 00:00:00+00', 2, 0.91),
  ('429004001001002', 380, TIMESTAMPTZ '2026-09-01 00:00:00+00', 85, 0.40),
  ('429004101002001', 510, TIMESTAMPTZ '2026-11-10 00:00:00+00', 15, 0.77),
  ('429004113001003', 260, TIMESTAMPTZ '2026-06-30 00:00:00+00', 148, 0.12)
) AS t({", ".join(f"c{i}" for i in range(len(GRID_FRESHNESS_COLUMNS)))})
"""

TABLES = {
    "quarantine": QUARANTINE_SQL,
    "validation_result": VALIDATION_SQL,
    "entity_source": ENTITY_SOURCE_SQL,
    "finding": FINDING_SQL,
    "field_provenance": FIELD_PROVENANCE_SQL,
    "grid_freshness": GRID_FRESHNESS_SQL,
    "person": PERSON_SQL,
}


def write(folder: Path) -> ReportInputs:
    """Write every synthetic input as a Parquet file under ``folder``; returns inputs pointing at them."""
    folder.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect()
    try:
        for name, sql in TABLES.items():
            path = str(folder / f"{name}.parquet").replace("'", "''")
            con.execute(f"COPY ({sql}) TO '{path}' (FORMAT parquet)")
    finally:
        con.close()
    paths = {name: str(folder / f"{name}.parquet") for name in TABLES}
    return ReportInputs(
        quarantine=paths["quarantine"],
        validation_result=paths["validation_result"],
        finding=paths["finding"],
        entity_source=paths["entity_source"],
        field_provenance=paths["field_provenance"],
        grid_freshness=paths["grid_freshness"],
        entities={"person": paths["person"]},
    )
