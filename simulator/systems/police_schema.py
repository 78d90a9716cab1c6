"""Layouts of the police export files: Chinese headers in a fixed order, one layout per export kind.

docs/legacy-systems.md §3 documents every column; keep the two in step.
"""

from __future__ import annotations

from dataclasses import dataclass

CHANGE_COLUMN = "变更类型"
CHANGE_TYPES = ("新增", "修改", "注销")


@dataclass(frozen=True)
class ExportKind:
    """One kind of police export: its file prefix and format, header row and natural key columns."""

    prefix: str
    suffix: str
    columns: tuple[str, ...]
    key: tuple[str, ...]

    def file_name(self, day: str, seq: int) -> str:
        """HJRK_429004_20260105_001.csv: prefix, city code, export day (yyyymmdd), sequence of the day."""
        return f"{self.prefix}_429004_{day}_{seq:03d}{self.suffix}"


HJRK = ExportKind(
    prefix="HJRK",
    suffix=".csv",
    columns=(
        "公民身份号码", "姓名", "曾用名", "性别", "民族", "出生日期", "户号", "与户主关系", "户籍地址", "现住址",
        "婚姻状况", "文化程度", "服务处所", "联系电话", "派出所", "人员状态", "登记日期",
    ),
    key=("公民身份号码",),
)  # fmt: skip

LDRK = ExportKind(
    prefix="LDRK",
    suffix=".xlsx",
    columns=(
        "证件种类", "证件号码", "姓名", "性别", "民族", "出生日期", "国籍", "户籍地址", "现住址", "流入原因",
        "居住证编号", "登记日期", "有效期至", "联系电话", "派出所", "人员状态",
    ),
    key=("证件号码",),
)  # fmt: skip

JDC = ExportKind(
    prefix="JDC",
    suffix=".csv",
    columns=(
        "号牌号码", "号牌种类", "车辆类型", "品牌型号", "车身颜色", "所有人", "所有人证件号码", "住所地址",
        "联系电话", "初次登记日期", "机动车状态",
    ),
    key=("号牌号码", "号牌种类"),
)  # fmt: skip

JQ = ExportKind(
    prefix="JQ",
    suffix=".xlsx",
    columns=(
        "警情编号", "报警时间", "报警人", "报警人证件号码", "报警电话", "警情类别", "发生地址", "简要案情",
        "处警单位", "处理状态", "办结时间",
    ),
    key=("警情编号",),
)  # fmt: skip

KINDS: dict[str, ExportKind] = {k.prefix: k for k in (HJRK, LDRK, JDC, JQ)}
