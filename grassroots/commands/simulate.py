"""Create a simulated Xiantao: a true population and its three legacy systems, with ground truth.

grassroots simulate --people 5000 --seed 1            a new city under the home directory
grassroots simulate advance --days 1                  move time forward: births, deaths, moves, new events
"""

from __future__ import annotations

import argparse

from grassroots.config import Settings
from grassroots.errors import NotBuiltYet


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    parser.add_argument(
        "action",
        nargs="?",
        choices=["create", "advance"],
        default="create",
        help="create a new city (default) or advance the existing one in time",
    )


def run(args: argparse.Namespace, settings: Settings) -> int:
    raise NotBuiltYet("'grassroots simulate' is being built.")
