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

    def due_on(self, day: date) -> bool:
        if not self.counts or (self.ends_on is not None and day >= self.ends_on):
            return False
        return is_due(self.starts_on, self.every_n_days, day)


def adherence(
    items: Iterable[ScheduledItem],
    done: set[tuple[int, date]],
    today: date,
    days: int = ADHERENCE_DAYS,
) -> Decimal | None:
    """Completed due sessions / due sessions over the `days` local dates ending today.

    Today's sessions count once they are done but are not held against the patient while the
    day is still going. None when nothing was due (no programme yet, or only advice).
    """
    due = completed = 0
    window = [today - timedelta(days=offset) for offset in range(days)]
    for item in items:
        for day in window:
            if not item.due_on(day):
                continue
            is_done = (item.item_id, day) in done
            if day == today and not is_done:
                continue
            due += 1
            completed += is_done
    if due == 0:
        return None
    return (Decimal(completed) / Decimal(due)).quantize(Decimal("0.01"), ROUND_HALF_UP)
