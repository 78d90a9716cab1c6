"""How tasks fail: the retry policy (TransientError retries, FatalError fails at once) and the failure notice."""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

from airflow.sdk import RetryAction

from grassroots.errors import FatalError, NotBuiltYet, TransientError
from grassroots.orchestration.airflow_policy import RETRY_POLICY, default_args, failure_notice
from grassroots.orchestration.airflow_settings import smtp_updates


def test_transient_retries_fatal_fails_others_default() -> None:
    assert RETRY_POLICY.evaluate(TransientError("db down"), 1, 5).action is RetryAction.RETRY
    assert RETRY_POLICY.evaluate(FatalError("bad config"), 1, 5).action is RetryAction.FAIL
    assert RETRY_POLICY.evaluate(NotBuiltYet("later"), 1, 5).action is RetryAction.FAIL
    assert RETRY_POLICY.evaluate(KeyError("bug"), 1, 5).action is RetryAction.DEFAULT


def test_policy_survives_dag_serialization() -> None:
    restored = type(RETRY_POLICY).deserialize(RETRY_POLICY.serialize())
    assert restored.evaluate(FatalError("x"), 1, 5).action is RetryAction.FAIL
    assert restored.evaluate(TransientError("x"), 1, 5).action is RetryAction.RETRY


def test_backoff_is_exponential_and_capped() -> None:
    args = default_args()
    assert args["retries"] >= 3
    assert args["retry_exponential_backoff"] > 1
    assert args["max_retry_delay"] <= timedelta(hours=1)


def test_notice_masks_personal_data_and_says_how_to_rerun() -> None:
    ti = SimpleNamespace(dag_id="grassroots_sync_grid", task_id="sync", try_number=1, run_id="manual__x")
    subject, body = failure_notice(
        {"ti": ti, "exception": FatalError("bad row 429004199001011234 phone 13812345678")}
    )
    assert subject == "[grassroots] grassroots_sync_grid.sync failed"
    assert "429004199001011234" not in body and "13812345678" not in body
    assert "FatalError: bad row" in body
    assert "airflow tasks clear grassroots_sync_grid -t '^sync$'" in body


def test_smtp_connection_read_like_the_smtp_provider() -> None:
    assert smtp_updates("mail.example.org", 465, "clerk", "pw", {}) | {"smtp_password": None} == {
        "smtp_ssl": True,
        "smtp_starttls": False,
        "smtp_host": "mail.example.org",
        "smtp_port": 465,
        "smtp_user": "clerk",
        "smtp_password": None,
    }
    starttls = smtp_updates("mail", 587, None, None, {"disable_ssl": "true", "from_email": "bdc@example.org"})
    assert starttls == {
        "smtp_ssl": False,
        "smtp_starttls": True,
        "smtp_host": "mail",
        "smtp_port": 587,
        "mail_from": "bdc@example.org",
    }


def test_string_false_from_a_connection_uri_is_false() -> None:
    assert smtp_updates(None, None, None, None, {"disable_ssl": "false"})["smtp_ssl"] is True
