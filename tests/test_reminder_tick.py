"""The beat tick: due schedules become outbox rows once, skipped when not needed."""

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from diary.models import CheckIn, DiaryEntry
from reminders.models import Notification, ReminderSchedule
from reminders.services import outbox_sweep, reminders_tick, schedule_for, schedule_update

from .concurrency import run_concurrently
from .factories import PatientFactory

CPH = ZoneInfo("Europe/Copenhagen")


def at(*args):
    return datetime(*args, tzinfo=UTC)


@pytest.fixture
def schedule(patient):
    with time_machine.travel(at(2026, 1, 9, 12, 0)):
        return schedule_for(patient)


def test_new_patients_get_the_default_schedule(patient):
    with time_machine.travel(at(2026, 1, 9, 12, 0)):
        counts = reminders_tick()
    schedule = ReminderSchedule.objects.get(patient=patient)
    assert counts["created_schedules"] == 1
    assert (schedule.enabled, schedule.local_time, schedule.weekdays) == (
        True,
        time(7, 30),
        list(range(7)),
    )
    assert schedule.next_due_at == datetime(2026, 1, 10, 7, 30, tzinfo=CPH)


def test_due_reminder_becomes_one_row_and_moves_to_tomorrow(schedule):
    with time_machine.travel(at(2026, 1, 10, 6, 30, 20)):  # 07:30:20 in Copenhagen
        first = reminders_tick()
        again = reminders_tick()
    assert first["queued"] == 2 and again.get("queued", 0) == 0  # the reminder + weekly check-in
    row = Notification.objects.get(kind="daily_reminder")
    assert (row.kind, row.local_date.isoformat(), row.status) == (
        "daily_reminder",
        "2026-01-10",
        "queued",
    )
    schedule.refresh_from_db()
    assert schedule.next_due_at == datetime(2026, 1, 11, 7, 30, tzinfo=CPH)


def test_not_due_yet_does_nothing(schedule):
    with time_machine.travel(at(2026, 1, 10, 6, 29, 59)):
        assert reminders_tick().get("claimed", 0) == 0
    assert not Notification.objects.exists()


def test_already_logged_today_is_skipped(schedule, patient):
    DiaryEntry.objects.create(
        patient=patient, date="2026-01-10", morning_pain=3, recorded_at=at(2026, 1, 10, 6, 0)
    )
    with time_machine.travel(at(2026, 1, 10, 6, 31)):
        counts = reminders_tick()
    row = Notification.objects.get(kind="daily_reminder")
    assert counts["skipped"] == 1 and row.status == "skipped" and "logged" in row.last_error


@pytest.mark.parametrize("urgency", ["same_day", "soon"])
def test_an_unacknowledged_red_flag_never_pauses_the_pain_log_reminder(schedule, patient, urgency):
    # The daily reminder asks for the morning pain: nothing pauses it (clinical.md). The
    # weekly check-in reminder waits while the advice is open.
    CheckIn.objects.create(
        patient=patient, kind="weekly", answers={}, red_flags=["sudden_pop"], urgency=urgency
    )
    with time_machine.travel(at(2026, 1, 10, 6, 31)):
        reminders_tick()
    assert Notification.objects.get(kind="daily_reminder").status == "queued"
    assert not Notification.objects.filter(kind="weekly_checkin").exists()


@pytest.mark.parametrize("urgency", ["none", "review"])
def test_an_answer_that_is_not_same_day_or_soon_pauses_nothing(schedule, patient, urgency):
    CheckIn.objects.create(
        patient=patient, kind="onboarding", answers={"diabetes": True}, urgency=urgency
    )
    CheckIn.objects.filter(patient=patient).update(created_at=at(2026, 1, 1, 12, 0))
    with time_machine.travel(at(2026, 1, 10, 6, 31)):
        reminders_tick()
    kinds = sorted(Notification.objects.filter(status="queued").values_list("kind", flat=True))
    assert kinds == ["daily_reminder", "weekly_checkin"]


def test_spring_forward_0230_goes_out_at_0330(patient):
    with time_machine.travel(at(2026, 3, 28, 12, 0)):
        schedule = schedule_update(schedule=schedule_for(patient), local_time=time(2, 30))
    assert schedule.next_due_at == at(2026, 3, 29, 1, 30)  # 03:30 CEST
    with time_machine.travel(at(2026, 3, 29, 1, 29)):
        assert reminders_tick().get("claimed", 0) == 0
    with time_machine.travel(at(2026, 3, 29, 1, 30, 5)):
        assert reminders_tick()["queued"] == 2
    schedule.refresh_from_db()
    assert schedule.next_due_at == at(2026, 3, 30, 0, 30)  # 02:30 CEST the next night


def test_fall_back_0230_goes_out_once(patient):
    with time_machine.travel(at(2026, 10, 24, 12, 0)):
        schedule_update(schedule=schedule_for(patient), local_time=time(2, 30))
    # Tick every minute through the whole doubled hour.
    moment = at(2026, 10, 25, 0, 0)
    while moment < at(2026, 10, 25, 3, 0):
        with time_machine.travel(moment):
            reminders_tick()
        moment += timedelta(minutes=1)
    rows = Notification.objects.filter(kind="daily_reminder")
    assert rows.count() == 1 and rows[0].local_date.isoformat() == "2026-10-25"
    assert rows[0].due_at == at(2026, 10, 25, 0, 30)


def test_a_patient_in_another_time_zone(patient):
    patient.user.timezone = "America/New_York"
    patient.user.save()
    with time_machine.travel(at(2026, 1, 9, 20, 0)):  # 15:00 in New York
        schedule = schedule_for(patient)
    assert schedule.next_due_at == at(2026, 1, 10, 12, 30)  # 07:30 EST
    with time_machine.travel(at(2026, 1, 10, 12, 30, 10)):
        reminders_tick()
    assert Notification.objects.get(kind="daily_reminder").local_date.isoformat() == "2026-01-10"


def test_disabled_schedule_sends_nothing(schedule):
    with time_machine.travel(at(2026, 1, 9, 12, 0)):
        schedule_update(schedule=schedule, enabled=False)
    with time_machine.travel(at(2026, 1, 10, 6, 31)):
        reminders_tick()
    assert not Notification.objects.exists()


def test_hours_late_is_skipped_not_sent(schedule):
    with time_machine.travel(at(2026, 1, 10, 14, 0)):  # beat was down all morning
        reminders_tick()
    row = Notification.objects.get(kind="daily_reminder")
    assert row.status == "skipped" and "late" in row.last_error


def test_sweep_requeues_rows_whose_worker_died(patient, settings):
    stale = datetime(2026, 1, 10, 6, 0, tzinfo=UTC)
    row = Notification.objects.create(
        patient=patient,
        kind="daily_reminder",
        local_date="2026-01-10",
        due_at=stale,
        status="sending",
        claimed_at=stale,
        attempts=1,
    )
    fresh = Notification.objects.create(
        patient=PatientFactory(),
        kind="daily_reminder",
        local_date="2026-01-10",
        due_at=stale,
        status="sending",
        claimed_at=stale + timedelta(minutes=9),
        attempts=1,
    )
    settings.OUTBOX_STALE_SECONDS = 300
    with time_machine.travel(stale + timedelta(minutes=10)):
        assert outbox_sweep() == 1
    row.refresh_from_db()
    fresh.refresh_from_db()
    assert (row.status, row.claimed_at) == ("queued", None)
    assert fresh.status == "sending"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_beats_ticking_at_once_make_each_reminder_once():
    with time_machine.travel(at(2026, 1, 9, 12, 0)):
        patients = [PatientFactory() for _ in range(30)]
        for patient in patients:
            schedule_for(patient)
    with time_machine.travel(at(2026, 1, 10, 6, 30, 30), tick=False):
        results = run_concurrently(lambda n: reminders_tick(), 3)
    assert all(isinstance(r, dict) for r in results), results
    assert sum(r.get("claimed", 0) for r in results) == 30
    assert Notification.objects.filter(kind="daily_reminder").count() == 30
    assert Notification.objects.values("patient").distinct().count() == 30


def test_weekly_checkin_reminder_when_none_answered_for_a_week(schedule, patient):
    with time_machine.travel(at(2026, 1, 10, 6, 31)):
        reminders_tick()
    kinds = sorted(Notification.objects.values_list("kind", flat=True))
    assert kinds == ["daily_reminder", "weekly_checkin"]
    # Not again the next day, nor while a check-in was answered in the last week.
    CheckIn.objects.create(patient=patient, kind="onboarding", answers={})
    with time_machine.travel(at(2026, 1, 11, 6, 31)):
        reminders_tick()
    assert Notification.objects.filter(kind="weekly_checkin").count() == 1
