"""Apply one simulated day to the grid platform: new, updated, cancelled and hard-deleted rows, with XGSJ moving."""

from __future__ import annotations

import numpy as np
import pandas as pd
import sqlalchemy as sa

from simulator.advance_log import ChangeLog, day_times
from simulator.advance_world import DayFacts
from simulator.config import LifeRates, NoiseConfig
from simulator.systems import db_writer, grid_entities
from simulator.systems import grid_schema as gs
from simulator.systems.grid import resident_rows
from simulator.systems.records import SourceTable
from simulator.world import World


def _keys(smap: pd.DataFrame, table: str, entities: list[str]) -> pd.DataFrame:
    m = smap[(smap["system"] == "grid") & (smap["table"] == table)]
    return m[m["true_entity_id"].isin(entities)]


def _next_number(conn: sa.Connection, table: sa.Table, key: str) -> int:
    top = db_writer.max_key(conn, table, key)
    return int(str(top)[2:]) + 1 if top else 1


def _live_keys(conn: sa.Connection, table: sa.Table, key: str, keys: pd.Series) -> pd.Series:
    """Keys of ``keys`` still present (hard-deleted rows are gone)."""
    found: set[str] = set()
    values = keys.tolist()
    for start in range(0, len(values), 1000):
        part = values[start : start + 1000]
        found |= set(conn.execute(sa.select(table.c[key]).where(table.c[key].in_(part))).scalars())
    return keys[keys.isin(found)]


def _insert_people(conn, rng, w, ids, cfg, log: ChangeLog, share: float) -> None:
    people = w.persons[w.persons["person_id"].isin(ids)]
    people = people[rng.random(len(people)) < share]
    if people.empty:
        return
    rows = resident_rows(rng, w, people, cfg, len(people), _next_number(conn, gs.JC_RK, "RYBH"))
    djsj, xgsj = day_times(rng, log.day, len(rows))
    rows["DJSJ"], rows["XGSJ"], rows["ZXBS"] = djsj.to_numpy(), xgsj.to_numpy(), "0"
    table = SourceTable("grid", "JC_RK", "person", ("RYBH",), rows)
    db_writer.insert_frame(conn, gs.JC_RK, table.rows)
    log.inserted(table)


def _update(conn, rng, table: sa.Table, key: str, frame: pd.DataFrame, log: ChangeLog) -> None:
    if frame.empty:
        return
    frame = frame.copy()
    frame["XGSJ"] = day_times(rng, log.day, len(frame))[1].to_numpy()
    db_writer.update_rows(conn, table, key, frame)
    log.add("grid", table.name, frame[key], "update")


def apply(conn: sa.Connection, rng: np.random.Generator, w: World, facts: DayFacts, smap: pd.DataFrame,
          cfg: NoiseConfig, rates: LifeRates, log: ChangeLog) -> None:  # fmt: skip
    died = _keys(smap, "JC_RK", facts.died)
    died = died[rng.random(len(died)) < 0.5]
    keys = _live_keys(conn, gs.JC_RK, "RYBH", died["record_key"])
    _update(conn, rng, gs.JC_RK, "RYBH", pd.DataFrame({"RYBH": keys, "ZXBS": "1"}), log)
    moved = _keys(smap, "JC_RK", facts.moved)
    moved = moved[rng.random(len(moved)) < 0.8]
    moved = moved[moved["record_key"].isin(_live_keys(conn, gs.JC_RK, "RYBH", moved["record_key"]))]
    house = moved["true_entity_id"].map(w.person_lookup("house_id"))
    _update(conn, rng, gs.JC_RK, "RYBH", pd.DataFrame({
        "RYBH": moved["record_key"], "XZZ": house.map(w.house_lookup("address")),
        "FWBH": "FW" + house.str[1:], "WGBM": house.map(w.house_lookup("grid_code"))}), log)  # fmt: skip
    _insert_people(conn, rng, w, facts.born, cfg, log, 0.7)
    _insert_people(conn, rng, w, facts.arrived, cfg, log, 0.6)
    _corrections(conn, rng, w, smap, rates.grid_corrections, log)
    _dedup(conn, rng, w, smap, cfg, rates.grid_dedup, log)
    _events(conn, rng, w, facts, smap, cfg, log)


def _corrections(conn, rng, w: World, smap: pd.DataFrame, rate: float, log: ChangeLog) -> None:
    m = smap[(smap["system"] == "grid") & (smap["table"] == "JC_RK")]
    n = min(int(rng.poisson(len(w.persons) * rate)), len(m))
    pick = m.iloc[rng.choice(len(m), n, replace=False)] if n else m.iloc[:0]
    keys = _live_keys(conn, gs.JC_RK, "RYBH", pick["record_key"])
    pick = pick[pick["record_key"].isin(keys)]
    who = pick["true_entity_id"]
    _update(conn, rng, gs.JC_RK, "RYBH", pd.DataFrame({
        "RYBH": pick["record_key"], "XM": who.map(w.person_lookup("name")),
        "GMSFHM": who.map(w.person_lookup("id_number"))}), log)  # fmt: skip


def _dedup(conn, rng, w: World, smap: pd.DataFrame, cfg: NoiseConfig, rate: float, log: ChangeLog) -> None:
    m = smap[(smap["system"] == "grid") & (smap["table"] == "JC_RK")]
    dups = m[m.duplicated("true_entity_id", keep="first")]
    n = min(int(rng.poisson(len(w.persons) * rate)), len(dups))
    if n == 0:
        return
    pick = dups.iloc[rng.choice(len(dups), n, replace=False)]
    keys = _live_keys(conn, gs.JC_RK, "RYBH", pick["record_key"])
    hard = rng.random(len(keys)) < cfg.hard_delete
    db_writer.delete_rows(conn, gs.JC_RK, "RYBH", keys[hard].tolist())
    log.add("grid", "JC_RK", keys[hard], "delete")
    _update(conn, rng, gs.JC_RK, "RYBH", pd.DataFrame({"RYBH": keys[~hard], "ZXBS": "1"}), log)


def _events(
    conn, rng, w: World, facts: DayFacts, smap: pd.DataFrame, cfg: NoiseConfig, log: ChangeLog
) -> None:
    e = w.events.set_index("event_id", drop=False)
    new = e.loc[facts.new_events]
    new = new[new["channel"] == "grid"].reset_index(drop=True)
    if len(new):
        rows = grid_entities.event_rows(rng, w, new, cfg)
        table = SourceTable("grid", "SJ_MDJF", "event", ("SJBH",), rows)
        db_writer.insert_frame(conn, gs.SJ_MDJF, table.rows)
        log.inserted(table)
    stepped = _keys(smap, "SJ_MDJF", facts.stepped_events)
    ev = e.loc[stepped["true_entity_id"]]
    closed = pd.to_datetime(ev["closed_at"])
    frame = pd.DataFrame({
        "SJBH": stepped["record_key"].to_numpy(), "DQZT": ev["status"].to_numpy(),
        "BJSJ": closed.dt.strftime("%Y-%m-%d %H:%M:%S").where(closed.notna(), None).to_numpy()})  # fmt: skip
    _update(conn, rng, gs.SJ_MDJF, "SJBH", frame, log)
