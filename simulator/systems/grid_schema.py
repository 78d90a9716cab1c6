"""Table definitions of the grid-management platform (2012): pinyin-initial columns, text nearly everywhere.

The DDL is SQLAlchemy Core so the same definition creates the SQLite file, a MariaDB or a PostgreSQL database.
docs/legacy-systems.md §1 documents every column; keep the two in step.
"""

from __future__ import annotations

import sqlalchemy as sa

metadata = sa.MetaData()


def _text(n: int) -> sa.String:
    # MariaDB needs a length for VARCHAR; lengths are generous like the original vendor's.
    return sa.String(n)


def _audit() -> list[sa.Column]:
    """DJSJ is a DATETIME (MariaDB keeps the zero date 0000-00-00 00:00:00 in a few rows); XGSJ is text."""
    return [
        sa.Column("ZXBS", _text(2), comment="注销标识: 0 active, 1 cancelled (soft delete)"),
        sa.Column("DJSJ", sa.DateTime, comment="登记时间"),
        sa.Column("XGSJ", _text(19), comment="修改时间, text 'YYYY-MM-DD HH:MM:SS' (the sync cursor)"),
    ]


ZZ_WG = sa.Table(
    "ZZ_WG",
    metadata,
    sa.Column(
        "WGBM", _text(15), primary_key=True, comment="网格编码: 429004 + township 3 + community 3 + grid 3"
    ),
    sa.Column("WGMC", _text(100), comment="网格名称"),
    sa.Column("SSJD", _text(50), comment="所属街道 (free text, old names)"),
    sa.Column("SSSQ", _text(100), comment="所属社区/村"),
    sa.Column("WGYXM", _text(50), comment="网格员姓名"),
    sa.Column("WGYLXDH", _text(60), comment="网格员联系电话"),
    sa.Column("JLZT", _text(2), comment="记录状态: 1 valid, 0 void"),
)

JC_FW = sa.Table(
    "JC_FW",
    metadata,
    sa.Column("FWBH", _text(32), primary_key=True, comment="房屋编号"),
    sa.Column("WGBM", _text(15)),
    sa.Column("XZJD", _text(50), comment="乡镇街道 (free text)"),
    sa.Column("JCWH", _text(100), comment="居村委会"),
    sa.Column("JLX", _text(100), comment="街路巷 / 村民小组"),
    sa.Column("MLPH", _text(30), comment="门楼牌号"),
    sa.Column("LDH", _text(20), comment="楼栋号 (号/栋/幢 variants)"),
    sa.Column("DYH", _text(20), comment="单元号"),
    sa.Column("SH", _text(20), comment="室号"),
    sa.Column("FWDZ", _text(255), comment="房屋地址 (full text)"),
    sa.Column("FWLB", _text(10), comment="房屋类别: 01 自住 02 出租 03 闲置 04 经营"),
    sa.Column("FZXM", _text(100), comment="房主姓名"),
    sa.Column("FZSFHM", _text(40), comment="房主身份号码"),
    sa.Column("JWD", _text(50), comment="经纬度 'lng,lat'"),
    *_audit(),
)

JC_RK = sa.Table(
    "JC_RK",
    metadata,
    sa.Column("RYBH", _text(32), primary_key=True, comment="人员编号"),
    sa.Column("XM", _text(100), comment="姓名"),
    sa.Column("XB", _text(10), comment="性别 as typed: 男/女/1/2/M/F/男性/0 (0 = male in one legacy app)"),
    sa.Column("MZ", _text(20), comment="民族: 汉/汉族/01/1 ..."),
    sa.Column("CSRQ", _text(30), comment="出生日期 in mixed formats"),
    sa.Column("GMSFHM", _text(40), comment="公民身份号码 (damaged in places)"),
    sa.Column("LXDH", _text(60), comment="联系电话 in every format"),
    sa.Column("SYRKLB", _text(20), comment="实有人口类别: 户籍/流动/境外 or 01/02/03"),
    sa.Column("HJDXZ", _text(255), comment="户籍地详址"),
    sa.Column("XZZ", _text(255), comment="现住址"),
    sa.Column("FWBH", _text(32), comment="房屋编号 of the current address (stale after moves)"),
    sa.Column("WGBM", _text(15)),
    sa.Column("HH", _text(20), comment="户号"),
    sa.Column("YHZGX", _text(20), comment="与户主关系 (name or code)"),
    sa.Column("SFDJLR", _text(2), comment="是否独居老人 1/0"),
    sa.Column("SFCJR", _text(2), comment="是否残疾人 1/0"),
    sa.Column("TSRQLB", _text(10), comment="特殊人群类别 (sensitive; special_group code)"),
    *_audit(),
)

SJ_MDJF = sa.Table(
    "SJ_MDJF",
    metadata,
    sa.Column("SJBH", _text(32), primary_key=True, comment="事件编号"),
    sa.Column("SJMC", _text(200), comment="事件名称"),
    sa.Column("SJLB", _text(50), comment="事件类别 (name, sometimes the code)"),
    sa.Column("SJLY", _text(20), comment="事件来源: 网格员上报/群众来访/12345热线/部门移交"),
    sa.Column("FSSJ", _text(30), comment="发生时间 (text)"),
    sa.Column("FSDD", _text(255), comment="发生地点"),
    sa.Column("WGBM", _text(15)),
    sa.Column("SJRS", _text(10), comment="涉及人数"),
    sa.Column("DSRXM", _text(200), comment="当事人姓名, several joined by 、"),
    sa.Column("DSRSFHM", _text(200), comment="当事人身份号码, several joined by ,"),
    sa.Column("DQZT", _text(20), comment="当前状态 (code 01-05 or legacy spelling)"),
    sa.Column("CLSX", _text(30), comment="处理时限 (date text)"),
    sa.Column("BJSJ", _text(30), comment="办结时间 (text, empty while open)"),
    *_audit(),
)

JC_ZZ = sa.Table(
    "JC_ZZ",
    metadata,
    sa.Column("ZZBH", _text(32), primary_key=True, comment="组织编号"),
    sa.Column("DWMC", _text(200), comment="单位名称"),
    sa.Column("TYSHXYDM", _text(30), comment="统一社会信用代码 (damaged in places)"),
    sa.Column("ZZJGDM", _text(20), comment="组织机构代码 (legacy)"),
    sa.Column("GSZCH", _text(20), comment="工商注册号 (legacy, 15 digits)"),
    sa.Column("FDDBR", _text(100), comment="法定代表人"),
    sa.Column("DWDZ", _text(255), comment="单位地址"),
    sa.Column("DWLX", _text(50), comment="单位类型 (name)"),
    sa.Column("LXDH", _text(60), comment="联系电话"),
    sa.Column("WGBM", _text(15)),
    *_audit(),
)

JC_SS = sa.Table(
    "JC_SS",
    metadata,
    sa.Column("SSBH", _text(32), primary_key=True, comment="设施编号"),
    sa.Column("SSMC", _text(200), comment="设施名称"),
    sa.Column("SSLX", _text(50), comment="设施类型 (thing_type name)"),
    sa.Column("SBBM", _text(30), comment="设备编码 (20-digit GB/T 28181 for cameras)"),
    sa.Column("FWBH", _text(32)),
    sa.Column("WGBM", _text(15)),
    sa.Column("ZT", _text(10), comment="状态: 正常/故障/已整改/未整改"),
    *_audit(),
)

TABLES: tuple[sa.Table, ...] = (ZZ_WG, JC_FW, JC_RK, SJ_MDJF, JC_ZZ, JC_SS)
