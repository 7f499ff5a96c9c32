"""Reads: which lessons a patient sees, which are unlocked, read and pinned."""

from dataclasses import dataclass
from datetime import datetime

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


def lesson_states(patient: PatientProfile, week: int | None = None) -> list[LessonState]:
    """Every listed lesson with its state for the patient. A lesson is unlocked from its week
    of the episode on, or earlier when the physio pinned it; earlier ones stay unlocked."""
    week = current_week(patient) if week is None else week
    read = dict(LessonRead.objects.filter(patient=patient).values_list("lesson_id", "read_at"))
    pinned = set(LessonPin.objects.filter(patient=patient).values_list("lesson_id", flat=True))
    return [
        LessonState(
            lesson=lesson,
            unlocked=lesson.unlock_week <= week or lesson.pk in pinned,
            read_at=read.get(lesson.pk),
            pinned=lesson.pk in pinned,
        )
        for lesson in lessons_listed(patient)
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
    as for `lesson_states`."""
    for state in lesson_states(patient, week):
        if state.unlocked and not state.read:
            return state.lesson
    return None
