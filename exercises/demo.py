"""Demo programmes for the quick start: one per condition, started 8 weeks ago, with a
realistic, reproducible pattern of completions. Idempotent."""

import random
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from accounts.models import Condition, PatientProfile, PhysioProfile

from .models import Completion, Kind, Programme, ProgrammeTemplate
from .schedule import is_due
from .services import programme_assign

TEMPLATE_FOR_CONDITION = {
    Condition.PLANTAR_FASCIITIS: "haelspore-standard",
    Condition.HEEL_BURSITIS: "haelbursitis",
    Condition.FAT_PAD: "haelpudedefekt",
    Condition.UNKNOWN: "haelspore-standard",
}
DEMO_WEEKS = 8


@transaction.atomic
def demo_programmes_create(
    physio: PhysioProfile, patients: list[PatientProfile], completion_rates: dict[int, float]
) -> None:
    for patient in patients:
        if Programme.objects.filter(patient=patient).exists():
            continue
        today = patient.user.local_today()
        starts_on = today - timedelta(days=DEMO_WEEKS * 7 - 1)
        template = ProgrammeTemplate.objects.get(slug=TEMPLATE_FOR_CONDITION[patient.condition])
        programme = programme_assign(
            physio=physio, patient=patient, template=template, starts_on=starts_on
        )
        rng = random.Random(patient.user.email)  # noqa: S311 - demo data, not security
        rate = completion_rates.get(patient.pk, 0.8)
        rows = []
        for item in programme.items.select_related("exercise"):
            if item.exercise.kind == Kind.ADVICE:
                continue
            day = starts_on
            while day < today:
                if is_due(starts_on, item.every_n_days, day) and rng.random() < rate:
                    rows.append(
                        Completion(
                            patient=patient,
                            item=item,
                            date=day,
                            sets_done=item.sets or 1,
                            recorded_at=timezone.now() - timedelta(days=(today - day).days),
                        )
                    )
                day += timedelta(days=1)
        Completion.objects.bulk_create(rows)
