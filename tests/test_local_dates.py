"""A patient's "today" is their own local date, never the server's (UTC).

Each test runs at a moment when the patient's date and the UTC date differ.
"""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from diary.models import CheckIn
from reminders.advice import REPEAT_AFTER_DAYS, advice_scan
from reminders.models import Notification
from reminders.services import reminders_tick, schedule_for, schedule_update

# 12:00 UTC on 5 December is already 6 December in Auckland (UTC+13); 02:00 UTC on
# 5 December is still 4 December in Los Angeles (UTC-8).
AUCKLAND = ("Pacific/Auckland", datetime(2026, 12, 5, 12, 0, tzinfo=UTC), date(2026, 12, 6))
LOS_ANGELES = ("America/Los_Angeles", datetime(2026, 12, 5, 2, 0, tzinfo=UTC), date(2026, 12, 4))


def _living_in(patient, tz):
    patient.user.timezone = tz
    patient.user.save(update_fields=["timezone"])
    return patient


def _red_flag(patient):
    # Advice to seek care that the patient has not yet acknowledged: advice_scan sends it.
    CheckIn.objects.create(
        patient=patient,
        kind=CheckIn.Kind.WEEKLY,
        answers={"sudden_pop": True},
        red_flags=["sudden_pop"],
        urgency="same_day",
    )


def _advice(patient, local_date):
    return Notification.objects.create(
        patient=patient,
        kind=Notification.Kind.ADVICE,
        local_date=local_date,
        due_at=datetime(2026, 1, 1, tzinfo=UTC),
        detail="red_flag",
    )


@pytest.mark.parametrize("where", [AUCKLAND, LOS_ANGELES], ids=["ahead", "behind"])
def test_advice_is_not_repeated_within_the_patients_own_window(patient, where):
    tz, now, local_today = where
    _living_in(patient, tz)
    with time_machine.travel(now, tick=False):
        assert patient.user.local_today() == local_today != now.date()
        _red_flag(patient)
        # Sent on the last date of the window counted in the patient's dates.
        _advice(patient, local_today - timedelta(days=REPEAT_AFTER_DAYS))
        assert advice_scan(everyone=True) == 0
    assert patient.notifications.filter(kind=Notification.Kind.ADVICE).count() == 1


@pytest.mark.parametrize("where", [AUCKLAND, LOS_ANGELES], ids=["ahead", "behind"])
def test_advice_is_repeated_once_the_patients_window_has_passed(patient, where):
    tz, now, local_today = where
    _living_in(patient, tz)
    with time_machine.travel(now, tick=False):
        _red_flag(patient)
        _advice(patient, local_today - timedelta(days=REPEAT_AFTER_DAYS + 1))
        assert advice_scan(everyone=True) == 1
    latest = patient.notifications.filter(kind=Notification.Kind.ADVICE).latest("local_date")
    assert latest.local_date == local_today


def test_diary_range_ends_on_the_patients_today(client_for, patient):
    client = client_for(_living_in(patient, AUCKLAND[0]).user)
    now, local_today = AUCKLAND[1], AUCKLAND[2]
    with time_machine.travel(now, tick=False):
        put = client.put(
            f"/api/v1/diary/{local_today}/", {"morning_pain": 4}, content_type="application/json"
        )
        assert put.status_code == 201, put.content
        dates = [entry["date"] for entry in client.get("/api/v1/diary/").json()]
    assert dates == [local_today.isoformat()]


@pytest.mark.parametrize(
    ("tz", "local_time", "days_ago", "sent"),
    [
        # 07:30 on 10 January in Auckland is 18:30 UTC on the 9th: 8 days ago is long enough.
        ("Pacific/Auckland", time(7, 30), 8, True),
        # 20:00 on 10 January in Los Angeles is 04:00 UTC on the 11th: 7 days ago is recent.
        ("America/Los_Angeles", time(20, 0), 7, False),
    ],
    ids=["ahead", "behind"],
)
def test_weekly_checkin_reminder_counts_the_patients_own_days(
    patient, tz, local_time, days_ago, sent
):
    _living_in(patient, tz)
    day = date(2026, 1, 10)
    due = datetime.combine(day, local_time, ZoneInfo(tz))
    assert due.astimezone(UTC).date() != day
    with time_machine.travel(due - timedelta(hours=12)):
        schedule_update(schedule=schedule_for(patient), local_time=local_time)
    Notification.objects.create(
        patient=patient,
        kind=Notification.Kind.WEEKLY_CHECKIN,
        local_date=day - timedelta(days=days_ago),
        due_at=due - timedelta(days=days_ago),
    )
    with time_machine.travel(due + timedelta(seconds=20), tick=False):
        reminders_tick()
    made = set(patient.notifications.filter(local_date=day).values_list("kind", flat=True))
    expected = {"daily_reminder", "weekly_checkin"} if sent else {"daily_reminder"}
    assert made == expected
