"""Markdown of the pipeline benchmark: stage tables, targets and the machine, kept at the top of bench/README.md."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bench.targets import PRODUCT_STAGES, whole

START = "<!-- bench:pipeline:start -->"
END = "<!-- bench:pipeline:end -->"

STAGE_LABELS = {
    "simulate": "simulate (the city's source records)",
    "floor": "I/O floor: DuckDB copy of every source to Parquet",
    "run": "`grassroots run` (sync + build), full",
    "report": "`grassroots report --no-send`",
    "eval": "`grassroots eval --json`",
    "peer": "stock Splink on the same persons",
    "advance": "`simulate advance --days 1`",
    "incremental": "`grassroots run` after one day",
}


def _number(value: float | int | None, unit: str = "") -> str:
    if value is None:
        return "—"
    return f"{value:,.0f}{unit}" if abs(value) >= 100 else f"{value:,.1f}{unit}"


def stage_rows(scenario: dict[str, Any]) -> list[str]:
    lines = ["| stage | wall | CPU | rows | rows/s | peak RSS |", "| --- | --- | --- | --- | --- | --- |"]
    for name, s in scenario["stages"].items():
        lines.append(
            f"| {STAGE_LABELS.get(name, name)} | {_number(s['wall_s'], ' s')} | {_number(s['cpu_s'], ' s')} | "
            f"{_number(s.get('rows'))} | {_number(s.get('rows_per_s'))} | {_number(s['peak_rss_mb'], ' MB')} |"
        )
    w = scenario.get("whole") or whole(scenario["stages"], PRODUCT_STAGES)
    if "run" in scenario["stages"] and len(scenario["stages"]) > 2:
        lines.append(
            f"| whole: run + report + eval + incremental | {_number(w['wall_s'], ' s')} | {_number(w['cpu_s'], ' s')} "
            f"| — | — | {_number(w['peak_rss_mb'], ' MB')} |"
        )
    return lines


def breakdown_line(label: str, breakdown: dict[str, float]) -> str:
    return f"{label}: " + ", ".join(f"{k} {v:.1f} s" for k, v in breakdown.items())


def _person_seconds(scenario: dict[str, Any]) -> float:
    """The full run's person resolution (features to golden records), without the other kinds and the lineage."""
    return float(sum(scenario["run"].get("resolution", {}).get("person_seconds", {}).values()))


def accuracy_line(scenario: dict[str, Any]) -> str | None:
    ours = scenario.get("eval", {}).get("person")
    if ours is None:
        return None
    line = f"person resolution: ours F1 {ours['f1']:.4f} (cluster F1 {ours['cluster_f1']:.4f})"
    peer = scenario.get("peer")
    if peer and "error" in peer:
        line += f"; stock Splink failed ({peer['error']})"
    elif peer:
        line += (
            f"; stock Splink F1 {peer['f1']:.4f} (cluster F1 {peer['cluster_f1']:.4f}) in {peer['seconds']:.0f} s "
            f"(ours: {_person_seconds(scenario):.0f} s of person resolution in a resolve step of "
            f"{scenario['run']['breakdown'].get('resolve', 0.0):.0f} s)"
        )
    return line


def scenario_section(scenario: dict[str, Any]) -> list[str]:
    where = (
        "SQLite files + drop folder"
        if scenario["dialect"] == "sqlite"
        else "grid on MariaDB, civil on PostgreSQL"
    )
    lines = [f"**{scenario['people']:,} residents, {where}**", "", *stage_rows(scenario), ""]
    for key, label in (("run", "inside the full run"), ("incremental", "inside the incremental run")):
        if key in scenario:
            lines.append(f"- {breakdown_line(label, scenario[key]['breakdown'])}")
    if "floor" in scenario:
        parts = ", ".join(
            f"{k} {v['seconds']:.1f} s ({v['rows']:,} rows)" for k, v in scenario["floor"]["parts"].items()
        )
        lines.append(f"- floor parts: {parts}")
    accuracy = accuracy_line(scenario)
    if accuracy:
        lines.append(f"- {accuracy}")
    return [*lines, ""]


def verdict_rows(verdicts: list[dict[str, str]]) -> list[str]:
    lines = ["| target | measured | verdict |", "| --- | --- | --- |"]
    lines += [f"| {v['target']} | {v['value']} | {v['status']} |" for v in verdicts]
    return lines


def machine_line(machine: dict[str, Any]) -> str:
    return (
        f"{machine['cpu']}, {machine['cores']} cores, {machine['memory_gb']} GB, {machine['os']}, "
        f"Python {machine['python']}, DuckDB {machine['duckdb']}"
    )


def result_section(result: dict[str, Any]) -> list[str]:
    load = "/".join(f"{x:.1f}" for x in result["machine"]["load_average"])
    load_end = "/".join(f"{x:.1f}" for x in result.get("load_average_end", []))
    lines = [
        f"### {result['people']:,} residents ({result['started'][:16]} UTC, revision {result.get('revision', '?')})",
        "",
        f"Machine: {machine_line(result['machine'])}; load average (1/5/15 min) {load} at the start, "
        f"{load_end or '—'} at the end.",
        "",
        *verdict_rows(result["verdicts"]),
        "",
    ]
    for scenario in result["scenarios"]:
        lines += scenario_section(scenario)
    if result.get("demo"):
        lines += scenario_section(result["demo"])
    return lines


def summary(results: dict[int, dict[str, Any]]) -> str:
    """The README section: the newest result of each city size, largest first."""
    lines = [START, "## The whole pipeline (`python -m bench`)", ""]
    lines += [
        "    make bench        # 1.2 M residents, embedded sources then PostgreSQL + MariaDB; then 100,000",
        "    uv run python -m bench [--quick] [--people N] [--dialects sqlite,server] [--skip-peer]",
        "",
    ]
    for people in sorted(results, reverse=True):
        lines += result_section(results[people])
    return "\n".join([*lines, END])


def update_readme(path: Path, section: str) -> None:
    """Replace our section (or put it right under the title); other sections of the README are left as they are."""
    text = path.read_text(encoding="utf-8") if path.exists() else "# Benchmarks\n"
    if START in text and END in text:
        head, rest = text.split(START, 1)
        tail = rest.split(END, 1)[1]
        text = head + section + tail
    else:
        title, _, body = text.partition("\n")
        intro, sep, others = body.partition("\n## ")
        text = (
            f"{title}\n{intro.rstrip()}\n\n{section}\n\n{sep.lstrip()}{others}"
            if sep
            else f"{text}\n{section}\n"
        )
    path.write_text(text, encoding="utf-8")
