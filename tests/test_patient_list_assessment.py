"""The physio's list reads only the entries the rule needs; it must say what the full
assessment of each patient says."""

import random
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.utils import timezone
from rest_framework.renderers import JSONRenderer

from care.selectors import current_episode
from care.services import episode_review_record
from diary.models import DiaryEntry
from diary.selectors import red_flagged_patient_ids
from progress.models import AssessmentSettings
from progress.payload import patient_list_rows
from progress.selectors import patient_assessment, patient_flags, patient_summaries
from progress.serializers import PatientRowSerializer

from .factories import PatientFactory, diary_series

STORIES = ("flat", "improving", "worse", "gappy", "stopped", "low", "sparse_start", "noisy")


def _series(rng: random.Random, story: str, days: int) -> list[int | None]:
    level = rng.uniform(3, 8)
    pains: list[int | None] = []
    for day in range(days):
        if story == "improving":
            value = level - day * rng.uniform(0.02, 0.1)
        elif story == "worse":
            value = level + (3 if day > days - rng.randint(5, 25) else 0)
        elif story == "low":
            value = rng.uniform(0, 2.4)
        else:
            value = level + rng.uniform(-2.5, 2.5)
        pains.append(min(10, max(0, round(value))))
    if story == "gappy":
        pains = [p if rng.random() < 0.55 else None for p in pains]
    elif story == "stopped" and days > 3:
        silent = rng.randint(3, min(60, days))
        pains[-silent:] = [None] * silent
    elif story == "sparse_start":
        pains[: min(10, days)] = [p if rng.random() < 0.3 else None for p in pains[:10]]
    return pains


def _make_patients(rng: random.Random, physio, assign, count: int):
    patients = []
    for number in range(count):
        # Some joined long ago and have no programme: day 1 is the day they joined.
        joined = timezone.now() - timedelta(days=rng.randint(0, 200))
        patient = PatientFactory(physio=physio, created_at=joined)
        if number % 5 == 2:
            patient.user.timezone = rng.choice(["America/Los_Angeles", "Pacific/Kiritimati"])
            patient.user.save()
        today = patient.user.local_today()
        story = STORIES[number % len(STORIES)]
        days = rng.choice([0, 3, 8, 10, 12, 15, 20, 30, 43, 50, 84, 90, 150, 365])
        if number % 7 == 3:
            start = joined.astimezone(patient.user.tz).date()
            days = (today - start).days + 1
        else:
            start = today - timedelta(days=days - 1) + timedelta(days=rng.choice([0, 0, 0, 3]))
            assign(patient, starts_on=start)
        # Entries logged before this programme started (an earlier one) count for nothing.
        diary_series(patient, start - timedelta(days=30), _series(rng, "flat", 30))
        diary_series(patient, start, _series(rng, story, max(days, 0)))
        if number % 4 == 0:
            # Both heels: the second is logged on most days, sometimes the worse one.
            for entry in DiaryEntry.objects.filter(patient=patient, date__gte=start):
                if rng.random() < 0.8:
                    entry.morning_pain_other = rng.randint(0, 10)
                    entry.save(update_fields=["morning_pain_other"])
        if number % 7 != 3 and days >= 50 and number % 3 == 0:
            # A new programme at week 7 (its stages start again): day 1 stays.
            assign(patient, starts_on=start + timedelta(days=42))
        if number % 7 != 3 and days >= 43 and number % 5 == 0:
            episode_review_record(
                actor=physio.user,
                episode=current_episode(patient),
                kind="week_6_review",
            )
        if number % 6 == 1:
            AssessmentSettings.objects.create(
                patient=patient,
                baseline_override=Decimal(rng.randint(0, 90)) / 10,
                review_weeks=[4, 8],
            )
        elif number % 6 == 4:
            AssessmentSettings.objects.create(patient=patient, worse_points=Decimal("1.5"))
        patients.append(patient)
    return patients


@pytest.mark.parametrize(("seed", "per_query"), [(1, 2000), (2, 2000), (3, 7)])
def test_the_list_says_what_the_full_assessment_says(physio, assign, seed, per_query, monkeypatch):
    # per_query: patients per windowed query (progress.sql).
    monkeypatch.setattr("progress.sql.WINDOWS_PER_QUERY", per_query)
    rng = random.Random(seed)
    AssessmentSettings.objects.get_or_create(
        clinic=physio.clinic, defaults={"improve_percent": Decimal("25")}
    )
    patients = _make_patients(rng, physio, assign, 40)
    # One load too high: the standard programme's heel raise steps up on day 15.
    loaded = PatientFactory(physio=physio)
    start = loaded.user.local_today() - timedelta(days=15)
    assign(loaded, starts_on=start)
    diary_series(loaded, start, [6] * 7 + [3] * 7 + [5, 5])
    patients.append(loaded)
    flagged = red_flagged_patient_ids([p.pk for p in patients])

    summaries = patient_summaries(patients, flagged)

    assert [s.patient.pk for s in summaries] == [p.pk for p in patients]
    # The generated diaries reach the rule's verdicts, not only "collecting".
    assert len({s.assessment.status for s in summaries}) >= 5
    # And the advice of the episode clock: thin-data reviews, step-ups, recorded reviews.
    codes = {
        (s.assessment.advice.code, s.assessment.advice.thin_data)
        for s in summaries
        if s.assessment.advice
    }
    assert ("load_too_high", False) in codes
    assert any(thin for _code, thin in codes)
    for summary in summaries:
        patient = summary.patient
        full = patient_assessment(patient)
        listed = summary.assessment
        assert listed.series == ()
        assert listed == type(full)(**{**full.__dict__, "series": ()}), patient.pk
        entries = DiaryEntry.objects.filter(patient=patient)
        last = max((e.date for e in entries), default=None)
        assert summary.last_entry_on == last
        today = patient.user.local_today()
        start = today - timedelta(days=full.day - 1)
        assert summary.flags == patient_flags(full, last, today, start, red_flag=False)


def test_the_api_list_matches_each_patients_progress(client_for, physio, assign):
    rng = random.Random(7)
    patients = _make_patients(rng, physio, assign, 16)
    client = client_for(physio.user)
    response = client.get("/api/v1/patients/")
    # The view renders its rows without the serializer; the bytes are what it would give.
    ordered = sorted(patients, key=lambda p: (p.user.name, p.pk))
    serialized = PatientRowSerializer(patient_list_rows(ordered), many=True).data
    assert response.content == JSONRenderer().render(serialized)
    rows = {row["id"]: row for row in response.json()}
    assert set(rows) == {p.pk for p in patients}
    for patient in patients:
        progress = client.get(f"/api/v1/patients/{patient.pk}/progress/").json()
        row = rows[patient.pk]
        assert (row["status"], row["baseline"], row["current"]) == (
            progress["status"],
            progress["baseline"],
            progress["current"],
        )
        # The list's week is the episode's, as the progress page counts it; none before the
        # first episode.
        has_episode = current_episode(patient) is not None
        assert row["week"] == (progress["week"] if has_episode else None)


@time_machine.travel(datetime(2026, 3, 1, 12, 0, tzinfo=UTC))
def test_the_lists_week_is_the_episodes_not_the_new_programmes(client_for, physio, assign):
    """A programme replaced at week 7 starts its own stages at week 1; the list still counts
    the episode's weeks (the seek-care clock), or the physio would read week 7 as week 1."""
    patient = PatientFactory(physio=physio)
    today = patient.user.local_today()
    start = today - timedelta(days=13 * 7 - 1)  # today is day 91: week 13
    assign(patient, starts_on=start)
    assign(patient, starts_on=start + timedelta(days=42))
    (row,) = client_for(physio.user).get("/api/v1/patients/").json()
    assert row["week"] == 13
    programme = client_for(patient.user).get("/api/v1/programme/").json()
    assert programme["week"] == 7  # the programme's own week, for its stages


@pytest.mark.parametrize("seed", [1, 2])
# Noon UTC: on Kiritimati it is already tomorrow, so the patients' todays differ.
@time_machine.travel(datetime(2026, 3, 1, 12, 0, tzinfo=UTC))
def test_adherence_of_many_patients_at_once_is_each_ones_rule(physio, assign, seed):
    """The list reads many patients' programmes and completions in two queries; for every
    patient the answer must be the pure rule (exercises.schedule.adherence) on that
    patient's own programmes and completions, read one by one: every-other-day items, ended
    and future programmes, other time zones, ticks on days that were not due."""
    from exercises import selectors
    from exercises.models import Completion, Kind, ProgrammeTemplate
    from exercises.schedule import ScheduledItem, adherence
    from exercises.services import programme_assign

    rng = random.Random(seed)
    patients = _make_patients(rng, physio, assign, 24)
    for number, patient in enumerate(patients):
        today = patient.user.local_today()
        if number % 4 == 0:  # an earlier programme ended ten days ago: its ticks count too
            programme_assign(
                physio=physio,
                patient=patient,
                template=ProgrammeTemplate.objects.get(slug="haelbursitis"),
                starts_on=today - timedelta(days=10),
            )
        for programme in patient.programmes.all():
            for item in programme.items.all():
                for back in range(20):
                    day = today - timedelta(days=back)
                    # Some of the day's sessions (one more than it holds now and then).
                    for session in range(1, item.sessions_per_day + 2):
                        if day >= programme.starts_on and rng.random() < 0.6:
                            Completion.objects.get_or_create(
                                patient=patient,
                                item=item,
                                date=day,
                                session=session,
                                defaults={"recorded_at": timezone.now()},
                            )
    patients = list(type(patients[0]).objects.filter(pk__in=[p.pk for p in patients]))
    at_once = selectors.adherence_by_patient(patients)
    one_by_one = {}
    for patient in patients:
        scheduled = [
            ScheduledItem(
                item.pk,
                programme.starts_on,
                programme.ends_on,
                item.every_n_days,
                counts=item.exercise.kind != Kind.ADVICE,
                sessions=item.sessions_per_day,
            )
            for programme in patient.programmes.all()
            for item in programme.items.all()
        ]
        done = set(
            Completion.objects.filter(patient=patient).values_list("item_id", "date", "session")
        )
        one_by_one[patient.pk] = adherence(scheduled, done, patient.user.local_today())
    assert at_once == one_by_one
    assert len(set(at_once.values())) > 5  # the data is varied enough
