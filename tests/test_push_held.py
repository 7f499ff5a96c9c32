"""A patient's pages list the push subscriptions the server holds for them (`data-push`), so
that app.js sends the browser's only when the server does not hold it as it is
(tests/browser/test_push_renewal.py checks the script against this list)."""

import hashlib
import re

import pytest

from reminders.models import PushSubscription

from .factories import PatientFactory

pytestmark = pytest.mark.django_db

KEY = "B" + "A" * 86


def listed(client, path="/") -> list[str] | None:
    response = client.get(path)
    assert response.status_code == 200, path
    match = re.search(r'data-push="([^"]*)"', response.content.decode())
    return match.group(1).split() if match else None


def name(endpoint, p256dh, auth):
    return hashlib.sha256(f"{endpoint}\n{p256dh}\n{auth}".encode()).hexdigest()[:20]


def test_the_pages_list_this_patients_subscriptions_only(client_for, patient, physio):
    other = PatientFactory()
    mine = [("https://fcm.googleapis.com/fcm/send/a", KEY, "a" * 22)]
    mine.append(("https://updates.push.services.mozilla.com/wpush/v2/b", KEY, "b" * 22))
    for endpoint, p256dh, auth in mine:
        PushSubscription.objects.create(
            patient=patient, endpoint=endpoint, p256dh=p256dh, auth=auth
        )
    PushSubscription.objects.create(
        patient=other, endpoint="https://fcm.googleapis.com/fcm/send/c", p256dh=KEY, auth="c" * 22
    )
    client = client_for(patient.user)
    for path in ("/", "/progress/", "/settings/"):
        assert sorted(listed(client, path)) == sorted(name(*row) for row in mine), path
    assert listed(client_for(other.user)) == [
        name("https://fcm.googleapis.com/fcm/send/c", KEY, "c" * 22)
    ]
    # No subscription: an empty list, so the script sends the browser's.
    assert listed(client_for(PatientFactory().user)) == []
    # Not on a physiotherapist's pages.
    assert listed(client_for(physio.user), "/") is None
