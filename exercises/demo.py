"""Demo programmes for the quick start: one per condition, with a realistic, reproducible
pattern of completions; one patient also had their programme replaced at the week-6 review.
Idempotent."""

import random
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from accounts.models import Condition, PatientProfile, PhysioProfile
from accounts.services import patient_data_changed

from .models import Completion, Kind, Programme, ProgrammeChange, ProgrammeTemplate
from .schedule import is_due
from .services import programme_assign

TEMPLATE_FOR_CONDITION = {
    Condition.PLANTAR_FASCIITIS: "haelspore-standard",
    Condition.HEEL_BURSITIS: "haelbursitis",
    Condition.FAT_PAD: "haelpudedefekt",
    Condition.UNKNOWN: "haelspore-standard",
}
DEMO_WEEKS = 8
# Stored in Danish, the default language, like every programme name a physio types.
CHANGED_PROGRAMME_NAME = "Hælspore - justeret ved uge 6-kontrollen"


@dataclass(frozen=True)
class DemoPlan:
    completion_rate: float
    days: int = DEMO_WEEKS * 7  # today is this day of the episode (day 1: the first programme)
    replaced_on_day: int | None = None  # the physio gave a new programme from this day


@transaction.atomic
def demo_programmes_create(physio: PhysioProfile, plans: list[tuple[PatientProfile, DemoPlan]]):
    for patient, plan in plans:
        if Programme.objects.filter(patient=patient).exists():
            continue
        today = patient.user.local_today()
        starts_on = today - timedelta(days=plan.days - 1)
        template = ProgrammeTemplate.objects.get(slug=TEMPLATE_FOR_CONDITION[patient.condition])
        rng = random.Random(patient.user.email)  # noqa: S311 - demo data, not security
        programme = programme_assign(
            physio=physio, patient=patient, template=template, starts_on=starts_on
        )
        if plan.replaced_on_day is not None:
            # The first programme ran until the replacement; the episode (day 1) stays.
            replaced_on = starts_on + timedelta(days=plan.replaced_on_day - 1)
            _completions_create(programme, starts_on, replaced_on, plan.completion_rate, rng)
            programme = programme_assign(
                physio=physio,
                patient=patient,
                template=template,
                name=CHANGED_PROGRAMME_NAME,
                starts_on=replaced_on,
            )
        _completions_create(programme, programme.starts_on, today, plan.completion_rate, rng)
        # The programmes were given weeks ago: the patient has long seen them.
        now = timezone.now()
        ProgrammeChange.objects.filter(patient=patient).update(seen_at=now, notified_at=now)


def _completions_create(
    programme: Programme, first: date, until: date, rate: float, rng: random.Random
) -> None:
    """Completions of the programme's due exercises on the days before `until`."""
    patient = programme.patient
    today = patient.user.local_today()
    rows = []
    for item in programme.items.select_related("exercise"):
        if item.exercise.kind == Kind.ADVICE:
            continue
        day = first
        while day < until:
            if is_due(programme.starts_on, item.every_n_days, day):
                # Each of the day's sessions on its own: a three-times-a-day stretch is not
                # always done three times.
                for session in range(1, item.sessions_per_day + 1):
                    if rng.random() < rate:
                        rows.append(
                            Completion(
                                patient=patient,
                                item=item,
                                date=day,
                                session=session,
                                sets_done=item.sets or 1,
                                recorded_at=timezone.now() - timedelta(days=(today - day).days),
                            )
                        )
            day += timedelta(days=1)
    Completion.objects.bulk_create(rows)
    patient_data_changed(patients=patient)  # as every write of completions does
