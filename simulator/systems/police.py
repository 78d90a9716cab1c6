"""The police exports as a view of the true city: clean registry data, Chinese headers, GB18030 and Excel quirks."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from schemas import codes
from simulator import noise
from simulator.config import NoiseConfig
from simulator.systems import police_schema as ps
from simulator.systems.records import ENTITY_COLUMN, SourceTable
from simulator.world import World, township_short

REASONS = np.array(["务工", "经商", "投靠亲友", "就学", "其他"], dtype=object)
PLATE_VEHICLE = {
    "01": "重型货车",
    "02": "小型轿车",
    "07": "普通二轮摩托车",
    "51": "大型新能源货车",
    "52": "小型新能源轿车",
}
STATUS_NAMES = codes.names("event_status")
# Grid events a party may also call the police about: disputes (01xx) and complaints (0203). The police file them
# under their own incident types, mostly public order (治安警情), otherwise a call for help (群众求助).
POLICE_WORTHY = ("01", "0203")
POLICE_OWN_TYPES = np.array(["0302", "0304"], dtype=object)
POLICE_OWN_SHARE = (0.7, 0.3)
# Knuth's multiplicative hash of the event number: a stable draw per event, so ``simulate`` and every later
# ``advance`` agree on which events were double-reported without keeping extra state.
_HASH_MULT = 2654435761


def station(township_code: pd.Series) -> pd.Series:
    return township_code.map(township_short()) + "派出所"


def hjrk_rows(rng: np.random.Generator, w: World, p: pd.DataFrame) -> pd.DataFrame:
    n = len(p)
    addr = p["house_id"].map(w.house_lookup("address"))
    work = w.orgs["name"].to_numpy()[rng.integers(0, len(w.orgs), n)] if len(w.orgs) else np.full(n, None)
    phone = p["phone"].where(rng.random(n) > 0.05, None)  # an older number the station never updated
    return pd.DataFrame(
        {
            "公民身份号码": p["id_number"],
            "姓名": p["name"],
            "曾用名": np.where(
                rng.random(n) < 0.01, p["name"].str[:1] + "小" + p["name"].str[-1:], np.array(None)
            ),
            "性别": np.where(p["sex"] == "1", "男", "女"),
            "民族": p["ethnicity"].map(codes.names("ethnicity")),
            "出生日期": pd.to_datetime(p["birth_date"]).dt.strftime("%Y%m%d"),
            "户号": p["household_id"].str[1:],
            "与户主关系": p["relation"].map(codes.names("household_relation")),
            "户籍地址": p["hukou_address"],
            "现住址": addr,
            "婚姻状况": p["marital_status"].map(codes.names("marital_status")),
            "文化程度": p["education"],
            "服务处所": np.where(rng.random(n) < 0.3, work, np.array(None)),
            "联系电话": phone,
            "派出所": station(p["township_code"]),
            "人员状态": np.where(p["is_alive"], "正常", "死亡"),
            "登记日期": pd.to_datetime(p["birth_date"])
            .clip(lower=pd.Timestamp("1985-01-01"))
            .dt.strftime("%Y-%m-%d"),
            ENTITY_COLUMN: p["person_id"],
        }
    )


def ldrk_rows(rng: np.random.Generator, w: World, p: pd.DataFrame, today: np.datetime64) -> pd.DataFrame:
    n = len(p)
    foreign = (p["category"] == "03").to_numpy()
    reg = pd.Series(today.astype("datetime64[D]") - rng.integers(1, 1500, n).astype("timedelta64[D]"))
    birth = pd.to_datetime(p["birth_date"]).dt.strftime("%Y-%m-%d").to_numpy()
    permit = np.where(
        rng.random(n) < 0.6, "4290040" + pd.Series(rng.integers(0, 10**10, n)).astype(str).str.zfill(10), None
    )
    return pd.DataFrame(
        {
            "证件种类": np.where(foreign, "护照", "居民身份证"),
            "证件号码": p["id_number"].to_numpy(),
            "姓名": p["name"].to_numpy(),
            "性别": np.where(p["sex"] == "1", "男", "女"),
            "民族": p["ethnicity"].map(codes.names("ethnicity")).to_numpy(),
            "出生日期": birth,
            "国籍": p["nationality"].to_numpy(),
            "户籍地址": np.where(foreign, None, p["hukou_address"]),
            "现住址": p["house_id"].map(w.house_lookup("address")).to_numpy(),
            "流入原因": np.where(foreign, "其他", rng.choice(REASONS, n)),
            "居住证编号": np.where(foreign, np.array(None), permit),
            "登记日期": reg.dt.strftime("%Y-%m-%d").to_numpy(),
            "有效期至": (reg + pd.Timedelta(days=365)).dt.strftime("%Y-%m-%d").to_numpy(),
            "联系电话": p["phone"].to_numpy(),
            "派出所": station(p["township_code"]).to_numpy(),
            "人员状态": np.where(p["is_alive"], "正常", "注销"),
            ENTITY_COLUMN: p["person_id"].to_numpy(),
            "_birth_cell": rng.random(n) < 0.05,
        }
    )


def jdc_rows(rng: np.random.Generator, w: World, v: pd.DataFrame) -> pd.DataFrame:
    n = len(v)
    by_org = v["owner_org_id"].notna()
    orgs = w.orgs.set_index("org_id")
    owner = (
        v["owner_person_id"].map(w.person_lookup("name")).where(~by_org, v["owner_org_id"].map(orgs["name"]))
    )
    owner_id = (
        v["owner_person_id"]
        .map(w.person_lookup("id_number"))
        .where(~by_org, v["owner_org_id"].map(orgs["credit_code"]))
    )
    phone = (
        v["owner_person_id"]
        .map(w.person_lookup("phone"))
        .where(~by_org, v["owner_org_id"].map(orgs["phone"]))
    )
    plate = v["plate"].where(rng.random(n) > 0.03, v["plate"].str[:2] + "·" + v["plate"].str[2:])
    return pd.DataFrame(
        {
            "号牌号码": plate,
            "号牌种类": v["plate_type"],
            "车辆类型": v["plate_type"].map(PLATE_VEHICLE),
            "品牌型号": v["name"],
            "车身颜色": v["color"],
            "所有人": owner,
            "所有人证件号码": owner_id,
            "住所地址": v["house_id"].map(w.house_lookup("address")),
            "联系电话": phone,
            "初次登记日期": pd.to_datetime(v["registered_on"]).dt.strftime("%Y-%m-%d"),
            "机动车状态": v["status"],
            ENTITY_COLUMN: v["thing_id"],
        }
    )


def jq_rows(rng: np.random.Generator, w: World, e: pd.DataFrame) -> pd.DataFrame:
    from simulator.systems.grid_entities import party_columns

    n = len(e)
    occurred = pd.to_datetime(e["occurred_at"])
    first = e["party_person_ids"].str.split(",").str[0]
    closed = pd.to_datetime(e["closed_at"])
    type_name = e["event_type"].map(codes.names("event_type"))
    return pd.DataFrame(
        {
            "警情编号": "J429004" + occurred.dt.strftime("%Y%m%d") + e["event_id"].str[-6:],
            "报警时间": occurred.dt.strftime("%Y-%m-%d %H:%M:%S"),
            "报警人": first.map(w.person_lookup("name")),
            "报警人证件号码": first.map(w.person_lookup("id_number")).where(rng.random(n) < 0.6, None),
            "报警电话": first.map(w.person_lookup("phone")),
            "警情类别": type_name,
            "发生地址": e["house_id"].map(w.house_lookup("address")),
            "简要案情": "报警人称"
            + party_columns(w, e["party_person_ids"], "name", "与")
            + "发生"
            + type_name,
            "处警单位": station(e["house_id"].map(w.house_lookup("township_code"))),
            "处理状态": e["status"].map(STATUS_NAMES),
            "办结时间": closed.dt.strftime("%Y-%m-%d %H:%M:%S").where(closed.notna(), None),
            ENTITY_COLUMN: e["event_id"],
        }
    )


def police_reported(e: pd.DataFrame, share: float) -> np.ndarray:
    """Mask of the grid events of ``e`` that a party also reported to the police (about ``share`` of the eligible)."""
    number = e["event_id"].str[1:].astype(np.int64).to_numpy()
    draw = (number * _HASH_MULT) % (1 << 32) / float(1 << 32)
    eligible = e["event_type"].str.startswith(POLICE_WORTHY).to_numpy(dtype=bool)
    return (e["channel"] == "grid").to_numpy() & eligible & (draw < share)


def jq_report_rows(rng: np.random.Generator, w: World, e: pd.DataFrame) -> pd.DataFrame:
    """JQ incidents for grid events also called in: reported a little before or some hours after, police type."""
    n = len(e)
    shift = pd.to_timedelta(rng.integers(-2 * 3600, 6 * 3600, n), unit="s")
    as_police = e.assign(
        occurred_at=pd.to_datetime(e["occurred_at"]) + shift,
        event_type=rng.choice(POLICE_OWN_TYPES, n, p=POLICE_OWN_SHARE),
    )
    return jq_rows(rng, w, as_police.reset_index(drop=True))


def build(rng: np.random.Generator, w: World, cfg: NoiseConfig) -> list[SourceTable]:
    p = w.persons
    registered = p[p["category"] == "01"].reset_index(drop=True)
    mobile = p[p["category"] != "01"]
    known = mobile[(mobile["category"] == "03") | noise.chosen(rng, len(mobile), cfg.police_migrant_coverage)]
    vehicles = w.things[w.things["kind"] == "vehicle"].reset_index(drop=True)
    incidents = w.events[w.events["channel"] == "police"].reset_index(drop=True)
    also = w.events[police_reported(w.events, cfg.police_double_report)].reset_index(drop=True)
    return [
        SourceTable("police", "HJRK", "person", ps.HJRK.key, hjrk_rows(rng, w, registered)),
        SourceTable(
            "police",
            "LDRK",
            "person",
            ps.LDRK.key,
            ldrk_rows(rng, w, known.reset_index(drop=True), w.today64),
        ),
        SourceTable("police", "JDC", "thing", ps.JDC.key, jdc_rows(rng, w, vehicles)),
        SourceTable(
            "police",
            "JQ",
            "event",
            ps.JQ.key,
            pd.concat([jq_rows(rng, w, incidents), jq_report_rows(rng, w, also)], ignore_index=True),
        ),
    ]


def excel_cells(kind: str, frame: pd.DataFrame) -> pd.DataFrame:
    """The visible columns with date columns turned into date cells, as the export tool writes them."""
    out = frame[[c for c in frame.columns if not c.startswith("_")]].astype(object)
    if kind == "LDRK":
        out["登记日期"] = pd.to_datetime(out["登记日期"]).dt.date.astype(object)
        cell = frame["_birth_cell"].to_numpy(dtype=bool)
        out.loc[cell, "出生日期"] = pd.to_datetime(out.loc[cell, "出生日期"]).dt.date.astype(object)
    elif kind == "JQ":
        out["报警时间"] = pd.to_datetime(out["报警时间"]).dt.to_pydatetime()
    return out


def export_time(day: dt.date) -> dt.datetime:
    """Exports run at 02:00 of the simulated day."""
    return dt.datetime.combine(day, dt.time(2, 0))
