"""How every grassroots task fails: TransientError retries with exponential backoff, FatalError fails at once,
and a final failure mails a notice to the alert recipients.
"""

from __future__ import annotations

import html
import logging
from datetime import timedelta
from typing import Any

from airflow.sdk import ExceptionRetryPolicy, RetryAction, RetryRule

from grassroots.errors import FatalError, TransientError
from grassroots.notify import send_mail
from grassroots.orchestration.airflow_settings import task_settings
from grassroots.privacy import mask_text

log = logging.getLogger(__name__)

RETRY_POLICY = ExceptionRetryPolicy(
    rules=[
        RetryRule(
            exception=FatalError,
            action=RetryAction.FAIL,
            reason="FatalError: retrying cannot help; fix what the message says, then clear the task",
        ),
        RetryRule(
            exception=TransientError, action=RetryAction.RETRY, reason="TransientError: retry with backoff"
        ),
    ],
)


def default_args() -> dict[str, Any]:
    """Task defaults of every grassroots DAG: 1, 2, 4, 8 minutes between the retries of a transient fault."""
    return {
        "owner": "grassroots",
        "retries": 4,
        "retry_delay": timedelta(minutes=1),
        "retry_exponential_backoff": 2.0,
        "max_retry_delay": timedelta(minutes=30),
        "retry_policy": RETRY_POLICY,
        "on_failure_callback": notify_failure,
    }


def notify_failure(context: Any) -> None:
    """Mail the alert recipients that a task failed for good: which task, which run, why, where the log is."""
    settings = task_settings()
    recipients = settings.alert_to or settings.report_to
    if not recipients:
        log.warning("A task failed but no GRASSROOTS_ALERT_TO (or REPORT_TO) is set; no notice sent")
        return
    subject, body = failure_notice(context)
    send_mail(settings, recipients, subject, f"<pre>{html.escape(body)}</pre>", text=body)


def failure_notice(context: Any) -> tuple[str, str]:
    """Subject and text of the notice; the error text is masked since it may quote a source record."""
    ti = context["ti"]
    error = context.get("exception")
    reason = mask_text(f"{type(error).__name__}: {error}") if error is not None else "unknown (see the log)"
    subject = f"[grassroots] {ti.dag_id}.{ti.task_id} failed"
    body = "\n".join(
        [
            f"DAG: {ti.dag_id}",
            f"Task: {ti.task_id} (try {ti.try_number})",
            f"Run: {ti.run_id}",
            f"Error: {reason}",
            "",
            "Fix the cause, then clear the task in the Airflow UI or with",
            f"  airflow tasks clear {ti.dag_id} -t '^{ti.task_id}$'",
        ]
    )
    return subject, body
