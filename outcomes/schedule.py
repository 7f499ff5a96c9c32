"""When the questionnaires are due, on the episode's clock (clinical.md "Outcome questionnaires").

Pure: a function of the episode's start and close dates and the patient's local today.

Day 1 is the episode's start (as in progress.assessment). The timepoints:

- start: due on day 1;
- week_6 and week_12: due on the last day of that week (day 42 and day 84), so the answers are
  there when the review advice of that week starts the day after (progress.assessment);
- close: due on the day the episode was closed.

PSFS, PASS and FFI are asked at every timepoint, the global rating of change from week 6 on
(it asks about change since the start, which means nothing on day 1).

A timepoint is open from its due date until the next timepoint falls due (the start
questionnaire answered in week 7 would no longer describe the start); the last one (week 12, or
close) stays open OPEN_DAYS_LAST days. It is overdue OVERDUE_AFTER_DAYS days after its due date.
A week-6 or week-12 timepoint after the episode's close is not due: the close one replaces it;
and if the episode closes on the day a review week ends, both are asked only once, as `close`.
"""

from dataclasses import dataclass
from datetime import date, timedelta

START, WEEK_6, WEEK_12, CLOSE = "start", "week_6", "week_12", "close"
TIMEPOINTS = (START, WEEK_6, WEEK_12, CLOSE)
REVIEW_WEEKS = {WEEK_6: 6, WEEK_12: 12}

ALL = ("psfs", "ffi", "groc", "pass")
NO_GROC = ("psfs", "ffi", "pass")
INSTRUMENTS_AT = {START: NO_GROC, WEEK_6: ALL, WEEK_12: ALL, CLOSE: ALL}

OPEN_DAYS_LAST = 28
OVERDUE_AFTER_DAYS = 7


@dataclass(frozen=True)
class Timepoint:
    name: str
    due_on: date
    open_until: date  # the last day it can be answered
    instruments: tuple[str, ...]

    def overdue(self, today: date) -> bool:
        return today >= self.due_on + timedelta(days=OVERDUE_AFTER_DAYS)


def timepoints(starts_on: date, closed_on: date | None) -> list[Timepoint]:
    """Every timepoint of the episode, in order, whether due yet or not."""
    dates = [(START, starts_on)]
    for name, week in REVIEW_WEEKS.items():
        due = starts_on + timedelta(days=week * 7 - 1)
        if closed_on is None or due < closed_on:
            dates.append((name, due))
    if closed_on is not None:
        dates.append((CLOSE, closed_on))
    result = []
    for index, (name, due) in enumerate(dates):
        if index + 1 < len(dates):
            until = dates[index + 1][1] - timedelta(days=1)
        else:
            until = due + timedelta(days=OPEN_DAYS_LAST - 1)
        result.append(Timepoint(name, due, max(until, due), INSTRUMENTS_AT[name]))
    return result


def due(starts_on: date, closed_on: date | None, today: date) -> list[Timepoint]:
    """The timepoints open on `today` (due and not yet past answering): at most one."""
    return [t for t in timepoints(starts_on, closed_on) if t.due_on <= today <= t.open_until]


def reached(starts_on: date, closed_on: date | None, today: date) -> list[Timepoint]:
    """Every timepoint whose due date has come, open or past."""
    return [t for t in timepoints(starts_on, closed_on) if t.due_on <= today]
