"""The care loop through the real stack (issue 16, "Done when"): outbox rows -> Redis -> a
Celery worker process -> the push stand-in (which decrypts what arrives) or e-mail. A message
notifies the other side once, without its content; the physio's digest goes once a day, also
on the day daylight saving starts and with two beats ticking. PostgreSQL (the worker shares
the test database) and Redis."""

from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine

from messaging.services import message_send
from reminders.digest import digests_queue
from reminders.models import Notification, PushSubscription

from .celery_worker import Worker, wait_until

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.redis,
    pytest.mark.django_db(transaction=True),
]

SECRET = "the ache is worse since the run on Sunday"


@pytest.fixture
def worker(redis_url, tmp_path, push_service):
    worker = Worker(redis_url, tmp_path, PUSH_SERVICE_HOSTS="http://127.0.0.1")
    worker.route_here()
    worker.start()
    yield worker
    output = worker.stop()
    worker.restore()
    assert "Traceback" not in output, output


def test_a_message_notifies_the_other_side_once_without_its_content(
    worker, push_service, patient, physio
):
    patient.user.language = physio.user.language = "en"
    patient.user.save()
    physio.user.save()
    info = push_service.new_subscription()
    PushSubscription.objects.create(patient=patient, endpoint=info["endpoint"], **info["keys"])

    message_send(patient=patient, author=patient.user, body=SECRET)
    message_send(patient=patient, author=patient.user, body=SECRET + " again")
    message_send(patient=patient, author=physio.user, body="Rest for 3 days: " + SECRET)
    message_send(patient=patient, author=physio.user, body="And ice.")
    wait_until(
        lambda: Notification.objects.filter(status="sent").count() == 2,
        message="both notices sent",
    )
    worker.wait_until_done()

    # The patient: one push, however many answers; the text says there is a message.
    (push,) = push_service.accepted
    assert push.endpoint == info["endpoint"]
    assert push.payload["title"] == "A new message" and push.payload["url"] == "/messages/"
    # The physio (no push): one e-mail, however many messages.
    (email,) = worker.emails()
    assert physio.user.email in email and "You have a new message from a patient." in email
    for text in (str(push.payload), email):
        for words in ("ache", "Rest for 3 days", "And ice", patient.user.name):
            assert words not in text


def test_the_digest_goes_once_a_day_across_dst_with_two_beats(worker, physio, patient, assign):
    physio.user.language = "en"
    physio.user.save()
    with time_machine.travel(datetime(2026, 3, 1, 9, tzinfo=UTC), tick=False):
        assign(patient, starts_on=date(2026, 3, 1))  # then silent: the digest has a reason
    # Every 30 minutes from 28 to 30 March, two beats each time; Copenhagen springs forward
    # on the 29th.
    moment = datetime(2026, 3, 28, 0, 0, tzinfo=UTC)
    while moment < datetime(2026, 3, 30, 12, 0, tzinfo=UTC):
        with time_machine.travel(moment, tick=False):
            digests_queue()
            digests_queue()
        moment += timedelta(minutes=30)
    wait_until(
        lambda: Notification.objects.filter(kind="digest", status="sent").count() == 3,
        message="three digests sent",
    )
    worker.wait_until_done()
    emails = worker.emails()
    assert len(emails) == 3  # the 28th, the 29th (23 hours long) and the 30th
    assert all("silent for 4 days or more" in email for email in emails)
    assert all(patient.user.name not in email for email in emails)
