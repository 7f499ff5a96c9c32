"""Eight weeks of demo diary entries, one story per demo patient. Idempotent."""

import random
from datetime import date, datetime, time, timedelta

from django.db import transaction

from accounts.models import PatientProfile
from accounts.services import patient_data_changed

from .models import DiaryEntry

# Mean morning pain per programme week (1-8) for each story; daily noise is added on top.
STORIES = {
    "improving": [6.4, 6.0, 5.4, 4.8, 4.3, 3.8, 3.4, 3.0],
    "not improving": [6.0, 6.1, 5.8, 5.9, 5.6, 5.7, 5.5, 5.6],
    "getting worse": [4.0, 4.2, 4.6, 5.0, 5.6, 6.2, 6.6, 7.0],
    "gaps in the diary": [5.5, 5.2, 5.0, 4.8, 4.6, 4.5, 4.4, 4.2],
}
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
            pain = max(0, min(10, round(means[week] + rng.uniform(-1.2, 1.2))))
            moment = datetime.combine(day, time(7, rng.randint(0, 59)), tzinfo=patient.user.tz)
            rows.append(
                DiaryEntry(patient=patient, date=day, morning_pain=pain, recorded_at=moment)
            )
        day += timedelta(days=1)
    with transaction.atomic():
        DiaryEntry.objects.bulk_create(rows)
        patient_data_changed(patients=patient)  # as every write of the diary does
    return len(rows)
