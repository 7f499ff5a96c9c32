"""The physiotherapist's daily digest: once a day, at the clinic's chosen time on the physio's
own clock, how many of their patients need them and why. Counts only: no names, no values (an
e-mail is not a private place). Nothing is sent when nothing needs them.

Each beat tick asks which physios' digest time has come today and writes one outbox row per
physio and local date; the outbox's key (notification_physio_once_per_day) makes a second
digest impossible, whichever beat or worker gets there first, and a day of 23 or 25 hours
(daylight saving) still has one local date and one digest. A row is written `skipped` when
there is nothing to say, so later ticks that day do not count again.

Lives in reminders, beside the outbox, because it reads the assessment (progress) and the
messages, and neither of those may know about reminders' schedule."""

from __future__ import annotations

from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.access import patients_visible_to
from accounts.models import PhysioProfile
from diary.selectors import red_flagged_patient_ids
from messaging.selectors import unanswered_patient_ids
from outcomes.selectors import waiting_questionnaires
from progress.selectors import (
    FLAG_NO_ENTRIES,
    FLAG_NOT_IMPROVING,
    FLAG_RED_FLAG,
    FLAG_WORSE,
    patient_summaries,
)

from .models import Notification
from .schedule import local_instant
from .services import MAX_LATENESS, _enqueue_on_commit


def digest_counts(physio: PhysioProfile) -> tuple[int, int, int, int, int, int]:
    """(red flag, worse, review due, silent for 4 days, waiting for an answer, questionnaire
    overdue): how many of the physio's patients each reason applies to (a patient can count
    under several)."""
    patients = list(patients_visible_to(physio.user).select_related("user"))
    if not patients:
        return (0, 0, 0, 0, 0, 0)
    ids = [p.pk for p in patients]
    flagged = red_flagged_patient_ids(ids)
    summaries = patient_summaries(patients, flagged)

    def count(flag: str) -> int:
        return sum(flag in summary.flags for summary in summaries)

    return (
        count(FLAG_RED_FLAG),
        count(FLAG_WORSE),
        count(FLAG_NOT_IMPROVING),
        count(FLAG_NO_ENTRIES),
        len(unanswered_patient_ids(ids)),
        len(waiting_questionnaires(ids, {p.pk: p.user.local_today() for p in patients})[1]),
    )


def digests_queue(now: datetime | None = None) -> int:
    """Write today's digest for every physio whose digest time has come (and is less than
    MAX_LATENESS ago) and who has none yet today. Returns how many were queued."""
    now = now or timezone.now()
    physios = PhysioProfile.objects.select_related("user", "clinic").filter(user__is_active=True)
    due = []
    for physio in physios:
        tz = physio.user.tz
        day = timezone.localdate(now, tz)
        at = local_instant(day, physio.clinic.digest_time, tz)
        if at <= now < at + MAX_LATENESS:
            due.append((physio, day, at))
    if not due:
        return 0
    done = set(
        Notification.objects.filter(
            kind=Notification.Kind.DIGEST,
            physio__in=[physio for physio, _day, _at in due],
            local_date__in={day for _physio, day, _at in due},
        ).values_list("physio_id", "local_date")
    )
    queued = 0
    for physio, day, at in due:
        if (physio.pk, day) in done:
            continue
        counts = digest_counts(physio)
        nothing = not any(counts)
        try:
            with transaction.atomic():
                row = Notification.objects.create(
                    physio=physio,
                    kind=Notification.Kind.DIGEST,
                    local_date=day,
                    due_at=at,
                    detail=",".join(str(n) for n in counts),
                    status=Notification.Status.SKIPPED if nothing else Notification.Status.QUEUED,
                    last_error="nothing needs them" if nothing else "",
                )
                if not nothing:
                    _enqueue_on_commit([row.pk])
                    queued += 1
        except IntegrityError:
            continue  # another beat wrote it first: one digest a day
    return queued
