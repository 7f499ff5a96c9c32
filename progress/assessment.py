"""The seek-care rule: what a patient's morning-pain diary says, and what to suggest.

Rule version 2026-11-1 (``RULE_VERSION``). In plain words, with the default thresholds:

- The programme's start date is day 1; days 1-7 are week 1, days 8-14 week 2, and so on.
- **Starting point (baseline, B)**: the mean morning pain of days 1-7, if at least 3 days were
  logged. With fewer, the window grows a day at a time (days 1-8, 1-9, 1-10) until it holds 3
  entries. Until the window has closed the status is *collecting*; if even days 1-10 hold fewer
  than 3 entries there is no baseline and the app shows the data only (*data_only*). A
  physiotherapist can set B from the first consultation instead; then there is nothing to
  collect.
- **Now (current, C)**: the mean of the last 7 days, today included, if at least 4 of them were
  logged. Otherwise the status is *not_enough_data*: silence is never read as a conclusion.
- **Worse**: C is at least 2 points or 30 % above B, both in the last 7 days and in the 7 days
  before them (two weekly windows in a row, each with at least 4 entries). Only from week 2.
- **Floor**: with B at 2 or lower an improvement cannot be measured, so the status is
  *data_only*; only getting worse still prompts.
- **Improving**: C is at least 2 points or 30 % below B.
- Anything else is *not_improving*.

Two edge cases the design leaves open are decided here: before day 1 the status is *collecting*
even with a baseline set by hand (nothing of the programme can be judged yet), and a missing
current mean is *not_enough_data* also under the floor (logging more is what lets a worsening be
seen).

Advice, always a suggestion to contact a professional and never a diagnosis: worse -> contact
your physiotherapist; not improving after the end of the first review week (6) -> book a review
of the plan; not improving after the end of the last review week (12) -> see your own doctor or
physiotherapist for a re-assessment; improving after the last review week -> keep going.

Comparisons use exact fractions of the integer sums: "exactly 2 points" or "exactly 30 %" must
count as improving, and binary floats put such values a hair below the line. Only the numbers
that are reported are rounded (half up). Clinics and physiotherapists can change the thresholds
and review weeks; the evidence behind the defaults is in the design note clinical-evidence.md.

This module is pure: no database, no settings, no clock. "Today" is the patient's local date,
passed in by the caller.
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from fractions import Fraction
from functools import lru_cache
from itertools import pairwise

from django.utils.translation import gettext_lazy as _

RULE_VERSION = "2026-11-1"

COLLECTING = "collecting"
NOT_ENOUGH_DATA = "not_enough_data"
IMPROVING = "improving"
NOT_IMPROVING = "not_improving"
WORSE = "worse"
DATA_ONLY = "data_only"
STATUSES = (COLLECTING, NOT_ENOUGH_DATA, IMPROVING, NOT_IMPROVING, WORSE, DATA_ONLY)

URGENCIES = ("none", "review", "soon", "same_day")

PAIN_MIN, PAIN_MAX = 0, 10
WEEK = 7  # days in a window: the baseline's first window, the current and the previous window


@dataclass(frozen=True)
class Thresholds:
    improve_points: Decimal = Decimal("2")  # B - C >= this  -> improving
    improve_percent: Decimal = Decimal("30")  # (B - C) / B * 100 >= this -> improving
    worse_points: Decimal = Decimal("2")  # C - B >= this ...
    # ... or (C - B) / B * 100 >= this, in two consecutive weekly windows -> worse
    worse_percent: Decimal = Decimal("30")
    baseline_floor: Decimal = Decimal("2")  # B <= this -> data only (only worsening prompts)
    baseline_min_entries: int = 3
    baseline_max_day: int = 10  # widen the baseline window from day 7 up to this day
    window_min_entries: int = 4  # a 7-day window needs at least this many entries
    worse_from_week: int = 2


@dataclass(frozen=True)
class Advice:
    code: str  # stable machine code, part of the API
    urgency: str  # one of URGENCIES
    seek_care: bool
    title: str  # lazy-translated
    text: str  # lazy-translated


@dataclass(frozen=True)
class SeriesPoint:
    date: date
    morning_pain: int
    mean_7d: Decimal | None  # mean of [date-6, date], 1 decimal, if that window has enough entries


@dataclass(frozen=True)
class Assessment:
    status: str
    week: int
    day: int
    baseline: Decimal | None
    baseline_source: str | None  # "entries" | "override" | None
    current: Decimal | None
    change_points: Decimal | None
    change_percent: Decimal | None
    entries_last_7: int
    advice: Advice | None
    series: tuple[SeriesPoint, ...]
    review_weeks: tuple[int, ...]
    target: Decimal | None


# The texts also go out as notifications, which can show on a lock screen: no pain values in them.
ADVICE: dict[str, Advice] = {
    advice.code: advice
    for advice in (
        Advice(
            code="worse",
            urgency="soon",
            seek_care=True,
            title=_("Contact your physiotherapist"),
            text=_(
                "For a while now, your morning pain has been higher than when you started. "
                "Please contact your physiotherapist, so you can look at your plan together. "
                "If the pain gets much worse or you notice a warning sign, contact a doctor."
            ),
        ),
        Advice(
            code="review_first",
            urgency="review",
            seek_care=True,
            title=_("Time to review your plan"),
            text=_(
                "Your morning pain has not gone down as much as we hoped yet. "
                "Please book a review of your plan with your physiotherapist. "
                "A change to the exercises or the load often helps."
            ),
        ),
        Advice(
            code="review_last",
            urgency="soon",
            seek_care=True,
            title=_("Time for a re-assessment"),
            text=_(
                "Your morning pain has not gone down as much as we hoped. "
                "Please see your own doctor or your physiotherapist for a re-assessment. "
                "They can look at whether other treatment or a further examination could help."
            ),
        ),
        Advice(
            code="keep_going",
            urgency="none",
            seek_care=False,
            title=_("Keep going"),
            text=_(
                "Your morning pain is clearly lower than when you started. Keep doing your "
                "exercises. Your physiotherapist will decide with you when you can do less."
            ),
        ),
    )
}


def assess(
    *,
    entries: Iterable[tuple[date, int]] | Mapping[date, int],
    programme_start: date,
    today: date,
    baseline_override: Decimal | int | float | None = None,
    review_weeks: Sequence[int] = (6, 12),
    thresholds: Thresholds = Thresholds(),  # frozen, so one shared default is safe
    with_series: bool = True,
) -> Assessment:
    """Assess a diary on `today` (the patient's local date); see the module docstring.

    `with_series=False` leaves the chart's series empty: a list of many patients needs only
    the verdict, and the series costs a window mean per entry. Nothing else changes."""
    t = thresholds
    reviews = _checked_review_weeks(review_weeks)
    override = _checked_override(baseline_override)
    day = (today - programme_start).days + 1
    week = (day - 1) // WEEK + 1 if day >= 1 else 0

    # Day number -> pain, only for days 1..today: what was logged before the programme started
    # describes another situation, and a future date cannot have been felt yet.
    pains = {
        (entry_date - programme_start).days + 1: pain
        for entry_date, pain in _checked_entries(entries).items()
        if programme_start <= entry_date <= today
    }

    current = _window_mean(pains, day - WEEK + 1, day, t.window_min_entries)
    previous = _window_mean(pains, day - 2 * WEEK + 1, day - WEEK, t.window_min_entries)

    if override is not None:
        baseline, source, collecting = override, "override", False
    else:
        baseline, collecting = _baseline(pains, day, t)
        source = "entries" if baseline is not None else None

    if day < 1:
        # Nothing can be said before the programme starts, even with a baseline set by hand.
        status = COLLECTING
    elif baseline is None:
        status = COLLECTING if collecting else DATA_ONLY
    elif current is None:
        status = NOT_ENOUGH_DATA
    elif (
        week >= t.worse_from_week
        and previous is not None
        and _is_worse(current, baseline, t)
        and _is_worse(previous, baseline, t)
    ):
        status = WORSE
    elif baseline <= _exact(t.baseline_floor):
        status = DATA_ONLY
    elif _is_improving(current, baseline, t):
        status = IMPROVING
    else:
        status = NOT_IMPROVING

    return Assessment(
        status=status,
        week=week,
        day=day,
        baseline=_rounded(baseline, 1),
        baseline_source=source,
        current=_rounded(current, 1),
        change_points=(
            _rounded(current - baseline, 1)
            if current is not None and baseline is not None
            else None
        ),
        change_percent=(
            _rounded((current - baseline) / baseline * 100, 0)
            if current is not None and baseline
            else None
        ),
        entries_last_7=sum(1 for n in range(day - WEEK + 1, day + 1) if n in pains),
        advice=_advice(status, day, reviews),
        series=tuple(
            SeriesPoint(
                date=programme_start + timedelta(days=n - 1),
                morning_pain=pain,
                mean_7d=_rounded(_window_mean(pains, n - WEEK + 1, n, t.window_min_entries), 1),
            )
            for n, pain in sorted(pains.items())
        )
        if with_series
        else (),
        review_weeks=reviews,
        target=_rounded(_target(baseline, t), 1),
    )


def verdict_windows(thresholds: Thresholds = Thresholds()) -> tuple[int, int]:
    """(B, R): everything but the series reads only the entries of programme days 1..B (the
    widest baseline window) and of the R days ending today (the current and the previous
    weekly window). A caller assessing many patients fetches just those."""
    return max(WEEK, thresholds.baseline_max_day), 2 * WEEK


def _baseline(pains: dict[int, int], day: int, t: Thresholds) -> tuple[Fraction | None, bool]:
    """(B, still collecting). Widen days 1-7 a day at a time, up to `baseline_max_day`."""
    for end in range(WEEK, max(WEEK, t.baseline_max_day) + 1):
        if day <= end:
            # Today's entry, or a later one in this window, may still come.
            return None, True
        in_window = [pains[n] for n in range(1, end + 1) if n in pains]
        if len(in_window) >= t.baseline_min_entries:
            return Fraction(sum(in_window), len(in_window)), False
    return None, False


def _window_mean(pains: dict[int, int], first: int, last: int, min_entries: int) -> Fraction | None:
    # Look the window's days up rather than scan the diary: the series asks once per entry.
    in_window = [pains[n] for n in range(first, last + 1) if n in pains]
    if len(in_window) < max(min_entries, 1):
        return None
    return Fraction(sum(in_window), len(in_window))


@lru_cache(maxsize=64)
def _exact(threshold: Decimal) -> Fraction:
    # Thresholds are a handful of Decimals, compared thousands of times: convert each once.
    return Fraction(threshold)


def _is_improving(current: Fraction, baseline: Fraction, t: Thresholds) -> bool:
    drop = baseline - current
    # Written as a product, not a quotient, so that B = 0 needs no special case.
    return drop >= _exact(t.improve_points) or (
        baseline > 0 and drop * 100 >= _exact(t.improve_percent) * baseline
    )


def _is_worse(window_mean: Fraction, baseline: Fraction, t: Thresholds) -> bool:
    rise = window_mean - baseline
    return rise >= _exact(t.worse_points) or (
        baseline > 0 and rise * 100 >= _exact(t.worse_percent) * baseline
    )


def _target(baseline: Fraction | None, t: Thresholds) -> Fraction | None:
    """Upper edge of the target band: where the mean would count as improving."""
    if baseline is None:
        return None
    by_points = baseline - _exact(t.improve_points)
    by_percent = baseline * (1 - _exact(t.improve_percent) / 100)
    return max(by_points, by_percent, Fraction(0))


def _advice(status: str, day: int, reviews: tuple[int, ...]) -> Advice | None:
    # A review week's advice starts the day after that week ends: the whole week has been seen.
    past_last_review = day > WEEK * reviews[-1]
    if status == WORSE:
        return ADVICE["worse"]
    if status == NOT_IMPROVING and past_last_review:
        return ADVICE["review_last"]
    if status == NOT_IMPROVING and day > WEEK * reviews[0]:
        return ADVICE["review_first"]
    if status == IMPROVING and past_last_review:
        return ADVICE["keep_going"]
    return None


def _rounded(value: Fraction | None, places: int) -> Decimal | None:
    """Round half up (away from zero), exactly: no float or Decimal context in between."""
    if value is None:
        return None
    # floor(|n/d| * 10^p + 1/2) in integers: the same number, without Fraction's overhead
    # (the physio's list rounds five values for each of a thousand patients).
    whole = (2 * abs(value.numerator) * 10**places + value.denominator) // (2 * value.denominator)
    return Decimal(-whole if value < 0 else whole).scaleb(-places)


def _checked_entries(entries) -> dict[date, int]:
    pairs = entries.items() if isinstance(entries, Mapping) else entries
    by_date: dict[date, int] = {}
    for pair in pairs:
        try:
            entry_date, pain = pair
        except (TypeError, ValueError):
            raise ValueError(f"each entry must be a (date, pain) pair, got {pair!r}") from None
        # A datetime is a date too, but comparing it with a date fails; the diary is by day.
        if not isinstance(entry_date, date) or isinstance(entry_date, datetime):
            raise ValueError(f"an entry's date must be a date, got {entry_date!r}")
        if isinstance(pain, bool) or not isinstance(pain, int) or not PAIN_MIN <= pain <= PAIN_MAX:
            raise ValueError(
                f"morning pain on {entry_date} must be a whole number from {PAIN_MIN} to "
                f"{PAIN_MAX}, got {pain!r}"
            )
        by_date[entry_date] = pain  # the diary's rule: the latest write wins
    return by_date


def _checked_override(value: Decimal | int | float | None) -> Fraction | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, Decimal | int | float):
        raise ValueError(f"baseline_override must be a number, got {value!r}")
    # str() first so that a float such as 6.4 means 6.4, not its binary neighbour.
    number = Decimal(str(value)) if isinstance(value, float) else Decimal(value)
    if not number.is_finite() or not PAIN_MIN <= number <= PAIN_MAX:
        raise ValueError(f"baseline_override must be from {PAIN_MIN} to {PAIN_MAX}, got {value!r}")
    return Fraction(number)


def _checked_review_weeks(review_weeks: Sequence[int]) -> tuple[int, ...]:
    weeks = tuple(review_weeks)
    if (
        not weeks
        or any(isinstance(w, bool) or not isinstance(w, int) or w < 1 for w in weeks)
        or any(a >= b for a, b in pairwise(weeks))
    ):
        raise ValueError(
            f"review_weeks must be one or more positive whole weeks in increasing order, "
            f"got {review_weeks!r}"
        )
    return weeks
