"""``grassroots query``: output formats, --as-of parsing, and the engineer role's key requirement."""

from __future__ import annotations

import argparse
import json
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pyarrow as pa
import pytest

from grassroots.commands import query as query_command
from grassroots.commands.query import render
from grassroots.config import Settings
from grassroots.errors import FatalError
from warehouse.access import parse_as_of

TABLE = pa.table({"grid": ["G1", "G2"], "living": [3, 5], "since": [datetime(2026, 1, 1), None]})


def test_render_formats() -> None:
    assert json.loads(render(TABLE, "json")) == [
        {"grid": "G1", "living": 3, "since": "2026-01-01 00:00:00"},
        {"grid": "G2", "living": 5, "since": None},
    ]
    assert render(TABLE, "csv").splitlines()[0] == '"grid","living","since"'
    text = render(TABLE, "table", max_rows=1)
    assert "G1" in text and "G2" not in text and "1 more rows" in text and "(2 rows)" in text


def test_parse_as_of() -> None:
    assert parse_as_of(None) is None
    assert parse_as_of("3") == 3
    assert parse_as_of("2026-11-20T10:00") == datetime(2026, 11, 20, 10, tzinfo=UTC)
    assert parse_as_of("2026-11-20T18:00+08:00") == datetime(
        2026, 11, 20, 18, tzinfo=timezone(timedelta(hours=8))
    )
    with pytest.raises(FatalError, match="snapshot id"):
        parse_as_of("last tuesday")


def _args(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    query_command.add_arguments(parser)
    return parser.parse_args(argv)


def test_engineer_role_needs_the_key(home: Path) -> None:
    (home / "warehouse").mkdir()
    (home / "warehouse" / "catalog.sqlite").touch()
    settings = Settings(home=home, privacy_key=None)
    with pytest.raises(FatalError, match="GRASSROOTS_PRIVACY_KEY"):
        query_command.run(_args("SELECT 1", "--role", "engineer"), settings)


def test_query_before_any_publish_says_what_to_do(home: Path) -> None:
    with pytest.raises(FatalError, match="grassroots build"):
        query_command.run(_args("SELECT 1"), Settings(home=home))
