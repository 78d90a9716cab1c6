"""What the demo prints at the end: where everything is, how well resolution did, and the example answers."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

from grassroots.config import Settings
from grassroots.demo.queries import Answer


@dataclass(frozen=True)
class MailOutcome:
    """Where the report mail went: the sink's .eml files, or the configured server."""

    saved: tuple[Path, ...]
    server: str
    recipients: tuple[str, ...]


def latest_report_dir(settings: Settings) -> Path | None:
    """The newest report folder (run ids sort by time) holding a report.html."""
    reports = settings.paths.reports
    found = sorted(p.parent for p in reports.glob("*/report.html")) if reports.is_dir() else []
    return found[-1] if found else None


def worklists(report_dir: Path) -> list[Path]:
    """One file per source system: worklist-<source>.csv or .xlsx, zipped when too large to mail as it is."""
    return sorted(p for p in report_dir.glob("worklist-*") if p.is_file())


def read_eml(path: Path) -> EmailMessage:
    message = message_from_bytes(path.read_bytes(), policy=policy.default)
    assert isinstance(message, EmailMessage)  # policy.default builds EmailMessage
    return message


def mail_lines(mail: MailOutcome) -> list[str]:
    if not mail.saved:
        return [f"  mail             sent through {mail.server} to {', '.join(mail.recipients)}"]
    lines = []
    for path in mail.saved:
        message = read_eml(path)
        attached = sum(1 for _ in message.iter_attachments())
        lines.append(f"  mail             {path}")
        lines.append(
            f"                   {message['Subject']} ({attached} attachments; open it in a mail client)"
        )
    return lines


def location_lines(
    settings: Settings, mail: MailOutcome, airflow_log: Path | None, key_file: Path | None
) -> list[str]:
    from expectations.gx_run import data_docs_dir
    from warehouse.lake import layout

    home = settings.paths
    report = latest_report_dir(settings)
    lines = [
        f"  home             {home.root}",
        f"  sources          {home.sources}  (grid and civil-affairs databases, police drop folder)",
        f"  landing          {home.landing}",
        f"  warehouse        {layout(settings).analyst_catalog}  (analyst catalog; query with 'grassroots query')",
    ]
    if report is not None:
        lines.append(f"  report           {report / 'report.html'}")
        lines += [f"  worklist         {path}" for path in worklists(report)]
    lines.append(f"  Data Docs        {data_docs_dir(home) / 'index.html'}")
    lines += mail_lines(mail)
    if airflow_log is not None:
        lines.append(f"  Airflow logs     {airflow_log.parent}  (this run: {airflow_log.name})")
    if key_file is not None:
        lines.append(f"  privacy key      {key_file}  (made for the demo; engineers' full values need it as")
        lines.append(
            f"                   GRASSROOTS_PRIVACY_KEY=$(cat {key_file}) grassroots query --role engineer ...)"
        )
    return lines


def eval_figures(settings: Settings) -> dict[str, dict[str, float | int]]:
    """Pairwise and cluster F1 per entity kind against the simulator's truth (what ``grassroots eval`` prints)."""
    from grassroots.commands.eval import evaluate_all

    if not (settings.paths.truth / "source_map.parquet").exists():
        return {}
    return evaluate_all(settings)


def eval_lines(figures: dict[str, dict[str, float | int]]) -> list[str]:
    lines = [f"  {'kind':<14}{'precision':>10}{'recall':>10}{'f1':>10}{'records':>10}"]
    for kind, m in figures.items():
        lines.append(
            f"  {kind:<14}{m['precision']:>10.4f}{m['recall']:>10.4f}{m['f1']:>10.4f}{m['records']:>10}"
        )
    return lines


def answer_lines(answers: Sequence[Answer]) -> list[str]:
    from grassroots.commands.query import render

    lines = []
    for n, answer in enumerate(answers, 1):
        lines += ["", f"{n}. {answer.example.question}", f'   grassroots query "{answer.example.sql}"', ""]
        lines += ["   " + line for line in render(answer.table, "table").rstrip("\n").splitlines()]
    return lines


def render_summary(
    settings: Settings,
    headline: str,
    mail: MailOutcome,
    airflow_log: Path | None,
    key_file: Path | None,
    figures: dict[str, dict[str, float | int]],
    answers: Sequence[Answer],
) -> str:
    lines = [headline, "", "Where everything is:", *location_lines(settings, mail, airflow_log, key_file)]
    if figures:
        lines += ["", "Entity resolution against the simulator's truth (pairwise):", *eval_lines(figures)]
    lines += [
        "",
        "Three questions, asked as an analyst (identifiers and phones masked):",
        *answer_lines(answers),
    ]
    return "\n".join(lines) + "\n"
