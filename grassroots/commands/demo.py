"""grassroots demo: simulate a small city, run every DAG through Airflow, mail the report, show what came out.

  grassroots demo                         ~20,000 residents under the home (./var), reused by the next demo
  grassroots demo --people 2000 --fresh   start over with a smaller city
  grassroots demo --no-airflow            the same steps without Airflow (for machines where it cannot start)

With no SMTP server to use (the default localhost:25 with nothing listening) the report goes to a local mail sink
and is saved as .eml under <home>/reports/outbox. A missing GRASSROOTS_PRIVACY_KEY is made for the demo and kept
in <home>/demo/privacy.key.
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import sys
import time
from collections.abc import Iterator
from typing import TYPE_CHECKING

from grassroots.errors import FatalError

if TYPE_CHECKING:
    from grassroots.config import Settings
    from grassroots.demo.city import City
    from grassroots.demo.mail_sink import Outbox
    from grassroots.demo.steps import PassResult

log = logging.getLogger(__name__)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    parser.add_argument("--people", type=int, default=20000, help="residents of the city (default 20000)")
    parser.add_argument("--seed", type=int, default=1, help="random seed of the city (default 1)")
    parser.add_argument(
        "--fresh", action="store_true", help="remove the home's city and everything built from it first"
    )
    parser.add_argument(
        "--no-airflow", action="store_true", help="run the steps directly instead of through Airflow's DAGs"
    )
    parser.add_argument(
        "--mail-sink",
        action="store_true",
        help="always mail the report to the local sink, even when an SMTP server is configured",
    )


@contextlib.contextmanager
def mail_route(settings: Settings, force_sink: bool) -> Iterator[tuple[Settings, Outbox | None]]:
    """The demo's settings, with a local mail sink running for the block when there is no server to use."""
    from grassroots.demo import mail_sink  # aiosmtpd
    from grassroots.demo.settings import demo_settings

    if not force_sink and not mail_sink.needs_sink(settings):
        log.info("mailing the report through %s:%d", settings.smtp_host, settings.smtp_port)
        yield demo_settings(settings, None), None
        return
    with mail_sink.mail_sink(mail_sink.outbox_dir(settings)) as (outbox, port):
        yield demo_settings(settings, port), outbox


def run(args: argparse.Namespace, settings: Settings) -> int:
    if args.people < 50:
        raise FatalError("--people must be at least 50 for a city with every kind of record")
    # The demo's stages (Airflow, the pipeline, pyarrow, aiosmtpd) load only when it runs, not for --help.
    from grassroots.demo.city import ensure_city
    from grassroots.demo.queries import ask_examples
    from grassroots.demo.settings import demo_key_file, has_privacy_key
    from grassroots.demo.steps import run_directly, run_through_airflow
    from grassroots.demo.summary import MailOutcome, eval_figures, render_summary

    started = time.monotonic()
    # Absolute paths everywhere: the summary is read from other folders, and the Airflow child has its own cwd.
    settings = settings.model_copy(update={"home": settings.home.resolve()})
    city = ensure_city(settings, args.people, args.seed, args.fresh)
    with mail_route(settings, args.mail_sink) as (demo, outbox):
        passed = run_directly(demo) if args.no_airflow else run_through_airflow(demo)
        saved = tuple(outbox.saved) if outbox is not None else ()
    if outbox is not None and not saved:
        raise FatalError(
            f"the report was not mailed: the local sink received nothing; see the log{log_hint(passed)}"
        )
    mail = MailOutcome(saved, f"{demo.smtp_host}:{demo.smtp_port}", tuple(demo.report_to))
    figures, answers = eval_figures(demo), ask_examples(demo)
    summary = render_summary(
        demo,
        headline(city, args.no_airflow, time.monotonic() - started),
        mail,
        passed.airflow_log,
        None if has_privacy_key(settings) else demo_key_file(settings),
        figures,
        answers,
    )
    sys.stdout.write(summary)
    return 0


def log_hint(passed: PassResult) -> str:
    return f" {passed.airflow_log}" if passed.airflow_log is not None else " above"


def headline(city: City, no_airflow: bool, seconds: float) -> str:
    how = "directly, without Airflow" if no_airflow else "through Airflow"
    made = "reused" if city.reused else "simulated"
    return (
        f"Demo done in {seconds:.0f} s: a city of {city.people:,} people (seed {city.seed}, {made}), "
        f"synced, built, published and reported {how}."
    )
