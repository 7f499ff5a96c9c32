"""Reads that grow with data must not grow in queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from .factories import PatientFactory


def _count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_patient_programme_is_constant_in_items(
    client_for, patient, library, django_assert_max_num_queries
):
    from exercises.models import Exercise
    from exercises.services import programme_assign

    client = client_for(patient.user)
    exercises = list(Exercise.objects.all())
    programme_assign(
        physio=patient.physio,
        patient=patient,
        starts_on=patient.user.local_today(),
        name="small",
        items=[{"exercise": e} for e in exercises[:2]],
    )
    small = _count(client, "/api/v1/programme/")
    programme_assign(
        physio=patient.physio,
        patient=patient,
        starts_on=patient.user.local_today(),
        name="big",
        items=[{"exercise": e} for e in exercises * 3],
    )
    with django_assert_max_num_queries(small):
        assert len(client.get("/api/v1/programme/").json()["items"]) == len(exercises) * 3


@pytest.mark.parametrize("extra", [20])
def test_physio_patient_list_is_constant_in_patients(
    client_for, physio, assign, django_assert_max_num_queries, extra
):
    client = client_for(physio.user)
    for _ in range(2):
        assign(PatientFactory(physio=physio))
    few = _count(client, "/api/v1/patients/")
    for _ in range(extra):
        assign(PatientFactory(physio=physio))
    with django_assert_max_num_queries(few):
        assert len(client.get("/api/v1/patients/").json()) == 2 + extra


def test_physio_patient_list_from_the_cache_is_constant_in_patients(client_for, physio, assign):
    """The second look at the list reads the rows from the cache (progress.cache): fewer
    queries than computing them, and as many for 2 patients as for 22."""
    client = client_for(physio.user)
    counts = []
    for patients in (2, 22):
        while physio.patients.count() < patients:
            assign(PatientFactory(physio=physio))
        cold = _count(client, "/api/v1/patients/")
        counts.append(_count(client, "/api/v1/patients/"))
        assert counts[-1] < cold
    assert counts[0] == counts[1]


def test_today_reads_the_episode_once_without_its_reviews(client_for, patient, assign):
    """Today asks three things of the current episode (the lessons' week, the heels, the
    questionnaires due): it reads it once, never its reviews (care.selectors.current_episode)."""
    from datetime import timedelta

    from care.models import Episode
    from care.services import episode_review_record

    assign(patient, starts_on=patient.user.local_today() - timedelta(days=50))
    episode = Episode.objects.get(patient=patient)
    episode_review_record(actor=patient.physio.user, episode=episode, kind="week_6_review")
    client = client_for(patient.user)
    client.get("/")  # the questionnaires due are made on the first view
    with CaptureQueriesContext(connection) as ctx:
        assert client.get("/").status_code == 200
    sqls = [q["sql"] for q in ctx.captured_queries]
    assert not [sql for sql in sqls if "care_episodereview" in sql]
    assert len([sql for sql in sqls if 'FROM "care_episode"' in sql]) == 1


def test_the_progress_page_reads_the_rules_and_programme_changes_once(client_for, patient, assign):
    """The advice, the summary and the page's chart read one assessment
    (progress.payload.assessed): its rules and the programme changes the chart marks are
    asked for once, also when the chart is drawn."""
    from datetime import timedelta

    assign(patient, starts_on=patient.user.local_today() - timedelta(days=20))
    client = client_for(patient.user)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get("/progress/")
    assert response.status_code == 200 and b"<svg" in response.content  # drawn, not cached
    sqls = [q["sql"] for q in ctx.captured_queries]
    assert len([sql for sql in sqls if "progress_assessmentsettings" in sql]) == 1
    changes = [sql for sql in sqls if '"exercises_programme"."name"' in sql]
    assert len(changes) == 1


def test_the_pages_of_the_programme_read_no_completions(client_for, patient, assign):
    """Today, Programme, the guide and the offline copy hold the programme only (what is done
    is asked of the API by their script), so they do not read the completions. The API still
    says what is done."""
    from datetime import timedelta

    from exercises.selectors import active_programme
    from exercises.services import completion_record

    assign(patient, starts_on=patient.user.local_today() - timedelta(days=20))
    item = active_programme(patient).items.first()
    completion_record(patient=patient, item=item, day=patient.user.local_today(), sets_done=1)
    client = client_for(patient.user)
    for url in ("/", "/programme/", "/today/guide/", "/programme.json"):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        sqls = [q["sql"] for q in ctx.captured_queries]
        assert not [sql for sql in sqls if "exercises_completion" in sql], url
    planned = client.get("/api/v1/programme/").json()["items"]
    assert [p["sessions_done"] for p in planned if p["id"] == item.pk] == [[1]]
