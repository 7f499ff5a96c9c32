"""End to end through the real stack: beat tick -> outbox -> Redis -> a Celery worker process
-> Web Push to a stand-in push service on 127.0.0.1 that checks the VAPID signature and
decrypts every message. These need PostgreSQL (the worker shares the test database) and
Redis."""

from datetime import UTC, datetime, timedelta
from datetime import time as clock

import pytest
import time_machine
from django.utils import translation

from diary.models import CheckIn, DiaryEntry
from reminders.messages import push_payload
from reminders.models import Notification, PushSubscription, ReminderSchedule
from reminders.services import outbox_sweep, reminders_tick, schedule_for, schedule_update

from .celery_worker import Worker, unacked, wait_until
from .concurrency import run_concurrently
from .factories import PatientFactory

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.redis,
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def worker(redis_url, tmp_path, push_service):
    worker = Worker(redis_url, tmp_path, PUSH_SERVICE_HOSTS="http://127.0.0.1")
    worker.route_here()
    yield worker
    output = worker.stop()
    worker.restore()
    if "Traceback" in output:
        print(output)  # shown when the test fails


def subscribed_patient(push_service, **user):
    patient = PatientFactory(**{f"user__{k}": v for k, v in user.items()})
    # Answered the weekly questions already: only the daily reminder is due.
    CheckIn.objects.create(patient=patient, kind="onboarding", answers={})
    info = push_service.new_subscription()
    PushSubscription.objects.create(patient=patient, endpoint=info["endpoint"], **info["keys"])
    return patient, info


def make_due(patient, when=None):
    schedule = schedule_for(patient)
    ReminderSchedule.objects.filter(pk=schedule.pk).update(
        next_due_at=when or datetime.now(UTC) - timedelta(seconds=1)
    )


def statuses():
    return dict(Notification.objects.values_list("pk", "status"))


def test_due_reminder_arrives_once_with_the_right_text(push_service, worker):
    patient, info = subscribed_patient(push_service, language="en")
    make_due(patient)
    worker.start()
    reminders_tick()
    accepted = push_service.wait_for(1)
    row = Notification.objects.get()
    wait_until(lambda: Notification.objects.get().status == "sent", message="row marked sent")
    with translation.override("en"):
        expected = push_payload(row, "en")
    message = accepted[0]
    assert message.endpoint == info["endpoint"]
    assert message.payload == expected
    assert message.payload["title"] == "Good morning"
    assert message.ttl == 12 * 3600 and message.topic == "dailyreminder"
    assert message.vapid["sub"] == "mailto:reminders@example.org"
    assert message.vapid["aud"] == push_service.origin
    assert not push_service.rejections
    # No health values ever leave in a notification.
    assert "pain" not in str(message.payload).lower()
    worker.wait_until_done()
    assert len(push_service.accepted) == 1
    row.refresh_from_db()
    assert (row.channel, row.attempts) == ("push", 1)


def test_danish_patient_gets_danish_text(push_service, worker):
    patient, _info = subscribed_patient(push_service, language="da")
    make_due(patient)
    worker.start()
    reminders_tick()
    message = push_service.wait_for(1)[0]
    with translation.override("da"):
        assert message.payload["title"] == translation.gettext("Good morning")
    assert message.payload["title"] != "Good morning"


def test_gone_subscription_is_removed_and_email_takes_over(push_service, worker):
    patient, info = subscribed_patient(push_service)
    push_service.behave(info["endpoint"], gone=True)
    make_due(patient)
    worker.start()
    reminders_tick()
    wait_until(lambda: not PushSubscription.objects.exists(), message="subscription removed")
    wait_until(lambda: Notification.objects.get().status == "sent", message="e-mail fallback")
    assert Notification.objects.get().channel == "email"
    mail = worker.emails()
    assert len(mail) == 1 and patient.user.email in mail[0]
    assert "/reminders/unsubscribe/" in mail[0] and "List-Unsubscribe" in mail[0]
    assert push_service.accepted == []


def test_503_is_retried_then_delivered(push_service, worker):
    patient, info = subscribed_patient(push_service)
    push_service.behave(info["endpoint"], 503, 503)
    make_due(patient)
    worker.start()
    reminders_tick()
    push_service.wait_for(1, timeout=60)
    wait_until(lambda: Notification.objects.get().status == "sent", timeout=30, message="sent")
    row = Notification.objects.get()
    assert row.attempts == 3
    assert [r.status for r in push_service.requests] == [503, 503, 201]


def test_permanent_failure_is_marked_not_retried(push_service, worker):
    patient, info = subscribed_patient(push_service)
    push_service.behave(info["endpoint"], status=403, forever=True)
    ReminderSchedule.objects.update_or_create(patient=patient, defaults={"channels": ["push"]})
    make_due(patient)
    worker.start()
    reminders_tick()
    wait_until(lambda: Notification.objects.get().status == "failed", message="failed")
    worker.wait_until_done()  # no retry is waiting either
    assert len(push_service.requests) == 1


def test_worker_killed_mid_batch_loses_nothing_and_duplicates_nothing(
    push_service, worker, settings
):
    patients = [subscribed_patient(push_service) for _ in range(20)]
    for index, (patient, info) in enumerate(patients):
        if index >= 5:
            push_service.behave(info["endpoint"], "hold")
        make_due(patient)
    worker.start()
    reminders_tick()
    push_service.wait_for(5)
    push_service.wait_for_held(15)
    # The five accepted are recorded while the rest hang.
    wait_until(lambda: list(statuses().values()).count("sent") == 5, message="5 recorded")
    worker.kill()
    dead = unacked(worker.redis_url, worker.queue)  # handed out again only after a timeout
    push_service.release()
    assert list(statuses().values()).count("sending") == 15
    assert len(push_service.accepted) == 5  # held requests of a dead client were not accepted

    for _patient, info in patients:
        push_service.behave(info["endpoint"])
    settings.OUTBOX_STALE_SECONDS = 0
    settings.PUSH_RETRY_BASE_SECONDS = 1  # the sweep retries them after the backoff
    assert outbox_sweep() == 15
    worker.start()
    push_service.wait_for(20)
    wait_until(lambda: set(statuses().values()) == {"sent"}, message="all sent")
    worker.wait_until_done(ignore=dead)
    ids = [message.payload["id"] for message in push_service.accepted]
    assert sorted(ids) == sorted(statuses())  # every row exactly once


def test_two_beats_at_once_send_each_reminder_once(push_service, worker):
    patients = [subscribed_patient(push_service)[0] for _ in range(25)]
    for patient in patients:
        make_due(patient)
    worker.start()
    run_concurrently(lambda n: reminders_tick(), 2)
    push_service.wait_for(25)
    wait_until(lambda: set(statuses().values()) == {"sent"}, message="all sent")
    worker.wait_until_done()
    ids = [message.payload["id"] for message in push_service.accepted]
    assert len(ids) == len(set(ids)) == 25


def test_already_logged_today_gets_nothing(push_service, worker):
    logged, _ = subscribed_patient(push_service)
    other, info = subscribed_patient(push_service)
    DiaryEntry.objects.create(
        patient=logged,
        date=logged.user.local_today(),
        morning_pain=2,
        recorded_at=datetime.now(UTC),
    )
    make_due(logged)
    make_due(other)
    worker.start()
    reminders_tick()
    push_service.wait_for(1)
    worker.wait_until_done()
    assert [m.endpoint for m in push_service.accepted] == [info["endpoint"]]
    assert Notification.objects.get(patient=logged).status == "skipped"


def test_spring_forward_night_in_copenhagen(push_service, worker):
    patient, _info = subscribed_patient(push_service)
    with time_machine.travel(datetime(2026, 3, 28, 12, 0, tzinfo=UTC)):
        schedule_update(schedule=schedule_for(patient), local_time=clock(2, 30))
    worker.start()
    with time_machine.travel(datetime(2026, 3, 29, 1, 29, tzinfo=UTC)):  # 02:29 CET
        reminders_tick()
    with time_machine.travel(datetime(2026, 3, 29, 1, 30, 5, tzinfo=UTC)):  # 03:30 CEST
        reminders_tick()
    push_service.wait_for(1)
    assert Notification.objects.get().local_date.isoformat() == "2026-03-29"


def test_fall_back_night_in_copenhagen_sends_once(push_service, worker):
    patient, _info = subscribed_patient(push_service)
    with time_machine.travel(datetime(2026, 10, 24, 12, 0, tzinfo=UTC)):
        schedule_update(schedule=schedule_for(patient), local_time=clock(2, 30))
    worker.start()
    moment = datetime(2026, 10, 25, 0, 0, tzinfo=UTC)
    while moment < datetime(2026, 10, 25, 2, 0, tzinfo=UTC):  # the doubled hour and around it
        with time_machine.travel(moment):
            reminders_tick()
        moment += timedelta(minutes=5)
    push_service.wait_for(1)
    worker.wait_until_done()
    assert len(push_service.accepted) == 1


def test_patient_in_another_time_zone(push_service, worker):
    patient, _info = subscribed_patient(push_service, timezone="Asia/Tokyo")
    with time_machine.travel(datetime(2026, 1, 9, 12, 0, tzinfo=UTC)):
        schedule = schedule_for(patient)
    assert schedule.next_due_at == datetime(2026, 1, 9, 22, 30, tzinfo=UTC)  # 07:30 in Tokyo
    worker.start()
    with time_machine.travel(datetime(2026, 1, 9, 22, 30, 10, tzinfo=UTC)):
        reminders_tick()
    push_service.wait_for(1)
    assert Notification.objects.get().local_date.isoformat() == "2026-01-10"
