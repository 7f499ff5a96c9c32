"""Turn what the assessment advises into notifications: once per advice, not every day."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Q
from django.utils import timezone

from accounts.models import PatientProfile
from diary.models import CheckIn, DiaryEntry
from diary.selectors import red_flagged_patient_ids
from progress.selectors import patient_summaries

from .models import Notification
from .services import notification_create

SEEK_CARE_CODES = ("worse", "review_first", "review_last", "load_too_high")
# The same advice is not repeated within this many days.
REPEAT_AFTER_DAYS = 28
RECENT_MINUTES = 10
CHUNK = 1000


def advice_scan(*, everyone: bool = False) -> int:
    """Queue advice notifications for patients whose diary or check-ins changed recently
    (or, nightly, for everyone: review weeks pass without anyone writing). Returns the number
    of notifications queued."""
    patients = PatientProfile.objects.select_related("user")
    if not everyone:
        since = timezone.now() - timedelta(minutes=RECENT_MINUTES)
        changed = DiaryEntry.objects.filter(updated_at__gte=since).values("patient_id")
        checked = CheckIn.objects.filter(created_at__gte=since).values("patient_id")
        patients = patients.filter(Q(pk__in=changed) | Q(pk__in=checked))
    queued = 0
    ids = list(patients.values_list("pk", flat=True))
    for start in range(0, len(ids), CHUNK):
        chunk = list(patients.filter(pk__in=ids[start : start + CHUNK]))
        flagged = red_flagged_patient_ids([p.pk for p in chunk])
        recent = _recently_advised(chunk)
        for summary in patient_summaries(chunk, flagged):
            code = _advice_code(summary, flagged)
            if code and (summary.patient.pk, code) not in recent:
                queued += (
                    notification_create(
                        patient=summary.patient, kind=Notification.Kind.ADVICE, detail=code
                    )
                    is not None
                )
    return queued


def _advice_code(summary, flagged: set[int]) -> str | None:
    if summary.patient.pk in flagged:
        return "red_flag"
    advice = summary.assessment.advice
    if advice is not None and advice.code in SEEK_CARE_CODES:
        return advice.code
    return None


def _recently_advised(patients: list[PatientProfile]) -> set[tuple[int, str]]:
    """(patient id, advice code) of the advice each patient was sent in their last
    REPEAT_AFTER_DAYS days. The window is counted in the patient's own dates, as the
    notifications' local dates are: the server's date is a day off for much of the world."""
    since = {p.pk: p.user.local_today() - timedelta(days=REPEAT_AFTER_DAYS) for p in patients}
    if not since:
        return set()
    sent = Notification.objects.filter(
        patient_id__in=list(since),
        kind=Notification.Kind.ADVICE,
        local_date__gte=min(since.values()),
    ).values_list("patient_id", "detail", "local_date")
    return {(patient_id, code) for patient_id, code, day in sent if day >= since[patient_id]}
