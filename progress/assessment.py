"""The seek-care rule: what a patient's morning-pain diary says, and what to suggest.

Rule version 2026-12-1 (``RULE_VERSION``). In plain words, with the default thresholds:

- The clock is the **episode of care** (clinical.md "Episode of care"): its start date is day 1;
  days 1-7 are week 1, days 8-14 week 2, and so on. Changing or replacing the programme never
  moves day 1, so a new programme at the week-6 review keeps the baseline and the week-12
  advice where they were.
- **Both heels**: a patient with both heels affected logs each; the rule uses the worse heel of
  each day. An entry is a (date, pain) pair, or a (date, pain, other heel's pain or None)
  triple; the series keeps both values for the chart, everything else reads the higher.
- **Starting point (baseline, B)**: the mean morning pain of days 1-7, if at least 3 days were
  logged. With fewer, the window grows a day at a time (days 1-8, 1-9, 1-10) until it holds 3
  entries. Until the window has closed the status is *collecting*; if even days 1-10 hold fewer
  than 3 entries there is no baseline and the app shows the data only (*data_only*). A
  physiotherapist can set B from the first consultation instead; then there is nothing to
  collect.
- **Now (current, C)**: the mean of the last 7 days, today included, if at least 4 of them were
  logged. Otherwise the status is *not_enough_data*: silence is never read as a conclusion.
- **Worse** ("higher than at the start", never "no improvement"): C is at least 2 points or 30 %
  above B, both in the last 7 days and in the 7 days before them (two weekly windows in a row,
  each with at least 4 entries). Both windows must lie inside the episode, so the first such pair
  ends on day 14, never before (and not before the week `worse_from_week` either).
- **Floor**: with B at 2 or lower an improvement cannot be measured, so the status is
  *data_only*; only getting worse still prompts.
- **Improving**: C is at least 2 points or 30 % below B.
- Anything else is *not_improving*.

Two edge cases the design leaves open are decided here: before day 1 the status is *collecting*
even with a baseline set by hand (nothing of the episode can be judged yet), and a missing
current mean is *not_enough_data* also under the floor (logging more is what lets a worsening be
seen).

Advice, always a suggestion to contact a professional and never a diagnosis, from the first that
applies (the order is decided here; clinical.md lists the rows without one):

1. *worse* -> contact your physiotherapist.
2. After the end of the **last** review week (12), not improving or too thin a diary to judge
   -> see your own doctor or physiotherapist for a re-assessment (*review_last*), until the
   physio records the outcome (``"week_12_outcome"`` in `reviews_done`). It wins over the first
   review's advice: past week 12 a week-6 review that was never recorded is moot.
3. **Load too high**: after a stage step-up on date S (`step_ups`), morning pain at least 2
   points above the mean of the 7 days before S (which needs at least 4 entries) on 2 days
   running, on or after S and within 14 days of it -> go back one stage and tell your
   physiotherapist (*load_too_high*). It yields to 1 and 2, which send the patient to a
   professional anyway and on firmer ground (two weeks of data against a few days), and it
   outranks 4: it asks for something to be done now, and also ends in a talk with the physio.
4. After the end of the **first** review week (6), not improving or too thin a diary to judge ->
   book a review of the plan (*review_first*), until the physio records the review
   (``"week_6_review"``).
5. Improving after the last review week -> keep going (*keep_going*).

"Too thin to judge" is *not_enough_data*, *collecting*, or *data_only* without a baseline: the
review is due anyway, and the advice says so (``Advice.thin_data``). It is not *data_only* or
*not_enough_data* under the floor (B <= 2): there only a worsening prompts. The review weeks'
names in `reviews_done` are the physio's records ("week_6_review", "week_12_outcome") and mean
the first and the last review week, whichever weeks the clinic chose. Only such a record ends a
review's advice: a new programme does not.

Comparisons use exact fractions of the integer sums: "exactly 2 points" or "exactly 30 %" must
count as improving, and binary floats put such values a hair below the line. Only the numbers
that are reported are rounded (half up). Clinics and physiotherapists can change the thresholds
and review weeks; the evidence behind the defaults is in the design note clinical-evidence.md.
Every text that explains the rule to a patient (the advice here, progress.explain for the pages)
is formatted from the `Thresholds` and review weeks in use, so it cannot drift from the rule.

This module is pure: no database, no settings, no clock. "Today" is the patient's local date,
passed in by the caller. The advice texts are lazy: they are formatted, in the language active
where they are shown, only when they are turned into text.
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from fractions import Fraction
from functools import lru_cache
from itertools import pairwise

from django.utils import formats
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

RULE_VERSION = "2026-12-1"

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

DEFAULT_REVIEW_WEEKS = (6, 12)
# The physio's records that end a review's advice (care.selectors.EpisodeClock.reviews_done):
# the first review week's, and the last one's (its outcome).
FIRST_REVIEW_DONE = "week_6_review"
LAST_REVIEW_DONE = "week_12_outcome"


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
    # Worse is never concluded before both windows lie in the episode (day 14); a later week
    # can be set here.
    worse_from_week: int = 2
    # Load too high: morning pain this many points above the week before a step-up ...
    load_rise_points: Decimal = Decimal("2")
    load_days_running: int = 2  # ... on this many days running ...
    # ... within this many days of the step-up (day S is the first). A stage's effect on
    # morning pain shows within days (a flare settles in 24-48 h, clinical.md); two weeks
    # later the new stage is the patient's normal, the week before the step-up no longer a
    # fair comparison, and a lasting rise is the worse rule's to judge.
    load_watch_days: int = 14


@dataclass(frozen=True)
class Advice:
    code: str  # stable machine code, part of the API
    urgency: str  # one of URGENCIES
    seek_care: bool
    title: str  # lazy-translated
    text: str  # lazy-translated, formatted from the rule's thresholds and review weeks
    thin_data: bool = False  # a review's advice given because the diary is too thin to judge


@dataclass(frozen=True)
class SeriesPoint:
    date: date
    morning_pain: int  # as logged (the left heel, for a patient with both heels)
    mean_7d: Decimal | None  # mean of [date-6, date], 1 decimal, if that window has enough entries
    morning_pain_other: int | None = None  # the other heel's, if both heels were logged


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
    thresholds: Thresholds = Thresholds()


# --- the advice texts ---------------------------------------------------------------------------
#
# Formatted from the thresholds and review weeks in use, so that what a text says is what the
# rule does. They carry thresholds and week numbers but never a pain value: the app's
# notifications (reminders.messages) have their own texts, without numbers, for a lock screen.


def number_text(value: Decimal | int) -> str:
    """A threshold as a patient reads it, in the active language: 2, 2,5 (Danish), 30."""
    value = Decimal(value)
    if value == value.to_integral_value():
        return formats.number_format(int(value), use_l10n=True)
    return formats.number_format(value.normalize(), use_l10n=True)


def _formatted(template, values: dict) -> str:
    numbers = {k: number_text(v) if isinstance(v, Decimal) else v for k, v in values.items()}
    return str(template) % numbers


lazy_format = lazy(_formatted, str)


def _days_running(values: dict) -> str:
    return ngettext("%(days)s day running", "%(days)s days running", values["days"]) % values


days_running_text = lazy(_days_running, str)

# code -> (urgency, seek_care, title, text, text when the diary is too thin to judge)
_ADVICE_TEXTS = {
    "worse": (
        "soon",
        True,
        _("Contact your physiotherapist"),
        _(
            "Your morning pain has been higher than at the start for two weeks in a row: at "
            "least %(points)s points or %(percent)s %% higher. Please contact your "
            "physiotherapist, so you can look at your plan together. If the pain gets much "
            "worse or you notice a warning sign, contact a doctor."
        ),
        None,
    ),
    "review_last": (
        "soon",
        True,
        _("Time for a re-assessment"),
        _(
            "After %(week)s weeks, your morning pain is not clearly lower than at the start "
            "(at least %(points)s points or %(percent)s %% lower). Please see your own doctor "
            "or your physiotherapist for a re-assessment. They can look at whether other "
            "treatment or a further examination could help."
        ),
        _(
            "After %(week)s weeks, it is time for a re-assessment. Your diary has too few "
            "entries to tell how it is going (at least %(entries)s of the last 7 days are "
            "needed), but the re-assessment is due anyway. Please see your own doctor or your "
            "physiotherapist."
        ),
    ),
    "load_too_high": (
        "review",
        True,
        _("The load may be too high"),
        _(
            "Since your exercises moved up a stage, your morning pain has been at least "
            "%(points)s points higher than in the week before, %(running)s. Go back one stage "
            "and tell your physiotherapist."
        ),
        None,
    ),
    "review_first": (
        "review",
        True,
        _("Time to review your plan"),
        _(
            "After %(week)s weeks, your morning pain is not yet clearly lower than at the start "
            "(at least %(points)s points or %(percent)s %% lower). Please book a review of your "
            "plan with your physiotherapist. A change to the exercises or the load often helps."
        ),
        _(
            "After %(week)s weeks, it is time to review your plan. Your diary has too few "
            "entries to tell how it is going (at least %(entries)s of the last 7 days are "
            "needed), but the review is due anyway. Please book a review of your plan with your "
            "physiotherapist."
        ),
    ),
    "keep_going": (
        "none",
        False,
        _("Keep going"),
        _(
            "Your morning pain is clearly lower than at the start (at least %(points)s points "
            "or %(percent)s %% lower). Keep doing your exercises. Your physiotherapist will "
            "decide with you when you can do less."
        ),
        None,
    ),
}
ADVICE_CODES = tuple(_ADVICE_TEXTS)  # in the order they outrank each other


def advice_for(
    code: str,
    *,
    thresholds: Thresholds = Thresholds(),
    review_weeks: Sequence[int] = DEFAULT_REVIEW_WEEKS,
    thin_data: bool = False,
) -> Advice:
    """The advice `code` with its texts formatted from these thresholds and review weeks."""
    urgency, seek_care, title, text, thin_text = _ADVICE_TEXTS[code]
    t, weeks = thresholds, tuple(review_weeks)
    if code == "worse":
        values = {"points": t.worse_points, "percent": t.worse_percent}
    elif code == "load_too_high":
        running = days_running_text({"days": t.load_days_running})
        values = {"points": t.load_rise_points, "running": running}
    else:
        week = weeks[-1] if code == "review_last" else weeks[0]
        values = {
            "points": t.improve_points,
            "percent": t.improve_percent,
            "week": week,
            "entries": t.window_min_entries,
        }
    thin = thin_data and thin_text is not None
    return Advice(
        code=code,
        urgency=urgency,
        seek_care=seek_care,
        title=title,
        text=lazy_format(thin_text if thin else text, values),
        thin_data=thin,
    )


# With the default thresholds and review weeks: for listing the codes and for tests.
ADVICE: dict[str, Advice] = {code: advice_for(code) for code in ADVICE_CODES}


def assess(
    *,
    entries: Iterable[tuple] | Mapping[date, int],
    episode_start: date | None = None,
    today: date,
    baseline_override: Decimal | int | float | None = None,
    review_weeks: Sequence[int] = DEFAULT_REVIEW_WEEKS,
    thresholds: Thresholds = Thresholds(),  # frozen, so one shared default is safe
    reviews_done: frozenset[str] = frozenset(),
    step_ups: Sequence[date] = (),
    with_series: bool = True,
    programme_start: date | None = None,
) -> Assessment:
    """Assess a diary on `today` (the patient's local date); see the module docstring.

    `entries`: (date, pain) pairs, (date, pain, other heel's pain or None) triples, or a
    mapping of date to pain. `reviews_done`: the physio's records in this episode
    (`FIRST_REVIEW_DONE`, `LAST_REVIEW_DONE`). `step_ups`: the dates a programme item moved up
    a stage in this episode. `programme_start` is the old name of `episode_start`.

    `with_series=False` leaves the chart's series empty: a list of many patients needs only
    the verdict, and the series costs a window mean per entry. Nothing else changes."""
    if (episode_start is None) == (programme_start is None):
        raise ValueError("give episode_start (or its old name programme_start), once")
    start = episode_start if episode_start is not None else programme_start
    t = thresholds
    reviews = _checked_review_weeks(review_weeks)
    override = _checked_override(baseline_override)
    day = (today - start).days + 1
    week = (day - 1) // WEEK + 1 if day >= 1 else 0

    # Day number -> (pain, other heel's pain or None), only for days 1..today: what was logged
    # before the episode started describes another situation, and a future date cannot have
    # been felt yet. The rule reads the worse heel of each day (`pains`).
    logged = {
        (entry_date - start).days + 1: pair
        for entry_date, pair in _checked_entries(entries).items()
        if start <= entry_date <= today
    }
    pains = {n: pain if other is None else max(pain, other) for n, (pain, other) in logged.items()}

    current = _window_mean(pains, day - WEEK + 1, day, t.window_min_entries)
    previous = _window_mean(pains, day - 2 * WEEK + 1, day - WEEK, t.window_min_entries)

    if override is not None:
        baseline, source, collecting = override, "override", False
    else:
        baseline, collecting = _baseline(pains, day, t)
        source = "entries" if baseline is not None else None
    at_floor = baseline is not None and baseline <= _exact(t.baseline_floor)

    if day < 1:
        # Nothing can be said before the episode starts, even with a baseline set by hand.
        status = COLLECTING
    elif baseline is None:
        status = COLLECTING if collecting else DATA_ONLY
    elif current is None:
        status = NOT_ENOUGH_DATA
    elif (
        # Both windows inside the episode: the previous one starts on day 1 at the earliest.
        day >= 2 * WEEK
        and week >= t.worse_from_week
        and previous is not None
        and _is_worse(current, baseline, t)
        and _is_worse(previous, baseline, t)
    ):
        status = WORSE
    elif at_floor:
        status = DATA_ONLY
    elif _is_improving(current, baseline, t):
        status = IMPROVING
    else:
        status = NOT_IMPROVING

    load_high = day >= 1 and _load_too_high(
        pains, day, [(s - start).days + 1 for s in _checked_step_ups(step_ups)], t
    )
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
        advice=_advice(
            status,
            day,
            reviews,
            thin=status in (NOT_ENOUGH_DATA, COLLECTING, DATA_ONLY) and not at_floor,
            reviews_done=frozenset(reviews_done),
            load_high=load_high,
            t=t,
        ),
        series=tuple(
            SeriesPoint(
                date=start + timedelta(days=n - 1),
                morning_pain=pain,
                mean_7d=_rounded(_window_mean(pains, n - WEEK + 1, n, t.window_min_entries), 1),
                morning_pain_other=other,
            )
            for n, (pain, other) in sorted(logged.items())
        )
        if with_series
        else (),
        review_weeks=reviews,
        target=_rounded(_target(baseline, t), 1),
        thresholds=t,
    )


def verdict_windows(thresholds: Thresholds = Thresholds()) -> tuple[int, int]:
    """(B, R): everything but the series reads only the entries of episode days 1..B (the
    widest baseline window) and of the R days ending today (the current and the previous
    weekly window; and for the load rule the days since a step-up that can still prompt, with
    the week before it). A caller assessing many patients fetches just those."""
    return max(WEEK, thresholds.baseline_max_day), max(2 * WEEK, thresholds.load_watch_days + WEEK)


def _load_too_high(pains: dict[int, int], day: int, step_up_days: list[int], t: Thresholds) -> bool:
    """A step-up on day S, then `load_days_running` logged days in a row, on or after S and
    by today, each at least `load_rise_points` above the mean of days S-7..S-1; only while
    today is within `load_watch_days` of S."""
    rise = _exact(t.load_rise_points)
    for step_up in step_up_days:
        if not step_up <= day < step_up + t.load_watch_days:
            continue
        before = _window_mean(pains, step_up - WEEK, step_up - 1, t.window_min_entries)
        if before is None:
            continue
        running = 0
        for n in range(step_up, day + 1):
            running = running + 1 if n in pains and pains[n] >= before + rise else 0
            if running >= max(t.load_days_running, 1):
                return True
    return False


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


def _advice(
    status: str,
    day: int,
    reviews: tuple[int, ...],
    *,
    thin: bool,
    reviews_done: frozenset[str],
    load_high: bool,
    t: Thresholds,
) -> Advice | None:
    """The first advice that applies, in the order of the module docstring."""
    # A review week's advice starts the day after that week ends: the whole week has been seen.
    past_last_review = day > WEEK * reviews[-1]
    past_first_review = day > WEEK * reviews[0]
    due = status == NOT_IMPROVING or thin

    def advice(code: str) -> Advice:
        return advice_for(code, thresholds=t, review_weeks=reviews, thin_data=thin)

    if status == WORSE:
        return advice("worse")
    if past_last_review and due and LAST_REVIEW_DONE not in reviews_done:
        return advice("review_last")
    if load_high:
        return advice("load_too_high")
    if past_first_review and not past_last_review and due and FIRST_REVIEW_DONE not in reviews_done:
        return advice("review_first")
    if status == IMPROVING and past_last_review:
        return advice("keep_going")
    return None


def _rounded(value: Fraction | None, places: int) -> Decimal | None:
    """Round half up (away from zero), exactly: no float or Decimal context in between."""
    if value is None:
        return None
    # floor(|n/d| * 10^p + 1/2) in integers: the same number, without Fraction's overhead
    # (the physio's list rounds five values for each of a thousand patients).
    whole = (2 * abs(value.numerator) * 10**places + value.denominator) // (2 * value.denominator)
    return Decimal(-whole if value < 0 else whole).scaleb(-places)


def _checked_entries(entries) -> dict[date, tuple[int, int | None]]:
    """date -> (pain, other heel's pain or None), from pairs, triples or a mapping."""
    pairs = entries.items() if isinstance(entries, Mapping) else entries
    by_date: dict[date, tuple[int, int | None]] = {}
    for pair in pairs:
        try:
            entry_date, pain, *more = pair
        except (TypeError, ValueError):
            raise ValueError(f"each entry must be a (date, pain) pair, got {pair!r}") from None
        if len(more) > 1:
            raise ValueError(f"an entry has at most two pains (two heels), got {pair!r}")
        other = more[0] if more else None
        # A datetime is a date too, but comparing it with a date fails; the diary is by day.
        if not isinstance(entry_date, date) or isinstance(entry_date, datetime):
            raise ValueError(f"an entry's date must be a date, got {entry_date!r}")
        for value in (pain,) if other is None else (pain, other):
            if (
                isinstance(value, bool)
                or not isinstance(value, int)
                or not PAIN_MIN <= value <= PAIN_MAX
            ):
                raise ValueError(
                    f"morning pain on {entry_date} must be a whole number from {PAIN_MIN} to "
                    f"{PAIN_MAX}, got {value!r}"
                )
        by_date[entry_date] = (pain, other)  # the diary's rule: the latest write wins
    return by_date


def _checked_step_ups(step_ups: Sequence[date]) -> list[date]:
    days = list(step_ups)
    for value in days:
        if not isinstance(value, date) or isinstance(value, datetime):
            raise ValueError(f"a step-up must be a date, got {value!r}")
    return days


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
