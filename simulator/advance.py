"""``grassroots simulate advance``: move the simulated clock and let every system and the ground truth follow."""

from __future__ import annotations

import datetime as dt
import json
import logging
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from grassroots.errors import FatalError
from grassroots.home import Home
from simulator import advance_civil, advance_grid, advance_police, advance_world, truth
from simulator.advance_log import ChangeLog
from simulator.city import python_strings, stage_rng
from simulator.config import CityConfig, LifeRates
from simulator.systems import db_writer, police_export

log = logging.getLogger(__name__)
MAP_CATEGORIES = {"system": "category", "table": "category", "entity_kind": "category"}


@dataclass(frozen=True)
class Advanced:
    today: dt.date
    changes: int


def _facts(home: Home) -> dict[str, object]:
    if not home.systems_file.exists():
        raise FatalError(f"no simulated city under {home.root}; run 'grassroots simulate --people N' first")
    facts: dict[str, object] = json.loads(home.systems_file.read_text(encoding="utf-8"))
    return facts


def advance(home: Home, days: int, rates: LifeRates | None = None) -> Advanced:
    """Simulate ``days`` more days; each day's changes go to the databases, the drop folder and truth/."""
    with python_strings():
        return _advance(home, days, rates or LifeRates())


def _advance(home: Home, days: int, rates: LifeRates) -> Advanced:
    facts = _facts(home)
    cfg = CityConfig(people=int(str(facts["people"])), seed=int(str(facts["seed"])))
    today = dt.date.fromisoformat(str(facts["today"]))
    w = truth.read_world(home.truth, today)
    # Low-cardinality columns as categories: the map has a row per source record (millions in a full city).
    smap = pd.read_parquet(home.truth / "source_map.parquet").astype(MAP_CATEGORIES)
    registries = {k: police_export.load_registry(home.truth, k) for k in ("HJRK", "LDRK", "JQ", "JDC")}
    grid_engine = db_writer.engine_for(str(facts["grid_url"]))
    civil_engine = db_writer.engine_for(str(facts["civil_url"]))
    drop = Path(str(facts["police_dir"])) if facts.get("police_dir") else home.police_drop
    logs = []
    try:
        for _ in range(days):
            day = w.today + dt.timedelta(days=1)
            rng = stage_rng(cfg.seed, 1000 + day.toordinal())
            happened = advance_world.live_one_day(rng, w, day, cfg.events_per_person, rates)
            day_log = ChangeLog(day)
            with grid_engine.begin() as conn:
                db_writer.prepare_session(conn)
                advance_grid.apply(conn, rng, w, happened, smap, cfg.noise, rates, day_log)
            with civil_engine.begin() as conn:
                advance_civil.apply(conn, rng, w, happened, smap, rates.welfare_changes, day_log)
            advance_police.apply(rng, w, happened, registries, drop, cfg.noise, day_log)
            if day_log.new_records:
                smap = pd.concat([smap, *day_log.new_records], ignore_index=True).astype(MAP_CATEGORIES)
            logs.append(day_log.frame())
            log.info("simulated %s: %s changes", day, len(logs[-1]))
    finally:
        grid_engine.dispose()
        civil_engine.dispose()
    changes = pd.concat(logs, ignore_index=True)
    truth.write_world(w, home.truth)
    truth.write_source_map(smap, home.truth)
    truth.append_changes(changes, home.truth)
    for reg in registries.values():
        reg.save(home.truth)
    facts["today"] = w.today.isoformat()
    home.systems_file.write_text(json.dumps(facts, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return Advanced(w.today, len(changes))
