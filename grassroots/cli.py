"""The ``grassroots`` command line: every step of the pipeline, without Airflow.

Each subcommand lives in ``grassroots.commands.<name>`` and defines ``add_arguments(parser)`` and
``run(args, settings) -> int``. A command module imports only light things at its top and its stage inside
``run``, so building the parser (and ``--help``) stays fast; tests/unit/test_cli_imports.py holds that line.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

from grassroots import __version__
from grassroots.errors import GrassrootsError
from grassroots.logs import configure

log = logging.getLogger(__name__)

COMMANDS: dict[str, str] = {
    "simulate": "create a simulated city and its three legacy systems (or `simulate advance --days D`)",
    "sync": "extract the legacy systems into the landing zone, incrementally",
    "build": "standardize, validate, resolve and publish the topic library from the landing zone",
    "run": "the main job: sync, then build",
    "report": "write the data-quality report and email it",
    "query": "ask the topic library in SQL (analyst view by default)",
    "explain": "show the source records and decisions behind one resolved entity",
    "eval": "precision, recall and F1 of entity resolution against the simulator's ground truth",
    "demo": "simulate a small city, run everything through Airflow and show what came out",
}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="grassroots",
        description="Xiantao grassroots topic library (人、地、物、事、组织): the data pipeline without Airflow.",
    )
    parser.add_argument("--version", action="version", version=f"grassroots {__version__}")
    parser.add_argument(
        "--home",
        type=Path,
        default=None,
        help="home directory for all state (env GRASSROOTS_HOME, default ./var)",
    )
    parser.add_argument("-v", "--verbose", action="count", default=0, help="more logging (-vv for debug)")
    parser.add_argument("-q", "--quiet", action="store_true", help="warnings and errors only")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name, summary in COMMANDS.items():
        module = importlib.import_module(f"grassroots.commands.{name}")
        child = sub.add_parser(name, help=summary, description=module.__doc__)
        module.add_arguments(child)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    configure(-1 if args.quiet else args.verbose)
    from grassroots.config import load_settings  # pydantic: not needed to print help

    settings = load_settings(args.home)
    module = importlib.import_module(f"grassroots.commands.{args.command}")
    try:
        code: int = module.run(args, settings)
    except GrassrootsError as exc:
        log.error("%s", exc)
        return 2
    return code


if __name__ == "__main__":
    sys.exit(main())
