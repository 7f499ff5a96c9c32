"""Demo diary entries since day 1 of the episode, one story per demo patient. Idempotent."""

import random
from datetime import date, datetime, time, timedelta

from django.db import transaction

from accounts.models import PatientProfile
from accounts.services import patient_data_changed

from .models import DiaryEntry

# Mean morning pain per week of the episode for each story (the last week's mean holds for
# any later week); daily noise is added on top.
STORIES = {
    "improving": [6.4, 6.0, 5.4, 4.8, 4.3, 3.8, 3.4, 3.0],
    "not improving": [6.0, 6.1, 5.8, 5.9, 5.6, 5.7, 5.5, 5.6],
    "getting worse": [4.0, 4.2, 4.6, 5.0, 5.6, 6.2, 6.6, 7.0],
    "gaps in the diary": [5.5, 5.2, 5.0, 4.8, 4.6, 4.5, 4.4, 4.2],
    # A new programme from week 7 changed little: by week 13 the pain is about where it began.
    "programme changed at week 6": [
        *(6.2, 6.0, 6.1, 5.8, 5.9, 5.7),
        *(5.8, 5.6, 5.7, 5.5, 5.6, 5.6, 5.5),
    ],
    # The left heel (morning_pain) gets better ...
    "both heels": [5.8, 5.4, 5.0, 4.4, 3.9, 3.5, 3.1, 2.8],
    "just started": [6.5],
}
# ... the right one (morning_pain_other) does not: the worse heel of each day is the right.
OTHER_HEEL = {"both heels": [6.0, 6.1, 5.9, 5.8, 5.9, 5.7, 5.8, 5.6]}
# Share of days logged; the gaps story also skips most of the last week so there is too little
# recent data for a conclusion.
LOGGED_SHARE = {"gaps in the diary": 0.55}


def demo_diary_create(patient: PatientProfile, starts_on: date, story: str) -> int:
    if DiaryEntry.objects.filter(patient=patient).exists():
        return 0
    rng = random.Random(f"diary-{patient.user.email}")  # noqa: S311 - demo data
    today = patient.user.local_today()
    means = STORIES[story]
    rows = []
    day = starts_on
    while day <= today:
        number = (day - starts_on).days
        week = min(number // 7, len(means) - 1)
        logged = rng.random() < LOGGED_SHARE.get(story, 0.93)
        if story == "gaps in the diary" and (today - day).days < 7:
            logged = (today - day).days in (2, 5)
        if logged:
            pain = _pain(rng, means[week])
            moment = datetime.combine(day, time(7, rng.randint(0, 59)), tzinfo=patient.user.tz)
            other = OTHER_HEEL.get(story)
            rows.append(
                DiaryEntry(
                    patient=patient,
                    date=day,
                    morning_pain=pain,
                    morning_pain_other=(
                        _pain(rng, other[min(week, len(other) - 1)]) if other else None
                    ),
                    recorded_at=moment,
                )
            )
        day += timedelta(days=1)
    with transaction.atomic():
        DiaryEntry.objects.bulk_create(rows)
        patient_data_changed(patients=patient)  # as every write of the diary does
    return len(rows)


def _pain(rng: random.Random, mean: float) -> int:
    return max(0, min(10, round(mean + rng.uniform(-1.2, 1.2))))
