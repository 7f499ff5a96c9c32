from decimal import Decimal

from django.db import transaction

from accounts.audit import access_record
from accounts.models import AccessRecord, PatientProfile, User

from .models import AssessmentSettings

WROTE_ASSESSMENT_SETTINGS = "assessment_settings"
_UNSET = object()


@transaction.atomic
def patient_settings_update(
    *,
    actor: User,
    patient: PatientProfile,
    baseline_override: Decimal | object | None = _UNSET,
    review_weeks: list[int] | object | None = _UNSET,
) -> AssessmentSettings:
    """A physio sets the patient's baseline (from the first consultation) or review weeks.
    Recorded in the patient's access log like every change to their data."""
    row, _created = AssessmentSettings.objects.select_for_update().get_or_create(patient=patient)
    if baseline_override is not _UNSET:
        row.baseline_override = baseline_override
    if review_weeks is not _UNSET:
        row.review_weeks = list(review_weeks) if review_weeks else None
    row.full_clean()
    row.save()
    access_record(
        actor=actor,
        patients=patient,
        what=WROTE_ASSESSMENT_SETTINGS,
        action=AccessRecord.Action.WRITE,
    )
    return row
