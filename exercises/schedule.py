"""Pure rules for programmes: which week it is, which stage applies, what is due, adherence.

No database access here; selectors feed these functions plain values so the same rules serve
a patient's day, a physio's list of hundreds of patients and the tests.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

ADHERENCE_DAYS = 14

# The numeric dosage fields, the one list the models, the seed loader and stages share.
NUMBER_FIELDS = (
    "sets",
    "reps",
    "hold_seconds",
    "tempo_up",
    "tempo_hold",
    "tempo_down",
    "rest_seconds",
    "times_per_day",
    "every_n_days",
)
TEXT_FIELDS = ("load", "notes_da", "notes_en")
DOSAGE_FIELDS = (*NUMBER_FIELDS, *TEXT_FIELDS, "stages")
# Fields a stage may set; while the stage applies they replace the item's own values. The
# schedule (times per day, every n days) belongs to the item, not the stage.
STAGE_FIELDS = tuple(
    f for f in (*NUMBER_FIELDS, *TEXT_FIELDS) if f not in ("times_per_day", "every_n_days")
)


def programme_day(starts_on: date, today: date) -> int:
    """Day 1 is the start date; 0 or less before it."""
    return (today - starts_on).days + 1


def programme_week(starts_on: date, today: date) -> int:
    """Week 1 is days 1-7; 0 before the start."""
    day = programme_day(starts_on, today)
    return 0 if day < 1 else (day - 1) // 7 + 1


def stage_number(stages: Sequence[dict], week: int, held_stage: int | None) -> int | None:
    """The 1-based stage that applies: the physio's held stage, else the last stage whose
    `from_week` has been reached (the first stage before the programme starts)."""
    if not stages:
        return None
    if held_stage is not None:
        return min(max(held_stage, 1), len(stages))
    current = 1
    for number, stage in enumerate(stages, start=1):
        if week >= stage["from_week"]:
            current = number
    return current


def stage_step_up_dates(
    starts_on: date, ends_on: date | None, stages: Sequence[dict], held_stage: int | None
) -> list[date]:
    """The local dates an item moves up to a higher stage as the weeks pass (`stage_number`):
    the first day of each week in which its stage rises, before the programme ends
    (`ends_on`, exclusive). An item held on a stage never steps up: holding it (or stepping
    back) is the physio's answer to a load that was too high."""
    if held_stage is not None or not stages:
        return []
    dates = []
    for week in sorted({stage["from_week"] for stage in stages if stage["from_week"] > 1}):
        if stage_number(stages, week, None) > stage_number(stages, week - 1, None):
            day = starts_on + timedelta(days=7 * (week - 1))
            if ends_on is None or day < ends_on:
                dates.append(day)
    return dates


def effective_dosage(dosage: dict, week: int, held_stage: int | None) -> tuple[dict, int | None]:
    """The item's dosage with the current stage applied, and the stage number."""
    stages = dosage.get("stages") or []
    number = stage_number(stages, week, held_stage)
    result = {key: value for key, value in dosage.items() if key != "stages"}
    if number is not None:
        stage = stages[number - 1]
        for field in STAGE_FIELDS:
            if field not in stage:
                continue
            # An empty text in a stage keeps the item's own; a null number means "none"
            # (a stage without a hold has no hold, whatever the item said).
            if field in TEXT_FIELDS and not stage[field]:
                continue
            result[field] = stage[field]
    return result, number


def dosage_tempo(dosage: dict) -> dict | None:
    """The tempo as {"up", "hold", "down"} seconds, or None when the dosage has none (a
    missing hold is 0 s)."""
    if dosage.get("tempo_up") is None and dosage.get("tempo_down") is None:
        return None
    return {
        "up": dosage.get("tempo_up") or 0,
        "hold": dosage.get("tempo_hold") or 0,
        "down": dosage.get("tempo_down") or 0,
    }


def dosage_notes(dosage: dict, language: str) -> str:
    """The notes in the patient's language, Danish when there are none in English."""
    if language == "en" and dosage.get("notes_en"):
        return dosage["notes_en"]
    return dosage.get("notes_da") or dosage.get("notes_en") or ""


def sessions_per_day(times_per_day: int | None) -> int:
    """How many sessions of an item a due day holds: its times a day, once when it says
    nothing. Each can be ticked on its own and counts towards adherence."""
    return times_per_day or 1


def is_due(starts_on: date, every_n_days: int | None, day: date) -> bool:
    """Every-n-days items fall on the start date and every n-th local date after it, so an
    every-other-day item keeps its rhythm across month ends and daylight-saving changes."""
    if day < starts_on:
        return False
    return (day - starts_on).days % (every_n_days or 1) == 0


@dataclass(frozen=True)
class ScheduledItem:
    item_id: int
    starts_on: date
    ends_on: date | None  # exclusive
    every_n_days: int | None
    counts: bool  # advice items are never "due" and do not count towards adherence
    sessions: int = 1  # sessions a due day holds (sessions_per_day)

    def due_on(self, day: date) -> bool:
        if not self.counts or (self.ends_on is not None and day >= self.ends_on):
            return False
        return is_due(self.starts_on, self.every_n_days, day)


def due_days(item: ScheduledItem, first: date, last: date) -> int:
    """How many of the local dates `first` .. `last` the item is due on (counted, not
    walked: a physio's list asks this for thousands of items)."""
    if not item.counts:
        return 0
    step = item.every_n_days or 1
    first = max(first, item.starts_on)
    if item.ends_on is not None:
        last = min(last, item.ends_on - timedelta(days=1))
    if last < first:
        return 0
    # The first due date on or after `first`: the start plus a whole number of steps.
    offset = -(first - item.starts_on).days % step
    first_due = first + timedelta(days=offset)
    return 0 if first_due > last else (last - first_due).days // step + 1


def adherence_from_counts(
    items: Iterable[ScheduledItem],
    done_on_due_days: dict[int, int],
    done_today: dict[int, int],
    today: date,
    days: int = ADHERENCE_DAYS,
) -> Decimal | None:
    """Completed due sessions / due sessions over the `days` local dates ending today.

    A due day of an item done three times a day holds three sessions. `done_on_due_days`:
    item id -> sessions done on the item's due dates in the window (today included, each day
    counted up to its sessions); `done_today`: item id -> sessions done today. Today's sessions
    count once they are done but are not held against the patient while the day is still
    going. None when nothing was due (no programme yet, or only advice).
    """
    due = completed = 0
    first = today - timedelta(days=days - 1)
    for item in items:
        if not item.counts:
            continue
        due += due_days(item, first, today - timedelta(days=1)) * item.sessions
        if item.due_on(today):
            due += min(done_today.get(item.item_id, 0), item.sessions)
        completed += done_on_due_days.get(item.item_id, 0)
    if due == 0:
        return None
    return (Decimal(completed) / Decimal(due)).quantize(Decimal("0.01"), ROUND_HALF_UP)


def adherence(
    items: Iterable[ScheduledItem],
    done: Iterable[tuple[int, date, int]],
    today: date,
    days: int = ADHERENCE_DAYS,
) -> Decimal | None:
    """`adherence_from_counts` for (item id, local date, session) completions. A session
    beyond the item's sessions a day (the physio lowered its times a day after it was
    ticked) does not count."""
    items = list(items)
    first = today - timedelta(days=days - 1)
    by_id = {item.item_id: item for item in items}
    counts: dict[int, int] = {}
    today_done: dict[int, int] = {}
    for item_id, day, session in set(done):
        item = by_id.get(item_id)
        if item is None or session > item.sessions:
            continue
        if first <= day <= today and item.due_on(day):
            counts[item_id] = counts.get(item_id, 0) + 1
        if day == today:
            today_done[item_id] = today_done.get(item_id, 0) + 1
    return adherence_from_counts(items, counts, today_done, today, days)
