"""The send task's parts: the one-statement claim, the encryption, and a patient with more
than one device (one accepting, one withdrawn) through the real worker."""

import base64
import os
import time
from datetime import UTC, date, datetime, timedelta

import http_ece
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from diary.models import CheckIn
from reminders.dispatch import claim
from reminders.models import Notification, PushSubscription, ReminderSchedule
from reminders.sender import encrypt, origin
from reminders.services import reminders_tick, schedule_for

from .celery_worker import Worker
from .factories import PatientFactory
from .push_standin import StandInPushService


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def test_payload_is_encrypted_for_the_subscription_with_a_new_key_each_time():
    browser = ec.generate_private_key(ec.SECP256R1())
    p256dh = b64url(
        browser.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
    )
    auth = os.urandom(16)
    first, second = (encrypt(b'{"id":1}', p256dh, b64url(auth)) for _ in range(2))
    for body in (first, second):
        plain = http_ece.decrypt(body, private_key=browser, auth_secret=auth, version="aes128gcm")
        assert plain == b'{"id":1}'
    # aes128gcm header: salt (16), record size (4), key id length (1), key id = sender key.
    assert first[21:86] != second[21:86]


@pytest.mark.parametrize(
    ("endpoint", "expected"),
    [
        ("https://fcm.googleapis.com/fcm/send/abc", "https://fcm.googleapis.com"),
        ("http://127.0.0.1:8123/push/x", "http://127.0.0.1:8123"),
        ("https://web.push.apple.com", "https://web.push.apple.com"),
    ],
)
def test_vapid_audience_is_the_endpoints_origin(endpoint, expected):
    assert origin(endpoint) == expected


@pytest.mark.django_db
def test_claim_takes_each_queued_row_once_with_what_sending_needs():
    patient = PatientFactory(user__language="en")
    ReminderSchedule.objects.create(patient=patient, channels=["push"])
    subs = [
        PushSubscription.objects.create(
            patient=patient,
            endpoint=f"https://fcm.googleapis.com/fcm/send/{n}",
            p256dh="k",
            auth="a",
        )
        for n in range(2)
    ]
    now = datetime.now(UTC)
    queued = Notification.objects.create(
        patient=patient, kind="daily_reminder", local_date=date(2026, 1, 10), due_at=now
    )
    done = Notification.objects.create(
        patient=patient, kind="nudge", local_date=date(2026, 1, 10), due_at=now, status="sent"
    )

    [row] = claim([queued.pk, done.pk])
    assert (row.pk, row.kind, row.local_date, row.attempts) == (
        queued.pk,
        "daily_reminder",
        date(2026, 1, 10),
        1,
    )
    assert (row.language, row.email, row.push_allowed, row.email_allowed) == (
        "en",
        patient.user.email,
        True,
        False,
    )
    assert [s.pk for s in row.subscriptions] == [s.pk for s in subs]
    assert claim([queued.pk]) == []  # a task delivered twice finds nothing left to send
    queued.refresh_from_db()
    assert (queued.status, queued.attempts) == ("sending", 1) and queued.claimed_at


@pytest.mark.postgres
@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_one_device_withdrawn_the_other_gets_it(redis_url, tmp_path):
    with StandInPushService() as push:
        patient = PatientFactory()
        CheckIn.objects.create(patient=patient, kind="onboarding", answers={})
        gone, kept = push.new_subscription(), push.new_subscription()
        for info in (gone, kept):
            PushSubscription.objects.create(
                patient=patient, endpoint=info["endpoint"], **info["keys"]
            )
        push.behave(gone["endpoint"], gone=True)
        ReminderSchedule.objects.filter(pk=schedule_for(patient).pk).update(
            next_due_at=datetime.now(UTC) - timedelta(seconds=1)
        )
        worker = Worker(redis_url, tmp_path, PUSH_SERVICE_HOSTS="http://127.0.0.1")
        worker.route_here()
        worker.start()
        try:
            reminders_tick()
            [message] = push.wait_for(1)
            deadline = time.monotonic() + 30
            # The withdrawn subscription is removed and the result recorded as each answer
            # comes in, in either order: wait for both before reading them.
            while time.monotonic() < deadline and (
                PushSubscription.objects.count() != 1
                or Notification.objects.filter(status="sending").exists()
            ):
                time.sleep(0.05)
            row = Notification.objects.get()
            assert message.endpoint == kept["endpoint"]
            assert [s.endpoint for s in PushSubscription.objects.all()] == [kept["endpoint"]]
            assert (row.status, row.channel) == ("sent", "push")
            assert worker.emails() == []
        finally:
            output = worker.stop()
            worker.restore()
        assert "Traceback" not in output, output
