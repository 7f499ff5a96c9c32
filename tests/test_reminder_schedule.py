"""Next occurrences in the patient's time zone, stepping local days: right across DST."""

from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

import pytest

from reminders.schedule import next_occurrence

CPH = ZoneInfo("Europe/Copenhagen")
EVERY_DAY = range(7)


def local(*args, tz=CPH):
    return datetime(*args, tzinfo=tz)


def test_daily_0730_in_winter_and_summer():
    winter = next_occurrence(
        after=local(2026, 1, 10, 8, 0), tz=CPH, at=time(7, 30), weekdays=EVERY_DAY
    )
    assert winter == local(2026, 1, 11, 7, 30) and winter.utcoffset().total_seconds() == 0
    assert winter.astimezone(CPH).hour == 7


@pytest.mark.parametrize(
    ("after", "expected_utc"),
    [
        # 07:30 the day before the spring change (CET, UTC+1) and the day after (CEST, UTC+2):
        (local(2026, 3, 28, 8, 0), datetime(2026, 3, 29, 5, 30, tzinfo=UTC)),  # 07:30 CEST
        (local(2026, 10, 24, 8, 0), datetime(2026, 10, 25, 6, 30, tzinfo=UTC)),  # 07:30 CET
    ],
)
def test_the_wall_clock_time_survives_the_change(after, expected_utc):
    got = next_occurrence(after=after, tz=CPH, at=time(7, 30), weekdays=EVERY_DAY)
    assert got == expected_utc
    assert got.astimezone(CPH).time() == time(7, 30)


def test_0230_on_the_spring_forward_night_goes_out_at_0330():
    # 02:30 does not exist on 29 March 2026 in Copenhagen (02:00 -> 03:00).
    got = next_occurrence(
        after=local(2026, 3, 28, 12, 0), tz=CPH, at=time(2, 30), weekdays=EVERY_DAY
    )
    assert got.astimezone(CPH).replace(tzinfo=None) == datetime(2026, 3, 29, 3, 30)
    assert got == datetime(2026, 3, 29, 1, 30, tzinfo=UTC)


def test_0230_on_the_fall_back_night_goes_out_once():
    # 02:30 happens twice on 25 October 2026 (03:00 CEST -> 02:00 CET).
    first = next_occurrence(
        after=local(2026, 10, 24, 12, 0), tz=CPH, at=time(2, 30), weekdays=EVERY_DAY
    )
    assert first == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)  # the first 02:30 (CEST)
    # Asked again just after sending it, even during the repeated hour, the next one is the
    # following night: not the second 02:30.
    second = next_occurrence(after=first, tz=CPH, at=time(2, 30), weekdays=EVERY_DAY)
    assert second == datetime(2026, 10, 26, 1, 30, tzinfo=UTC)
    repeated_hour = datetime(2026, 10, 25, 1, 40, tzinfo=UTC)  # 02:40 CET, the second pass
    assert (
        next_occurrence(after=repeated_hour, tz=CPH, at=time(2, 30), weekdays=EVERY_DAY) == second
    )


def test_weekdays_only():
    # Friday 9 January 2026, 08:00: next Monday-Wednesday-only reminder is Monday the 12th.
    got = next_occurrence(after=local(2026, 1, 9, 8, 0), tz=CPH, at=time(7, 30), weekdays=[0, 1, 2])
    assert got.astimezone(CPH).date().isoformat() == "2026-01-12"


def test_same_day_if_still_ahead():
    got = next_occurrence(after=local(2026, 1, 9, 6, 0), tz=CPH, at=time(7, 30), weekdays=EVERY_DAY)
    assert got == local(2026, 1, 9, 7, 30)


def test_another_time_zone():
    tokyo = ZoneInfo("Asia/Tokyo")
    got = next_occurrence(
        after=datetime(2026, 1, 9, 0, 0, tzinfo=UTC), tz=tokyo, at=time(7, 30), weekdays=EVERY_DAY
    )
    assert got == datetime(2026, 1, 9, 22, 30, tzinfo=UTC)  # 07:30 on the 10th in Tokyo


def test_no_weekdays_no_occurrence():
    assert (
        next_occurrence(after=local(2026, 1, 9, 6, 0), tz=CPH, at=time(7, 30), weekdays=[]) is None
    )
