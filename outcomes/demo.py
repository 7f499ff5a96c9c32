"""Demo questionnaire histories for the quick start, consistent with each demo story: the
timepoints a story has answered, sent the day after they fell due; the others are left for
the patient (the Today card) or overdue (the physio's list flag). Idempotent."""

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from accounts.models import PatientProfile

from . import schedule
from .episodes import episode_clock
from .instruments import NOT_APPLICABLE, instrument
from .models import QuestionnaireResponse
from .scoring import score
from .services import questionnaires_prepare

ACTIVITIES = ("Gå en tur på 30 minutter", "Stå op på arbejde")


@dataclass(frozen=True)
class DemoAnswers:
    answered: tuple[str, ...]  # the timepoints answered
    psfs: tuple[int, int]  # the activities' rating at the start, and later
    ffi: tuple[int, int]  # every FFI item's answer at the start, and later
    groc: int  # the global rating of change, from week 6
    acceptable: bool  # PASS, later (never at the start)


def demo_questionnaires_create(patient: PatientProfile, plan: DemoAnswers) -> int:
    if QuestionnaireResponse.objects.filter(patient=patient).exists():
        return 0
    clock = episode_clock(patient)
    today = patient.user.local_today()
    rows = []
    for timepoint in schedule.reached(clock.starts_on, clock.closed_on, today):
        if timepoint.name not in plan.answered:
            continue
        later = timepoint.name != schedule.START
        sent = datetime.combine(
            min(timepoint.due_on + timedelta(days=1), today), time(19, 0), tzinfo=patient.user.tz
        )
        for code in timepoint.instruments:
            answers = _answers(code, plan, later)
            rows.append(
                QuestionnaireResponse(
                    patient=patient,
                    episode_starts_on=clock.starts_on,
                    instrument=code,
                    instrument_version=instrument(code).version,
                    language="da",
                    timepoint=timepoint.name,
                    due_on=timepoint.due_on,
                    answers=answers,
                    scores=score(instrument(code), answers),
                    submitted_at=sent,
                )
            )
    QuestionnaireResponse.objects.bulk_create(rows)
    # What is open now waits for the patient, made as the daily reminder task makes it.
    questionnaires_prepare(patient=patient, today=today)
    return len(rows)


def _answers(code: str, plan: DemoAnswers, later: bool) -> dict:
    if code == "psfs":
        rating = plan.psfs[later]
        answers = {f"activity_{n}": name for n, name in enumerate(ACTIVITIES, 1)}
        return answers | {f"rating_{n}": rating for n in range(1, len(ACTIVITIES) + 1)}
    if code == "ffi":
        return {
            item.id: NOT_APPLICABLE if "inserts" in item.id else plan.ffi[later]
            for item in instrument("ffi").items
        }
    if code == "groc":
        return {"change": plan.groc}
    return {"acceptable": plan.acceptable and later}
