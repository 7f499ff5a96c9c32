"""Writes: a patient reading a lesson, a physio pinning or unpinning one.

None of them changes what the progress assessment reads, so no data version is raised.
"""

from django.db import transaction
from django.utils import timezone

from accounts.audit import LESSONS, access_record
from accounts.models import AccessRecord, PatientProfile, User

from .models import Lesson, LessonPin, LessonRead


def lesson_read_mark(*, patient: PatientProfile, lesson: Lesson) -> LessonRead:
    read, _created = LessonRead.objects.update_or_create(
        patient=patient,
        lesson=lesson,
        defaults={"read_at": timezone.now(), "version": lesson.version},
    )
    return read


@transaction.atomic
def lesson_pin(*, actor: User, patient: PatientProfile, lesson: Lesson) -> tuple[LessonPin, bool]:
    """Pin `lesson` for `patient` (the caller has checked that `actor` may see the patient).
    Returns the pin and whether it is new; pinning twice changes nothing."""
    pin, created = LessonPin.objects.get_or_create(
        patient=patient,
        lesson=lesson,
        defaults={"pinned_by": actor, "pinned_at": timezone.now()},
    )
    if created:
        access_record(actor=actor, patients=patient, what=LESSONS, action=AccessRecord.Action.WRITE)
    return pin, created


@transaction.atomic
def lesson_unpin(*, actor: User, patient: PatientProfile, lesson: Lesson) -> bool:
    deleted, _ = LessonPin.objects.filter(patient=patient, lesson=lesson).delete()
    if deleted:
        access_record(actor=actor, patients=patient, what=LESSONS, action=AccessRecord.Action.WRITE)
    return bool(deleted)
