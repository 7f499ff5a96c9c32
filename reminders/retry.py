"""The one retry policy for notifications, push and e-mail alike.

A notification that could not be delivered for a passing reason (a push service's timeout,
429 or 5xx; an e-mail server that cannot be reached; a worker that died while sending) goes
back to the outbox as `queued`, with `retry_at` set to when it may be tried again, and a send
task is scheduled for that moment. The delay doubles with every attempt, starting at
PUSH_RETRY_BASE_SECONDS, with jitter (so a push service that hiccups is not hit by every retry
at the same second) and a cap; a server's Retry-After is the minimum. After
NOTIFICATION_MAX_ATTEMPTS attempts the row is marked `failed`.

The sweep (`reminders.services.outbox_sweep`) goes through the same function for rows whose
worker died, and leaves queued rows alone until their `retry_at` is past.
"""

from __future__ import annotations

import logging
import random
from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .models import Notification

logger = logging.getLogger(__name__)

Status = Notification.Status


def retry_delay(attempts: int, retry_after: int | None = None) -> int:
    """Seconds to wait after the `attempts`-th failed attempt: base * 2^(attempts - 1), capped,
    with jitter between half and all of it; never less than the server's Retry-After."""
    base = settings.PUSH_RETRY_BASE_SECONDS
    ceiling = min(settings.NOTIFICATION_RETRY_CAP_SECONDS, base * 2 ** max(attempts - 1, 0))
    delay = random.uniform(ceiling / 2, ceiling)  # noqa: S311 - jitter, not security
    return round(max(delay, retry_after or 0))


def retries_left(attempts: int) -> bool:
    """Whether a row that has been tried `attempts` times may be tried again."""
    return attempts < settings.NOTIFICATION_MAX_ATTEMPTS


def notifications_retry(
    failed: Iterable[tuple[int, int]],
    *,
    error: str,
    retry_after: int | None = None,
    now: datetime | None = None,
) -> dict:
    """Put rows that failed for a passing reason back in the outbox, or give them up.

    `failed` holds (notification id, attempts made so far). Rows with attempts left become
    `queued` again with `retry_at` = now + the delay, and one send task per delay is scheduled
    for then; the others are marked `failed`. Returns {"retry": n, "gave_up": n}."""
    now = now or timezone.now()
    by_attempts: dict[int, list[int]] = defaultdict(list)
    give_up: list[int] = []
    for pk, attempts in failed:
        (by_attempts[attempts] if retries_left(attempts) else give_up).append(pk)
    if give_up:
        Notification.objects.filter(pk__in=give_up).update(
            status=Status.FAILED,
            claimed_at=None,
            retry_at=None,
            last_error=f"gave up after {settings.NOTIFICATION_MAX_ATTEMPTS} attempts: {error}"[
                :300
            ],
        )
    retried = 0
    for attempts, pks in by_attempts.items():
        delay = retry_delay(attempts, retry_after)
        Notification.objects.filter(pk__in=pks).update(
            status=Status.QUEUED,
            claimed_at=None,
            channel="",
            retry_at=now + timedelta(seconds=delay),
            last_error=error[:300],
        )
        _enqueue_later(pks, delay)
        retried += len(pks)
    return {"retry": retried, "gave_up": len(give_up)}


def _enqueue_later(ids: list[int], countdown: int) -> None:
    from .tasks import send_notifications

    def enqueue():
        try:
            send_notifications.apply_async(args=[ids], countdown=countdown)
        except Exception:  # broker down: the sweep finds the queued rows once retry_at is past
            logger.warning("Could not schedule a retry for %d notifications", len(ids))

    # After commit when called in a transaction (the sweep), at once otherwise (a worker).
    transaction.on_commit(enqueue)
