from datetime import UTC, datetime, time

import pytest
import time_machine

from reminders.messages import unsubscribe_url
from reminders.models import Notification, PushSubscription
from reminders.services import schedule_for
from tests.concurrency import run_concurrently
from tests.factories import PatientFactory

ENDPOINT = "https://fcm.googleapis.com/fcm/send/abc123"
KEYS = {
    "p256dh": (
        "BNcRdreALRFXTkOOUHK1EtK2wtaz5Ry4YfYCA_0QTpQtUbVlUls0VJXg7A8u-Ts1XbjhazAkj7I99e8QcYP7DkM"
    ),
    "auth": "tBHItJI5svbpez7KI4CCXg",
}


def test_default_schedule_and_update(client_for, patient):
    client = client_for(patient.user)
    with time_machine.travel(datetime(2026, 1, 9, 12, 0, tzinfo=UTC)):
        body = client.get("/api/v1/reminders/").json()
        assert body == {
            "enabled": True,
            "time": "07:30",
            "weekdays": [0, 1, 2, 3, 4, 5, 6],
            "channels": ["push", "email"],
            "next_due_at": "2026-01-10T06:30:00Z",
        }
        updated = client.put(
            "/api/v1/reminders/",
            {"enabled": True, "time": "06:45", "weekdays": [4, 0, 0], "channels": ["email"]},
            format="json",
        ).json()
    assert updated["weekdays"] == [0, 4] and updated["time"] == "06:45"
    assert updated["next_due_at"] == "2026-01-12T05:45:00Z"  # Monday 06:45 in Copenhagen
    assert schedule_for(patient).local_time == time(6, 45)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"enabled": True, "time": "25:00", "weekdays": [0], "channels": ["push"]}, "time"),
        ({"enabled": True, "time": "07:30", "weekdays": [7], "channels": ["push"]}, "weekdays"),
        ({"enabled": True, "time": "07:30", "weekdays": [], "channels": ["push"]}, "weekdays"),
        ({"enabled": True, "time": "07:30", "weekdays": [1], "channels": ["sms"]}, "channels"),
        ({"enabled": True, "time": "07:30", "weekdays": [1], "channels": []}, "channels"),
        ({"time": "07:30", "weekdays": [1], "channels": ["push"]}, "enabled"),
    ],
)
def test_bad_schedules_are_400(client_for, patient, body, field):
    response = client_for(patient.user).put("/api/v1/reminders/", body, format="json")
    assert response.status_code == 400 and field in response.json()


def test_disabling_clears_the_next_due_time(client_for, patient):
    body = (
        client_for(patient.user)
        .put(
            "/api/v1/reminders/",
            {"enabled": False, "time": "07:30", "weekdays": [], "channels": []},
            format="json",
        )
        .json()
    )
    assert body["next_due_at"] is None


def test_push_subscription_lifecycle(client_for, patient):
    client = client_for(patient.user)
    subscription = {"endpoint": ENDPOINT, "keys": KEYS, "expirationTime": None}
    assert (
        client.post("/api/v1/push-subscriptions/", subscription, format="json").status_code == 201
    )
    assert (
        client.post("/api/v1/push-subscriptions/", subscription, format="json").status_code == 200
    )
    second = {"endpoint": ENDPOINT + "-phone2", "keys": KEYS}
    assert client.post("/api/v1/push-subscriptions/", second, format="json").status_code == 201
    assert patient.push_subscriptions.count() == 2
    assert client.delete(f"/api/v1/push-subscriptions/?endpoint={ENDPOINT}").status_code == 204
    assert client.delete(f"/api/v1/push-subscriptions/?endpoint={ENDPOINT}").status_code == 404
    assert client.delete("/api/v1/push-subscriptions/").status_code == 400
    assert list(PushSubscription.objects.values_list("endpoint", flat=True)) == [
        ENDPOINT + "-phone2"
    ]


OTHER_KEYS = {
    "p256dh": (
        "BOTHERdreALRFXTkOOUHK1EtK2wtaz5Ry4YfYCA_0QTpQtUbVlUls0VJXg7A8u-Ts1XbjhazAkj7I99e8QcYP7DkM"
    ),
    "auth": "otherJI5svbpez7KI4CCXg",
}


def test_another_patients_endpoint_is_refused_not_taken_over(client_for, patient, physio):
    """The attack: a patient who learns another's endpoint posts it with keys of their own,
    and the subscription (and with it the other's reminders) became theirs."""
    victim = client_for(patient.user)
    assert (
        victim.post(
            "/api/v1/push-subscriptions/", {"endpoint": ENDPOINT, "keys": KEYS}, format="json"
        ).status_code
        == 201
    )
    attacker = PatientFactory(physio=physio)
    response = client_for(attacker.user).post(
        "/api/v1/push-subscriptions/", {"endpoint": ENDPOINT, "keys": OTHER_KEYS}, format="json"
    )
    assert response.status_code == 409
    assert response.json() == {"endpoint": ["Dette push-abonnement tilhører en anden konto."]}
    subscription = PushSubscription.objects.get(endpoint=ENDPOINT)
    assert subscription.patient == patient
    assert (subscription.p256dh, subscription.auth) == (KEYS["p256dh"], KEYS["auth"])
    assert not attacker.push_subscriptions.exists()
    # Nor can the attacker remove it.
    attacker_client = client_for(attacker.user)
    assert (
        attacker_client.delete(f"/api/v1/push-subscriptions/?endpoint={ENDPOINT}").status_code
        == 404
    )
    assert PushSubscription.objects.filter(endpoint=ENDPOINT, patient=patient).exists()


def test_the_same_patient_reposting_updates_the_keys(client_for, patient):
    client = client_for(patient.user)
    client.post("/api/v1/push-subscriptions/", {"endpoint": ENDPOINT, "keys": KEYS}, format="json")
    response = client.post(
        "/api/v1/push-subscriptions/", {"endpoint": ENDPOINT, "keys": OTHER_KEYS}, format="json"
    )
    assert response.status_code == 200
    subscription = PushSubscription.objects.get(endpoint=ENDPOINT)
    assert (subscription.p256dh, subscription.auth) == (OTHER_KEYS["p256dh"], OTHER_KEYS["auth"])
    assert subscription.patient == patient


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_patients_racing_for_one_new_endpoint_one_wins(physio):
    """Both post the same new endpoint at once: exactly one gets it, the other a 409, no 500."""
    from rest_framework.test import APIClient

    patients = [PatientFactory(physio=physio) for _ in range(4)]

    def post(n):
        client = APIClient()
        client.force_login(patients[n].user)
        body = {"endpoint": ENDPOINT + "-race", "keys": KEYS}
        return client.post("/api/v1/push-subscriptions/", body, format="json").status_code

    statuses = run_concurrently(post, len(patients))
    assert sorted(statuses) == [201, 409, 409, 409]
    owner = PushSubscription.objects.get(endpoint=ENDPOINT + "-race").patient
    assert owner == patients[statuses.index(201)]


@pytest.mark.parametrize(
    "endpoint",
    [
        "http://fcm.googleapis.com/fcm/send/x",  # not https
        "https://169.254.169.254/latest/meta-data",  # not a push service
        "https://fcm.googleapis.com.evil.example/x",
        "https://127.0.0.1:5432/",
    ],
)
def test_endpoints_must_be_known_push_services(client_for, patient, endpoint):
    response = client_for(patient.user).post(
        "/api/v1/push-subscriptions/", {"endpoint": endpoint, "keys": KEYS}, format="json"
    )
    assert response.status_code == 400 and "endpoint" in response.json()


@pytest.mark.parametrize(
    "keys", [{}, {"p256dh": "short", "auth": KEYS["auth"]}, {"p256dh": KEYS["p256dh"]}]
)
def test_bad_keys_are_400(client_for, patient, keys):
    response = client_for(patient.user).post(
        "/api/v1/push-subscriptions/", {"endpoint": ENDPOINT, "keys": keys}, format="json"
    )
    assert response.status_code == 400 and "keys" in response.json()


def test_public_key(client_for, patient, settings):
    body = client_for(patient.user).get("/api/v1/push/public-key/").json()
    assert len(body["public_key"]) == 87 and body["public_key"].startswith("B")
    settings.VAPID_PRIVATE_KEY = ""
    assert client_for(patient.user).get("/api/v1/push/public-key/").status_code == 503


def test_unsubscribe_link_works_without_logging_in(client, patient):
    url = unsubscribe_url(patient.pk).replace("http://127.0.0.1:8000", "")
    assert client.get(url).status_code == 200
    assert "email" in schedule_for(patient).channels  # a GET alone changes nothing
    assert client.post(url).status_code == 200
    assert schedule_for(patient).channels == ["push"]
    assert client.get("/reminders/unsubscribe/forged-token/").status_code == 404


def test_physio_nudge_once_a_day(client_for, physio, patient):
    client = client_for(physio.user)
    assert client.post(f"/api/v1/patients/{patient.pk}/nudge/").status_code == 201
    assert client.post(f"/api/v1/patients/{patient.pk}/nudge/").status_code == 200
    assert Notification.objects.filter(kind="nudge").count() == 1


def test_nudge_outside_care_is_404(client_for, patient):
    from .factories import PhysioFactory

    stranger = PhysioFactory()
    assert (
        client_for(stranger.user).post(f"/api/v1/patients/{patient.pk}/nudge/").status_code == 404
    )
