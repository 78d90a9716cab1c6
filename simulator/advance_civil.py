"""Apply one simulated day to civil affairs: hard deletes of the dead, address updates, welfare cases opened and closed."""

from __future__ import annotations

import numpy as np
import pandas as pd
import sqlalchemy as sa

from simulator.advance_log import ChangeLog, day_times
from simulator.advance_world import DayFacts
from simulator.systems import civil_schema as cs
from simulator.systems import db_writer
from simulator.systems.records import SourceTable
from simulator.world import World


def _civil_ids(smap: pd.DataFrame, entities: list[str]) -> pd.DataFrame:
    m = smap[(smap["system"] == "civil") & (smap["table"] == "mz_person")]
    return m[m["true_entity_id"].isin(entities)]


def _present(conn: sa.Connection, table: sa.Table, column: str, ids: list[int]) -> pd.DataFrame:
    rows: list[object] = []
    for start in range(0, len(ids), 1000):
        part = ids[start : start + 1000]
        rows += conn.execute(sa.select(table).where(table.c[column].in_(part))).mappings().all()
    return pd.DataFrame(rows, columns=[c.name for c in table.columns])


def _delete_people(conn: sa.Connection, ids: list[int], log: ChangeLog) -> None:
    """A person who died leaves civil affairs entirely: the person and every case of theirs, hard-deleted."""
    for table, key in ((cs.mz_welfare, "welfare_id"), (cs.mz_elderly, "person_id"),
                       (cs.mz_disability, "person_id"), (cs.mz_person, "person_id")):  # fmt: skip
        gone = _present(conn, table, "person_id", ids)[key].tolist()
        db_writer.delete_rows(conn, table, key, gone)
        log.add("civil", table.name, gone, "delete")


def apply(conn: sa.Connection, rng: np.random.Generator, w: World, facts: DayFacts, smap: pd.DataFrame,
          rate: float, log: ChangeLog) -> None:  # fmt: skip
    died = _civil_ids(smap, facts.died)
    died = died[rng.random(len(died)) < 0.6]
    _delete_people(conn, died["record_key"].astype(int).tolist(), log)
    moved = _civil_ids(smap, facts.moved)
    moved = moved[rng.random(len(moved)) < 0.5]
    present = _present(conn, cs.mz_person, "person_id", moved["record_key"].astype(int).tolist())
    if len(present):
        who = present["person_id"].astype(str).map(moved.set_index("record_key")["true_entity_id"])
        house = who.map(w.person_lookup("house_id"))
        frame = pd.DataFrame({
            "person_id": present["person_id"], "township_code": house.map(w.house_lookup("township_code")),
            "village_name": house.map(w.house_lookup("community_name")),
            "address": house.map(w.house_lookup("address")).str.replace("湖北省仙桃市", "", regex=False),
            "update_time": day_times(rng, log.day, len(present))[1].to_numpy()})  # fmt: skip
        db_writer.update_rows(conn, cs.mz_person, "person_id", frame)
        log.add("civil", "mz_person", frame["person_id"], "update")
    _welfare(conn, rng, smap, rate, log)


def _welfare(
    conn: sa.Connection, rng: np.random.Generator, smap: pd.DataFrame, rate: float, log: ChangeLog
) -> None:
    open_cases = pd.DataFrame(
        conn.execute(sa.select(cs.mz_welfare.c.welfare_id, cs.mz_welfare.c.person_id)
                     .where(cs.mz_welfare.c.status == "在保")).all(), columns=["welfare_id", "person_id"])  # fmt: skip
    closing = open_cases[rng.random(len(open_cases)) < rate]
    if len(closing):
        upd = day_times(rng, log.day, len(closing))[1]
        frame = pd.DataFrame({"welfare_id": closing["welfare_id"].to_numpy(), "status": "停保",
                              "end_date": log.day.isoformat(), "update_time": upd.to_numpy()})  # fmt: skip
        db_writer.update_rows(conn, cs.mz_welfare, "welfare_id", frame)
        log.add("civil", "mz_welfare", frame["welfare_id"], "update")
    people = smap[(smap["system"] == "civil") & (smap["table"] == "mz_person")]
    n = min(int(rng.poisson(len(open_cases) * rate)), len(people))
    pick = people.iloc[rng.choice(len(people), n, replace=False)]
    alive = _present(conn, cs.mz_person, "person_id", pick["record_key"].astype(int).tolist())
    if alive.empty:
        return
    start = int(str(db_writer.max_key(conn, cs.mz_welfare, "welfare_id") or 500_000)) + 1
    entity = alive["person_id"].astype(str).map(pick.set_index("record_key")["true_entity_id"])
    rows = pd.DataFrame({
        "welfare_id": np.arange(start, start + len(alive)), "person_id": alive["person_id"].to_numpy(),
        "welfare_type": "临时救助", "start_date": log.day.isoformat(), "end_date": None,
        "monthly_amount": np.round(rng.uniform(300, 2000, len(alive)), 2), "status": "在保",
        "update_time": day_times(rng, log.day, len(alive))[1].to_numpy(), "_entity_id": entity.to_numpy()})  # fmt: skip
    table = SourceTable("civil", "mz_welfare", "person", ("welfare_id",), rows)
    db_writer.insert_frame(conn, cs.mz_welfare, table.rows)
    log.inserted(table)
