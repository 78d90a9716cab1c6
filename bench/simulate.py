"""Benchmark of the simulator: build a city of N residents with its three systems; print wall time, records per
second and peak RSS, and write the figures as JSON to bench/results/.

    uv run python -m bench.simulate [--people 1200000] [--seed 1] [--advance-days 1] [--home DIR]
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

from grassroots.home import Home
from simulator import advance, city
from simulator.config import CityConfig

log = logging.getLogger("bench.simulate")
RESULTS = Path(__file__).parent / "results"


def peak_rss_mb() -> float:
    """Peak resident set size of this process so far (Linux reports kilobytes)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def cpu_seconds() -> float:
    """User plus system CPU time of this process: on a shared, loaded machine a steadier figure than wall time."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def run(people: int, seed: int, advance_days: int, root: Path) -> dict[str, object]:
    home = Home(root)
    start, cpu = time.perf_counter(), cpu_seconds()
    created = city.create(CityConfig(people=people, seed=seed), home, None, None, force=True)
    wall = time.perf_counter() - start
    records = sum(created.counts.values())
    figures: dict[str, object] = {
        "people": people,
        "seed": seed,
        "cpus": os.cpu_count(),
        "load_average_1m": round(os.getloadavg()[0], 1),
        "create_wall_s": round(wall, 1),
        "create_cpu_s": round(cpu_seconds() - cpu, 1),
        "records": records,
        "records_per_s": round(records / wall),
        "counts": created.counts,
        "peak_rss_mb": round(peak_rss_mb()),
    }
    if advance_days:
        start = time.perf_counter()
        done = advance.advance(home, advance_days)
        figures["advance_days"] = advance_days
        figures["advance_wall_s"] = round(time.perf_counter() - start, 1)
        figures["advance_changes"] = done.changes
        figures["peak_rss_mb"] = round(peak_rss_mb())
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--people", type=int, default=1_200_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--advance-days", type=int, default=0, help="also time `simulate advance` over D days"
    )
    parser.add_argument(
        "--home", type=Path, default=None, help="where to build the city (default: a temp dir)"
    )
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s: %(message)s")
    with tempfile.TemporaryDirectory(prefix="bench-simulate-") as tmp:
        figures = run(args.people, args.seed, args.advance_days, args.home or Path(tmp))
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / f"simulate-{args.people}.json"
    out.write_text(json.dumps(figures, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(
        f"simulate --people {args.people}: {figures['create_wall_s']} s wall, {figures['create_cpu_s']} s CPU, "
        f"{figures['records']} records "
        f"({figures['records_per_s']}/s), peak RSS {figures['peak_rss_mb']} MB"
    )
    if args.advance_days:
        print(
            f"advance --days {args.advance_days}: {figures['advance_wall_s']} s, {figures['advance_changes']} changes"
        )
    print(f"figures written to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
