"""Small promises of api.md that fuzzing found broken: clear 400s instead of 500s and 503s,
HH:MM times, a probe-friendly /healthz, a 2FA set-up page that does not pile up devices."""

import pytest
from django.db import DataError
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.test import APIRequestFactory

from common.api import exception_handler

from .factories import PatientFactory

# --- /healthz ---------------------------------------------------------------------------------


def test_healthz_answers_head(client, db):
    response = client.head("/healthz")
    assert response.status_code == 200
    assert response.content == b""


def test_healthz_unavailable_says_when_to_retry(client, db, settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"


# --- two-step log-in set-up -------------------------------------------------------------------


def test_setup_page_reuses_the_unconfirmed_device(client, physio, settings):
    settings.REQUIRE_2FA = True
    client.force_login(physio.user)
    first = client.get("/account/2fa/setup/")
    second = client.get("/account/2fa/setup/")
    assert first.status_code == second.status_code == 200
    devices = TOTPDevice.objects.filter(user=physio.user)
    assert devices.count() == 1 and not devices.get().confirmed
    # The same secret on both visits: a QR code scanned on the first still works.
    assert first.context["secret"] == second.context["secret"]


# --- reminders: HH:MM ---------------------------------------------------------------------


@pytest.mark.parametrize("time", ["7:30", "07:30:00", "24:00", "07:60", "0730", 730])
def test_reminder_time_is_exactly_hh_mm(client_for, patient, time):
    client = client_for(patient.user)
    body = {"enabled": True, "time": time, "weekdays": [0], "channels": ["email"]}
    response = client.put("/api/v1/reminders/", body, format="json")
    assert response.status_code == 400
    assert list(response.json()) == ["time"]


def test_reminder_time_round_trips_as_hh_mm(client_for, patient):
    client = client_for(patient.user)
    body = {"enabled": True, "time": "21:05", "weekdays": [6], "channels": ["email"]}
    response = client.put("/api/v1/reminders/", body, format="json")
    assert response.status_code == 200 and response.json()["time"] == "21:05"


# --- push subscriptions: the query parameter ------------------------------------------------


@pytest.mark.parametrize("query", ["", "?endpoint=", "?endpoint=" + "x" * 1001])
def test_unsubscribe_without_a_usable_endpoint_names_it(client_for, patient, query):
    response = client_for(patient.user).delete("/api/v1/push-subscriptions/" + query)
    assert response.status_code == 400
    assert list(response.json()) == ["endpoint"]


# --- exercises by slug ------------------------------------------------------------------------


@pytest.mark.parametrize("exercise", ["a\x00b", "not a slug", 7, None, ["heel-raise"], "x" * 61])
def test_an_exercise_that_is_no_slug_is_a_400_naming_it(client_for, assign, exercise):
    patient = PatientFactory()
    client = client_for(patient.physio.user)
    body = {"slug": "mine", "name_da": "Min", "items": [{"exercise": exercise}]}
    response = client.post("/api/v1/programme-templates/", body, format="json")
    assert response.status_code == 400, response.content[:200]
    assert response.json()["items"]["0"]["exercise"]  # DRF names a list's items by position


# --- the last line of defence -----------------------------------------------------------------


def test_a_nul_character_refused_by_the_database_is_a_400_not_a_503():
    request = APIRequestFactory().get("/")
    nul = DataError("PostgreSQL text fields cannot contain NUL (0x00) bytes")
    response = exception_handler(nul, {"request": request})
    assert response.status_code == 400 and list(response.data) == ["detail"]
    other = exception_handler(DataError("value too long"), {"request": request})
    assert other.status_code == 503


# --- red-flag check-ins -----------------------------------------------------------------------


def test_an_unknown_red_flag_code_is_named_in_the_users_language(client_for, patient):
    patient.user.language = "en"
    patient.user.save(update_fields=["language"])
    response = client_for(patient.user).post(
        "/api/v1/checkins/", {"answers": {"no-such-question": True}}, format="json"
    )
    assert response.status_code == 400
    assert response.json() == {"answers": ["Unknown question code(s): no-such-question."]}


def test_an_unknown_exercise_is_named(client_for, assign):
    patient = PatientFactory()
    patient.physio.user.language = "en"
    patient.physio.user.save(update_fields=["language"])
    client = client_for(patient.physio.user)
    body = {"slug": "mine", "name_da": "Min", "items": [{"exercise": "no-such-exercise"}]}
    response = client.post("/api/v1/programme-templates/", body, format="json")
    assert response.status_code == 400
    assert response.json() == {
        "items": {"0": {"exercise": ["There is no exercise called no-such-exercise."]}}
    }
