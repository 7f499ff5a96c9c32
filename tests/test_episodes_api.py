"""The episode API (api.md, "Added for the second round") and the episode section of the pages:
who may use what, the answers' shapes, the 400s by field, the access log, the forms."""

from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from rest_framework.test import APIClient

from accounts.models import AccessRecord
from care.models import Episode, EpisodeReview
from care.services import episode_close, episode_open

from .conftest import verified_login
from .factories import ClinicFactory, PatientFactory, PhysioFactory

TODAY = date(2026, 3, 2)
NOON = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOON, tick=False):
        yield


@pytest.fixture
def episode(patient):
    return episode_open(
        actor=patient.physio.user,
        patient=patient,
        starts_on=TODAY - timedelta(days=43),  # day 44: week 7
        condition="plantar_fasciitis",
        heels=["right"],
        reason="",
    )


def _url(patient, episode=None, tail=""):
    base = f"/api/v1/patients/{patient.pk}/episodes/"
    return base if episode is None else f"{base}{episode.pk}/{tail}"


# --- the patient ----------------------------------------------------------------------------


def test_the_patient_reads_their_current_episode(client_for, patient, episode):
    response = client_for(patient.user).get("/api/v1/episodes/current/")
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    assert response.json() == {
        "id": episode.pk,
        "starts_on": "2026-01-18",
        "week": 7,
        "condition": "plantar_fasciitis",
        "heels": ["right"],
        "physio": {"name": patient.physio.user.name},
        "reason": "",
        "reviews": [],
        "closed_on": None,
        "outcome": None,
        "close_note": "",
    }
    # The patient's own read is not in their access log.
    assert not AccessRecord.objects.filter(action="read").exists()


def test_the_patient_without_an_episode_gets_404(client_for, patient):
    assert client_for(patient.user).get("/api/v1/episodes/current/").status_code == 404


def test_a_closed_episode_stays_the_current_one_and_its_week_stops(client_for, patient, episode):
    episode_close(
        actor=patient.physio.user,
        episode=episode,
        closed_on=TODAY - timedelta(days=22),  # day 22: week 4
        outcome="recovered",
    )
    body = client_for(patient.user).get("/api/v1/episodes/current/").json()
    assert (body["closed_on"], body["outcome"], body["week"]) == ("2026-02-08", "recovered", 4)


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/api/v1/episodes/current/"),
        ("get", "PATIENT/episodes/"),
        ("post", "PATIENT/episodes/"),
        ("patch", "EPISODE/"),
        ("post", "EPISODE/reviews/"),
        ("post", "EPISODE/close/"),
    ],
)
def test_anonymous_callers_get_401(patient, episode, method, path):
    path = path.replace("PATIENT", f"/api/v1/patients/{patient.pk}").replace(
        "EPISODE", f"/api/v1/patients/{patient.pk}/episodes/{episode.pk}"
    )
    response = getattr(APIClient(), method)(path, {}, format="json")
    assert response.status_code == 401


def test_the_patients_endpoints_are_refused_to_the_other_role(client_for, patient, episode):
    assert client_for(patient.physio.user).get("/api/v1/episodes/current/").status_code == 403
    patient_client = client_for(patient.user)
    assert patient_client.get(_url(patient)).status_code == 403
    body = {"kind": "week_6_review"}
    assert patient_client.post(_url(patient, episode, "reviews/"), body).status_code == 403


# --- the physio ---------------------------------------------------------------------------


def test_the_physio_lists_the_episodes_newest_first_and_the_read_is_logged(
    client_for, patient, episode
):
    episode_close(actor=patient.physio.user, episode=episode, closed_on=TODAY, outcome="stopped")
    later = episode_open(
        actor=patient.physio.user,
        patient=patient,
        starts_on=TODAY,
        condition="heel_bursitis",
        heels=["left", "right"],
        reason="the other foot",
    )
    AccessRecord.objects.all().delete()
    response = client_for(patient.physio.user).get(_url(patient))
    assert response.status_code == 200
    assert [row["id"] for row in response.json()] == [later.pk, episode.pk]
    assert response.json()[0]["heels"] == ["left", "right"]
    record = AccessRecord.objects.get()
    assert (record.action, record.what, record.actor) == ("read", "episode", patient.physio.user)


def test_the_physio_opens_an_episode(client_for, patient):
    body = {
        "starts_on": TODAY.isoformat(),
        "condition": "fat_pad",
        "heels": ["left"],
        "reason": "",
    }
    response = client_for(patient.physio.user).post(_url(patient), body, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["week"] == 1 and response.json()["heels"] == ["left"]
    assert Episode.objects.get(patient=patient).condition == "fat_pad"
    assert AccessRecord.objects.filter(patient=patient, action="write", what="episode").exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"heels": []}, "heels"),
        ({"heels": ["middle"]}, "heels"),
        ({"heels": ["left", "left"]}, "heels"),
        ({"condition": "flat_feet"}, "condition"),
        ({"starts_on": "2026-02-30"}, "starts_on"),
        ({"starts_on": "2027-01-01"}, "starts_on"),  # more than 90 days ahead
        ({"reason": 7}, "reason"),
    ],
)
def test_opening_refuses_bad_input_naming_the_field(client_for, patient, body, field):
    valid = {"starts_on": TODAY.isoformat(), "condition": "fat_pad", "heels": ["left"]}
    response = client_for(patient.physio.user).post(_url(patient), {**valid, **body}, format="json")
    assert response.status_code == 400 and field in response.json(), response.content
    assert not Episode.objects.exists() and not AccessRecord.objects.exists()


def test_opening_while_one_is_open_is_400_and_a_new_one_needs_a_reason(
    client_for, patient, episode
):
    client = client_for(patient.physio.user)
    body = {"starts_on": TODAY.isoformat(), "condition": "fat_pad", "heels": ["left"]}
    response = client.post(_url(patient), body, format="json")
    assert response.status_code == 400 and "non_field_errors" in response.json()
    client.post(
        _url(patient, episode, "close/"),
        {"closed_on": TODAY.isoformat(), "outcome": "recovered"},
        format="json",
    )
    response = client.post(_url(patient), body, format="json")
    assert response.status_code == 400 and "reason" in response.json()
    response = client.post(_url(patient), {**body, "reason": "relapse"}, format="json")
    assert response.status_code == 201
    assert Episode.objects.filter(patient=patient).count() == 2


def test_recording_the_reviews(client_for, patient, episode):
    client = client_for(patient.physio.user)
    AccessRecord.objects.all().delete()
    response = client.post(
        _url(patient, episode, "reviews/"), {"kind": "week_6_review", "note": "kept"}, format="json"
    )
    assert response.status_code == 201, response.content
    assert response.json()["kind"] == "week_6_review" and response.json()["outcome"] is None
    assert response.json()["recorded_on"] == TODAY.isoformat()
    response = client.post(
        _url(patient, episode, "reviews/"),
        {"kind": "week_12_outcome", "outcome": "referred"},
        format="json",
    )
    assert response.status_code == 201 and response.json()["outcome"] == "referred"
    reviews = client_for(patient.user).get("/api/v1/episodes/current/").json()["reviews"]
    assert [(r["kind"], r["outcome"]) for r in reviews] == [
        ("week_6_review", None),
        ("week_12_outcome", "referred"),
    ]
    assert AccessRecord.objects.filter(action="write", what="episode").count() == 2


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"kind": "week_12_outcome"}, "outcome"),
        ({"kind": "week_12_outcome", "outcome": "better"}, "outcome"),
        ({"kind": "week_6_review", "outcome": "referred"}, "outcome"),
        ({"kind": "week_9"}, "kind"),
        ({}, "kind"),
    ],
)
def test_reviews_refuse_bad_input_naming_the_field(client_for, patient, episode, body, field):
    response = client_for(patient.physio.user).post(
        _url(patient, episode, "reviews/"), body, format="json"
    )
    assert response.status_code == 400 and field in response.json(), response.content
    assert not EpisodeReview.objects.exists()


def test_a_review_twice_or_on_a_closed_episode_is_400(client_for, patient, episode):
    client = client_for(patient.physio.user)
    url = _url(patient, episode, "reviews/")
    assert client.post(url, {"kind": "week_6_review"}, format="json").status_code == 201
    response = client.post(url, {"kind": "week_6_review"}, format="json")
    assert response.status_code == 400 and "kind" in response.json()
    episode_close(actor=patient.physio.user, episode=episode, closed_on=TODAY, outcome="stopped")
    response = client.post(url, {"kind": "week_12_outcome", "outcome": "declined"}, format="json")
    assert response.status_code == 400 and "non_field_errors" in response.json()
    assert EpisodeReview.objects.count() == 1


def test_closing(client_for, patient, episode):
    client = client_for(patient.physio.user)
    body = {"closed_on": TODAY.isoformat(), "outcome": "transferred", "note": "moved"}
    response = client.post(_url(patient, episode, "close/"), body, format="json")
    assert response.status_code == 200, response.content
    assert (response.json()["outcome"], response.json()["close_note"]) == ("transferred", "moved")
    response = client.post(_url(patient, episode, "close/"), body, format="json")
    assert response.status_code == 400 and "non_field_errors" in response.json()
    episode.refresh_from_db()
    assert episode.outcome == "transferred"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"closed_on": "2026-01-17", "outcome": "recovered"}, "closed_on"),  # before the start
        ({"closed_on": "2026-03-03", "outcome": "recovered"}, "closed_on"),  # tomorrow
        ({"closed_on": "2026-03-02", "outcome": "cured"}, "outcome"),
        ({"outcome": "recovered"}, "closed_on"),
    ],
)
def test_closing_refuses_bad_input_naming_the_field(client_for, patient, episode, body, field):
    response = client_for(patient.physio.user).post(
        _url(patient, episode, "close/"), body, format="json"
    )
    assert response.status_code == 400 and field in response.json(), response.content
    episode.refresh_from_db()
    assert episode.is_open


def test_setting_the_heels(client_for, patient, episode):
    client = client_for(patient.physio.user)
    response = client.patch(_url(patient, episode), {"heels": ["left", "right"]}, format="json")
    assert response.status_code == 200 and response.json()["heels"] == ["left", "right"]
    response = client.patch(_url(patient, episode), {"heels": []}, format="json")
    assert response.status_code == 400 and "heels" in response.json()
    episode.refresh_from_db()
    assert (episode.heel_left, episode.heel_right) == (True, True)


# --- another clinic, another patient, a colleague --------------------------------------------


def test_another_physio_gets_404_for_every_episode_endpoint_and_nothing_is_written(
    client_for, patient, episode
):
    other_clinic = PhysioFactory(clinic=ClinicFactory())
    colleague = PhysioFactory(clinic=patient.clinic)  # same clinic, not in their care
    for physio in (other_clinic, colleague):
        client = client_for(physio.user)
        assert client.get(_url(patient)).status_code == 404
        body = {"starts_on": TODAY.isoformat(), "condition": "fat_pad", "heels": ["left"]}
        assert client.post(_url(patient), body, format="json").status_code == 404
        assert client.patch(_url(patient, episode), {"heels": ["left"]}).status_code == 404
        review = {"kind": "week_6_review"}
        assert client.post(_url(patient, episode, "reviews/"), review).status_code == 404
        close = {"closed_on": TODAY.isoformat(), "outcome": "recovered"}
        assert client.post(_url(patient, episode, "close/"), close).status_code == 404
    assert not EpisodeReview.objects.exists()
    assert Episode.objects.get().is_open
    assert not AccessRecord.objects.exclude(actor=patient.physio.user).exists()


def test_another_patients_episode_under_this_patient_is_404(client_for, patient, episode):
    other = PatientFactory(physio=patient.physio)
    response = client_for(patient.physio.user).post(
        _url(other, episode, "reviews/"), {"kind": "week_6_review"}
    )
    assert response.status_code == 404
    assert not EpisodeReview.objects.exists()


def test_another_patient_sees_only_their_own_episode(client_for, patient, episode):
    other = PatientFactory()
    assert client_for(other.user).get("/api/v1/episodes/current/").status_code == 404


# --- the pages -------------------------------------------------------------------------------


@pytest.fixture
def physio_page(client, patient):
    verified_login(client, patient.physio.user)
    return client


def _page(patient):
    return f"/patients/{patient.pk}/"


def test_the_physio_page_shows_the_episode_and_logs_the_read(physio_page, patient, assign):
    assign(patient, starts_on=TODAY - timedelta(days=8))
    AccessRecord.objects.all().delete()
    response = physio_page.get(_page(patient))
    assert response.status_code == 200
    text = response.content.decode()
    assert 'id="episode-heading"' in text
    assert "hæl ikke registreret" in text  # no heel known yet (Danish, the default)
    assert f"/patients/{patient.pk}/episodes/" in text
    assert AccessRecord.objects.filter(patient=patient, what="episode", action="read").exists()


def test_the_physio_records_the_week_6_review_on_the_page(physio_page, patient, episode):
    url = f"/patients/{patient.pk}/episodes/{episode.pk}/reviews/week_6_review/"
    response = physio_page.post(url, {"note": "plan kept"})
    assert response.status_code == 302
    assert response["Location"] == f"/patients/{patient.pk}/#episode-heading"
    review = EpisodeReview.objects.get()
    assert (review.kind, review.note, review.recorded_by) == (
        "week_6_review",
        "plan kept",
        patient.physio.user,
    )
    # Once recorded, its form is gone from the page.
    assert url not in physio_page.get(_page(patient)).content.decode()


def _refused(client, url, data) -> str:
    """POST a form that is refused: back to the page (no read logged for the refused POST),
    which shows the form again with its errors, once."""
    reads = AccessRecord.objects.count()
    response = client.post(url, data)
    assert response.status_code == 302 and response["Location"].endswith("#episode-heading")
    assert AccessRecord.objects.count() == reads
    return client.get(response["Location"]).content.decode()


def test_a_refused_form_comes_back_with_the_error_beside_the_field(physio_page, patient, episode):
    url = f"/patients/{patient.pk}/episodes/{episode.pk}/close/"
    text = _refused(physio_page, url, {"closed_on": "2026-01-01", "outcome": "recovered"})
    assert 'id="id_closed_on-error"' in text
    assert "Forløbet kan ikke afsluttes, før det er startet." in text
    assert 'value="2026-01-01"' in text  # the input kept
    episode.refresh_from_db()
    assert episode.is_open
    # Shown once: the next visit has a fresh form.
    assert 'id="id_closed_on-error"' not in physio_page.get(_page(patient)).content.decode()


def test_the_week_12_form_needs_an_outcome(physio_page, patient, episode):
    url = f"/patients/{patient.pk}/episodes/{episode.pk}/reviews/week_12_outcome/"
    assert 'id="id_outcome-error"' in _refused(physio_page, url, {})
    assert physio_page.post(url, {"outcome": "improving"}).status_code == 302
    assert EpisodeReview.objects.get().outcome == "improving"


def test_an_unknown_review_kind_on_the_page_is_404(physio_page, patient, episode):
    url = f"/patients/{patient.pk}/episodes/{episode.pk}/reviews/week_9/"
    assert physio_page.post(url, {}).status_code == 404


def test_the_physio_opens_a_new_episode_on_the_page_after_closing(physio_page, patient, episode):
    close = f"/patients/{patient.pk}/episodes/{episode.pk}/close/"
    assert (
        physio_page.post(close, {"closed_on": "2026-03-01", "outcome": "recovered"}).status_code
        == 302
    )
    page = physio_page.get(_page(patient)).content.decode()
    assert f"/patients/{patient.pk}/episodes/open/" in page
    opened = {"starts_on": "2026-03-02", "condition": "heel_bursitis", "heels": ["left"]}
    assert 'id="id_reason-error"' in _refused(
        physio_page, f"/patients/{patient.pk}/episodes/open/", opened
    )
    response = physio_page.post(
        f"/patients/{patient.pk}/episodes/open/", {**opened, "reason": "the other foot"}
    )
    assert response.status_code == 302
    assert Episode.objects.filter(patient=patient).count() == 2


def test_the_heels_form_sets_them(physio_page, patient, episode):
    url = f"/patients/{patient.pk}/episodes/{episode.pk}/heels/"
    assert physio_page.post(url, {"heels": ["left", "right"]}).status_code == 302
    episode.refresh_from_db()
    assert episode.heels == ["left", "right"]
    assert 'id="id_heels-error"' in _refused(physio_page, url, {})


def test_another_physio_cannot_post_the_forms(client, patient, episode):
    verified_login(client, PhysioFactory(clinic=ClinicFactory()).user)
    url = f"/patients/{patient.pk}/episodes/{episode.pk}/reviews/week_6_review/"
    assert client.post(url, {}).status_code == 404
    assert not EpisodeReview.objects.exists()


def test_the_patient_sees_the_episode_on_the_progress_page(client, patient, episode):
    client.force_login(patient.user)
    response = client.get("/progress/")
    assert response.status_code == 200
    text = response.content.decode()
    assert 'id="episode-heading"' in text
    assert "2026-01-18" in text  # the start, in the time element
    assert patient.physio.user.name in text
