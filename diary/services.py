"""Writes for the diary and check-ins."""

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import PatientProfile
from accounts.services import patient_data_changed

from . import sql
from .models import CheckIn, DiaryEntry
from .red_flags import RED_FLAGS, checkin_advice


@transaction.atomic  # the entry and the patient's data version (accounts.services) together
def diary_put(
    *,
    patient: PatientProfile,
    day: date,
    morning_pain: int,
    morning_pain_other: int | None = None,
    note: str = "",
    recorded_at: datetime | None = None,
) -> tuple[DiaryEntry, bool]:
    """Create or update the entry for a local date; returns (entry, created).

    `morning_pain_other` is the second heel's value for a patient with both heels affected
    (morning_pain is the left heel, this the right); None when not given. A write is the
    entry as a whole: a later write without it stores None, like a later write without a note
    stores no note, so the two values always come from the same write.

    Idempotent and order-independent: of two writes the one recorded later wins, and a
    replay or an older write changes nothing and returns the stored entry. Written in one
    statement (diary/sql.py): every patient sends this every morning.
    """
    patient.check_writable_date(day)
    if not 0 <= morning_pain <= 10:
        raise ValidationError({"morning_pain": [_("Morning pain is a whole number from 0 to 10.")]})
    if morning_pain_other is not None and not 0 <= morning_pain_other <= 10:
        raise ValidationError(
            {"morning_pain_other": [_("Morning pain is a whole number from 0 to 10.")]}
        )
    now = timezone.now()
    while True:
        written = sql.diary_entry_write_latest(
            patient_id=patient.pk,
            day=day,
            morning_pain=morning_pain,
            morning_pain_other=morning_pain_other,
            note=note,
            recorded_at=recorded_at or now,
            now=now,
        )
        if written is not None:
            patient_data_changed(patients=patient)  # the physio's list and the chart read it
            return written
        # The stored entry stands (recorded at the same time or later); it is committed, as
        # the statement waited for any concurrent writer. Only if a delete came in between
        # is there nothing to read, and then the write is made again.
        try:
            return DiaryEntry.objects.get(patient=patient, date=day), False
        except DiaryEntry.DoesNotExist:
            continue


@transaction.atomic
def diary_delete(*, patient: PatientProfile, day: date) -> bool:
    patient.check_writable_date(day)
    deleted, _rows = DiaryEntry.objects.filter(patient=patient, date=day).delete()
    if deleted:
        patient_data_changed(patients=patient)
    return bool(deleted)


@transaction.atomic  # the background answer and the check-in together, or neither
def checkin_submit(
    *, patient: PatientProfile, answers: dict[str, bool], has_diabetes: bool | None = None
) -> CheckIn:
    """Store the answers; a yes to any red flag is kept with its urgency so the physio is
    flagged and, for a same-day or within-days answer, the exercise reminders pause until the
    patient acknowledges the advice (reminders.services; the pain-log reminder never pauses).

    `has_diabetes`, when given, is the background answer (asked once, at onboarding): it is
    stored on the profile, and changes the advice text, not the flags."""
    if has_diabetes is None:
        has_diabetes = patient.has_diabetes
    try:
        advice = checkin_advice(answers, has_diabetes=has_diabetes)
    except ValueError as exc:
        raise ValidationError({"answers": [str(exc)]}) from None
    # A safety questionnaire counts only when every question was answered: a missing answer
    # is not a "no".
    missing = [flag.code for flag in RED_FLAGS if flag.code not in answers]
    if missing:
        raise ValidationError(
            {
                "answers": [
                    _("Answer every question; missing: %(codes)s.") % {"codes": ", ".join(missing)}
                ]
            }
        )
    if has_diabetes != patient.has_diabetes:
        patient.has_diabetes = has_diabetes
        patient.save(update_fields=["has_diabetes"])
    kind = CheckIn.Kind.WEEKLY if patient.checkins.exists() else CheckIn.Kind.ONBOARDING
    return CheckIn.objects.create(
        patient=patient,
        kind=kind,
        answers=dict(answers),
        red_flags=list(advice.flags) if advice else [],
        urgency=advice.urgency if advice else "none",
    )


def checkin_acknowledge(*, checkin: CheckIn) -> CheckIn:
    if checkin.acknowledged_at is None:
        checkin.acknowledged_at = timezone.now()
        checkin.save(update_fields=["acknowledged_at"])
    return checkin
