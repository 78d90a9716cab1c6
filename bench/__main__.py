"""The whole pipeline at city scale, measured against its I/O floor, a stock resolution model and the targets.

    uv run python -m bench [--people 1200000] [--quick] [--dialects sqlite,server] [--skip-peer] [--out DIR]

Each stage runs as a child process of the CLI; figures go to bench/results/<timestamp>-<people>.json and the summary
at the top of bench/README.md. ``--quick`` is 100,000 residents.
"""

from __future__ import annotations

import argparse
import logging
import os
import secrets
import subprocess
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench import results, table, targets
from bench.pipeline import Scenario, run_scenario
from grassroots.errors import FatalError

log = logging.getLogger("bench")

QUICK_PEOPLE = 100_000


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)  # fmt: skip
    parser.add_argument(
        "--people", type=int, default=None, help="residents (default 1,200,000; --quick 100,000)"
    )
    parser.add_argument("--quick", action="store_true", help="100,000 residents")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--dialects", default="sqlite", help="comma list of sqlite,server (default sqlite)")
    parser.add_argument("--skip-peer", action="store_true", help="leave out the stock Splink comparison")
    parser.add_argument("--skip-demo", action="store_true", help="leave out the demo-size (20,000) pass")
    parser.add_argument("--out", type=Path, default=results.RESULTS_DIR, help="folder of the JSON results")
    parser.add_argument("--readme", type=Path, default=Path(__file__).parent / "README.md")
    parser.add_argument(
        "--work", type=Path, default=None, help="keep the homes here (default: a temporary folder)"
    )
    args = parser.parse_args(argv)
    if args.people is None:
        args.people = QUICK_PEOPLE if args.quick else targets.FULL_CITY
    args.dialects = [d.strip() for d in args.dialects.split(",") if d.strip()]
    return args


def scenarios(args: argparse.Namespace) -> list[Scenario]:
    # The stock Splink peer runs once: every dialect stages the same person records.
    return [
        Scenario(people=args.people, seed=args.seed, dialect=d, peer=not args.skip_peer and i == 0)
        for i, d in enumerate(args.dialects)
    ]


def revision() -> str:
    done = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=False
    )
    return done.stdout.strip() or "?"


def verdicts(result: dict[str, Any], previous: dict[int, dict[str, Any]]) -> list[dict[str, str]]:
    """Targets on the first scenario (the embedded defaults), growth against the other size's last result."""
    main, found = result["scenarios"][0], []
    found += targets.judge_scenario(main)
    other = [
        r
        for people, r in previous.items()
        if people != result["people"] and people >= targets.DEMO_PEOPLE * 2
    ]
    if other and "incremental" in main["stages"]:
        pair = sorted([main, other[-1]["scenarios"][0]], key=lambda s: s["people"])
        found.append(targets.judge_growth(pair[0], pair[1]))
    if result.get("demo"):
        found.append(targets.judge_demo(result["demo"]))
    return [v.to_json() for v in found]


def measure(args: argparse.Namespace, root: Path) -> dict[str, Any]:
    started = datetime.now(UTC)
    result: dict[str, Any] = {"started": started.isoformat(), "people": args.people, "revision": revision(),
                              "machine": results.machine(), "scenarios": []}  # fmt: skip
    for scenario in scenarios(args):
        log.info("scenario: %s", scenario)
        result["scenarios"].append(run_scenario(scenario, root))
    if not args.skip_demo:
        demo = Scenario(people=targets.DEMO_PEOPLE, seed=args.seed, only_run=True)
        result["demo"] = run_scenario(demo, root)
    result["load_average_end"] = results.machine()["load_average"]
    result["verdicts"] = verdicts(result, results.latest_by_size(args.out))
    results.save(result, args.out, started)
    return result


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s: %(message)s")
    if "server" in args.dialects:
        from bench.extract import check_servers

        check_servers()  # before the first scenario, not after it has run for half an hour
    # Publishing pseudonymizes with the privacy key; the throw-away cities get a throw-away key.
    os.environ.setdefault("GRASSROOTS_PRIVACY_KEY", secrets.token_hex(32))
    if args.work:
        result = measure(args, args.work)
    else:
        with tempfile.TemporaryDirectory(prefix="grassroots-bench-") as tmp:
            result = measure(args, Path(tmp))
    section = table.summary(results.latest_by_size(args.out))
    table.update_readme(args.readme, section)
    sys.stdout.write("\n".join(table.result_section(result)) + "\n")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except FatalError as exc:  # a setup problem the message explains: no traceback
        log.error("%s", exc)
        sys.exit(2)
