"""`grassroots demo` end to end on 400 people: through Airflow, then again on the same home without it.

What a newcomer gets: the report and where it is, the mail in the outbox, three answered questions with nothing
unmasked; and a second demo on the same home reuses the city and works.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from grassroots.demo.city import PRODUCT_FOLDERS
from grassroots.demo.queries import EXAMPLES
from grassroots.demo.summary import read_eml

pytestmark = [pytest.mark.airflow, pytest.mark.slow]

FULL_CITIZEN_ID = re.compile(r"(?<![0-9A-Za-z])[1-9]\d{16}[\dXx](?![0-9A-Za-z])")
FULL_PHONE = re.compile(r"(?<![0-9A-Za-z])1[3-9]\d{9}(?![0-9A-Za-z])")


@dataclass(frozen=True)
class Demo:
    home: Path
    stdout: str
    stderr: str


def run_demo(home: Path, *args: str) -> Demo:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GRASSROOTS_")}
    done = subprocess.run(
        [sys.executable, "-m", "grassroots.cli", "--home", str(home), "demo", "--people", "400", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=900,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return Demo(home, done.stdout, done.stderr)


def located(stdout: str, label: str) -> list[Path]:
    return [Path(m) for m in re.findall(rf"^  {re.escape(label)} +(\S+)", stdout, flags=re.MULTILINE)]


def answers(stdout: str) -> list[str]:
    """The text printed under each numbered example question."""
    parts = re.split(r"^\d\. ", stdout.split("Three questions", 1)[1], flags=re.MULTILINE)[1:]
    assert len(parts) == len(EXAMPLES), stdout
    return parts


def test_demo_through_airflow_then_again_on_the_same_home(tmp_path: Path) -> None:
    # One test for both runs: the second needs the first's home, and xdist may split a module's tests.
    # --mail-sink: the test must not depend on whether this machine runs a mail server on port 25.
    first = run_demo(tmp_path / "var", "--fresh", "--mail-sink")
    assert "through Airflow" in first.stdout.splitlines()[0]
    check_locations(first)
    check_outbox(first)
    check_answers(first)

    check_query_from_relative_home(first)

    again = run_demo(first.home, "--no-airflow", "--mail-sink")

    assert "reused" in again.stdout.splitlines()[0] and "without Airflow" in again.stdout.splitlines()[0]
    assert len(list((first.home / "reports" / "outbox").glob("*.eml"))) == 2
    check_answers(again)
    check_dispute_answer(first)


def check_query_from_relative_home(demo: Demo) -> None:
    """What a newcomer types next, from the folder holding the home (like `make demo`'s ./var)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("GRASSROOTS_")}
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "grassroots.cli",
            "--home",
            demo.home.name,
            "query",
            "SELECT count(*) AS n FROM person",
        ],
        cwd=demo.home.parent,
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert re.search(r"^\s*[1-9]\d*$", done.stdout, flags=re.MULTILINE), done.stdout


def check_locations(demo: Demo) -> None:
    # --fresh must clear everything a demo leaves, so every folder it made must be one --fresh knows.
    assert {p.name for p in demo.home.iterdir()} <= set(PRODUCT_FOLDERS)
    [report] = located(demo.stdout, "report")
    assert report.name == "report.html" and report.is_file() and report.is_relative_to(demo.home.resolve())
    assert located(demo.stdout, "worklist"), demo.stdout
    assert all(p.is_file() for p in located(demo.stdout, "worklist"))
    for label in ("Data Docs", "warehouse", "landing", "sources", "Airflow logs", "privacy key"):
        [path] = located(demo.stdout, label)
        assert path.exists(), label
    assert re.search(r"^  person +\d\.\d{4} +\d\.\d{4} +\d\.\d{4} +\d+$", demo.stdout, flags=re.MULTILINE)


def check_outbox(demo: Demo) -> None:
    [eml] = located(demo.stdout, "mail")
    assert eml.parent == demo.home.resolve() / "reports" / "outbox"
    assert sorted(eml.parent.glob("*.eml")) == [eml]
    message = read_eml(eml)
    assert "Data-quality report" in str(message["Subject"]) and message["To"] == "big-data-center@localhost"
    html = message.get_body(preferencelist=("html",))
    assert html is not None and "<html" in html.get_content().lower()
    attached = [part.get_filename() or "" for part in message.iter_attachments()]
    assert attached and all(name.startswith("worklist-") for name in attached), attached
    assert sorted(attached) == sorted(p.name for p in located(demo.stdout, "worklist"))
    images = [part for part in message.walk() if part.get_content_maintype() == "image"]
    assert images and all(part["Content-ID"] for part in images)


def printed_rows(text: str) -> int:
    rows = re.search(r"^   \((\d+) rows\)$", text, flags=re.MULTILINE)
    assert rows, text
    return int(rows.group(1))


def check_answers(demo: Demo) -> None:
    """The grid and community questions have rows, and nothing printed is a full citizen ID or phone."""
    for text in answers(demo.stdout)[:2]:
        assert printed_rows(text) > 0, text
    assert not FULL_CITIZEN_ID.search(demo.stdout) and not FULL_PHONE.search(demo.stdout)


def check_dispute_answer(demo: Demo) -> None:
    from grassroots.config import Settings
    from warehouse.access import query

    text = answers(demo.stdout)[2]
    kinds = query(Settings(home=demo.home), "SELECT count(kind) AS n FROM event").column("n")[0].as_py()
    assert kinds > 0, "published events carry no kind: staging derives it from the type"
    assert printed_rows(text) > 0, text
