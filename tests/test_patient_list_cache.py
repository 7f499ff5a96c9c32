"""The physio's list from the cache (progress.cache): what it shows must always be what
computing afresh says. Every write to what a row is computed from gives the patient another
cache key (a raised data version, other rules, another local date), a write that changes
nothing shown keeps it, a computation overtaken by a write stores nothing anyone reads, and
the number of queries does not grow with the caseload. Run on SQLite and on PostgreSQL."""

import random
from datetime import timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.cache import cache
from django.core.cache.backends.locmem import LocMemCache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import Clinic, PatientProfile
from accounts.services import user_update_profile
from diary.services import diary_delete, diary_put
from exercises.models import Exercise, Kind, ProgrammeTemplate
from exercises.services import (
    completion_delete,
    completion_record,
    exercise_kind_changed,
    programme_assign,
    programme_item_update,
)
from progress import cache as progress_cache
from progress.models import AssessmentSettings
from progress.selectors import patient_rules
from progress.services import patient_settings_update

from .conftest import verified_login
from .factories import PatientFactory, PhysioFactory, diary_series
from .test_patient_list_assessment import _make_patients


def _load(ids):
    """The patients as a request loads them: afresh, with their users, in the list's order."""
    patients = PatientProfile.objects.select_related("user").filter(pk__in=ids).order_by("pk")
    return list(patients)


def _fresh(ids):
    """What the rule says now, without the cache."""
    patients = _load(ids)
    todays = {p.pk: p.user.local_today() for p in patients}
    return progress_cache.compute_rows(patients, todays, patient_rules(patients))


def _listed(ids):
    return progress_cache.list_values(_load(ids))


def _keys(ids):
    """Each patient's cache key as the list would ask for it now."""
    patients = _load(ids)
    rules = patient_rules(patients)
    return {
        p.pk: progress_cache.data_digest(p, p.user.local_today(), rules[p.pk]) for p in patients
    }


def test_the_list_is_what_the_rule_computes_and_is_cached(physio, assign):
    patients = _make_patients(random.Random(5), physio, assign, 24)
    ids = [p.pk for p in patients]
    computed = _fresh(ids)
    assert len({row["status"] for row in computed.values()}) >= 4  # varied enough
    with CaptureQueriesContext(connection) as first:
        assert _listed(ids) == computed  # computed and cached
    computing = len(first.captured_queries)
    with CaptureQueriesContext(connection) as again:
        assert _listed(ids) == computed  # from the cache
    # The patients and their rules; nothing computed again.
    assert len(again.captured_queries) == 2 < computing


@pytest.fixture
def two_patients(physio, assign):
    """Two patients of one clinic, each with a programme, ten days of diary and a tick, and a
    clinic settings row; both listed, so both cached."""
    patients = []
    for _ in range(2):
        patient = PatientFactory(physio=physio)
        today = patient.user.local_today()
        assign(patient, starts_on=today - timedelta(days=9))
        diary_series(patient, today - timedelta(days=9), [6, 6, 5, 6, 5, 5, 4, 4, 4, 3])
        item = patient.programmes.get().items.exclude(exercise__kind=Kind.ADVICE).first()
        completion_record(patient=patient, item=item, day=today, sets_done=1)
        patients.append(patient)
    # Improving by the clinic's 15 %, not by the default 30 %.
    AssessmentSettings.objects.create(clinic=physio.clinic, improve_percent=Decimal("15"))
    _listed([p.pk for p in patients])
    return patients


def _item(patient):
    return patient.programmes.get(ended_at=None).items.exclude(exercise__kind=Kind.ADVICE).first()


def _today(patient):
    return patient.user.local_today()


def _other_clinic(patient):
    clinic = Clinic.objects.create(name="Other")
    return PatientProfile.objects.filter(pk=patient.pk).update(clinic=clinic)


def _moved_to_another_date(patient):
    """A time zone where it is another date now (one of the two always is)."""
    today = _today(patient)
    for name in ("Pacific/Kiritimati", "Pacific/Pago_Pago"):
        if timezone.localdate(timezone.now(), ZoneInfo(name)) != today:
            return user_update_profile(user=patient.user, timezone=name)
    raise AssertionError("no time zone with another date")


def _exercise_made_advice(patient):
    """What the exercise admin does when an exercise's kind changes."""
    exercise = Exercise.objects.get(pk=_item(patient).exercise_id)
    exercise.kind = Kind.ADVICE
    exercise.save()
    exercise_kind_changed(exercise=exercise)


# Each write, and whose list rows it changes: "one" (the patient written about) or "both" (a
# clinic's setting, the library). Through the services the API and the admin use, and the ORM
# where the admin writes a row directly (a patient's clinic, a clinic's settings).
WRITES = {
    "diary created": (lambda p: diary_put(patient=p, day=_today(p), morning_pain=9), "one"),
    "diary updated": (
        lambda p: diary_put(patient=p, day=_today(p) - timedelta(days=1), morning_pain=10),
        "one",
    ),
    "diary deleted": (lambda p: diary_delete(patient=p, day=_today(p) - timedelta(days=1)), "one"),
    "exercise ticked": (
        lambda p: completion_record(
            patient=p, item=_item(p), day=_today(p) - timedelta(days=1), sets_done=1
        ),
        "one",
    ),
    "tick removed": (lambda p: completion_delete(patient=p, item=_item(p), day=_today(p)), "one"),
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
            actor=p.physio.user, patient=p, baseline_override=Decimal("9")
        ),
        "one",
    ),
    "time zone changed": (_moved_to_another_date, "one"),
    "moved to another clinic": (_other_clinic, "one"),
    "clinic thresholds changed": (
        lambda p: AssessmentSettings.objects.filter(clinic=p.clinic_id).update(
            improve_percent=Decimal("50")
        ),
        "both",
    ),
    "exercise kind changed": (_exercise_made_advice, "both"),
}


@pytest.mark.parametrize("write", list(WRITES))
def test_after_every_write_the_list_is_computed_afresh(two_patients, write):
    patient, other = two_patients
    ids = [patient.pk, other.pk]
    before, keys = _listed(ids), _keys(ids)
    change, whose = WRITES[write]
    with time_machine.travel(timezone.now()):  # the time zone change must not cross midnight
        change(patient)
        after = _keys(ids)
        changed = {pk for pk in ids if after[pk] != keys[pk]}
        assert changed >= ({patient.pk, other.pk} if whose == "both" else {patient.pk})
        fresh = _fresh(ids)
        assert _listed(ids) == fresh
    # The write changes what the list shows (or may: another local date), so a row kept from
    # before would have been wrong.
    if write != "time zone changed":
        assert fresh[patient.pk] != before[patient.pk], write


def test_writes_that_change_nothing_it_shows_keep_the_cache(two_patients):
    patient, other = two_patients
    ids = [patient.pk, other.pk]
    keys = _keys(ids)
    user_update_profile(user=patient.user, name="Another Name")  # names are read live
    patient.user.last_login = timezone.now()
    patient.user.save(update_fields=["last_login"])
    PatientProfile.objects.filter(pk=patient.pk).update(condition="heel_bursitis")
    assert _keys(ids) == keys


def test_new_rules_or_a_new_local_date_compute_afresh(two_patients, monkeypatch):
    patient, other = two_patients
    ids = [patient.pk, other.pk]
    before = _listed(ids)
    keys = _keys(ids)
    monkeypatch.setattr("progress.cache.RULE_VERSION", "next-rules")
    assert _keys(ids).keys() == keys.keys() and not set(_keys(ids).values()) & set(keys.values())
    monkeypatch.undo()
    with time_machine.travel(timezone.now() + timedelta(days=6)):
        later = _listed(ids)
        assert later == _fresh(ids)
        assert later != before  # a week later: another week, no entries for six days
        assert later[patient.pk]["flags"] == ["no_entries"]


def test_a_computation_overtaken_by_a_write_is_never_shown_after_it(two_patients, monkeypatch):
    """The write lands after the list loaded the patients (their data versions) and before it
    computed: what it stores is under the old version, which no later list asks for."""
    patient, other = two_patients
    ids = [patient.pk, other.pk]
    compute = progress_cache.compute_rows

    def write_then_compute(*args, **kwargs):
        diary_put(patient=patient, day=_today(patient), morning_pain=10)
        return compute(*args, **kwargs)

    cache.clear()
    monkeypatch.setattr(progress_cache, "compute_rows", write_then_compute)
    _listed(ids)
    monkeypatch.setattr(progress_cache, "compute_rows", compute)
    assert _listed(ids) == _fresh(ids)


class _BrokenCache(LocMemCache):
    """A cache that is down, as Redis can be."""

    def get_many(self, keys, version=None):
        raise ConnectionError("the cache is down")

    def set_many(self, data, timeout=None, version=None):
        raise ConnectionError("the cache is down")

    def get(self, key, default=None, version=None):
        raise ConnectionError("the cache is down")


def test_the_list_and_the_chart_work_without_the_cache(client, physio, assign, settings):
    settings.CACHES = {"default": {"BACKEND": f"{__name__}._BrokenCache"}}
    patients = _make_patients(random.Random(3), physio, assign, 4)
    verified_login(client, physio.user)
    response = client.get("/api/v1/patients/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    fresh = _fresh([p.pk for p in patients])
    assert {row["id"]: row["status"] for row in response.json()} == {
        pk: row["status"] for pk, row in fresh.items()
    }
    chart = client.get(f"/api/v1/patients/{patients[0].pk}/progress/chart.svg")
    assert chart.status_code == 200 and chart.content.startswith(b"<svg")


def _list_queries(client, physio) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get("/api/v1/patients/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    return len(captured.captured_queries)


def test_the_list_takes_as_many_queries_for_three_patients_as_for_thirty(client, assign):
    """Cached, partly cached and not cached: a fixed number of queries, whatever the caseload
    (the patients' own query selects them when none is cached)."""
    counts = {}
    for size in (3, 30):
        physio = PhysioFactory()
        patients = _make_patients(random.Random(size), physio, assign, size)
        verified_login(client, physio.user)
        cache.clear()
        uncached = _list_queries(client, physio)
        cached = _list_queries(client, physio)
        diary_put(patient=patients[0], day=_today(patients[0]), morning_pain=3)
        one_written = _list_queries(client, physio)
        counts[size] = (uncached, cached, one_written)
    assert counts[3] == counts[30]
    uncached, cached, one_written = counts[30]
    assert cached < uncached and one_written == uncached


def test_a_patients_morning_entry_shows_in_the_physios_list_at_once(client_for, two_patients):
    """From outside: the physio's list is cached; the patient PUTs this morning's pain; the
    next list shows it."""
    patient, _other = two_patients
    physio_client = client_for(patient.physio.user)
    rows = {r["id"]: r for r in physio_client.get("/api/v1/patients/").json()}
    assert (rows[patient.pk]["status"], rows[patient.pk]["current"]) == ("improving", 4.4)
    response = client_for(patient.user).put(
        f"/api/v1/diary/{_today(patient).isoformat()}/", {"morning_pain": 10}, format="json"
    )
    assert response.status_code in (200, 201)
    rows = {r["id"]: r for r in physio_client.get("/api/v1/patients/").json()}
    assert (rows[patient.pk]["status"], rows[patient.pk]["current"]) == ("not_improving", 5.4)
    assert rows[patient.pk]["last_entry_on"] == _today(patient).isoformat()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_lists_and_writes_at_once_leave_a_true_list(library):
    """Physios' lists (each in its own order) and patients' diary writes and ticks, all at
    once on their own connections: nothing fails, and the list afterwards is what computing
    afresh says."""
    from .concurrency import run_concurrently

    physio = PhysioFactory()
    patients = []
    for number in range(40):
        patient = PatientFactory(physio=physio)
        patients.append(patient)
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
            patient = patients[rng.randrange(len(patients))]
            if n % 3 == 0:
                day = _today(patient) - timedelta(days=rng.randint(0, 1))
                diary_put(patient=patient, day=day, morning_pain=rng.randint(0, 10))
            elif n % 3 == 1:
                completion_record(
                    patient=patient, item=_item(patient), day=_today(patient), sets_done=1
                )
            else:
                progress_cache.list_values(
                    list(
                        PatientProfile.objects.select_related("user").filter(
                            pk__in=rng.sample(ids, len(ids))
                        )
                    )
                )
        return "done"

    assert run_concurrently(work, 6) == ["done"] * 6
    assert _listed(ids) == _fresh(ids)
