"""The 26- and 52-week follow-ups after an episode closed as recovered: due at the patient's
reminder time on the close date + 26/52 weeks (09:00 without a schedule), across daylight
saving; one outbox row each however often the tick runs, sent once; none for other outcomes;
the page takes one answer, and only from the patient it is for."""

from datetime import UTC, date, datetime, time, timedelta

import pytest
import time_machine
from django.core import mail

from care.models import Episode, FollowUp
from reminders.dispatch import outbox_send
from reminders.follow_ups import follow_ups_queue
from reminders.messages import push_payload
from reminders.models import Notification
from reminders.services import outbox_sweep, reminders_tick, schedule_for, schedule_update

from .factories import ClinicFactory, PatientFactory, PhysioFactory


def at(*args):
    return datetime(*args, tzinfo=UTC)


def recovered(patient, closed_on: date, outcome: str = "recovered") -> Episode:
    Episode.objects.filter(patient=patient).delete()
    return Episode.objects.create(
        patient=patient,
        physio=patient.physio,
        starts_on=closed_on - timedelta(days=90),
        closed_on=closed_on,
        outcome=outcome,
    )


def with_schedule(patient, local_time: time):
    with time_machine.travel(at(2025, 6, 1, 12, 0)):
        schedule_update(schedule=schedule_for(patient), local_time=local_time)


def follow_up_rows():
    return Notification.objects.filter(kind=Notification.Kind.FOLLOW_UP)


@pytest.mark.parametrize(
    ("week", "due_on", "before", "due"),
    [
        # Due on the spring-forward day: 07:30 CEST is 05:30 UTC.
        (26, date(2026, 3, 29), at(2026, 3, 29, 5, 29), at(2026, 3, 29, 5, 30, 5)),
        # Due on the fall-back day: 07:30 CET is 06:30 UTC.
        (52, date(2026, 10, 25), at(2026, 10, 25, 6, 29), at(2026, 10, 25, 6, 30, 5)),
        # The day before the spring change, still CET.
        (26, date(2026, 3, 28), at(2026, 3, 28, 6, 29), at(2026, 3, 28, 6, 30, 5)),
    ],
)
def test_due_at_the_reminder_time_on_the_due_date_across_daylight_saving(
    patient, week, due_on, before, due
):
    with_schedule(patient, time(7, 30))
    episode = recovered(patient, due_on - timedelta(weeks=week))
    with time_machine.travel(before, tick=False):
        assert reminders_tick()["follow_ups"] == 0
    with time_machine.travel(due, tick=False):
        assert reminders_tick()["follow_ups"] == 1
    row = follow_up_rows().get()
    assert (row.patient_id, row.local_date, row.detail, row.status) == (
        patient.pk,
        due_on,
        str(week),
        "queued",
    )
    assert row.due_at == due.replace(second=0)
    assert episode.closed_on + timedelta(weeks=week) == row.local_date


def test_without_a_schedule_at_nine_local(patient):
    # 09:00 in Copenhagen on the fall-back day is 08:00 UTC.
    recovered(patient, date(2026, 10, 25) - timedelta(weeks=26))
    with time_machine.travel(at(2026, 10, 25, 7, 59), tick=False):
        assert follow_ups_queue() == 0
    with time_machine.travel(at(2026, 10, 25, 8, 0), tick=False):
        assert follow_ups_queue() == 1


def test_in_the_patients_own_time_zone(patient):
    patient.user.timezone = "America/Los_Angeles"
    patient.user.save()
    with_schedule(patient, time(7, 30))
    recovered(patient, date(2026, 6, 1) - timedelta(weeks=26))
    with time_machine.travel(at(2026, 6, 1, 14, 29), tick=False):  # 07:29 PDT
        assert follow_ups_queue() == 0
    with time_machine.travel(at(2026, 6, 1, 14, 30), tick=False):
        assert follow_ups_queue() == 1


def test_both_follow_ups_once_each_however_often_the_tick_runs(patient):
    with_schedule(patient, time(7, 30))
    closed = date(2025, 6, 1)
    recovered(patient, closed)
    for due_on in (closed + timedelta(weeks=26), closed + timedelta(weeks=52)):
        moment = datetime.combine(due_on, time(6, 31), tzinfo=UTC)
        # Every minute for an hour, then once a day for a week (a late beat).
        for minute in range(60):
            with time_machine.travel(moment + timedelta(minutes=minute), tick=False):
                reminders_tick()
        for day in range(1, 9):
            with time_machine.travel(moment + timedelta(days=day), tick=False):
                reminders_tick()
    assert sorted(follow_up_rows().values_list("detail", "local_date")) == [
        ("26", closed + timedelta(weeks=26)),
        ("52", closed + timedelta(weeks=52)),
    ]


def test_sent_exactly_once_through_the_outbox_even_when_its_worker_died(patient, settings):
    patient.user.language = "en"
    patient.user.save()
    with_schedule(patient, time(7, 30))
    recovered(patient, date(2026, 3, 29) - timedelta(weeks=26))
    with time_machine.travel(at(2026, 3, 29, 5, 31), tick=False):
        reminders_tick()
        reminders_tick()
    row = follow_up_rows().get()
    # The worker claimed it and died before sending: the sweep puts it back once.
    Notification.objects.filter(pk=row.pk).update(
        status="sending", claimed_at=at(2026, 3, 29, 5, 31), attempts=1
    )
    settings.OUTBOX_STALE_SECONDS = 300
    with time_machine.travel(at(2026, 3, 29, 5, 40), tick=False):
        outbox_sweep()
    row.refresh_from_db()
    assert row.status == "queued"
    with time_machine.travel(at(2026, 3, 29, 5, 50), tick=False):
        first = outbox_send([row.pk])
        again = outbox_send([row.pk])  # the task delivered twice
        reminders_tick()
    assert first["email_sent"] == 1 and again == {"claimed": 0}
    row.refresh_from_db()
    assert (row.status, row.channel) == ("sent", "email")
    assert len(mail.outbox) == 1 and follow_up_rows().count() == 1
    message = mail.outbox[0]
    # It opens the week's page and names no health value.
    assert "/follow-up/26/" in message.body
    assert message.subject == "How is your heel now?"
    assert not any(char.isdigit() for char in message.subject)
    assert push_payload(row, "da")["url"] == "/follow-up/26/"


@pytest.mark.parametrize("outcome", ["referred", "stopped", "transferred"])
def test_not_for_other_outcomes(patient, outcome):
    with_schedule(patient, time(7, 30))
    recovered(patient, date(2026, 3, 29) - timedelta(weeks=26), outcome=outcome)
    with time_machine.travel(at(2026, 3, 29, 6, 31), tick=False):
        assert reminders_tick()["follow_ups"] == 0
    assert not follow_up_rows().exists()


def test_not_for_an_open_episode_nor_once_a_newer_one_began(patient):
    with_schedule(patient, time(7, 30))
    closed = date(2026, 3, 29) - timedelta(weeks=26)
    episode = recovered(patient, closed)
    Episode.objects.create(patient=patient, starts_on=closed + timedelta(weeks=10))
    with time_machine.travel(at(2026, 3, 29, 6, 31), tick=False):
        assert reminders_tick()["follow_ups"] == 0
    Episode.objects.exclude(pk=episode.pk).delete()
    Episode.objects.filter(pk=episode.pk).update(closed_on=None, outcome="")
    with time_machine.travel(at(2026, 3, 29, 6, 32), tick=False):
        assert reminders_tick()["follow_ups"] == 0


def test_not_for_an_inactive_account(patient):
    recovered(patient, date(2026, 3, 29) - timedelta(weeks=26))
    patient.user.is_active = False
    patient.user.save()
    with time_machine.travel(at(2026, 3, 29, 9, 0), tick=False):
        assert follow_ups_queue() == 0


# --- the page ------------------------------------------------------------------------------


DUE = date(2026, 3, 29)
ON_DUE_DAY = at(2026, 3, 29, 10, 0)


@pytest.fixture
def due_patient(patient):
    recovered(patient, DUE - timedelta(weeks=26))
    return patient


def test_the_patient_answers_once(client_for, due_patient):
    with time_machine.travel(ON_DUE_DAY):
        client = client_for(due_patient.user)
        page = client.get("/follow-up/26/")
        assert page.status_code == 200
        text = page.content.decode()
        assert "Meget bedre" in text and "Meget værre" in text
        assert text.count('name="global_change"') == 7
        assert text.count('name="morning_pain"') == 11
        answer = client.post("/follow-up/26/", {"morning_pain": "2", "global_change": "3"})
        assert answer.status_code == 200
        second = client.post("/follow-up/26/", {"morning_pain": "5", "global_change": "-1"})
        assert second.status_code == 400
        assert client.get("/follow-up/26/").status_code == 200
    stored = FollowUp.objects.get()
    assert (stored.week, stored.morning_pain, stored.global_change) == (26, 2, 3)
    assert stored.episode.patient == due_patient


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"morning_pain": "11", "global_change": "0"}, "morning_pain"),
        ({"morning_pain": "-1", "global_change": "0"}, "morning_pain"),
        ({"morning_pain": "x", "global_change": "0"}, "morning_pain"),
        ({"global_change": "0"}, "morning_pain"),
        ({"morning_pain": "3", "global_change": "4"}, "global_change"),
        ({"morning_pain": "3"}, "global_change"),
    ],
)
def test_bad_answers_are_400_and_write_nothing(client_for, due_patient, body, field):
    due_patient.user.language = "en"
    due_patient.user.save()
    with time_machine.travel(ON_DUE_DAY):
        response = client_for(due_patient.user).post("/follow-up/26/", body)
    assert response.status_code == 400
    assert 'class="field-error"' in response.content.decode()
    assert f'id="q-{field}"' in response.content.decode()
    assert not FollowUp.objects.exists()


@pytest.mark.parametrize(
    ("moment", "week"),
    [
        (at(2026, 3, 27, 10, 0), 26),  # not due yet
        (at(2026, 4, 27, 10, 0), 26),  # past the four weeks it is open
        (ON_DUE_DAY, 52),  # the other week is not due
        (ON_DUE_DAY, 30),  # no such follow-up
    ],
)
def test_a_follow_up_that_is_not_open_is_404(client_for, due_patient, moment, week):
    with time_machine.travel(moment):
        client = client_for(due_patient.user)
        assert client.get(f"/follow-up/{week}/").status_code == 404
        response = client.post(f"/follow-up/{week}/", {"morning_pain": 2, "global_change": 1})
        assert response.status_code == 404
    assert not FollowUp.objects.exists()


def test_another_patient_a_physio_or_nobody_cannot_answer(client, client_for, due_patient):
    other = PatientFactory(physio=due_patient.physio)
    outsider = PhysioFactory(clinic=ClinicFactory())
    body = {"morning_pain": 2, "global_change": 1}
    with time_machine.travel(ON_DUE_DAY):
        for user in (other.user, due_patient.physio.user, outsider.user):
            assert client_for(user).post("/follow-up/26/", body).status_code == 404
        anonymous = client.post("/follow-up/26/", body)
        assert anonymous.status_code == 302 and "/login/" in anonymous["Location"]
    assert not FollowUp.objects.exists()
