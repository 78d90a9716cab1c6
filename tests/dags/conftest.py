"""Fixtures of the DAG tests: an Airflow home per test (the SMTP inbox is shared, in tests/conftest.py)."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture
def airflow_home(tmp_path: Path) -> Path:
    path = tmp_path / "airflow"
    path.mkdir()
    return path
