"""The one retry policy for notifications (reminders.retry) and the sweep that goes through it.

The send task is replaced by a recorder of what would be enqueued (and when); the worker
tests (tests/test_reminder_worker_killed.py) send through the real broker and worker.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine

from reminders import tasks
from reminders.models import Notification
from reminders.retry import notifications_retry, retries_left, retry_delay
from reminders.services import outbox_sweep

from .factories import PatientFactory

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 1, 10, 7, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def policy(settings):
    settings.PUSH_RETRY_BASE_SECONDS = 30
    settings.NOTIFICATION_RETRY_CAP_SECONDS = 3600
    settings.NOTIFICATION_MAX_ATTEMPTS = 6
    settings.OUTBOX_STALE_SECONDS = 300
    return settings


@pytest.fixture
def enqueued(monkeypatch):
    """What would be sent to the broker after commit: (ids, countdown) per task (`run` calls
    the function with the transaction's on-commit callbacks run)."""
    calls = []
    monkeypatch.setattr(
        tasks.send_notifications,
        "apply_async",
        lambda args, countdown=None, **kw: calls.append((sorted(args[0]), countdown)),
    )
    monkeypatch.setattr(
        tasks.send_notifications, "delay", lambda ids: calls.append((sorted(ids), None))
    )
    return calls


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    def call(function, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return function(*args, **kwargs)

    return call


def row(status="sending", attempts=1, claimed_at=NOW, **fields) -> Notification:
    return Notification.objects.create(
        patient=PatientFactory(),
        kind="daily_reminder",
        local_date=date(2026, 1, 10),
        due_at=fields.pop("due_at", NOW - timedelta(minutes=30)),
        status=status,
        attempts=attempts,
        claimed_at=claimed_at,
        **fields,
    )


def test_delay_doubles_from_the_base_with_jitter_up_to_the_cap():
    for attempts in range(1, 12):
        ceiling = min(3600, 30 * 2 ** (attempts - 1))
        delays = {retry_delay(attempts) for _ in range(200)}
        assert all(ceiling / 2 - 1 <= d <= ceiling for d in delays), (attempts, delays)
        assert len(delays) > 5  # jittered, not one fixed value
    assert all(1800 <= retry_delay(30) <= 3600 for _ in range(50))  # capped


def test_retry_after_is_the_least_wait():
    assert all(retry_delay(1, retry_after=600) == 600 for _ in range(20))
    assert all(retry_delay(8, retry_after=1) >= 1800 for _ in range(20))  # backoff is larger


def test_gives_up_after_the_last_attempt(enqueued, run):
    assert [retries_left(n) for n in range(1, 8)] == [True] * 5 + [False] * 2
    last, earlier = row(attempts=6), row(attempts=5)
    with time_machine.travel(NOW, tick=False):
        outcome = run(
            notifications_retry, [(last.pk, 6), (earlier.pk, 5)], error="transient push failure"
        )
    assert outcome == {"retry": 1, "gave_up": 1}
    last.refresh_from_db()
    earlier.refresh_from_db()
    assert (last.status, last.retry_at) == ("failed", None)
    assert last.last_error == "gave up after 6 attempts: transient push failure"
    assert (earlier.status, earlier.claimed_at) == ("queued", None)
    [(ids, countdown)] = enqueued
    assert ids == [earlier.pk] and 240 <= countdown <= 480  # 30 s * 2^4, jittered
    assert earlier.retry_at == NOW + timedelta(seconds=countdown)


def test_rows_with_different_attempts_wait_their_own_backoff(enqueued, run):
    first, third = row(attempts=1), row(attempts=3)
    run(notifications_retry, [(first.pk, 1), (third.pk, 3)], error="503")
    waits = {tuple(ids): countdown for ids, countdown in enqueued}
    assert 15 <= waits[(first.pk,)] <= 30 and 60 <= waits[(third.pk,)] <= 120


def test_sweep_leaves_a_row_waiting_for_its_retry_alone(enqueued, run):
    waiting = row(status="queued", claimed_at=None, retry_at=NOW + timedelta(seconds=600))
    with time_machine.travel(NOW, tick=False):
        assert run(outbox_sweep) == 0
    # Its task was lost: once retry_at is OUTBOX_STALE_SECONDS past, the sweep sends it.
    with time_machine.travel(NOW + timedelta(seconds=600 + 299), tick=False):
        assert run(outbox_sweep) == 0
    with time_machine.travel(NOW + timedelta(seconds=600 + 301), tick=False):
        assert run(outbox_sweep) == 1
    assert enqueued == [([waiting.pk], None)]


def test_sweep_sends_a_queued_row_whose_task_was_lost(enqueued, run):
    lost = row(status="queued", claimed_at=None, due_at=NOW - timedelta(seconds=301))
    fresh = row(status="queued", claimed_at=None, due_at=NOW - timedelta(seconds=10))
    with time_machine.travel(NOW, tick=False):
        assert run(outbox_sweep) == 1
    assert enqueued == [([lost.pk], None)]
    fresh.refresh_from_db()
    assert fresh.status == "queued"


def test_sweep_retries_a_dead_workers_rows_through_the_policy(enqueued, run):
    dead = row(attempts=2, claimed_at=NOW - timedelta(seconds=301))
    exhausted = row(attempts=6, claimed_at=NOW - timedelta(seconds=301))
    working = row(attempts=1, claimed_at=NOW - timedelta(seconds=100))
    with time_machine.travel(NOW, tick=False):
        assert run(outbox_sweep) == 1
        [(ids, countdown)] = enqueued
        assert ids == [dead.pk] and 30 <= countdown <= 60
        # A second sweep right after finds the row waiting for its retry: not sent again.
        assert run(outbox_sweep) == 0
    for r in (dead, exhausted, working):
        r.refresh_from_db()
    assert (dead.status, dead.retry_at) == ("queued", NOW + timedelta(seconds=countdown))
    assert dead.last_error == "worker stopped while sending"
    assert exhausted.status == "failed" and exhausted.last_error.startswith("gave up after 6")
    assert working.status == "sending"
    assert len(enqueued) == 1


def test_sweep_never_sends_an_email_twice(enqueued, run):
    """A row handed to e-mail whose worker died may have left: it is given up, not retried."""
    emailed = row(attempts=1, channel="email", claimed_at=NOW - timedelta(seconds=301))
    with time_machine.travel(NOW, tick=False):
        assert run(outbox_sweep) == 0
    emailed.refresh_from_db()
    assert (emailed.status, emailed.channel) == ("failed", "email")
    assert "never sent twice" in emailed.last_error
    assert enqueued == []
