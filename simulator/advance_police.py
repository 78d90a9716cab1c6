"""Apply one simulated day to the police registry and drop the day's delta exports (变更类型 新增/修改/注销)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from simulator.advance_log import ChangeLog
from simulator.advance_world import DayFacts
from simulator.config import NoiseConfig
from simulator.systems import police, police_export
from simulator.systems import police_schema as ps
from simulator.systems.records import ENTITY_COLUMN, SourceTable
from simulator.world import World

OPS = {"新增": "insert", "修改": "update", "注销": "delete"}
# When one record changes twice in a day the export carries it once: a new record stays 新增, a cancelled one 注销.
PRIORITY = {"新增": 0, "注销": 1, "修改": 2}


class Delta:
    """The changed rows of one export kind during one day."""

    def __init__(self, registry: police_export.Registry) -> None:
        self.registry = registry
        self.parts: list[pd.DataFrame] = []

    def insert(self, rows: pd.DataFrame) -> None:
        if len(rows):
            self.parts.append(rows.assign(**{ps.CHANGE_COLUMN: "新增"}))

    def change(self, entities: list[str], change: str, **values: pd.Series | str) -> None:
        """Rows of the registry for ``entities`` with ``values`` set (Series indexed by entity id, or a constant)."""
        rows = self.registry.rows_for(entities)
        for col, v in values.items():
            rows[col] = rows[ENTITY_COLUMN].map(v) if isinstance(v, pd.Series) else v
        if len(rows):
            self.parts.append(rows.assign(**{ps.CHANGE_COLUMN: change}))

    def finish(self, drop: Path, log: ChangeLog) -> None:
        """Fold the day's rows into the registry, write the delta file and log each record once."""
        if not self.parts:
            return
        reg = self.registry
        rows = pd.concat(self.parts, ignore_index=True)
        delta = SourceTable("police", reg.name, reg.entity, reg.kind.key, rows)
        rows["_key"] = delta.record_keys(rows)
        rows["_p"] = rows[ps.CHANGE_COLUMN].map(PRIORITY)
        rows = rows.sort_values(["_key", "_p"], kind="stable").drop_duplicates("_key").drop(columns="_p")
        delta.frame = rows.drop(columns="_key")
        police_export.write_export(drop, delta, log.day, delta.frame)
        for change, op in OPS.items():
            log.add("police", reg.name, rows.loc[rows[ps.CHANGE_COLUMN] == change, "_key"], op)
        new = delta.frame[delta.frame[ps.CHANGE_COLUMN] == "新增"].drop(columns=ps.CHANGE_COLUMN)
        if len(new):
            log.new_records.append(
                SourceTable("police", reg.name, reg.entity, reg.kind.key, new).source_map()
            )
        reg.replace(delta.frame.drop(columns=ps.CHANGE_COLUMN))


def apply(rng: np.random.Generator, w: World, facts: DayFacts, registries: dict[str, police_export.Registry], drop: Path,
          cfg: NoiseConfig, log: ChangeLog) -> None:  # fmt: skip
    p = w.persons.set_index("person_id", drop=False)
    hj, ld, jq, jdc = (Delta(registries[k]) for k in ("HJRK", "LDRK", "JQ", "JDC"))
    born = p.loc[facts.born].reset_index(drop=True)
    hj.insert(police.hjrk_rows(rng, w, born))
    arrived = p.loc[facts.arrived]
    arrived = arrived[rng.random(len(arrived)) < cfg.police_migrant_coverage].reset_index(drop=True)
    ld.insert(police.ldrk_rows(rng, w, arrived, w.today64))
    address = p["house_id"].map(w.house_lookup("address"))
    hj.change(facts.moved, "修改", **{"现住址": address})
    ld.change(facts.moved, "修改", **{"现住址": address})
    hj.change(facts.married, "修改", **{"婚姻状况": "已婚"})
    hj.change(facts.died, "注销", **{"人员状态": "死亡"})
    ld.change(facts.died, "注销", **{"人员状态": "注销"})
    e = w.events.set_index("event_id", drop=False)
    new = e.loc[facts.new_events]
    jq.insert(police.jq_rows(rng, w, new[new["channel"] == "police"].reset_index(drop=True)))
    also = police.police_reported(new, cfg.police_double_report)
    jq.insert(police.jq_report_rows(rng, w, new[also].reset_index(drop=True)))
    stepped = e.loc[facts.stepped_events]
    stepped = stepped[
        (stepped["channel"] == "police").to_numpy()
        | police.police_reported(stepped, cfg.police_double_report)
    ]
    closed = pd.to_datetime(stepped["closed_at"]).dt.strftime("%Y-%m-%d %H:%M:%S")
    jq.change(stepped["event_id"].tolist(), "修改", **{
        "处理状态": stepped["status"].map(police.STATUS_NAMES), "办结时间": closed.where(closed.notna(), None)})  # fmt: skip
    vehicles = w.things.set_index("thing_id", drop=False)
    jdc.insert(police.jdc_rows(rng, w, vehicles.loc[facts.new_vehicles].reset_index(drop=True)))
    jdc.change(facts.transferred_vehicles, "修改", **{"机动车状态": "E"})
    for delta in (hj, ld, jq, jdc):
        delta.finish(drop, log)
