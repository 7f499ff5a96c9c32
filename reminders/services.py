"""Writes for reminders: schedules, subscriptions, and the outbox (tick, sweep, one-offs).

The periodic tick only finds work: it claims due schedules without racing a second beat or
worker, writes one outbox row per (patient, kind, local date), advances `next_due_at`, and
enqueues send tasks after commit. Delivery is guaranteed by the outbox rows, not the broker:
`outbox_sweep` re-enqueues rows that were never picked up or whose worker died.
"""

from __future__ import annotations

import hashlib
import logging
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from accounts.models import PatientProfile, PhysioProfile
from diary.models import CheckIn, DiaryEntry
from diary.selectors import exercises_paused_patient_ids

from .models import Notification, PushSubscription, ReminderSchedule
from .retry import notifications_retry
from .schedule import local_date_of, next_occurrence
from .sql import OutboxRow, outbox_insert_new

logger = logging.getLogger(__name__)

TICK_BATCH = 2000
# Rows per send task. A task's fixed costs (claim, Celery, the first requests' latency) are
# spread over this many messages; at about a thousand messages a second per worker process
# a batch still takes only a second or two, far within the visibility timeout and
# OUTBOX_STALE_SECONDS, and the last batches of a minute leave little tail.
SEND_BATCH = 1000
# A reminder more than this late (beat or database down for hours) is not worth sending.
MAX_LATENESS = timedelta(hours=6)


def schedule_for(patient: PatientProfile) -> ReminderSchedule:
    """The patient's schedule, created with the defaults (07:30 every day) on first use."""
    schedule, created = ReminderSchedule.objects.get_or_create(patient=patient)
    if created:
        schedule_update(schedule=schedule)
    return schedule


def schedule_update(*, schedule: ReminderSchedule, **fields) -> ReminderSchedule:
    for key, value in fields.items():
        setattr(schedule, key, value)
    schedule.next_due_at = (
        next_occurrence(
            after=timezone.now(),
            tz=schedule.patient.user.tz,
            at=schedule.local_time,
            weekdays=schedule.weekdays,
        )
        if schedule.enabled
        else None
    )
    schedule.save()
    return schedule


class SubscriptionTaken(Exception):
    """The endpoint is another patient's push subscription."""


def subscription_save(*, patient: PatientProfile, endpoint: str, p256dh: str, auth: str):
    """Store a browser's subscription; the PWA re-sends it at every start. Returns
    (subscription, created); the same patient sending it again updates its keys.

    An endpoint that is another patient's subscription is refused (`SubscriptionTaken`), never
    moved: whoever learns an endpoint could otherwise take someone's reminders, or swap in keys
    of their own. A device that changed hands gets a new endpoint instead: logging out
    unsubscribes the browser, and the PWA subscribes afresh when its endpoint is refused."""
    # get_or_create copes with two requests creating the same endpoint at once (the unique
    # key refuses the second, which then reads the first's row).
    subscription, created = PushSubscription.objects.get_or_create(
        endpoint=endpoint, defaults={"patient": patient, "p256dh": p256dh, "auth": auth}
    )
    if subscription.patient_id != patient.pk:
        raise SubscriptionTaken
    if not created and (subscription.p256dh, subscription.auth) != (p256dh, auth):
        # Filtered by patient too: the row cannot have changed hands in between.
        PushSubscription.objects.filter(pk=subscription.pk, patient=patient).update(
            p256dh=p256dh, auth=auth
        )
        subscription.p256dh, subscription.auth = p256dh, auth
    return subscription, created


def subscription_fingerprint(endpoint: str, p256dh: str, auth: str) -> str:
    """A name for one subscription as the server holds it. The patient's pages list those of
    their subscriptions (`data-push`), and static/js/app.js names the browser's own the same
    way: at a start of the app it sends the subscription only when the server does not hold
    it as it is (new, renewed with other keys, or dropped here), not at every start."""
    text = "\n".join((endpoint, p256dh, auth))
    return hashlib.sha256(text.encode()).hexdigest()[:20]


def subscriptions_held(user_id: int) -> list[str]:
    """The fingerprints of the subscriptions the server holds for this patient: one query."""
    rows = PushSubscription.objects.filter(patient__user_id=user_id).values_list(
        "endpoint", "p256dh", "auth"
    )
    return [subscription_fingerprint(*row) for row in rows]


def subscription_delete(*, patient: PatientProfile, endpoint: str) -> int:
    deleted, _ = PushSubscription.objects.filter(patient=patient, endpoint=endpoint).delete()
    return deleted


def schedules_ensure(now: datetime) -> int:
    """Give every patient without a schedule the default one (07:30 every day, push if
    subscribed else e-mail): new patients get reminders however they joined."""
    created = 0
    while True:
        missing = list(
            PatientProfile.objects.filter(reminder_schedule__isnull=True).select_related("user")[
                :TICK_BATCH
            ]
        )
        if not missing:
            return created
        rows = []
        for patient in missing:
            schedule = ReminderSchedule(patient=patient)
            schedule.next_due_at = next_occurrence(
                after=now, tz=patient.user.tz, at=schedule.local_time, weekdays=schedule.weekdays
            )
            rows.append(schedule)
        ReminderSchedule.objects.bulk_create(rows, ignore_conflicts=True)
        created += len(rows)


# --- the tick ------------------------------------------------------------------------------


def _enqueue_on_commit(ids: list[int]) -> None:
    from .tasks import send_notifications

    def enqueue():
        for start in range(0, len(ids), SEND_BATCH):
            chunk = ids[start : start + SEND_BATCH]
            try:
                send_notifications.delay(chunk)
            except Exception:  # broker down: the rows stay queued and the sweep retries them
                logger.warning(
                    "Broker unavailable; %d notifications wait in the outbox", len(chunk)
                )
                return

    if ids:
        transaction.on_commit(enqueue)


def reminders_tick(now: datetime | None = None) -> dict:
    """Turn every due schedule into an outbox row and enqueue the rows. Safe to run from two
    beats at once: claimed rows are locked and skipped by the other."""
    now = now or timezone.now()
    totals = defaultdict(int)
    totals["created_schedules"] = schedules_ensure(now)
    while True:
        counts = _tick_batch(now)
        for key, value in counts.items():
            totals[key] += value
        if counts["claimed"] < TICK_BATCH:
            break
    # The 26- and 52-week follow-ups after a recovered close, at the reminder time just
    # advanced above (reminders.follow_ups); once each by the outbox's key.
    from .follow_ups import follow_ups_queue

    totals["follow_ups"] = follow_ups_queue(now)
    # What the physio changed in a programme since the last tick (reminders.programme_changes).
    from .programme_changes import programme_changes_notify

    totals["programme_changes"] = programme_changes_notify(now)
    return dict(totals)


@dataclass(frozen=True, slots=True)
class DueSchedule:
    """What the tick needs of a claimed schedule: plain values, no model instances (the tick
    handles up to a hundred thousand of them in a minute)."""

    pk: int
    patient_id: int
    due_at: datetime
    local_time: time
    weekdays: tuple[int, ...]
    timezone: str

    @property
    def local_date(self) -> date:
        return local_date_of(self.due_at, ZoneInfo(self.timezone))


@transaction.atomic
def _tick_batch(now: datetime) -> dict:
    claimed = (
        ReminderSchedule.objects.select_for_update(skip_locked=True, of=("self",))
        .filter(enabled=True, next_due_at__lte=now)
        .order_by("next_due_at")
        .values_list(
            "pk", "patient_id", "next_due_at", "local_time", "weekdays", "patient__user__timezone"
        )[:TICK_BATCH]
    )
    schedules = [
        DueSchedule(pk, patient, due, at, tuple(days), tz)
        for pk, patient, due, at, days, tz in claimed
    ]
    if not schedules:
        return {"claimed": 0}
    local_dates = {s.pk: s.local_date for s in schedules}
    patient_ids = [s.patient_id for s in schedules]
    logged = set(
        DiaryEntry.objects.filter(
            patient_id__in=patient_ids, date__in=set(local_dates.values())
        ).values_list("patient_id", "date")
    )
    # A same-day or within-days red flag not yet acknowledged pauses what invites to exercise
    # (the weekly check-in reminder waits too: the advice is still open). The daily reminder
    # is the pain-log reminder and is never paused (clinical.md, "Red flags").
    paused = exercises_paused_patient_ids(patient_ids)
    rows, skipped = [], 0
    for schedule in schedules:
        day = local_dates[schedule.pk]
        reason = ""
        if (schedule.patient_id, day) in logged:
            reason = "already logged"
        elif now - schedule.due_at > MAX_LATENESS:
            reason = "too late to send"
        skipped += bool(reason)
        status = Notification.Status.SKIPPED if reason else Notification.Status.QUEUED
        rows.append(
            OutboxRow(
                schedule.patient_id,
                Notification.Kind.DAILY_REMINDER,
                day,
                status,
                schedule.due_at,
                reason,
            )
        )
    rows += _weekly_checkins(schedules, local_dates, now, skip=paused)
    # The unique (patient, kind, local date) key makes a second row for the same reminder
    # impossible, whoever else is ticking.
    queued = outbox_insert(rows)
    _advance(schedules, now)
    _enqueue_on_commit(queued)
    return {"claimed": len(schedules), "queued": len(queued), "skipped": skipped}


def outbox_insert(rows: list[OutboxRow]) -> list[int]:
    """Insert outbox rows, skipping any that exist; return the ids of the new `queued` rows.
    One statement per thousand rows (reminders.sql), which lets a tick write 100,000 rows in
    seconds."""
    return [pk for pk, status in outbox_insert_new(rows) if status == Notification.Status.QUEUED]


def _weekly_checkins(
    schedules: list[DueSchedule], local_dates: dict, now: datetime, skip: set[int]
) -> list[OutboxRow]:
    """With the daily reminder, a weekly check-in reminder for patients who have not answered
    the red-flag questions for 7 days (and were not reminded of it in those 7 days)."""
    since = now - timedelta(days=7)
    ids = [s.patient_id for s in schedules if s.patient_id not in skip]
    if not ids:
        return []
    answered = set(
        CheckIn.objects.filter(patient_id__in=ids, created_at__gte=since).values_list(
            "patient_id", flat=True
        )
    )
    # Reminded on this reminder's date or in the 7 days before, counted in each patient's
    # own dates (as the outbox's are), never the server's.
    today = {s.patient_id: local_dates[s.pk] for s in schedules}
    reminded_on = Notification.objects.filter(
        patient_id__in=ids,
        kind=Notification.Kind.WEEKLY_CHECKIN,
        local_date__gte=min(today.values()) - timedelta(days=7),
    ).values_list("patient_id", "local_date")
    reminded = {pk for pk, day in reminded_on if day >= today[pk] - timedelta(days=7)}
    excluded = answered | reminded | skip
    return [
        OutboxRow(
            schedule.patient_id,
            Notification.Kind.WEEKLY_CHECKIN,
            local_dates[schedule.pk],
            Notification.Status.QUEUED,
            schedule.due_at,
            "",
        )
        for schedule in schedules
        if schedule.patient_id not in excluded and now - schedule.due_at <= MAX_LATENESS
    ]


def _advance(schedules: list[DueSchedule], now: datetime) -> None:
    """Set each schedule's next occurrence. Schedules that share a time zone, time and
    weekdays share the answer, so the update is one statement per group."""
    groups: dict[tuple, list[int]] = defaultdict(list)
    for schedule in schedules:
        groups[(schedule.timezone, schedule.local_time, schedule.weekdays)].append(schedule.pk)
    for (tz_name, at, weekdays), ids in groups.items():
        following = next_occurrence(after=now, tz=ZoneInfo(tz_name), at=at, weekdays=weekdays)
        ReminderSchedule.objects.filter(pk__in=ids).update(next_due_at=following)


# --- one-off notifications -----------------------------------------------------------------


def notification_create(
    *,
    patient: PatientProfile | None = None,
    physio: PhysioProfile | None = None,
    kind: str,
    detail: str = "",
    now: datetime | None = None,
) -> Notification | None:
    """Queue a one-off notification (advice, weekly check-in, physio nudge, the care loop's
    notices) for the patient's, or the physio's, local today; None if one of that kind was
    already made for them today."""
    now = now or timezone.now()
    recipient = {"patient": patient} if patient is not None else {"physio": physio}
    with transaction.atomic():
        notification, created = Notification.objects.get_or_create(
            **recipient,
            kind=kind,
            local_date=local_date_of(now, (patient or physio).user.tz),
            defaults={"due_at": now, "detail": detail},
        )
        if not created:
            return None
        _enqueue_on_commit([notification.pk])
    return notification


# --- the sweep -----------------------------------------------------------------------------


SWEEP_LIMIT = 50000


def outbox_sweep(now: datetime | None = None) -> int:
    """Find what the broker or a worker lost; returns how many rows go out again.

    - `queued` rows still waiting OUTBOX_STALE_SECONDS after they were due (or after their
      `retry_at`: a row waiting for a retry is left alone until then): their task was lost,
      they are enqueued now. Sending claims each row, so one enqueued twice is sent once.
    - `sending` rows claimed longer ago than that: their worker died. They go through the
      retry policy (reminders.retry), as any failed attempt: tried again after the backoff, or
      marked failed after the last attempt.
    - `sending` rows that had been handed to e-mail: the message may have left before the
      worker died, and an e-mail is never sent twice, so they are marked failed.
    """
    now = now or timezone.now()
    stale = now - timedelta(seconds=settings.OUTBOX_STALE_SECONDS)
    Status = Notification.Status
    with transaction.atomic():
        lost = list(
            Notification.objects.select_for_update(skip_locked=True)
            .filter(
                Q(retry_at__isnull=True, due_at__lt=stale) | Q(retry_at__lt=stale),
                status=Status.QUEUED,
            )
            .values_list("pk", flat=True)[:SWEEP_LIMIT]
        )
        _enqueue_on_commit(lost)
        died = list(
            Notification.objects.select_for_update(skip_locked=True)
            .filter(status=Status.SENDING, claimed_at__lt=stale)
            .values_list("pk", "attempts", "channel")[:SWEEP_LIMIT]
        )
        emailed = [pk for pk, _attempts, channel in died if channel == "email"]
        Notification.objects.filter(pk__in=emailed).update(
            status=Status.FAILED,
            claimed_at=None,
            last_error="e-mail outcome unknown (its worker stopped); never sent twice",
        )
        retried = notifications_retry(
            [(pk, attempts) for pk, attempts, channel in died if channel != "email"],
            error="worker stopped while sending",
            now=now,
        )
    if lost or died:
        logger.info(
            "Outbox sweep: %d lost rows re-enqueued; of %d rows whose worker died, %d retried,"
            " %d given up, %d e-mails not sent again",
            len(lost),
            len(died),
            retried["retry"],
            retried["gave_up"],
            len(emailed),
        )
    return len(lost) + retried["retry"]
