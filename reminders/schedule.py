"""When a reminder is next due: pure functions over `zoneinfo`.

The next occurrence is found by stepping *local calendar days* in the patient's time zone and
placing the chosen local time on each, never by adding 24 hours: across a daylight-saving
change a day is 23 or 25 hours long, and "07:30 every day" must stay 07:30 on the wall clock.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo


def local_instant(day: date, at: time, tz: ZoneInfo) -> datetime:
    """The instant (in UTC) of a local wall-clock time on a local date.

    On the spring-forward night a time inside the gap (02:30 in Copenhagen) does not exist;
    with fold=0 zoneinfo reads it with the offset from before the change, which lands at the
    same moment as 03:30 after it: the reminder goes out at 03:30. On the fall-back night
    02:30 happens twice; fold=0 picks the first, and because we place exactly one instant
    per local date the reminder goes out once.
    """
    return datetime.combine(day, at, tzinfo=tz).astimezone(UTC)


def next_occurrence(
    *, after: datetime, tz: ZoneInfo, at: time, weekdays: Collection[int]
) -> datetime | None:
    """The first instant strictly after `after` that falls on one of the `weekdays`
    (Monday = 0) at local time `at`. None if no weekday is chosen."""
    if not weekdays:
        return None
    local_day = after.astimezone(tz).date()
    # Eight days covers "today, too late already" followed by a full week.
    for offset in range(8):
        day = local_day + timedelta(days=offset)
        if day.weekday() not in weekdays:
            continue
        instant = local_instant(day, at, tz)
        if instant > after:
            return instant
    return None  # unreachable with a non-empty weekday set


def local_date_of(instant: datetime, tz: ZoneInfo) -> date:
    return instant.astimezone(tz).date()
