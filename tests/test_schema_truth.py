"""The mismatches between the OpenAPI schema and the server that schemathesis 4 found
(`--checks all`, positive and negative data, as a patient and as a physio), each tried from
outside over HTTP: what the schema says, and that the server does exactly that.
tests/test_schema_fuzz.py keeps fuzzing every operation; these pin the cases it found.
"""

from __future__ import annotations

import re

import pytest
from drf_spectacular.generators import SchemaGenerator

from reminders.models import ReminderSchedule

SCHEMA = SchemaGenerator().get_schema(request=None, public=True)
COMPONENTS = SCHEMA["components"]["schemas"]


def parameter(path: str, method: str, name: str) -> dict:
    return next(p for p in SCHEMA["paths"][path][method]["parameters"] if p["name"] == name)


@pytest.fixture
def patient_client(client_for, patient):
    return client_for(patient.user)


@pytest.mark.parametrize(
    ("method", "url", "body"),
    [
        ("get", "/api/v1/diary/0/", None),
        ("put", "/api/v1/diary/0/", {"morning_pain": 3}),
        ("delete", "/api/v1/diary/2026-13-01/", None),
    ],
)
def test_a_day_in_the_path_is_a_date(patient_client, method, url, body):
    assert parameter("/api/v1/diary/{day}/", method, "day")["schema"]["format"] == "date"
    response = getattr(patient_client, method)(url, body, format="json")
    assert response.status_code == 400 and "date" in response.json()


def test_completion_day_is_a_date(patient_client):
    path = "/api/v1/completions/{day}/{item_id}/"
    assert parameter(path, "put", "day")["schema"]["format"] == "date"
    response = patient_client.put("/api/v1/completions/x/1/", {"sets_done": 1}, format="json")
    assert response.status_code == 400 and "date" in response.json()


@pytest.mark.parametrize("value", ["AAA", "", "JSON"])
def test_export_refuses_an_unknown_format(patient_client, value):
    assert set(parameter("/api/v1/export/", "get", "as")["schema"]["enum"]) == {
        "json",
        "csv",
        "fhir",
    }
    response = patient_client.get("/api/v1/export/", {"as": value})
    assert response.status_code == 400 and "as" in response.json()
    assert patient_client.get("/api/v1/export/", {"as": "csv"})["Content-Type"].startswith(
        "text/csv"
    )


def test_a_time_zone_is_one_the_schema_lists(patient_client, patient):
    zones = COMPONENTS["PatchedMeRequest"]["properties"]["timezone"]
    enum = COMPONENTS[zones["$ref"].rsplit("/", 1)[1]]["enum"] if "$ref" in zones else zones["enum"]
    assert "Europe/Copenhagen" in enum and "Asia/Tokyo" in enum and "0" not in enum
    response = patient_client.patch("/api/v1/me/", {"timezone": "0"}, format="json")
    assert response.status_code == 400 and "timezone" in response.json()
    response = patient_client.patch("/api/v1/me/", {"timezone": "Asia/Tokyo"}, format="json")
    assert response.status_code == 200 and response.json()["timezone"] == "Asia/Tokyo"


@pytest.mark.parametrize("enabled", [0, 1, "true", "yes", None])
def test_a_boolean_is_true_or_false(patient_client, patient, enabled):
    body = {"enabled": enabled, "time": "07:30", "weekdays": [0], "channels": ["email"]}
    response = patient_client.put("/api/v1/reminders/", body, format="json")
    assert response.status_code == 400 and "enabled" in response.json()
    assert not ReminderSchedule.objects.filter(patient=patient, enabled=False).exists()
    body["enabled"] = False
    assert patient_client.put("/api/v1/reminders/", body, format="json").status_code == 200


def test_text_is_a_string(client_for, physio):
    body = {"email": "new@example.org", "name": 0}
    response = client_for(physio.user).post("/api/v1/invitations/", body, format="json")
    assert response.status_code == 400 and "name" in response.json()


def test_the_schema_says_which_text_is_refused(client_for, physio):
    """No NUL character and not only white space: in the schema's pattern and at the server."""
    pattern = COMPONENTS["InvitationCreateRequest"]["properties"]["name"]["pattern"]
    client = client_for(physio.user)
    for name in ["\x0b", " \u3000 ", "a\x00b"]:
        assert not re.search(pattern, name)
        body = {"email": "new@example.org", "name": name}
        response = client.post("/api/v1/invitations/", body, format="json")
        assert response.status_code == 400 and "name" in response.json(), name
    assert re.search(pattern, " Ny patient ")


@pytest.mark.parametrize("query", ["status=", "flag=", "status=better"])
def test_patient_list_filters_refuse_unknown_values(client_for, physio, query):
    response = client_for(physio.user).get(f"/api/v1/patients/?{query}")
    assert response.status_code == 400


def test_an_empty_page_number_is_no_page(patient_client):
    assert patient_client.get("/api/v1/access-log/?page=").status_code == 404
    assert patient_client.get("/api/v1/access-log/?page=1").status_code == 200


def test_checkin_answers_name_every_red_flag_and_nothing_else(patient_client):
    from diary.red_flags import RED_FLAGS

    answers = COMPONENTS["CheckinInputRequest"]["properties"]["answers"]
    codes = [flag.code for flag in RED_FLAGS]
    assert answers["required"] == codes and answers["additionalProperties"] is False
    all_no = dict.fromkeys(codes, False)
    for body in [all_no | {"extra": False}, all_no | {codes[0]: 0}]:
        response = patient_client.post("/api/v1/checkins/", {"answers": body}, format="json")
        assert response.status_code == 400 and "answers" in response.json(), body


def test_push_endpoint_pattern_is_the_servers_allow_list(patient_client):
    pattern = COMPONENTS["SubscriptionRequest"]["properties"]["endpoint"]["pattern"]
    keys = {"p256dh": "B" + "A" * 86, "auth": "A" * 22}
    for endpoint, allowed in [
        ("https://fcm.googleapis.com/fcm/send/abc:def", True),
        ("https://web.push.apple.com/QD?x=1", True),
        ("https://fcm.googleapis.com##x", False),
        ("https://vv.-.push.apple.com/x", False),
        ("https://evil.example/fcm.googleapis.com", False),
        ("http://fcm.googleapis.com/x", False),
    ]:
        assert bool(re.search(pattern, endpoint)) == allowed, endpoint
        response = patient_client.post(
            "/api/v1/push-subscriptions/", {"endpoint": endpoint, "keys": keys}, format="json"
        )
        assert (response.status_code in (200, 201)) == allowed, (endpoint, response.content)


def test_confirm_adult_must_be_true():
    schema = COMPONENTS["InvitationAcceptRequest"]["properties"]["confirm_adult"]
    [ref] = schema["allOf"]
    assert COMPONENTS[ref["$ref"].rsplit("/", 1)[1]]["enum"] == [True]


def test_exercise_slug_has_the_servers_shape(client_for, physio, patient, library):
    item = COMPONENTS["ProgrammeItemInputRequest"]["properties"]["exercise"]
    assert not re.search(item["pattern"], "") and re.search(item["pattern"], "heel-raise")
    body = {"name": "X", "starts_on": "2026-01-01", "items": [{"exercise": ""}]}
    response = client_for(physio.user).post(
        f"/api/v1/patients/{patient.pk}/programme/", body, format="json"
    )
    assert response.status_code == 400 and "items" in response.json()
