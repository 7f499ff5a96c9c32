"""Sending a batch of outbox rows: claim, send, record. Called by the Celery send task."""

from __future__ import annotations

import logging
import random
import time
from collections import defaultdict

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import F, Prefetch
from django.utils import timezone

from .messages import email_message, push_payload, topic
from .models import Notification, PushSubscription
from .sender import PushJob, send_pushes

logger = logging.getLogger(__name__)

FLUSH_EVERY = 64
MAX_ATTEMPTS = 6
BACKOFF_CAP_SECONDS = 3600


def backoff_seconds(attempts: int, retry_after: int | None = None) -> int:
    """Exponential backoff with full jitter (so a push service that hiccups is not hit by
    every retry at the same second); a server's Retry-After is honoured as the minimum."""
    base = settings.PUSH_RETRY_BASE_SECONDS
    ceiling = min(BACKOFF_CAP_SECONDS, base * 2 ** max(attempts - 1, 0))
    delay = random.uniform(ceiling / 2, ceiling)  # noqa: S311 - jitter, not security
    return int(max(delay, retry_after or 0))


def claim(ids: list[int]) -> list[Notification]:
    """Take the rows that are still queued; rows another worker holds, or already sent, are
    left alone. This conditional claim is what makes a task delivered twice harmless."""
    now = timezone.now()
    with transaction.atomic():
        claimed = list(
            Notification.objects.select_for_update(skip_locked=True)
            .filter(pk__in=ids, status=Notification.Status.QUEUED)
            .values_list("pk", flat=True)
        )
        Notification.objects.filter(pk__in=claimed).update(
            status=Notification.Status.SENDING, claimed_at=now, attempts=F("attempts") + 1
        )
    subscriptions = PushSubscription.objects.order_by("pk")
    return list(
        Notification.objects.filter(pk__in=claimed)
        .select_related("patient__user", "patient__reminder_schedule")
        .prefetch_related(Prefetch("patient__push_subscriptions", queryset=subscriptions))
    )


class Recorder:
    """Collects outcomes and writes them in a few statements, often enough that a worker
    killed mid-batch leaves only its in-flight messages to be sent again."""

    def __init__(self):
        self.sent: list[int] = []
        self.retry: dict[int, tuple[str, int | None]] = {}
        self.failed: dict[int, str] = {}
        self.gone: set[int] = set()
        self.delivered_subscriptions: set[int] = set()

    def flush(self) -> None:
        now = timezone.now()
        if self.sent:
            Notification.objects.filter(pk__in=self.sent).update(
                status=Notification.Status.SENT, sent_at=now, last_error="", channel="push"
            )
            self.sent = []
        if self.delivered_subscriptions:
            PushSubscription.objects.filter(pk__in=self.delivered_subscriptions).update(
                last_success_at=now
            )
            self.delivered_subscriptions = set()
        if self.gone:
            # 404/410: the browser withdrew it; remove it at once, never send to it again.
            PushSubscription.objects.filter(pk__in=self.gone).delete()
            self.gone = set()
        for pk, error in self.failed.items():
            Notification.objects.filter(pk=pk).update(
                status=Notification.Status.FAILED, last_error=error[:300]
            )
        self.failed = {}


def outbox_send(ids: list[int]) -> dict:
    notifications = claim(ids)
    if not notifications:
        return {"claimed": 0}
    ttl = settings.PUSH_TTL_SECONDS
    jobs: list[PushJob] = []
    emails: list[Notification] = []
    for notification in notifications:
        patient = notification.patient
        schedule = getattr(patient, "reminder_schedule", None)
        channels = schedule.channels if schedule else ["push", "email"]
        subscriptions = list(patient.push_subscriptions.all()) if "push" in channels else []
        if subscriptions:
            payload = push_payload(notification, patient.user.language)
            jobs.extend(
                PushJob(
                    notification_id=notification.pk,
                    subscription_id=sub.pk,
                    subscription_info=sub.as_subscription_info(),
                    payload=payload,
                    ttl=ttl,
                    topic=topic(notification),
                    urgency="high" if notification.kind == Notification.Kind.ADVICE else "normal",
                )
                for sub in subscriptions
            )
        elif "email" in channels:
            emails.append(notification)
        else:
            Notification.objects.filter(pk=notification.pk).update(
                status=Notification.Status.SKIPPED, last_error="no channel"
            )

    by_id = {n.pk: n for n in notifications}
    outcomes = _send_push_jobs(jobs, by_id)
    # Push failed for good on every device (all gone): fall back to e-mail if allowed.
    for pk in outcomes["all_gone"]:
        notification = by_id[pk]
        schedule = getattr(notification.patient, "reminder_schedule", None)
        if schedule is None or "email" in schedule.channels:
            emails.append(notification)
        else:
            Notification.objects.filter(pk=pk).update(
                status=Notification.Status.FAILED, last_error="push subscription gone"
            )
    sent_email = _send_emails(emails)
    return {
        "claimed": len(notifications),
        "push_sent": outcomes["sent"],
        "email_sent": sent_email,
        "retry": outcomes["retry"],
    }


def _send_push_jobs(jobs: list[PushJob], by_id: dict[int, Notification]) -> dict:
    """A notification counts as sent when any of the patient's devices accepted it."""
    recorder = Recorder()
    pending = defaultdict(int)
    for job in jobs:
        pending[job.notification_id] += 1
    accepted: set[int] = set()
    retry: dict[int, int | None] = {}
    gone_only: dict[int, bool] = defaultdict(lambda: True)
    last_flush = time.monotonic()
    counted = 0
    for result in send_pushes(jobs):
        if result is not None:
            pk = result.job.notification_id
            pending[pk] -= 1
            if result.outcome == "sent":
                recorder.delivered_subscriptions.add(result.job.subscription_id)
                gone_only[pk] = False
                if pk not in accepted:
                    accepted.add(pk)
                    recorder.sent.append(pk)
            elif result.outcome == "gone":
                recorder.gone.add(result.job.subscription_id)
            elif result.outcome == "retry":
                gone_only[pk] = False
                retry[pk] = max(retry.get(pk) or 0, result.retry_after or 0) or None
            else:
                gone_only[pk] = False
                if pending[pk] == 0 and pk not in accepted:
                    recorder.failed[pk] = f"push {result.status or ''} {result.error}".strip()
            counted += 1
        if counted >= FLUSH_EVERY or (result is None and time.monotonic() - last_flush > 0.05):
            recorder.flush()
            counted, last_flush = 0, time.monotonic()
    recorder.flush()
    retry = {pk: ra for pk, ra in retry.items() if pk not in accepted}
    _schedule_retries(retry, by_id)
    all_gone = [pk for pk in pending if pk not in accepted and pk not in retry and gone_only[pk]]
    return {"sent": len(accepted), "retry": len(retry), "all_gone": all_gone}


def _schedule_retries(retry: dict[int, int | None], by_id: dict[int, Notification]) -> None:
    """Transient failures (timeouts, 429, 5xx) go back to the queue with a backoff; after
    MAX_ATTEMPTS the row is marked failed."""
    from .tasks import send_notifications

    give_up = [pk for pk in retry if by_id[pk].attempts + 1 >= MAX_ATTEMPTS]
    if give_up:
        Notification.objects.filter(pk__in=give_up).update(
            status=Notification.Status.FAILED, last_error="push service kept failing"
        )
    again = [pk for pk in retry if pk not in give_up]
    if not again:
        return
    Notification.objects.filter(pk__in=again).update(
        status=Notification.Status.QUEUED, claimed_at=None, last_error="transient push failure"
    )
    attempts = max(by_id[pk].attempts + 1 for pk in again)
    countdown = backoff_seconds(attempts, max((retry[pk] or 0) for pk in again))
    try:
        send_notifications.apply_async(args=[again], countdown=countdown)
    except Exception:  # broker down: the sweep finds the queued rows later
        logger.warning("Could not schedule a retry for %d notifications", len(again))


def _send_emails(notifications: list[Notification]) -> int:
    if not notifications:
        return 0
    connection = get_connection()
    sent = 0
    for notification in notifications:
        patient = notification.patient
        subject, body, unsubscribe = email_message(notification, patient.user.language)
        message = EmailMessage(
            subject,
            body,
            to=[patient.user.email],
            connection=connection,
            headers={
                "List-Unsubscribe": f"<{unsubscribe}>",
                "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            },
        )
        try:
            message.send()
        except OSError as exc:
            Notification.objects.filter(pk=notification.pk).update(
                status=Notification.Status.QUEUED,
                claimed_at=None,
                last_error=f"e-mail: {type(exc).__name__}",
            )
            continue
        Notification.objects.filter(pk=notification.pk).update(
            status=Notification.Status.SENT, sent_at=timezone.now(), channel="email"
        )
        sent += 1
    return sent
