"""Sending a batch of outbox rows: claim, send, record. Called by the Celery send task.

A reminder minute can bring a hundred thousand rows, so a batch (about a thousand rows) costs
a handful of statements, not a few per row: one claims the rows and returns what sending needs
(no model instances), and the outcomes are written a few hundred at a time.
"""

from __future__ import annotations

import json
import logging
import random
import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import connection, transaction
from django.db.models import F, Prefetch
from django.utils import timezone

from .messages import email_message, push_payload, topic
from .models import Notification, PushSubscription
from .sender import PushJob, push_headers, send_pushes

logger = logging.getLogger(__name__)

# Outcomes are written when this many have arrived or the oldest unwritten one is this old:
# a worker killed mid-batch then sends again only what it had not yet recorded.
FLUSH_EVERY = 256
FLUSH_SECONDS = 0.1
MAX_ATTEMPTS = 6
BACKOFF_CAP_SECONDS = 3600

Status = Notification.Status


def backoff_seconds(attempts: int, retry_after: int | None = None) -> int:
    """Exponential backoff with full jitter (so a push service that hiccups is not hit by
    every retry at the same second); a server's Retry-After is honoured as the minimum."""
    base = settings.PUSH_RETRY_BASE_SECONDS
    ceiling = min(BACKOFF_CAP_SECONDS, base * 2 ** max(attempts - 1, 0))
    delay = random.uniform(ceiling / 2, ceiling)  # noqa: S311 - jitter, not security
    return int(max(delay, retry_after or 0))


# --- claim ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Subscription:
    pk: int
    endpoint: str
    p256dh: str
    auth: str


@dataclass(slots=True)
class Claimed:
    """A claimed outbox row with what sending it needs (`push_payload` and `email_message`
    read `pk`, `kind`, `local_date` and `patient_id` as on a Notification)."""

    pk: int
    patient_id: int
    kind: str
    local_date: date
    attempts: int  # including this attempt
    language: str
    email: str
    push_allowed: bool
    email_allowed: bool
    subscriptions: list[Subscription] = field(default_factory=list)


# The conditional UPDATE is the claim: a row another worker claimed first (a task delivered
# twice, a sweep's re-enqueue) is no longer `queued`, and one that another transaction holds
# right now is skipped rather than waited for (two claims never wait on each other, so they
# cannot deadlock); whoever holds it sends it. One statement, so in the worker (autocommit)
# the claim is committed before anything is sent.
_CLAIM_PG = """
    WITH claimed AS (
        UPDATE reminders_notification
        SET status = %s, claimed_at = %s, attempts = attempts + 1
        WHERE id IN (
            SELECT id FROM reminders_notification
            WHERE id = ANY(%s) AND status = %s
            FOR UPDATE SKIP LOCKED
        )
        RETURNING id, patient_id, kind, local_date, attempts
    )
    SELECT c.id, c.patient_id, c.kind, c.local_date, c.attempts, u.language, u.email,
           COALESCE(s.channels @> '["push"]', true), COALESCE(s.channels @> '["email"]', true),
           ps.id, ps.endpoint, ps.p256dh, ps.auth
    FROM claimed c
    JOIN accounts_patientprofile p ON p.id = c.patient_id
    JOIN accounts_user u ON u.id = p.user_id
    LEFT JOIN reminders_reminderschedule s ON s.patient_id = c.patient_id
    LEFT JOIN reminders_pushsubscription ps ON ps.patient_id = c.patient_id
    ORDER BY c.id, ps.id
"""


def claim(ids: list[int]) -> list[Claimed]:
    """Take the rows that are still queued; rows another worker holds, or already sent, are
    left alone. This conditional claim is what makes a task delivered twice harmless."""
    if not ids:
        return []
    now = timezone.now()
    if connection.vendor != "postgresql":
        return _claim_orm(ids, now)
    with connection.cursor() as cursor:
        cursor.execute(_CLAIM_PG, [Status.SENDING, now, list(ids), Status.QUEUED])
        records = cursor.fetchall()
    claimed: dict[int, Claimed] = {}
    for *values, sub_pk, endpoint, p256dh, auth in records:
        row = claimed.get(values[0])
        if row is None:
            row = claimed[values[0]] = Claimed(*values)
        if sub_pk is not None:  # the LEFT JOIN's row for a patient without a subscription
            row.subscriptions.append(Subscription(sub_pk, endpoint, p256dh, auth))
    return list(claimed.values())


def _claim_orm(ids: list[int], now: datetime) -> list[Claimed]:
    """The same claim in the ORM, for databases without UPDATE ... RETURNING in a CTE (the
    embedded SQLite default)."""
    with transaction.atomic():
        pks = list(
            Notification.objects.select_for_update(skip_locked=True)
            .filter(pk__in=ids, status=Status.QUEUED)
            .values_list("pk", flat=True)
        )
        Notification.objects.filter(pk__in=pks).update(
            status=Status.SENDING, claimed_at=now, attempts=F("attempts") + 1
        )
    subscriptions = PushSubscription.objects.order_by("pk")
    rows = []
    for n in (
        Notification.objects.filter(pk__in=pks)
        .select_related("patient__user", "patient__reminder_schedule")
        .prefetch_related(Prefetch("patient__push_subscriptions", queryset=subscriptions))
        .order_by("pk")
    ):
        schedule = getattr(n.patient, "reminder_schedule", None)
        channels = schedule.channels if schedule else ["push", "email"]
        rows.append(
            Claimed(
                n.pk,
                n.patient_id,
                n.kind,
                n.local_date,
                n.attempts,
                n.patient.user.language,
                n.patient.user.email,
                "push" in channels,
                "email" in channels,
                [
                    Subscription(s.pk, s.endpoint, s.p256dh, s.auth)
                    for s in n.patient.push_subscriptions.all()
                ],
            )
        )
    return rows


# --- record -----------------------------------------------------------------------------------


class Recorder:
    """Collects outcomes and writes them in a few statements, often enough that a worker
    killed mid-batch leaves only its in-flight messages to be sent again."""

    def __init__(self):
        self.sent: list[int] = []
        self.failed: dict[int, str] = {}
        self.gone: set[int] = set()
        self.delivered_subscriptions: list[int] = []
        self._since: float | None = None  # when the oldest unwritten outcome arrived

    def noted(self) -> None:
        if self._since is None:
            self._since = time.monotonic()

    @property
    def waiting(self) -> int:
        return len(self.sent) + len(self.failed) + len(self.gone)

    def flush_if_due(self) -> None:
        if self._since is not None and (
            self.waiting >= FLUSH_EVERY or time.monotonic() - self._since >= FLUSH_SECONDS
        ):
            self.flush()

    def flush(self) -> None:
        now = timezone.now()
        if self.sent:
            Notification.objects.filter(pk__in=self.sent).update(
                status=Status.SENT, sent_at=now, last_error="", channel="push"
            )
            self.sent = []
        if self.delivered_subscriptions:
            PushSubscription.objects.filter(pk__in=self.delivered_subscriptions).update(
                last_success_at=now
            )
            self.delivered_subscriptions = []
        if self.gone:
            # 404/410: the browser withdrew it; remove it at once, never send to it again.
            PushSubscription.objects.filter(pk__in=self.gone).delete()
            self.gone = set()
        by_error: dict[str, list[int]] = defaultdict(list)
        for pk, error in self.failed.items():
            by_error[error[:300]].append(pk)
        for error, pks in by_error.items():
            Notification.objects.filter(pk__in=pks).update(status=Status.FAILED, last_error=error)
        self.failed = {}
        self._since = None


# --- send -------------------------------------------------------------------------------------


def outbox_send(ids: list[int]) -> dict:
    rows = claim(ids)
    if not rows:
        return {"claimed": 0}
    jobs, emails, no_channel = _plan(rows)
    if no_channel:
        Notification.objects.filter(pk__in=no_channel).update(
            status=Status.SKIPPED, last_error="no channel"
        )
    outcomes = _send_push_jobs(jobs, {row.pk: row for row in rows})
    # Push failed for good on every device (all gone): fall back to e-mail if allowed.
    no_email = []
    for row in outcomes["all_gone"]:
        if row.email_allowed:
            emails.append(row)
        else:
            no_email.append(row.pk)
    if no_email:
        Notification.objects.filter(pk__in=no_email).update(
            status=Status.FAILED, last_error="push subscription gone"
        )
    sent_email = _send_emails(emails)
    return {
        "claimed": len(rows),
        "push_sent": outcomes["sent"],
        "email_sent": sent_email,
        "retry": outcomes["retry"],
    }


def _plan(rows: list[Claimed]) -> tuple[list[PushJob], list[Claimed], list[int]]:
    """Push jobs for rows with a subscription, e-mail for the rest when allowed. What is the
    same for many rows (texts per kind and language, headers per kind) is made once."""
    ttl = settings.PUSH_TTL_SECONDS
    texts: dict = {}
    headers: dict[str, dict] = {}
    jobs: list[PushJob] = []
    emails: list[Claimed] = []
    no_channel: list[int] = []
    for row in rows:
        if row.push_allowed and row.subscriptions:
            kind_headers = headers.get(row.kind)
            if kind_headers is None:
                urgency = "high" if row.kind == Notification.Kind.ADVICE else "normal"
                kind_headers = headers[row.kind] = push_headers(
                    ttl=ttl, topic=topic(row.kind), urgency=urgency
                )
            payload = json.dumps(
                push_payload(row, row.language, texts), separators=(",", ":")
            ).encode()
            jobs.extend(
                PushJob(row.pk, sub.pk, sub.endpoint, sub.p256dh, sub.auth, payload, kind_headers)
                for sub in row.subscriptions
            )
        elif row.email_allowed:
            emails.append(row)
        else:
            no_channel.append(row.pk)
    return jobs, emails, no_channel


@dataclass(slots=True)
class _Progress:
    """One row's devices: a row is sent when any device accepted it."""

    pending: int
    devices: int
    accepted: bool = False
    gone: int = 0
    retry: bool = False
    retry_after: int = 0
    error: str = ""


def _send_push_jobs(jobs: list[PushJob], by_id: dict[int, Claimed]) -> dict:
    recorder = Recorder()
    progress: dict[int, _Progress] = {}
    for job in jobs:
        state = progress.get(job.notification_id)
        if state is None:
            progress[job.notification_id] = _Progress(pending=1, devices=1)
        else:
            state.pending += 1
            state.devices += 1
    sent = 0
    retry: dict[int, int | None] = {}
    all_gone: list[Claimed] = []
    for results in send_pushes(jobs) if jobs else ():
        for result in results:
            pk = result.job.notification_id
            state = progress[pk]
            state.pending -= 1
            if result.outcome == "sent":
                recorder.delivered_subscriptions.append(result.job.subscription_id)
                if not state.accepted:
                    state.accepted = True
                    recorder.sent.append(pk)
                    sent += 1
            elif result.outcome == "gone":
                recorder.gone.add(result.job.subscription_id)
                state.gone += 1
            elif result.outcome == "retry":
                state.retry = True
                state.retry_after = max(state.retry_after, result.retry_after or 0)
            else:
                state.error = f"push {result.status or ''} {result.error}".strip()
            if state.pending == 0 and not state.accepted:
                # The row's last device answered and none accepted: a transient failure on
                # any device means try again later; every device gone means fall back.
                if state.retry:
                    retry[pk] = state.retry_after or None
                elif state.gone == state.devices:
                    all_gone.append(by_id[pk])
                else:
                    recorder.failed[pk] = state.error
        if results:
            recorder.noted()
        recorder.flush_if_due()
    recorder.flush()
    _schedule_retries(retry, by_id)
    return {"sent": sent, "retry": len(retry), "all_gone": all_gone}


def _schedule_retries(retry: dict[int, int | None], by_id: dict[int, Claimed]) -> None:
    """Transient failures (timeouts, 429, 5xx) go back to the queue with a backoff; after
    MAX_ATTEMPTS the row is marked failed."""
    from .tasks import send_notifications

    if not retry:
        return
    give_up = [pk for pk in retry if by_id[pk].attempts + 1 >= MAX_ATTEMPTS]
    if give_up:
        Notification.objects.filter(pk__in=give_up).update(
            status=Status.FAILED, last_error="push service kept failing"
        )
    again = [pk for pk in retry if pk not in give_up]
    if not again:
        return
    Notification.objects.filter(pk__in=again).update(
        status=Status.QUEUED, claimed_at=None, last_error="transient push failure"
    )
    attempts = max(by_id[pk].attempts + 1 for pk in again)
    countdown = backoff_seconds(attempts, max((retry[pk] or 0) for pk in again))
    try:
        send_notifications.apply_async(args=[again], countdown=countdown)
    except Exception:  # broker down: the sweep finds the queued rows later
        logger.warning("Could not schedule a retry for %d notifications", len(again))


def _send_emails(rows: list[Claimed]) -> int:
    if not rows:
        return 0
    mail = get_connection()
    sent = 0
    for row in rows:
        subject, body, unsubscribe = email_message(row, row.language)
        message = EmailMessage(
            subject,
            body,
            to=[row.email],
            connection=mail,
            headers={
                "List-Unsubscribe": f"<{unsubscribe}>",
                "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            },
        )
        try:
            message.send()
        except OSError as exc:
            Notification.objects.filter(pk=row.pk).update(
                status=Status.QUEUED, claimed_at=None, last_error=f"e-mail: {type(exc).__name__}"
            )
            continue
        Notification.objects.filter(pk=row.pk).update(
            status=Status.SENT, sent_at=timezone.now(), channel="email"
        )
        sent += 1
    return sent
