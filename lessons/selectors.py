"""Reads: which lessons a patient sees, which are unlocked, read and pinned."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Q, Subquery

from accounts.models import PatientProfile

from .clock import current_week
from .models import Lesson, LessonPin, LessonRead


@dataclass(frozen=True)
class LessonState:
    lesson: Lesson
    unlocked: bool
    read_at: datetime | None
    pinned: bool

    @property
    def read(self) -> bool:
        return self.read_at is not None


def lessons_listed(patient: PatientProfile):
    """The lessons the patient's clinic shows, in order (a hidden one is not listed at all)."""
    return Lesson.objects.exclude(hidden_in__clinic_id=patient.clinic_id).order_by("order")


def _with_state(patient: PatientProfile, week: int):
    """The listed lessons, each with the patient's state beside it in the same query: when
    they read it (at most once), whether it is pinned for them, and whether it is unlocked:
    from its week of the episode on, or earlier when the physio pinned it (the rule, in one
    place, so that a single lesson can be asked for without reading every one)."""
    mine = {"patient": patient, "lesson": OuterRef("pk")}
    return lessons_listed(patient).annotate(
        patient_read_at=Subquery(LessonRead.objects.filter(**mine).values("read_at")[:1]),
        patient_pinned=Exists(LessonPin.objects.filter(**mine)),
        patient_unlocked=ExpressionWrapper(
            Q(unlock_week__lte=week) | Q(patient_pinned=True), output_field=BooleanField()
        ),
    )


def lesson_states(patient: PatientProfile, week: int | None = None) -> list[LessonState]:
    """Every listed lesson with its state for the patient (`_with_state`). Earlier lessons
    stay unlocked as the weeks go on. `week`: of the episode, if the caller has it."""
    week = current_week(patient) if week is None else week
    return [
        LessonState(
            lesson=lesson,
            unlocked=lesson.patient_unlocked,
            read_at=lesson.patient_read_at,
            pinned=lesson.patient_pinned,
        )
        for lesson in _with_state(patient, week)
    ]


def unlocked_lesson(patient: PatientProfile, slug: str) -> Lesson | None:
    """The lesson if the patient may open it now; None if it does not exist, is hidden by the
    clinic or is still locked (the API and the page answer 404 alike)."""
    for state in lesson_states(patient):
        if state.lesson.slug == slug:
            return state.lesson if state.unlocked else None
    return None


def lesson_new(patient: PatientProfile, week: int | None = None) -> Lesson | None:
    """The lesson to point to on Today: the first unlocked one not read yet, if any. `week`
    as for `lesson_states`. Only that one is read (Today is every patient's morning)."""
    week = current_week(patient) if week is None else week
    return (
        _with_state(patient, week)
        .filter(patient_unlocked=True, patient_read_at__isnull=True)
        .first()
    )


def lesson_first_unlocked(patient: PatientProfile, week: int | None = None) -> Lesson | None:
    """The first lesson the patient may read now (the welcome card's), if any."""
    week = current_week(patient) if week is None else week
    return _with_state(patient, week).filter(patient_unlocked=True).first()
