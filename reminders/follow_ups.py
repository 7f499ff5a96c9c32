"""The 26- and 52-week follow-ups after a recovered close, through the outbox.

Each beat tick (reminders.services.reminders_tick) asks which recovered episodes have a
follow-up due by now: due on the close date + 26 or + 52 weeks (care.follow_ups), at the
patient's reminder time on that local date, or 09:00 there without a schedule, so a day of 23
or 25 hours (daylight saving) still places it on the wall clock. It writes one outbox row per
(patient, `follow_up`, due date): the outbox's unique key (notification_once_per_day) makes a
second impossible, whichever beat writes first or however often the tick runs, and the row
is sent by push with the e-mail fallback like every reminder, once (reminders.dispatch; the
sweep for a worker that died). The row's local date is the due date, not the day the tick
runs, so a tick that comes late still finds the row it wrote. Its `detail` is the week (the
page it opens); its text names no value (reminders.messages).

Only the patient's latest episode: a newer one means the patient is back in care. Not when it
is answered already, nor for an inactive account.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from care.follow_ups import FOLLOW_UP_WEEKS, follow_up_due_on
from care.models import Episode, FollowUp, Outcome

from .models import Notification
from .schedule import local_instant

# Without a reminder schedule: 09:00 local.
DEFAULT_TIME = time(9, 0)
# A follow-up found this late (the beat was down) still goes out: it asks about weeks, and
# the page takes the answer for four weeks (care.follow_ups.ANSWER_DAYS).
LATENESS = timedelta(days=7)


def follow_ups_due(now: datetime) -> list[tuple[int, int, int, object, datetime]]:
    """(episode id, patient id, week, due date, due instant) of every follow-up due by `now`
    and at most LATENESS ago, answered or not, written or not."""
    today = now.date()  # UTC: a patient's local date is within a day of it
    newer = Episode.objects.filter(patient=OuterRef("patient"), starts_on__gt=OuterRef("starts_on"))
    due = []
    for week in FOLLOW_UP_WEEKS:
        span = timedelta(weeks=week)
        rows = (
            Episode.objects.filter(
                outcome=Outcome.RECOVERED,
                closed_on__gte=today - span - LATENESS - timedelta(days=1),
                closed_on__lte=today - span + timedelta(days=1),
                patient__user__is_active=True,
            )
            .exclude(Exists(newer))
            .values_list(
                "pk",
                "patient_id",
                "closed_on",
                "patient__user__timezone",
                "patient__reminder_schedule__local_time",
            )
        )
        for pk, patient_id, closed_on, tz_name, at in rows:
            day = follow_up_due_on(closed_on, week)
            instant = local_instant(day, at or DEFAULT_TIME, ZoneInfo(tz_name))
            if instant <= now < instant + LATENESS:
                due.append((pk, patient_id, week, day, instant))
    return due


def follow_ups_queue(now: datetime | None = None) -> int:
    """Write the outbox row of every follow-up due now that has none yet; returns how many
    were queued."""
    from .services import _enqueue_on_commit

    now = now or timezone.now()
    due = follow_ups_due(now)
    if not due:
        return 0
    written = set(
        Notification.objects.filter(
            kind=Notification.Kind.FOLLOW_UP,
            patient_id__in={patient_id for _pk, patient_id, *_rest in due},
        ).values_list("patient_id", "local_date")
    )
    answered = set(
        FollowUp.objects.filter(episode_id__in={pk for pk, *_rest in due}).values_list(
            "episode_id", "week"
        )
    )
    queued = 0
    for pk, patient_id, week, day, instant in due:
        if (patient_id, day) in written or (pk, week) in answered:
            continue
        try:
            with transaction.atomic():
                row = Notification.objects.create(
                    patient_id=patient_id,
                    kind=Notification.Kind.FOLLOW_UP,
                    local_date=day,
                    due_at=instant,
                    detail=str(week),
                )
                _enqueue_on_commit([row.pk])
        except IntegrityError:
            continue  # another beat wrote it first: one follow-up
        queued += 1
    return queued
