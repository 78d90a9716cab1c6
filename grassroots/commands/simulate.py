"""Create a simulated Xiantao: a true population and its three legacy systems, with ground truth.

grassroots simulate --people 5000 --seed 1            a new city under the home directory
grassroots simulate advance --days 1                  move time forward: births, deaths, moves, new events
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import logging
from typing import TYPE_CHECKING

from grassroots.errors import FatalError

if TYPE_CHECKING:
    from grassroots.config import Settings

log = logging.getLogger(__name__)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    parser.add_argument(
        "action",
        nargs="?",
        choices=["create", "advance"],
        default="create",
        help="create a new city (default) or advance the existing one in time",
    )
    parser.add_argument("--people", type=int, default=5000, help="residents of the new city (default 5000)")
    parser.add_argument("--seed", type=int, default=1, help="random seed: the same seed gives the same city")
    parser.add_argument(
        "--grid-url", default=None, help="SQLAlchemy URL for the grid platform (default SQLite)"
    )
    parser.add_argument("--civil-url", default=None, help="SQLAlchemy URL for civil affairs (default SQLite)")
    parser.add_argument(
        "--start-date",
        type=dt.date.fromisoformat,
        default=None,
        help="simulated today, YYYY-MM-DD (default 2026-01-05)",
    )
    parser.add_argument("--force", action="store_true", help="replace an existing simulated city")
    parser.add_argument(
        "--days", type=int, default=1, help="advance: days to move the simulated clock forward"
    )


def run(args: argparse.Namespace, settings: Settings) -> int:
    from simulator.config import CityConfig

    home = settings.paths.ensure()
    if args.action == "advance":
        from simulator import advance

        if args.days < 1:
            raise FatalError("--days must be at least 1")
        done = advance.advance(home, args.days)
        log.info("advanced to %s: %s changes", done.today, done.changes)
        return 0
    if args.people < 50:
        raise FatalError("--people must be at least 50 for a city with every kind of record")
    from simulator import city

    cfg = CityConfig(people=args.people, seed=args.seed)
    if args.start_date is not None:
        cfg = dataclasses.replace(cfg, start_date=args.start_date)
    created = city.create(cfg, home, args.grid_url, args.civil_url, args.force)
    for table, rows in created.counts.items():
        log.info("%-20s %9d records", table, rows)
    log.info("systems recorded in %s", home.systems_file)
    return 0
