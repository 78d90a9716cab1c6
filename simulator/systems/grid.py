"""The grid-management platform as a view of the true city: coverage, duplicates and hand-typed faults."""

from __future__ import annotations

import numpy as np
import pandas as pd

from schemas import codes
from simulator import noise
from simulator.config import NoiseConfig
from simulator.systems.grid_entities import (
    audit_times,
    grid_events,
    grid_facilities,
    grid_grids,
    grid_houses,
    grid_orgs,
    numbers,
)
from simulator.systems.records import ENTITY_COLUMN, SourceTable
from simulator.world import World


def residents(rng: np.random.Generator, w: World, cfg: NoiseConfig) -> SourceTable:
    p = w.persons
    n = len(p)
    alive = p["is_alive"].to_numpy()
    # The dead were registered while alive: nearly all of them are still there, cancelled or not.
    in_grid = np.where(alive, noise.chosen(rng, n, cfg.grid_coverage), rng.random(n) < 0.9)
    base = p[in_grid]
    dup = base[noise.chosen(rng, len(base), cfg.grid_duplicate)]
    rows = pd.concat([base, dup], ignore_index=True)
    return SourceTable("grid", "JC_RK", "person", ("RYBH",), resident_rows(rng, w, rows, cfg, len(base)))


def resident_rows(
    rng: np.random.Generator, w: World, p: pd.DataFrame, cfg: NoiseConfig, first_dup: int, start: int = 1
) -> pd.DataFrame:
    """JC_RK rows for the people ``p`` (rows from ``first_dup`` on are second registrations, dirtier)."""
    p = p.reset_index(drop=True)  # every column below lines up by position
    n = len(p)
    stale = p["prev_house_id"].notna().to_numpy() & noise.chosen(rng, n, cfg.grid_stale_address)
    house = np.where(stale, p["prev_house_id"], p["house_id"])
    addr = w.house_lookup("address").reindex(house).to_numpy()
    grid = w.house_lookup("grid_code").reindex(house).to_numpy()
    dupe = np.arange(n) >= first_dup
    ids, _ = noise.damage_ids(rng, p["id_number"], cfg.id_damage)
    ids[noise.chosen(rng, n, cfg.id_missing)] = None
    shared = noise.chosen(rng, n, cfg.id_shared)
    ids[shared] = p["id_number"].to_numpy()[rng.integers(0, n, int(shared.sum()))]
    eth_full = p["ethnicity"].map(codes.names("ethnicity"))
    eth_short = p["ethnicity"].map({r["code"]: r["short_name"] for r in codes.load("ethnicity")})
    relation = p["relation"].map(codes.names("household_relation"))
    relation = relation.where(rng.random(n) < 0.6, p["relation"])
    category = p["category"].map({"01": "户籍", "02": "流动", "03": "境外"})
    category = category.where(rng.random(n) < 0.5, p["category"])
    djsj, xgsj = audit_times(rng, n, w.today64, cfg.zero_date)
    dead = ~p["is_alive"].to_numpy()
    cancelled = dead & (rng.random(n) > cfg.grid_stale_dead)
    frame = pd.DataFrame(
        {
            "RYBH": numbers(rng, "RK", n, 10, start),
            "XM": noise.name_text(rng, p["name"], cfg.name_typo, cfg.name_format),
            "XB": noise.placeholders(rng, noise.sex_text(rng, p["sex"], cfg.sex_variant), cfg.placeholder / 4),
            "MZ": noise.placeholders(rng, noise.ethnicity_text(rng, p["ethnicity"], eth_short, eth_full, cfg.ethnicity_variant), cfg.placeholder),
            "CSRQ": noise.format_dates(rng, p["birth_date"], cfg.date_format_mix, cfg.date_placeholder),
            "GMSFHM": ids,
            "LXDH": noise.placeholders(rng, noise.phone_text(rng, p["phone"], cfg.phone_variant, cfg.phone_dummy), cfg.placeholder),
            "SYRKLB": category,
            "HJDXZ": noise.placeholders(rng, noise.address_text(rng, p["hukou_address"], cfg.address_variant), cfg.placeholder),
            "XZZ": noise.address_text(rng, pd.Series(addr, dtype=object), cfg.address_variant),
            "FWBH": "FW" + pd.Series(house, dtype=object).str[1:],
            "WGBM": grid,
            "HH": p["household_id"].str[1:],
            "YHZGX": relation,
            "SFDJLR": np.where(p["elderly_alone"], "1", "0"),
            "SFCJR": np.where(p["disabled"], "1", "0"),
            "TSRQLB": p["special_group"],
            "ZXBS": np.where(cancelled, "1", "0"),
            "DJSJ": djsj,
            "XGSJ": xgsj,
            ENTITY_COLUMN: p["person_id"],
        }
    )  # fmt: skip
    # The second registration of a person carries a typo far more often than the first.
    frame.loc[dupe, "XM"] = noise.name_text(
        rng, frame.loc[dupe, "XM"], cfg.name_typo * 10, cfg.name_format * 3
    )
    return frame


def build(rng: np.random.Generator, w: World, cfg: NoiseConfig) -> list[SourceTable]:
    return [
        grid_grids(rng, w, cfg),
        grid_houses(rng, w, cfg),
        residents(rng, w, cfg),
        grid_events(rng, w, cfg),
        grid_orgs(rng, w, cfg),
        grid_facilities(rng, w, cfg),
    ]
