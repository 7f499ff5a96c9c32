from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import PatientProfile

from .models import CheckIn, DiaryEntry
from .red_flags import PAUSES_EXERCISES

# A red-flag answer keeps the patient flagged for their physio for a week, and for as long
# as the patient has not acknowledged the advice.
RED_FLAG_FLAG_DAYS = 7
CHECKIN_INTERVAL_DAYS = 7


# The longest range one read returns: a year and a bit, enough for any chart.
DIARY_RANGE_MAX_DAYS = 400
DIARY_RANGE_DEFAULT_DAYS = 90


def diary_range(
    *, patient: PatientProfile, first: date | None = None, last: date | None = None
) -> tuple[date, date]:
    """The dates a diary read covers: up to `last` (default: the patient's today, in their
    time zone) from `first` (default: 90 days before), at most 400 days."""
    last = last or patient.user.local_today()
    first = first or last - timedelta(days=DIARY_RANGE_DEFAULT_DAYS - 1)
    if first > last:
        raise ValidationError({"from": [_("The start of the range is after its end.")]})
    if (last - first).days >= DIARY_RANGE_MAX_DAYS:
        too_long = _("Ask for at most %(days)s days at a time.") % {"days": DIARY_RANGE_MAX_DAYS}
        raise ValidationError({"from": [too_long]})
    return first, last


def diary_entries(*, patient: PatientProfile, first: date | None = None, last: date | None = None):
    """The patient's entries in a range (see diary_range), oldest first."""
    first, last = diary_range(patient=patient, first=first, last=last)
    return DiaryEntry.objects.filter(patient=patient, date__gte=first, date__lte=last).order_by(
        "date"
    )


def checkins_recent(*, patient: PatientProfile, limit: int = 52):
    """The latest check-ins, newest first: a year of weekly ones by default."""
    return CheckIn.objects.filter(patient=patient)[:limit]


def unacknowledged_red_flag(patient: PatientProfile) -> CheckIn | None:
    return (
        CheckIn.objects.filter(patient=patient, acknowledged_at__isnull=True)
        .exclude(urgency="none")
        .first()
    )


def exercises_paused_patient_ids(patient_ids) -> set[int]:
    """The patients among `patient_ids` whose exercise reminders pause: a same-day or
    within-days red flag they have not yet acknowledged. Nothing pauses the pain log."""
    return set(
        CheckIn.objects.filter(
            patient_id__in=patient_ids,
            acknowledged_at__isnull=True,
            urgency__in=PAUSES_EXERCISES,
        )
        .order_by()
        .values_list("patient_id", flat=True)
        .distinct()
    )


def checkin_due(patient: PatientProfile) -> bool:
    """Onboarding asks first; after that a check-in is due every 7 days."""
    latest = CheckIn.objects.filter(patient=patient).values_list("created_at", flat=True).first()
    return latest is None or timezone.now() - latest >= timedelta(days=CHECKIN_INTERVAL_DAYS)


def red_flagged_patient_ids(patient_ids) -> set[int]:
    since = timezone.now() - timedelta(days=RED_FLAG_FLAG_DAYS)
    return set(
        CheckIn.objects.filter(patient_id__in=patient_ids)
        .exclude(urgency="none")
        .filter(Q(created_at__gte=since) | Q(acknowledged_at__isnull=True))
        .order_by()  # not by created_at (Meta.ordering): DISTINCT would include it
        .values_list("patient_id", flat=True)
        .distinct()
    )
