"""grassroots explain: the source records, match decisions and survivorship behind one resolved entity."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from transforms.resolve.inputs import KINDS

if TYPE_CHECKING:
    from grassroots.config import Settings


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("kind", choices=KINDS, help="entity kind")
    parser.add_argument("entity_id", help="id of the resolved entity (person_id, org_id, ...)")


def run(args: argparse.Namespace, settings: Settings) -> int:
    from transforms.resolve.explain import explain, render
    from transforms.resolve.state import ResolveState

    state = ResolveState(settings.paths.state / "resolve")
    sys.stdout.write(render(explain(state, args.kind, args.entity_id)))
    return 0
