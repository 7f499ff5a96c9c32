"""Pure programme rules: weeks, stages, due dates, adherence."""

from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from exercises.schedule import (
    ScheduledItem,
    adherence,
    due_days,
    effective_dosage,
    is_due,
    programme_week,
    stage_number,
)
from exercises.seed_data import EXERCISES

HIGH_LOAD = next(e for e in EXERCISES if e["slug"] == "heel-raise-high-load")
STAGES = [
    {"from_week": s["from_week"], "sets": s["sets"], "reps": s["reps"], "load": s["load"]}
    for s in HIGH_LOAD["stages"]
]
START = date(2026, 3, 2)


@pytest.mark.parametrize(
    ("day_offset", "week"),
    [(-1, 0), (0, 1), (6, 1), (7, 2), (13, 2), (14, 3), (27, 4), (28, 5), (83, 12), (84, 13)],
)
def test_programme_week(day_offset, week):
    assert programme_week(START, START + timedelta(days=day_offset)) == week


@pytest.mark.parametrize(
    ("week", "expected"),
    [
        (0, (1, "12RM", 3, 12)),
        (1, (1, "12RM", 3, 12)),
        (2, (1, "12RM", 3, 12)),
        (3, (2, "10RM", 4, 10)),
        (4, (2, "10RM", 4, 10)),
        (5, (3, "8RM", 5, 8)),
        (12, (3, "8RM", 5, 8)),
    ],
)
def test_high_load_stage_advances_by_week(week, expected):
    dosage, stage = effective_dosage(
        {"sets": 3, "reps": 15, "load": "", "stages": STAGES}, week, None
    )
    assert (stage, dosage["load"], dosage["sets"], dosage["reps"]) == expected


def test_physio_holds_and_steps_back():
    assert stage_number(STAGES, week=6, held_stage=None) == 3
    assert stage_number(STAGES, week=6, held_stage=2) == 2  # step back one and hold
    assert stage_number(STAGES, week=1, held_stage=3) == 3  # hold can also jump ahead
    assert stage_number(STAGES, week=6, held_stage=9) == 3  # never past the last stage
    assert stage_number([], week=6, held_stage=None) is None


def test_stage_with_no_hold_clears_the_items_hold():
    dosage, _ = effective_dosage(
        {
            "hold_seconds": 5,
            "notes_da": "item",
            "stages": [{"from_week": 1, "hold_seconds": None, "notes_da": ""}],
        },
        1,
        None,
    )
    assert dosage["hold_seconds"] is None and dosage["notes_da"] == "item"


def test_every_other_day_across_a_month_boundary():
    start = date(2026, 1, 30)
    due = [d for d in (start + timedelta(days=i) for i in range(8)) if is_due(start, 2, d)]
    assert due == [date(2026, 1, 30), date(2026, 2, 1), date(2026, 2, 3), date(2026, 2, 5)]


def test_every_other_day_across_daylight_saving_changes():
    # Copenhagen springs forward on 29 March and falls back on 25 October 2026; local dates
    # keep their rhythm regardless of the 23- and 25-hour days.
    for start in (date(2026, 3, 27), date(2026, 10, 23)):
        days = [start + timedelta(days=i) for i in range(6)]
        assert [is_due(start, 2, d) for d in days] == [True, False, True, False, True, False]


def test_nothing_is_due_before_the_start():
    assert not is_due(START, 1, START - timedelta(days=1))


def _item(item_id=1, every=1, counts=True, starts_on=START, ends_on=None, sessions=1):
    return ScheduledItem(item_id, starts_on, ends_on, every, counts, sessions)


def test_adherence_counts_completed_due_sessions_over_due_sessions():
    today = START + timedelta(days=20)
    daily, other = _item(1, 1), _item(2, 2)
    window = [today - timedelta(days=i) for i in range(14)]
    done = {(1, d, 1) for d in window[1:8]} | {(2, d, 1) for d in window if is_due(START, 2, d)}
    # Daily: 13 due before today (today undone is not held against the patient), 7 done.
    # Every other day: today (day 21) is due and done, so 7 due, 7 done.
    assert adherence([daily, other], done, today) == Decimal(14) / Decimal(20)


def test_adherence_today_counts_once_done():
    today = START + timedelta(days=1)
    assert adherence([_item()], {(1, today, 1)}, today) == Decimal("0.50")  # yesterday missed
    assert adherence([_item()], set(), today) == Decimal("0.00")


def test_adherence_counts_each_session_of_a_day():
    """Three times a day: a due day holds three sessions; today's count as they are done;
    a session number beyond the item's sessions (times a day lowered since) does not count."""
    today = START + timedelta(days=2)
    thrice = _item(sessions=3)
    done = {(1, START, 1), (1, START, 2), (1, START, 3), (1, START + timedelta(days=1), 2)}
    # Before today: 2 days x 3 sessions = 6 due, 4 done.
    assert adherence([thrice], done, today) == (Decimal(4) / Decimal(6)).quantize(Decimal("0.01"))
    # Two of today's three done: 8 due, 6 done.
    today_two = done | {(1, today, 1), (1, today, 3)}
    assert adherence([thrice], today_two, today) == Decimal("0.75")
    assert adherence([_item(sessions=2)], done, today) == Decimal("0.75")  # session 3 ignored


def test_adherence_ignores_advice_and_has_no_value_without_due_sessions():
    assert adherence([_item(counts=False)], set(), START + timedelta(days=5)) is None
    assert adherence([], set(), START) is None


def test_adherence_spans_a_programme_change():
    today = START + timedelta(days=20)
    change = today - timedelta(days=3)
    old, new = _item(1, ends_on=change), _item(2, starts_on=change)
    done = {(1, change - timedelta(days=1), 1), (2, change, 1)}
    # Old: 10 due days in the window before the change, 1 done; new: 3 due before today, 1 done.
    assert adherence([old, new], done, today) == (Decimal(2) / Decimal(13)).quantize(
        Decimal("0.01")
    )


# --- adherence counted, not walked ---------------------------------------------------------

DAY = st.dates(min_value=date(2026, 1, 1), max_value=date(2026, 12, 31))
SCHEDULED = st.builds(
    ScheduledItem,
    item_id=st.integers(1, 4),
    starts_on=DAY,
    ends_on=st.one_of(st.none(), DAY),
    every_n_days=st.one_of(st.none(), st.integers(1, 7)),
    counts=st.booleans(),
    sessions=st.integers(1, 3),
)


def _walked_adherence(items, done, today, days=14):
    """The rule as first written: walk every date and session of the window for every item."""
    due = completed = 0
    for item in items:
        for day in (today - timedelta(days=offset) for offset in range(days)):
            if not item.due_on(day):
                continue
            for session in range(1, item.sessions + 1):
                is_done = (item.item_id, day, session) in done
                if day == today and not is_done:
                    continue
                due += 1
                completed += is_done
    if due == 0:
        return None
    return (Decimal(completed) / Decimal(due)).quantize(Decimal("0.01"), ROUND_HALF_UP)


@settings(max_examples=300, deadline=None, derandomize=True)
@given(item=SCHEDULED, first=DAY, length=st.integers(-3, 40))
def test_due_days_counts_what_walking_the_dates_finds(item, first, length):
    last = first + timedelta(days=length)
    walked = sum(item.due_on(first + timedelta(days=i)) for i in range(length + 1))
    assert due_days(item, first, last) == walked


@settings(max_examples=300, deadline=None, derandomize=True)
@given(
    items=st.lists(SCHEDULED, max_size=4, unique_by=lambda item: item.item_id),
    today=DAY,
    offsets=st.sets(
        st.tuples(st.integers(1, 4), st.integers(-2, 20), st.integers(1, 4)), max_size=40
    ),
)
def test_counted_adherence_equals_the_walked_rule(items, today, offsets):
    done = {
        (item_id, today - timedelta(days=offset), session) for item_id, offset, session in offsets
    }
    assert adherence(items, done, today) == _walked_adherence(items, done, today)
