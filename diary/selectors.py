from datetime import date, timedelta

from django.db.models import Q
from django.utils import timezone

from accounts.models import PatientProfile

from .models import CheckIn, DiaryEntry

# A red-flag answer keeps the patient flagged for their physio for a week, and for as long
# as the patient has not acknowledged the advice.
RED_FLAG_FLAG_DAYS = 7
CHECKIN_INTERVAL_DAYS = 7


def entries_between(patient: PatientProfile, first: date, last: date):
    return DiaryEntry.objects.filter(patient=patient, date__gte=first, date__lte=last).order_by(
        "date"
    )


def pain_by_date(patient: PatientProfile, since: date) -> dict[date, int]:
    return dict(
        DiaryEntry.objects.filter(patient=patient, date__gte=since).values_list(
            "date", "morning_pain"
        )
    )


def unacknowledged_red_flag(patient: PatientProfile) -> CheckIn | None:
    return (
        CheckIn.objects.filter(patient=patient, acknowledged_at__isnull=True)
        .exclude(urgency="none")
        .first()
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
