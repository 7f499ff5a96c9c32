"""From outside, with a real Celery worker on Redis, the stand-in push service and a stand-in
SMTP server: what a worker killed mid-send (SIGKILL) sends again, and the retry policy's last
attempt. These need PostgreSQL (the worker shares the test database) and Redis.

- Push: a message can only go out twice if its outcome was not yet recorded when the worker
  died, and a lane records each answer before it sends again, so at most PUSH_CONCURRENCY (the
  requests in flight) go out twice. Before, outcomes were written a few hundred at a time:
  150 patients due at once, the worker killed after 64 pushes, and 68 of 300 went out twice.
- E-mail: never twice. The row is marked "handed to e-mail" before the message leaves; the
  sweep gives such a row up instead of sending it again.
"""

from __future__ import annotations

import re
import socket
from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest

from diary.models import CheckIn
from reminders.models import Notification, PushSubscription, ReminderSchedule
from reminders.sender import PUSH_CONCURRENCY
from reminders.services import outbox_sweep, reminders_tick, schedule_for

from .celery_worker import Worker, wait_until
from .factories import PatientFactory, PhysioFactory
from .smtp_standin import StandInSmtpServer

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.redis,
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def smtp():
    with StandInSmtpServer() as server:
        yield server


@pytest.fixture
def start_worker(redis_url, tmp_path):
    """start_worker(**env): a worker on this test's private queue; a worker started after
    another (killed) one takes over its queue. All are stopped at the end."""
    started: list[Worker] = []

    def start(**env) -> Worker:
        queue = started[0].queue if started else None
        worker = Worker(
            redis_url, tmp_path, queue=queue, PUSH_SERVICE_HOSTS="http://127.0.0.1", **env
        )
        if not started:
            worker.route_here()
        started.append(worker)
        return worker.start()

    yield start
    for worker in started:
        output = worker.stop()
        if "Traceback" in output:
            print(output)  # shown when the test fails
    if started:
        started[0].restore()


@pytest.fixture
def retry_soon(settings):
    # The sweep runs in this process: its retry delays too should be short.
    settings.OUTBOX_STALE_SECONDS = 0
    settings.PUSH_RETRY_BASE_SECONDS = 1


def patients_due(count: int, *, answered_checkin: bool = True) -> list:
    physio = PhysioFactory()
    patients = [PatientFactory(physio=physio) for _ in range(count)]
    for patient in patients:
        if answered_checkin:
            CheckIn.objects.create(patient=patient, kind="onboarding", answers={})
        schedule_for(patient)
    ReminderSchedule.objects.update(next_due_at=datetime.now(UTC) - timedelta(seconds=1))
    return patients


def subscribe(push_service, patient) -> dict:
    info = push_service.new_subscription()
    PushSubscription.objects.create(patient=patient, endpoint=info["endpoint"], **info["keys"])
    return info


def statuses() -> Counter:
    return Counter(Notification.objects.values_list("status", flat=True))


def sends_finished(worker: Worker) -> int:
    return len(re.findall(r"Task reminders\.send\[[^\]]+\] succeeded", worker.output()))


def test_push_killed_mid_batch_resends_only_what_was_in_flight(
    push_service, start_worker, retry_soon
):
    patients = patients_due(150, answered_checkin=False)  # daily + weekly check-in: 300
    for patient in patients:
        subscribe(push_service, patient)
    worker = start_worker()
    reminders_tick()
    assert Notification.objects.filter(status="queued").count() == 300

    push_service.wait_for(64, timeout=60)
    worker.kill()
    accepted_before = len(push_service.accepted)
    recorded = statuses()["sent"]
    assert recorded < 300, "the worker must die mid-batch for this test to mean anything"

    assert outbox_sweep() == 300 - recorded  # the rest were claimed by the dead worker
    start_worker()
    wait_until(lambda: statuses() == {"sent": 300}, timeout=60, message="all 300 sent")
    delivered = Counter(message.payload["id"] for message in push_service.accepted)
    assert set(delivered) == set(Notification.objects.values_list("pk", flat=True))  # none lost
    twice = sum(times - 1 for times in delivered.values())
    print(
        f"\nkilled after {accepted_before} of 300 pushes accepted ({recorded} recorded): "
        f"{twice} sent twice (at most {PUSH_CONCURRENCY} in flight)"
    )
    assert max(delivered.values()) <= 2
    assert twice <= accepted_before - recorded
    assert twice <= PUSH_CONCURRENCY
    assert push_service.rejections == []


def test_email_killed_mid_send_is_never_sent_twice(smtp, start_worker, retry_soon):
    patients = patients_due(10)  # no push subscription: e-mail
    smtp.hold(4)  # the 4th message is received in full, its answer never comes
    env = {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(smtp.port),
    }
    worker = start_worker(**env)
    reminders_tick()
    smtp.wait_for_held()
    worker.kill()
    smtp.release()
    assert statuses() == {"sent": 3, "sending": 7}

    outbox_sweep()
    start_worker(**env)
    wait_until(
        lambda: not Notification.objects.filter(status__in=["queued", "sending"]).exists(),
        message="every row settled",
    )
    received = Counter(r for message in smtp.received for r in message.recipients)
    assert received == Counter({p.user.email: 1 for p in patients}), received
    # The one in doubt was received, but its row could not say so: given up, not re-sent.
    assert statuses() == {"sent": 9, "failed": 1}
    in_doubt = Notification.objects.get(status="failed")
    assert in_doubt.channel == "email" and "never sent twice" in in_doubt.last_error
    assert in_doubt.patient.user.email == smtp.received[3].recipients[0]


def test_email_refused_for_now_is_retried_and_sent_once(smtp, start_worker):
    [patient] = patients_due(1)
    smtp.refuse(450)
    worker = start_worker(
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=str(smtp.port),
    )
    reminders_tick()
    wait_until(lambda: statuses() == {"sent": 1}, message="sent on the second attempt")
    row = Notification.objects.get()
    assert (row.channel, row.attempts) == ("email", 2)
    assert [m.recipients for m in smtp.received] == [(patient.user.email,)]
    assert sends_finished(worker) == 2


def test_email_server_unreachable_gives_up_after_the_last_attempt(start_worker):
    patients_due(1)
    with socket.socket() as unused:
        unused.bind(("127.0.0.1", 0))
        closed_port = unused.getsockname()[1]
    worker = start_worker(
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=str(closed_port),
        NOTIFICATION_MAX_ATTEMPTS="3",
    )
    reminders_tick()
    wait_until(lambda: statuses() == {"failed": 1}, message="given up")
    row = Notification.objects.get()
    assert row.attempts == 3
    assert row.last_error == "gave up after 3 attempts: e-mail: ConnectionRefusedError"
    wait_until(lambda: sends_finished(worker) == 3, message="the third send task finished")


def test_push_gives_up_after_the_last_attempt(push_service, start_worker):
    [patient] = patients_due(1)
    info = subscribe(push_service, patient)
    push_service.behave(info["endpoint"], status=503, forever=True)
    worker = start_worker(NOTIFICATION_MAX_ATTEMPTS="3")
    reminders_tick()
    wait_until(lambda: statuses() == {"failed": 1}, message="given up")
    wait_until(lambda: sends_finished(worker) == 3, message="the third send task finished")
    row = Notification.objects.get()
    assert row.attempts == 3
    assert row.last_error == "gave up after 3 attempts: transient push failure"
    assert [r.status for r in push_service.requests] == [503, 503, 503]
