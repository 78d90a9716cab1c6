"""ATTACH statements for DuckDB's scanners, built from SQLAlchemy URLs."""

from __future__ import annotations

from pathlib import Path

import pytest

from extractors.scanner import attach_sql, copy_table_sql
from grassroots.errors import FatalError


def test_attach_for_each_backend() -> None:
    assert attach_sql("postgresql+psycopg://postgres:pw@127.0.0.1:5432/civil") == (
        "ATTACH 'host=127.0.0.1 port=5432 user=postgres password=pw dbname=civil' AS src (TYPE postgres, READ_ONLY)"
    )
    assert attach_sql("mysql+pymysql://root@127.0.0.1:3306/grid?charset=utf8mb4", "g") == (
        "ATTACH 'host=127.0.0.1 port=3306 user=root database=grid' AS g (TYPE mysql, READ_ONLY)"
    )
    assert (
        attach_sql("sqlite:////tmp/it's.sqlite")
        == "ATTACH '/tmp/it''s.sqlite' AS src (TYPE sqlite, READ_ONLY)"
    )


def test_unsupported_backend_says_to_use_sqlalchemy() -> None:
    with pytest.raises(FatalError, match="SQLAlchemy path"):
        attach_sql("oracle://u@h/db")


def test_copy_quotes_identifiers() -> None:
    sql = copy_table_sql("src", 'JC_"RK', Path("/x/a.parquet"))
    assert sql == 'COPY (SELECT * FROM src."JC_""RK") TO \'/x/a.parquet\' (FORMAT parquet, COMPRESSION zstd)'
