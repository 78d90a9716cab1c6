"""The command line starts fast: building the parser and printing any help loads none of the pipeline's heavy packages."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from grassroots.commands import report as report_command

ROOT = Path(__file__).resolve().parents[2]

# Each costs from a few hundred milliseconds (pandas, pyarrow) to seconds (Great Expectations) at import.
HEAVY = (
    "great_expectations",
    "splink",
    "airflow",
    "matplotlib",
    "pandas",
    "pyarrow",
    "numpy",
    "scipy",
    "sqlalchemy",
    "aiosmtpd",
    "pydantic_settings",
)

# Runs in a clean interpreter: this test process has long imported everything the other tests needed.
PROBE = """
import contextlib, io, json, sys
from grassroots.cli import COMMANDS, build_parser
parser = build_parser()
for args in (["--help"], *([name, "--help"] for name in COMMANDS)):
    with contextlib.redirect_stdout(io.StringIO()), contextlib.suppress(SystemExit):
        parser.parse_args(args)
print(json.dumps(sorted({name.split(".")[0] for name in sys.modules})))
"""


def test_building_the_parser_and_its_help_imports_no_heavy_package() -> None:
    done = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, capture_output=True, text=True, check=True, timeout=120
    )
    loaded = set(json.loads(done.stdout.strip().splitlines()[-1]))
    assert "grassroots" in loaded  # the probe did import the command line
    assert sorted(loaded.intersection(HEAVY)) == []


def test_report_role_choices_match_the_report_roles() -> None:
    # The report command spells the roles out so its help does not import the report package (matplotlib).
    from grassroots.report.roles import ROLES

    assert report_command.ROLES == ROLES
