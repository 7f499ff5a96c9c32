"""The physio's list from stored rows (progress.summaries): a stored row must always say what
computing it afresh says. Every write to what a row is computed from deletes it (PostgreSQL
triggers), a new local date or new rules make it stale, and a computation overtaken by a
write stores nothing."""

import random
from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import Clinic, PatientProfile
from accounts.services import user_update_profile
from diary.models import DiaryEntry
from diary.services import diary_delete, diary_put
from exercises.models import Exercise, Kind, ProgrammeTemplate
from exercises.services import (
    completion_delete,
    completion_record,
    programme_assign,
    programme_item_update,
)
from progress import summaries
from progress.models import AssessmentSettings, PatientSummary
from progress.services import patient_settings_update

from .factories import PatientFactory, diary_series
from .test_patient_list_assessment import _make_patients


def _fresh(patients):
    patients = list(PatientProfile.objects.select_related("user").filter(pk__in=patients))
    return summaries.compute_rows(patients)


def _listed(patients):
    patients = list(PatientProfile.objects.select_related("user").filter(pk__in=patients))
    return summaries.list_values(patients)


def _stored():
    return set(PatientSummary.objects.exclude(computed_for=None).values_list("patient", flat=True))


def test_the_list_stores_its_rows_where_it_can(physio, assign):
    patients = _make_patients(random.Random(5), physio, assign, 12)
    ids = [p.pk for p in patients]
    first = _listed(ids)
    assert first == _fresh(ids)
    # Stored on PostgreSQL (the triggers keep them true); computed every time elsewhere.
    assert _stored() == (set(ids) if summaries.enabled() else set())
    assert _listed(ids) == first


@pytest.mark.postgres
@pytest.mark.parametrize("seed", [1, 2])
def test_stored_rows_are_what_the_rule_computes(physio, assign, seed):
    patients = _make_patients(random.Random(seed), physio, assign, 30)
    ids = [p.pk for p in patients]
    computed = _fresh(ids)
    assert _listed(ids) == computed  # computed and stored
    assert _stored() == set(ids)
    with CaptureQueriesContext(connection) as ctx:
        assert _listed(ids) == computed  # read back
    # The patients, and one read of their rows: nothing computed again.
    assert len(ctx.captured_queries) == 2
    assert len({row["status"] for row in computed.values()}) >= 4


@pytest.fixture
def two_patients(physio, assign):
    """Two patients of one clinic, each with a programme, ten days of diary and some ticks,
    and a clinic settings row; both rows stored."""
    patients = []
    for _ in range(2):
        patient = PatientFactory(physio=physio)
        today = patient.user.local_today()
        assign(patient, starts_on=today - timedelta(days=9))
        diary_series(patient, today - timedelta(days=9), [6, 6, 5, 6, 5, 5, 4, 4, 4, 3])
        item = patient.programmes.get().items.exclude(exercise__kind=Kind.ADVICE).first()
        completion_record(patient=patient, item=item, day=today, sets_done=1)
        patients.append(patient)
    AssessmentSettings.objects.create(clinic=physio.clinic, improve_percent=Decimal("25"))
    _listed([p.pk for p in patients])
    assert _stored() == {p.pk for p in patients}
    return patients


def _item(patient):
    return patient.programmes.get(ended_at=None).items.exclude(exercise__kind=Kind.ADVICE).first()


def _today(patient):
    return patient.user.local_today()


# Each write, and whose rows it must forget: "one" (the patient written about) or "both" (a
# clinic's setting, the library). Through the services the API uses, and the ORM where no
# service exists (the admin).
WRITES = {
    "diary created": (lambda p: diary_put(patient=p, day=_today(p), morning_pain=9), "one"),
    "diary updated": (
        lambda p: diary_put(patient=p, day=_today(p) - timedelta(days=1), morning_pain=10),
        "one",
    ),
    "diary deleted": (lambda p: diary_delete(patient=p, day=_today(p)), "one"),
    "diary bulk insert": (
        lambda p: DiaryEntry.objects.bulk_create(
            [
                DiaryEntry(
                    patient=p,
                    date=_today(p) - timedelta(days=20),
                    morning_pain=2,
                    recorded_at=timezone.now(),
                )
            ]
        ),
        "one",
    ),
    "exercise ticked": (
        lambda p: completion_record(
            patient=p, item=_item(p), day=_today(p) - timedelta(days=1), sets_done=1
        ),
        "one",
    ),
    "tick removed": (
        lambda p: completion_delete(patient=p, item=_item(p), day=_today(p)),
        "one",
    ),
    "programme assigned": (
        lambda p: programme_assign(
            physio=p.physio,
            patient=p,
            template=ProgrammeTemplate.objects.get(slug="haelbursitis"),
            starts_on=_today(p),
        ),
        "one",
    ),
    "item every other day": (
        lambda p: programme_item_update(actor=p.physio.user, item=_item(p), every_n_days=2),
        "one",
    ),
    "baseline set": (
        lambda p: patient_settings_update(
            actor=p.physio.user, patient=p, baseline_override=Decimal("8")
        ),
        "one",
    ),
    "time zone changed": (
        lambda p: user_update_profile(user=p.user, timezone="Pacific/Kiritimati"),
        "one",
    ),
    "moved to another clinic": (
        lambda p: PatientProfile.objects.filter(pk=p.pk).update(
            clinic=Clinic.objects.create(name="Other")
        ),
        "one",
    ),
    "clinic thresholds changed": (
        lambda p: AssessmentSettings.objects.filter(clinic=p.clinic_id).update(
            worse_points=Decimal("1")
        ),
        "both",
    ),
    "exercise kind changed": (
        lambda p: Exercise.objects.filter(pk=_item(p).exercise_id).update(kind=Kind.ADVICE),
        "both",
    ),
}


@pytest.mark.postgres
@pytest.mark.parametrize("write", list(WRITES))
def test_every_write_forgets_the_rows_it_changes(two_patients, write):
    patient, other = two_patients
    change, whose = WRITES[write]
    change(patient)
    expected_gone = {patient.pk, other.pk} if whose == "both" else {patient.pk}
    assert _stored() == {patient.pk, other.pk} - expected_gone
    ids = [patient.pk, other.pk]
    assert _listed(ids) == _fresh(ids)
    assert _stored() == set(ids)


@pytest.mark.postgres
def test_writes_that_change_nothing_it_shows_keep_the_rows(two_patients):
    patient, other = two_patients
    user_update_profile(user=patient.user, name="Another Name")  # names are read live
    patient.user.last_login = timezone.now()
    patient.user.save(update_fields=["last_login"])
    PatientProfile.objects.filter(pk=patient.pk).update(condition="heel_bursitis")
    assert _stored() == {patient.pk, other.pk}


@pytest.mark.postgres
def test_new_rules_or_a_new_local_date_recompute(two_patients, monkeypatch):
    patient, other = two_patients
    ids = [patient.pk, other.pk]
    before = _listed(ids)
    monkeypatch.setattr(summaries, "VERSION", "next-rules")
    assert _listed(ids) == before
    assert set(PatientSummary.objects.values_list("version", flat=True)) == {"next-rules"}
    with time_machine.travel(timezone.now() + timedelta(days=6)):
        later = _listed(ids)
        assert later == _fresh(ids)
        assert later != before  # a week later: another week, no entries for six days
        assert later[patient.pk]["flags"] == ["no_entries"]
        computed_for = set(PatientSummary.objects.values_list("computed_for", flat=True))
        assert computed_for == {_today(patient)}


@pytest.mark.postgres
@pytest.mark.parametrize("then_another_list", [False, True])
def test_a_computation_overtaken_by_a_write_stores_nothing(
    two_patients, monkeypatch, then_another_list
):
    """The write lands after the computation read the diary and before it stores its rows:
    what it computed is already out of date and must not be stored, also not over the row
    that another request, which read after the write, has stored in the meantime."""
    patient, other = two_patients
    ids = [patient.pk, other.pk]
    compute = summaries.compute_rows

    def compute_then_write(*args, **kwargs):
        rows = compute(*args, **kwargs)
        diary_put(patient=patient, day=_today(patient), morning_pain=10)
        monkeypatch.setattr(summaries, "compute_rows", compute)
        if then_another_list:
            _listed(ids)
        return rows

    PatientSummary.objects.all().delete()
    before = _fresh(ids)
    monkeypatch.setattr(summaries, "compute_rows", compute_then_write)
    shown = _listed(ids)
    # It answered with what it read, and stored only the row the write did not touch.
    assert shown == before
    assert _stored() == (set(ids) if then_another_list else {other.pk})
    after = _fresh(ids)
    assert after[patient.pk] != before[patient.pk]  # today's 10 is in the current mean
    assert _listed(ids) == after
    assert _stored() == set(ids)


@pytest.mark.postgres
def test_the_periodic_refresh_recomputes_what_a_new_day_made_stale(two_patients):
    from progress.tasks import refresh_summaries

    patient, other = two_patients
    # Never listed, so no row yet; and far from UTC, where the local date often is not UTC's.
    third = PatientFactory(physio=patient.physio)
    user_update_profile(user=third.user, timezone="Pacific/Kiritimati")
    user_update_profile(user=other.user, timezone="America/Los_Angeles")  # deletes its row
    diary_put(patient=patient, day=_today(patient), morning_pain=2)  # deletes its row
    assert refresh_summaries() == 3
    assert refresh_summaries() == 0  # all current for each one's own local date
    with time_machine.travel(timezone.now() + timedelta(days=1)):
        assert refresh_summaries() == 3
        ids = [patient.pk, other.pk, third.pk]
        fresh = _fresh(ids)
        with CaptureQueriesContext(connection) as ctx:
            assert _listed(ids) == fresh
        # Read from what the task stored: the fresh computation alone is more queries.
        assert len(ctx.captured_queries) == 2


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_lists_refreshes_and_writes_at_once_leave_only_true_rows(library):
    """Physios' lists (in their own order), the periodic refresh and patients' diary writes,
    all at once on their own connections: nothing fails, and every stored row afterwards is
    what computing afresh says. (That claims and fills cannot deadlock rests on their lock
    order, progress.summaries.refresh; a deadlock is too rare for this test to provoke.)"""
    from .concurrency import run_concurrently
    from .factories import PhysioFactory

    physio = PhysioFactory()
    patients = []
    for number in range(150):
        patient = PatientFactory(physio=physio)
        patients.append(patient)
        if number >= 12:  # enough rows for claims to overlap; diaries for some
            continue
        today = _today(patient)
        programme_assign(
            physio=physio,
            patient=patient,
            template=ProgrammeTemplate.objects.get(slug="haelspore-standard"),
            starts_on=today - timedelta(days=20 + number),
        )
        diary_series(patient, today - timedelta(days=20 + number), [5] * (19 + number))
    ids = [p.pk for p in patients]

    def work(n):
        rng = random.Random(n)
        for _ in range(15):
            order = rng.sample(ids, len(ids))
            if n % 3 == 0:
                patient = patients[rng.randrange(12)]
                day = _today(patient) - timedelta(days=rng.randint(0, 1))
                diary_put(patient=patient, day=day, morning_pain=rng.randint(0, 10))
            elif n % 3 == 1:
                summaries.refresh(
                    list(PatientProfile.objects.select_related("user").filter(pk__in=order))
                )
            else:
                _listed(order)
        return "done"

    assert run_concurrently(work, 6) == ["done"] * 6
    assert _listed(ids) == _fresh(ids)
