"""The demo's city: reused when it has the asked size and seed, refused when it differs, cleared by --fresh."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from grassroots.config import Settings
from grassroots.demo import city
from grassroots.demo.city import ensure_city
from grassroots.errors import FatalError


def recorded_city(home: Path, people: int, seed: int) -> Settings:
    settings = Settings(home=home)
    settings.paths.sources.mkdir(parents=True)
    settings.paths.systems_file.write_text(json.dumps({"people": people, "seed": seed}), encoding="utf-8")
    return settings


def no_simulation(monkeypatch: pytest.MonkeyPatch) -> list[tuple[int, int]]:
    calls: list[tuple[int, int]] = []
    monkeypatch.setattr(city, "simulate", lambda settings, people, seed: calls.append((people, seed)))
    return calls


def test_same_size_and_seed_is_reused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls = no_simulation(monkeypatch)
    settings = recorded_city(tmp_path, 400, 1)
    assert ensure_city(settings, 400, 1, fresh=False).reused
    assert calls == []


def test_another_city_is_refused_without_fresh(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls = no_simulation(monkeypatch)
    settings = recorded_city(tmp_path, 500, 1)
    with pytest.raises(FatalError, match=r"500 people \(seed 1\).*--fresh"):
        ensure_city(settings, 400, 1, fresh=False)
    with pytest.raises(FatalError, match="--fresh"):
        ensure_city(settings, 500, 2, fresh=False)
    assert calls == []


def test_fresh_clears_only_the_products_folders(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls = no_simulation(monkeypatch)
    settings = recorded_city(tmp_path, 400, 1)
    for name in ("landing", "warehouse", "airflow", "demo"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "f").write_text("x", encoding="utf-8")
    (tmp_path / "my-notes.txt").write_text("keep me", encoding="utf-8")
    (tmp_path / "mine").mkdir()

    made = ensure_city(settings, 400, 1, fresh=True)

    assert not made.reused and calls == [(400, 1)]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mine", "my-notes.txt"]
