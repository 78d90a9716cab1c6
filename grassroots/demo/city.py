"""The demo's city: simulated once into the home, reused by the next demo of the same size and seed.

``--fresh`` removes what the demo made under the home (the city and everything built from it) and starts over;
only the folders the product itself lays out are removed, never the home folder or anything else in it.
"""

from __future__ import annotations

import logging
import shutil
from dataclasses import dataclass
from pathlib import Path

from grassroots.config import Settings
from grassroots.errors import FatalError

log = logging.getLogger(__name__)

# Everything the simulator, the pipeline, GX, Airflow and the demo write under the home.
PRODUCT_FOLDERS = (
    "sources",
    "truth",
    "landing",
    "state",
    "staging",
    "warehouse",
    "quarantine",
    "quality",
    "reports",
    "gx",
    "airflow",
    "demo",
)


@dataclass(frozen=True)
class City:
    """The simulated city the demo runs on."""

    people: int
    seed: int
    reused: bool


def existing_city(settings: Settings) -> tuple[int, int] | None:
    """(people, seed) of the city the simulator recorded in the home, or None when there is none."""
    facts = settings.paths.read_systems()
    if not facts:
        return None
    try:
        return int(facts["people"]), int(facts["seed"])
    except (KeyError, ValueError):
        return None


def remove_product_folders(root: Path) -> list[Path]:
    """Delete the product's folders under ``root``; returns what was removed."""
    removed = []
    for name in PRODUCT_FOLDERS:
        path = root / name
        if path.is_dir():
            shutil.rmtree(path)
            removed.append(path)
    return removed


def ensure_city(settings: Settings, people: int, seed: int, fresh: bool) -> City:
    """Reuse the home's city when it has this size and seed, else simulate one (after ``--fresh`` clears the home)."""
    root = settings.paths.root
    if fresh:
        removed = remove_product_folders(root)
        if removed:
            log.info("--fresh: removed %s", ", ".join(p.name for p in removed))
    found = existing_city(settings)
    if found == (people, seed):
        log.info(
            "reusing the simulated city of %d people (seed %d) in %s", people, seed, settings.paths.sources
        )
        return City(people, seed, reused=True)
    if found is not None or settings.paths.systems_file.exists():
        have = f"a city of {found[0]} people (seed {found[1]})" if found else "a city of unknown size"
        raise FatalError(
            f"{root} holds {have}, not {people} people (seed {seed}): pass --fresh to replace it and "
            "everything built from it, or choose another --home"
        )
    simulate(settings, people, seed)
    return City(people, seed, reused=False)


def simulate(settings: Settings, people: int, seed: int) -> None:
    from simulator import city
    from simulator.config import CityConfig

    log.info("simulating a city of %d people (seed %d) in %s", people, seed, settings.paths.sources)
    created = city.create(CityConfig(people=people, seed=seed), settings.paths.ensure(), None, None, False)
    log.info("simulated %d source records in %d tables", sum(created.counts.values()), len(created.counts))
