"""grassroots build: not built yet."""

from __future__ import annotations

import argparse

from grassroots.config import Settings
from grassroots.errors import NotBuiltYet


def add_arguments(parser: argparse.ArgumentParser) -> None:
    del parser


def run(args: argparse.Namespace, settings: Settings) -> int:
    raise NotBuiltYet("'grassroots build' is not built yet; it arrives with its stage of the pipeline.")
