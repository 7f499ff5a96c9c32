"""Sending a batch of outbox rows: claim, send, record. Called by the Celery send task.

A reminder minute can bring a hundred thousand rows, so a batch (about a thousand rows) costs
a handful of statements, not a few per row: the claim takes the rows and reads what sending
needs (plain values, no model instances), and outcomes are written as they arrive, those
that arrived together in one statement.

What a worker killed mid-batch does again: a push message still in flight (at most
PUSH_CONCURRENCY of them) may be sent twice, since its outcome could not be recorded; the
phone shows one, as both carry the same Topic. An e-mail is never sent twice: its row says
"handed to e-mail" in a committed statement before the message leaves, and the sweep gives
such a row up rather than send it again.
"""

from __future__ import annotations

import json
import logging
import smtplib
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from .messages import email_message, push_payload, topic
from .models import Notification, PushSubscription
from .retry import notifications_retry
from .sender import PushJob, push_headers, send_pushes

logger = logging.getLogger(__name__)

Status = Notification.Status


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
    patient_id: int | None
    kind: str
    local_date: date
    attempts: int  # including this attempt
    language: str
    email: str
    push_allowed: bool
    email_allowed: bool
    subscriptions: list[Subscription] = field(default_factory=list)
    # A row for a physiotherapist (the care loop's notices to staff): no patient, e-mail only.
    physio_id: int | None = None
    detail: str = ""


def claim(ids: list[int]) -> list[Claimed]:
    """Take the rows that are still queued; rows another worker holds, or already sent, are
    left alone. This conditional claim is what makes a task delivered twice harmless.

    The rows are read with FOR UPDATE SKIP LOCKED on PostgreSQL (a row another transaction
    holds right now is skipped rather than waited for, so two claims never wait on each other
    and cannot deadlock; whoever holds it sends it) and marked `sending` in the same
    transaction, committed before anything is sent. SQLite has no row locks: there the
    transaction takes the database's write lock when it starts (settings), one claim at a
    time, and the second finds the rows no longer queued."""
    if not ids:
        return []
    with transaction.atomic():
        taken = list(
            Notification.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(pk__in=ids, status=Status.QUEUED)
            .order_by("pk")
            .values_list(
                "pk",
                "patient_id",
                "kind",
                "local_date",
                "attempts",
                "patient__user__language",
                "patient__user__email",
                "patient__reminder_schedule__channels",
                "physio_id",
                "physio__user__language",
                "physio__user__email",
                "detail",
            )
        )
        Notification.objects.filter(pk__in=[row[0] for row in taken]).update(
            status=Status.SENDING,
            claimed_at=timezone.now(),
            attempts=F("attempts") + 1,
            retry_at=None,
        )
    subscriptions: dict[int, list[Subscription]] = defaultdict(list)
    for patient_id, *subscription in (
        PushSubscription.objects.filter(patient_id__in={row[1] for row in taken})
        .order_by("pk")
        .values_list("patient_id", "pk", "endpoint", "p256dh", "auth")
    ):
        subscriptions[patient_id].append(Subscription(*subscription))
    claimed = []
    for (
        pk,
        patient_id,
        kind,
        local_date,
        attempts,
        language,
        email,
        channels,
        physio_id,
        physio_language,
        physio_email,
        detail,
    ) in taken:
        if physio_id is not None:
            # Staff notices go by e-mail: a physio has no push subscription, and the notice
            # is work mail, not a reminder the physio could turn off.
            claimed.append(
                Claimed(
                    pk,
                    None,
                    kind,
                    local_date,
                    attempts + 1,
                    physio_language,
                    physio_email,
                    False,
                    True,
                    [],
                    physio_id,
                    detail,
                )
            )
            continue
        channels = ["push", "email"] if channels is None else channels  # no schedule: defaults
        claimed.append(
            Claimed(
                pk,
                patient_id,
                kind,
                local_date,
                attempts + 1,
                language,
                email,
                "push" in channels,
                "email" in channels,
                subscriptions[patient_id],
                None,
                detail,
            )
        )
    return claimed


# --- record -----------------------------------------------------------------------------------


class Recorder:
    """Writes outcomes as they arrive: each `flush()` takes a few statements for what arrived
    together. A subscription's last success is only kept for information and is written once,
    at the end of the batch."""

    def __init__(self):
        self.sent: list[int] = []
        self.failed: dict[int, str] = {}
        self.gone: set[int] = set()
        self.delivered_subscriptions: list[int] = []

    def flush(self) -> None:
        now = timezone.now()
        if self.sent:
            Notification.objects.filter(pk__in=self.sent).update(
                status=Status.SENT, sent_at=now, last_error="", channel="push"
            )
            self.sent = []
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

    def finish(self) -> None:
        self.flush()
        if self.delivered_subscriptions:
            PushSubscription.objects.filter(pk__in=self.delivered_subscriptions).update(
                last_success_at=timezone.now()
            )
            self.delivered_subscriptions = []


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
        # Recorded before the lanes that sent these take their next job (sender.send).
        recorder.flush()
    recorder.finish()
    _retry_later(retry, by_id)
    return {"sent": sent, "retry": len(retry), "all_gone": all_gone}


def _retry_later(retry: dict[int, int | None], by_id: dict[int, Claimed]) -> None:
    """Transient failures (timeouts, 429, 5xx) go through the retry policy: back to the
    queue after a backoff, or failed after the last attempt. A push service's Retry-After is
    the least wait for the rows it answered."""
    by_wait: dict[int | None, list[int]] = defaultdict(list)
    for pk, retry_after in retry.items():
        by_wait[retry_after].append(pk)
    for retry_after, pks in by_wait.items():
        notifications_retry(
            [(pk, by_id[pk].attempts) for pk in pks],
            error="transient push failure",
            retry_after=retry_after,
        )


def _send_emails(rows: list[Claimed]) -> int:
    """Send e-mails at most once. Each row is marked as handed to e-mail, in a statement of its
    own (committed: the worker runs in autocommit), before its message leaves; if the worker
    dies after that, the sweep marks the row failed instead of sending it again. Only what
    certainly did not leave is tried again: the server could not be reached, or it answered
    with a temporary refusal."""
    if not rows:
        return 0
    mail = get_connection()
    sent = 0
    try:
        for index, row in enumerate(rows):
            try:
                mail.open()  # connects (SMTP) unless connected; nothing is sent yet
            except OSError as exc:
                notifications_retry(
                    [(r.pk, r.attempts) for r in rows[index:]],
                    error=f"e-mail: {type(exc).__name__}",
                )
                break
            handed = Notification.objects.filter(pk=row.pk, status=Status.SENDING).update(
                channel="email"
            )
            if not handed:  # the sweep gave it up meanwhile
                continue
            subject, body, unsubscribe = email_message(row, row.language)
            message = EmailMessage(
                subject,
                body,
                to=[row.email],
                connection=mail,
                headers={
                    "List-Unsubscribe": f"<{unsubscribe}>",
                    "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
                }
                if unsubscribe
                else {},
            )
            try:
                message.send()
            except (smtplib.SMTPRecipientsRefused, smtplib.SMTPResponseException) as exc:
                # The server answered no: the message was not accepted.
                if _temporary_refusal(exc):
                    notifications_retry([(row.pk, row.attempts)], error="e-mail refused for now")
                else:
                    _email_failed(row.pk, f"e-mail refused: {exc}")
                continue
            except Exception as exc:
                # Lost in the middle: it may have left. Never sent twice, so not retried.
                _email_failed(row.pk, f"e-mail outcome unknown ({type(exc).__name__}); not retried")
                mail.close()
                continue
            Notification.objects.filter(pk=row.pk).update(
                status=Status.SENT, sent_at=timezone.now(), last_error=""
            )
            sent += 1
    finally:
        mail.close()
    return sent


def _temporary_refusal(exc: smtplib.SMTPException) -> bool:
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _message in exc.recipients.values()]
    else:
        codes = [exc.smtp_code]
    return all(400 <= code < 500 for code in codes)


def _email_failed(pk: int, error: str) -> None:
    Notification.objects.filter(pk=pk).update(status=Status.FAILED, last_error=error[:300])
