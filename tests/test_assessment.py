"""The seek-care rule (progress/assessment.py) over hand-made diaries.

Pure tests: no database, no clock. Days are programme days (the start date is day 1), so each
case reads like the rule in clinical.md.
"""

from dataclasses import replace
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from django.utils import translation

from progress.assessment import ADVICE, RULE_VERSION, STATUSES, URGENCIES, Thresholds, assess

START = date(2026, 3, 2)


def day(n: int) -> date:
    return START + timedelta(days=n - 1)


def log(pains: list[int | None], first: int = 1) -> list[tuple[date, int]]:
    """Entries from a list of pains, one a day from day `first`; None leaves that day blank."""
    return [(day(first + i), pain) for i, pain in enumerate(pains) if pain is not None]


def run(entries, today: int, **kwargs):
    return assess(entries=entries, episode_start=START, today=day(today), **kwargs)


def steady(pain: int, days: int) -> list[tuple[date, int]]:
    return log([pain] * days)


# --- programme day and week -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("today", "expected_day", "expected_week"),
    [(-6, -6, 0), (0, 0, 0), (1, 1, 1), (7, 7, 1), (8, 8, 2), (14, 14, 2), (15, 15, 3)],
)
def test_day_and_week(today, expected_day, expected_week):
    result = run([], today)
    assert (result.day, result.week) == (expected_day, expected_week)


def test_the_rule_is_versioned_and_its_vocabulary_is_closed():
    assert RULE_VERSION
    assert set(STATUSES) == {
        "collecting",
        "not_enough_data",
        "improving",
        "not_improving",
        "worse",
        "data_only",
    }
    assert {advice.urgency for advice in ADVICE.values()} <= set(URGENCIES)


# --- collecting and the baseline --------------------------------------------------------------


def test_before_the_start_it_is_collecting_and_earlier_entries_are_ignored():
    entries = log([9, 9, 9, 9, 9], first=-6)  # days -6..-2, before the programme
    result = run(entries, today=0)
    assert result.status == "collecting"
    assert result.baseline is None and result.current is None
    assert result.series == () and result.entries_last_7 == 0
    assert result.advice is None


@pytest.mark.parametrize("today", [1, 4, 7])
def test_the_first_week_is_collecting_even_with_every_day_logged(today):
    result = run(steady(6, today), today)
    assert result.status == "collecting"
    assert result.baseline is None and result.baseline_source is None and result.target is None
    # The raw numbers are still there to show.
    assert len(result.series) == today
    assert result.entries_last_7 == today


def test_three_entries_in_the_first_week_give_the_baseline_on_day_8():
    # Day 8's entry belongs to the current window, not to the baseline.
    entries = log([4, None, 5, None, 6, None, None, 10])
    result = run(entries, today=8)
    assert result.baseline == Decimal("5.0")
    assert result.baseline_source == "entries"
    # Days 2-8 hold only 5, 6 and 10: a baseline, but no current mean yet.
    assert result.entries_last_7 == 3
    assert result.status == "not_enough_data"


def test_day_8_baseline_with_four_current_entries():
    entries = log([4, None, 5, None, 6, None, None])  # B = 5
    entries += log([5, 5, 5, 5], first=8)
    result = run(entries, today=11)  # window days 5-11: 6, 5, 5, 5, 5
    assert result.baseline == Decimal("5.0")
    assert result.entries_last_7 == 5
    assert result.status == "not_improving"


@pytest.mark.parametrize("third_day", [8, 9, 10])
def test_two_entries_in_the_first_week_widen_the_window_day_by_day(third_day):
    entries = [(day(1), 5), (day(2), 7), (day(third_day), 9)]
    entries += [(day(third_day + 1), 0)]  # after the widened window: never part of B

    # While the widened window is still open, more may come: still collecting.
    assert run(entries, today=third_day).status == "collecting"

    result = run(entries, today=third_day + 1)
    assert result.baseline == Decimal("7.0")  # (5 + 7 + 9) / 3
    assert result.baseline_source == "entries"
    assert result.status == "not_enough_data"  # only 2 entries in the current window


def test_widening_stops_at_the_first_window_with_three_entries():
    # Days 1-8 hold 3 entries; the day-9 entry must not be averaged in.
    entries = [(day(1), 5), (day(2), 7), (day(8), 9), (day(9), 1)]
    assert run(entries, today=9).baseline == Decimal("7.0")


def test_without_three_entries_by_day_10_the_baseline_is_missing_and_data_only():
    entries = [(day(2), 6), (day(9), 6), *log([3] * 20, first=11)]
    assert run(entries, today=10).status == "collecting"
    for today in (11, 30):
        result = run(entries, today=today)
        assert result.status == "data_only"
        assert result.baseline is None and result.baseline_source is None
        assert result.target is None and result.change_points is None
        assert result.advice is None
    # The data itself is still reported.
    assert run(entries, today=30).current == Decimal("3.0")


def test_data_only_without_baseline_gives_the_thin_review_advice():
    # No baseline because the diary was thin at the start: the review is due anyway.
    entries = [(day(1), 8), (day(2), 8), *log([8] * 100, first=11)]
    result = run(entries, today=110)
    assert result.status == "data_only"
    assert result.advice.code == "review_last" and result.advice.thin_data


# --- the current window -----------------------------------------------------------------------


def test_four_of_seven_days_are_enough_for_a_current_mean():
    entries = steady(6, 7) + log([3, None, 3, None, 3, None, 3], first=15)  # days 8-14 blank
    result = run(entries, today=21)
    assert result.entries_last_7 == 4
    assert result.current == Decimal("3.0")
    assert result.status == "improving"


def test_three_of_seven_days_are_not_enough_data_never_a_conclusion():
    entries = steady(6, 7) + log([3, None, None, None, 3, None, 3], first=15)
    result = run(entries, today=21)
    assert result.entries_last_7 == 3
    assert result.status == "not_enough_data"
    assert result.current is None
    assert result.change_points is None and result.change_percent is None
    assert result.advice is None
    assert result.baseline == Decimal("6.0")  # the baseline is known and still reported


def test_not_enough_data_after_a_review_week_still_advises_the_review():
    entries = steady(6, 80)  # then silence
    result = run(entries, today=100)
    assert result.status == "not_enough_data"
    assert result.advice.code == "review_last" and result.advice.thin_data


def test_the_current_window_is_today_and_the_six_days_before():
    entries = steady(6, 7) + log([0] * 7, first=8)  # days 8-14
    # On day 15 the window is days 9-15: six zeros. On day 21 it is days 15-21: nothing.
    assert run(entries, today=15).entries_last_7 == 6
    assert run(entries, today=20).entries_last_7 == 1
    assert run(entries, today=21).entries_last_7 == 0


# --- improving: exact boundaries --------------------------------------------------------------


def test_exactly_two_points_lower_is_improving():
    baseline = [9, 9, 9, 9, 9, 8, 8]  # B = 61/7: 30 % of it is more than 2 points
    current = [7, 7, 7, 7, 7, 6, 6]  # C = 47/7, exactly 2 points lower
    # The trap exact arithmetic avoids: in binary floats this difference is just below 2.
    assert 61 / 7 - 47 / 7 < 2
    result = run(log(baseline + current), today=14)
    assert result.status == "improving"
    assert result.change_points == Decimal("-2.0")
    assert result.change_percent == Decimal("-23")


def test_a_little_under_two_points_lower_is_not_improving():
    baseline = [9, 9, 9, 9, 9, 8, 8]  # B = 61/7
    current = [7, 7, 7, 7, 7, 7, 6]  # C = 48/7: 13/7 = 1.86 points, 21 %
    result = run(log(baseline + current), today=14)
    assert result.status == "not_improving"
    assert result.change_points == Decimal("-1.9")


def test_exactly_thirty_percent_lower_is_improving():
    baseline = [7, 7, 6, 6, 6, 6, 6]  # B = 44/7
    current = [5, 5, 4, 4, 4, None, None]  # C = 22/5: 1.89 points lower, exactly 30 %
    assert (44 / 7 - 22 / 5) / (44 / 7) * 100 < 30  # what floats would make of it
    result = run(log(baseline + current), today=14)
    assert result.status == "improving"
    assert result.change_points == Decimal("-1.9")
    assert result.change_percent == Decimal("-30")


def test_just_under_thirty_percent_lower_is_not_improving():
    baseline = [7, 7, 6, 6, 6, 6, 6]  # B = 44/7
    current = [5, 5, 5, 4, 4, None, None]  # C = 23/5: 27 % lower
    result = run(log(baseline + current), today=14)
    assert result.status == "not_improving"
    assert result.change_percent == Decimal("-27")


def test_improving_with_custom_thresholds():
    entries = log([6] * 7 + [5] * 7)  # one point, 17 % lower
    assert run(entries, today=14).status == "not_improving"
    relaxed = Thresholds(improve_points=Decimal("1"))
    assert run(entries, today=14, thresholds=relaxed).status == "improving"


# --- worse: two consecutive windows, from week 2 ----------------------------------------------


def test_worse_in_only_the_current_window_is_not_worse():
    entries = log([5] * 7 + [5] * 7 + [7] * 7)
    result = run(entries, today=21)
    assert result.current == Decimal("7.0")
    assert result.status == "not_improving"
    assert result.advice is None


def test_worse_in_two_consecutive_windows_is_worse():
    entries = log([5] * 7 + [5] * 7 + [7] * 7 + [7] * 7)
    result = run(entries, today=28)
    assert result.status == "worse"
    assert result.change_points == Decimal("2.0")
    assert result.change_percent == Decimal("40")
    assert result.advice == ADVICE["worse"]
    assert result.advice.urgency == "soon" and result.advice.seek_care is True


def test_the_windows_are_rolling_not_calendar_weeks():
    # B = 7, so 2 points is the lower bar (30 % would be 2.1). Days 16-29 are 2 points higher.
    entries = log([7] * 15 + [9] * 14)
    # On day 28 the previous window (days 15-21) still holds day 15's 7: 1.7 points higher.
    assert run(entries, today=28).status == "not_improving"
    assert run(entries, today=29).status == "worse"


def test_exactly_thirty_percent_higher_in_both_windows_is_worse():
    # B = 5: 30 % is 1.5 points; each window's mean is 26 / 4 = 6.5.
    entries = log([5] * 7 + [7, 6, 7, 6, None, None, None] + [7, 6, 7, 6, None, None, None])
    assert run(entries, today=21).status == "worse"


def test_just_under_thirty_percent_higher_is_not_worse():
    entries = log([5] * 7 + [7, 6, 6, 6, None, None, None] + [7, 6, 6, 6, None, None, None])
    assert run(entries, today=21).status == "not_improving"


def test_a_previous_window_with_too_few_entries_cannot_make_it_worse():
    entries = log([5] * 7 + [9, 9, 9, None, None, None, None] + [9] * 7)
    result = run(entries, today=21)
    assert result.current == Decimal("9.0")
    assert result.status == "not_improving"


def test_the_previous_window_is_the_seven_days_before_the_current_one():
    # Previous window for day 21 is days 8-14. Four high entries on days 8, 9, 10, 11: worse.
    inside = log([5] * 7 + [9, 9, 9, 9, None, None, None] + [9] * 7)
    assert run(inside, today=21).status == "worse"
    # Move one of them to day 7 (the baseline week): only three remain in the window.
    outside = log([5] * 6 + [9] + [None, 9, 9, 9, None, None, None] + [9] * 7)
    assert run(outside, today=21).status == "not_improving"


@pytest.mark.parametrize(
    ("today", "worse_from_week", "expected"),
    [
        (7, 1, "not_improving"),  # no previous window inside the programme yet
        (10, 2, "not_improving"),  # the previous window (days -3..3) holds only 3 entries
        (11, 2, "not_improving"),  # days -2..4 hold 4, but the window is not all in the episode
        (13, 2, "not_improving"),
        (14, 2, "worse"),  # days 1-7 and 8-14: the first pair
        (14, 1, "worse"),
        (14, 3, "not_improving"),  # week 2 does not count when worsening counts from week 3
        (15, 3, "worse"),
    ],
)
def test_worse_counts_only_from_the_configured_week(today, worse_from_week, expected):
    # A physio-set baseline, so week 1's entries form a full window above it.
    entries = steady(8, today)
    result = run(
        entries,
        today=today,
        baseline_override=3,
        thresholds=Thresholds(worse_from_week=worse_from_week),
    )
    assert result.status == expected


def test_worse_in_week_1_does_not_count():
    result = run(steady(9, 7), today=7, baseline_override=3)
    assert result.week == 1
    assert result.current == Decimal("9.0")
    assert result.status == "not_improving"
    assert result.advice is None


# --- the floor ----------------------------------------------------------------------------------


def test_a_baseline_of_two_is_data_only_even_when_pain_falls():
    entries = log([2] * 7 + [0] * 7)
    result = run(entries, today=14)
    assert result.baseline == Decimal("2.0")
    assert result.status == "data_only"
    assert result.change_points == Decimal("-2.0")  # numbers are still shown
    assert result.advice is None


def test_a_baseline_just_above_two_is_judged():
    entries = log([2, 2, 2, 2, 2, 2, 3] + [0] * 7)  # B = 15/7
    assert run(entries, today=14).status == "improving"


def test_a_baseline_of_two_with_worsening_in_two_windows_is_worse():
    entries = log([2] * 7 + [4] * 7 + [4] * 7)
    result = run(entries, today=21)
    assert result.status == "worse"
    assert result.advice == ADVICE["worse"]


def test_a_baseline_of_two_with_worsening_in_one_window_stays_data_only():
    entries = log([2] * 7 + [2] * 7 + [4] * 7)
    assert run(entries, today=21).status == "data_only"


def test_the_floor_gives_no_review_advice_at_week_12():
    entries = steady(2, 100)
    result = run(entries, today=100)
    assert result.status == "data_only"
    assert result.advice is None


def test_the_floor_with_too_few_current_entries_is_not_enough_data():
    entries = log([2] * 7 + [2, 2, 2, None, None, None, None])
    assert run(entries, today=14).status == "not_enough_data"


# --- review and keep-going advice ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("review_weeks", "today", "expected"),
    [
        ((6, 12), 42, None),  # the last day of week 6: the week is not over yet
        ((6, 12), 43, "review_first"),
        ((6, 12), 84, "review_first"),
        ((6, 12), 85, "review_last"),
        ((6, 12), 200, "review_last"),
        ((4, 8), 28, None),
        ((4, 8), 29, "review_first"),
        ((4, 8), 56, "review_first"),
        ((4, 8), 57, "review_last"),
        ((4, 8, 12), 60, "review_first"),  # an intermediate review week
        ((4, 8, 12), 84, "review_first"),
        ((4, 8, 12), 85, "review_last"),
        ((6,), 42, None),
        ((6,), 43, "review_last"),  # a single review week is the last one
    ],
)
def test_review_advice_when_not_improving(review_weeks, today, expected):
    result = run(steady(6, today), today=today, review_weeks=review_weeks)
    assert result.status == "not_improving"
    assert result.review_weeks == review_weeks
    assert (result.advice.code if result.advice else None) == expected


def test_review_advice_is_a_suggestion_to_seek_care():
    first = run(steady(6, 43), today=43).advice
    last = run(steady(6, 85), today=85).advice
    assert (first.code, first.urgency, first.seek_care) == ("review_first", "review", True)
    assert (last.code, last.urgency, last.seek_care) == ("review_last", "soon", True)


@pytest.mark.parametrize(
    ("today", "expected"), [(43, None), (84, None), (85, "keep_going"), (150, "keep_going")]
)
def test_keep_going_after_the_last_review_week_when_improving(today, expected):
    entries = log([6] * 7 + [3] * (today - 7))
    result = run(entries, today=today)
    assert result.status == "improving"
    assert (result.advice.code if result.advice else None) == expected


def test_keep_going_follows_custom_review_weeks():
    entries = log([6] * 7 + [3] * 50)
    result = run(entries, today=57, review_weeks=[4, 8])
    assert result.advice == ADVICE["keep_going"]
    assert result.advice.seek_care is False and result.advice.urgency == "none"
    assert result.review_weeks == (4, 8)


def test_worse_advice_wins_at_a_review_week():
    entries = log([5] * 70 + [8] * 20)
    result = run(entries, today=90)
    assert result.status == "worse"
    assert result.advice == ADVICE["worse"]


# --- the physio's baseline override -------------------------------------------------------------


def test_an_override_skips_collecting():
    entries = steady(5, 4)
    result = run(entries, today=4, baseline_override=8)
    assert result.status == "improving"  # 3 points below the physio's value
    assert result.baseline == Decimal("8.0")
    assert result.baseline_source == "override"


def test_an_override_still_needs_a_current_window():
    result = run(steady(5, 3), today=3, baseline_override=8)
    assert result.status == "not_enough_data"


def test_an_override_replaces_the_baseline_from_entries():
    entries = steady(6, 20)
    assert run(entries, today=20).status == "not_improving"
    result = run(entries, today=20, baseline_override=Decimal("9"))
    assert result.baseline == Decimal("9.0")
    assert result.status == "improving"


def test_a_float_override_means_its_decimal_value():
    result = run(steady(6, 20), today=20, baseline_override=6.4)
    assert result.baseline == Decimal("6.4")
    assert result.change_points == Decimal("-0.4")


def test_before_the_start_an_override_is_shown_but_it_is_still_collecting():
    result = run([], today=0, baseline_override=7)
    assert result.status == "collecting"
    assert result.baseline == Decimal("7.0")
    assert result.target == Decimal("5.0")


@pytest.mark.parametrize(
    ("override", "later_pain", "expected"),
    [(2, 0, "data_only"), (Decimal("1.5"), 1, "data_only"), (Decimal("1.5"), 4, "worse")],
)
def test_an_override_at_the_floor(override, later_pain, expected):
    entries = steady(later_pain, 21)
    assert run(entries, today=21, baseline_override=override).status == expected


def test_an_override_of_zero_has_no_percent_change():
    result = run(steady(1, 21), today=21, baseline_override=0)
    assert result.status == "data_only"
    assert result.change_points == Decimal("1.0")
    assert result.change_percent is None
    assert run(steady(2, 21), today=21, baseline_override=0).status == "worse"


# --- input handling -----------------------------------------------------------------------------


def test_entries_outside_the_programme_and_after_today_are_ignored():
    entries = steady(6, 14)
    noisy = [(day(-3), 10), (day(0), 10), *entries, (day(15), 0), (day(40), 0)]
    result = run(noisy, today=14)
    assert result == run(entries, today=14)
    assert [point.date for point in result.series] == [day(n) for n in range(1, 15)]


def test_a_duplicate_date_keeps_the_last_value():
    entries = [(day(1), 9), *steady(6, 7)[1:], (day(1), 6)]
    result = run(entries, today=8)
    assert result.series[0].morning_pain == 6
    assert result.baseline == Decimal("6.0")


def test_a_mapping_gives_the_same_result_as_pairs_in_any_order():
    entries = log([7, 6, None, 6, 5, 5, None, 4, 4, 3, 3])
    as_pairs = run(entries, today=11)
    assert run(dict(entries), today=11) == as_pairs
    assert run(list(reversed(entries)), today=11) == as_pairs


@pytest.mark.parametrize("pain", [-1, 11, 5.5, "5", None, True])
def test_a_pain_outside_0_to_10_is_an_error(pain):
    with pytest.raises(ValueError, match="whole number from 0 to 10"):
        run([(day(1), pain)], today=3)


@pytest.mark.parametrize("pain", [0, 10])
def test_the_ends_of_the_pain_scale_are_accepted(pain):
    assert run([(day(1), pain)], today=3).series[0].morning_pain == pain


def test_a_datetime_instead_of_a_date_is_an_error():
    with pytest.raises(ValueError, match="must be a date"):
        run([(datetime(2026, 3, 2, 8, 0), 5)], today=3)


def test_an_entry_that_is_not_a_pair_is_an_error():
    with pytest.raises(ValueError, match="pair"):
        run([(day(1), 5)[:1]], today=3)
    with pytest.raises(ValueError, match="at most two pains"):
        run([(day(1), 5, 6, 7)], today=3)


def test_a_second_heel_outside_0_to_10_is_an_error():
    with pytest.raises(ValueError, match="whole number"):
        run([(day(1), 5, "note")], today=3)
    with pytest.raises(ValueError, match="whole number"):
        run([(day(1), 5, 11)], today=3)


@pytest.mark.parametrize("review_weeks", [(), (0, 12), (-6, 12), (12, 6), (6, 6), (6.5, 12)])
def test_review_weeks_must_be_positive_and_increasing(review_weeks):
    with pytest.raises(ValueError, match="review_weeks"):
        run(steady(6, 10), today=10, review_weeks=review_weeks)


@pytest.mark.parametrize("override", [-1, Decimal("10.1"), float("nan"), "6", True])
def test_an_override_outside_0_to_10_is_an_error(override):
    with pytest.raises(ValueError, match="baseline_override"):
        run(steady(6, 10), today=10, baseline_override=override)


# --- the series, rounding and the target band ---------------------------------------------------


def test_the_series_has_one_point_per_entry_with_its_seven_day_mean():
    entries = log([4, 6, None, 8, 2, None, None, 5, 9, None])
    series = run(entries, today=10).series
    assert [(point.date, point.morning_pain, point.mean_7d) for point in series] == [
        (day(1), 4, None),  # one entry in its window
        (day(2), 6, None),
        (day(4), 8, None),  # three entries: not yet a mean
        (day(5), 2, Decimal("5.0")),  # days 1-5: 4, 6, 8, 2
        (day(8), 5, Decimal("5.3")),  # days 2-8: 6, 8, 2, 5 = 5.25, rounded half up
        (day(9), 9, Decimal("6.0")),  # days 3-9: 8, 2, 5, 9
    ]


def test_the_series_mean_uses_the_configured_minimum():
    entries = log([4, 6])
    series = run(entries, today=2, thresholds=Thresholds(window_min_entries=2)).series
    assert [point.mean_7d for point in series] == [None, Decimal("5.0")]


def test_reported_numbers_are_rounded_half_up_from_exact_values():
    baseline = [6, 6, 6, 7, None, None, None]  # B = 6.25 (half-even would give 6.2)
    current = [4, 4, 4, 4, None, None, None]  # C = 4
    result = run(log(baseline + current), today=14)
    assert result.baseline == Decimal("6.3")
    assert result.current == Decimal("4.0")
    assert result.change_points == Decimal("-2.3")  # -2.25: ties go away from zero
    assert result.change_percent == Decimal("-36")
    assert str(result.baseline) == "6.3" and str(result.change_percent) == "-36"


def test_a_half_percent_rounds_away_from_zero():
    entries = log([4] * 7 + [4, 4, 3, 3, None, None, None])  # B = 4, C = 3.5: -12.5 %
    result = run(entries, today=14)
    assert result.change_percent == Decimal("-13")
    assert result.change_points == Decimal("-0.5")


def test_a_current_mean_of_sevenths_is_reported_to_one_decimal():
    entries = log([6] * 7 + [4, 4, 4, 4, 4, 4, 5])  # C = 29/7 = 4.142...
    result = run(entries, today=14)
    assert result.current == Decimal("4.1")
    assert str(result.baseline) == "6.0"


@pytest.mark.parametrize(
    ("override", "target"),
    [
        (10, "8.0"),  # B - 2 is higher
        (8, "6.0"),
        (Decimal("20") / 3, "4.7"),  # both edges meet at 14/3
        (6, "4.2"),  # 0.7 x B is higher
        (2, "1.4"),
        (1, "0.7"),
        (0, "0.0"),
    ],
)
def test_the_target_band_is_the_higher_of_b_minus_2_and_70_percent_of_b(override, target):
    result = run(steady(5, 20), today=20, baseline_override=override)
    assert result.target == Decimal(target)


def test_the_target_band_follows_the_improvement_thresholds():
    thresholds = Thresholds(improve_points=Decimal("3"), improve_percent=Decimal("50"))
    result = run(steady(5, 20), today=20, baseline_override=8, thresholds=thresholds)
    assert result.target == Decimal("5.0")  # max(8 - 3, 0.5 x 8)


def test_a_mean_inside_the_target_band_is_improving():
    entries = log([6] * 7 + [4, 4, 4, 4, 5, 4, 4])  # B = 6, target 4.2, C = 29/7 = 4.14
    result = run(entries, today=14)
    assert result.target == Decimal("4.2")
    assert result.status == "improving"


def test_the_target_band_is_missing_without_a_baseline():
    assert run(steady(6, 5), today=5).target is None


# --- the advice texts -------------------------------------------------------------------------


def test_every_advice_is_listed_under_its_own_code():
    assert set(ADVICE) == {"worse", "review_first", "review_last", "load_too_high", "keep_going"}
    assert all(code == advice.code for code, advice in ADVICE.items())
    assert {code for code, advice in ADVICE.items() if advice.seek_care} == {
        "worse",
        "review_first",
        "review_last",
        "load_too_high",
    }


def test_advice_texts_are_translatable_plain_and_carry_no_pain_values():
    # The texts carry the rule's thresholds and weeks, never a pain value of the patient's:
    # the same diary with other pains gives the same text.
    texts = []
    for language in ("en", "da"):
        with translation.override(language):
            for advice in ADVICE.values():
                texts += [str(advice.title), str(advice.text)]
    assert len(set(texts)) == len(texts)
    for text in texts:
        assert text.strip()
        assert "%(" not in text and "%%" not in text, text
    high = run(log([6] * 7 + [9] * 14), today=21).advice
    higher = run(log([7] * 7 + [10] * 14), today=21).advice
    with translation.override("en"):
        assert high.code == higher.code == "worse"
        assert str(high.text) == str(higher.text) == str(ADVICE["worse"].text)


# --- the episode clock (issue 13) ---------------------------------------------------------------


def test_the_old_keyword_programme_start_still_works_and_one_start_is_required():
    entries = steady(6, 50)
    old = assess(entries=entries, programme_start=START, today=day(50))
    assert old == run(entries, today=50)
    with pytest.raises(ValueError, match="episode_start"):
        assess(entries=entries, today=day(50))
    with pytest.raises(ValueError, match="episode_start"):
        assess(entries=entries, episode_start=START, programme_start=START, today=day(50))


def test_worse_on_day_14_and_not_on_day_13():
    # Two full windows above the baseline exist only from day 14 (days 1-7 and 8-14).
    entries = steady(9, 14)
    assert run(entries, today=13, baseline_override=3).status == "not_improving"
    result = run(entries, today=14, baseline_override=3)
    assert result.status == "worse"
    assert result.advice.code == "worse"


def test_worse_advice_says_higher_than_at_the_start_never_no_improvement():
    with translation.override("en"):
        text = str(run(log([4] * 7 + [8] * 14), today=21).advice.text)
    assert "higher than at the start" in text
    assert "no improvement" not in text.lower()


@pytest.mark.parametrize(
    ("today", "done", "expected"),
    [
        (43, frozenset(), "review_first"),
        (43, {"week_6_review"}, None),  # the physio recorded the review: the advice ends
        (84, {"week_6_review"}, None),
        (85, {"week_6_review"}, "review_last"),  # week 12 is another review
        (85, frozenset(), "review_last"),  # the week-6 review never recorded: week 12 wins
        (150, {"week_6_review"}, "review_last"),  # stays until an outcome is recorded
        (150, {"week_12_outcome"}, None),  # and ends with it
        (150, {"week_6_review", "week_12_outcome"}, None),
        # An outcome recorded, the week-6 review never: the first review's advice is moot.
        (86, {"week_12_outcome"}, None),
    ],
)
def test_a_review_advice_ends_only_when_the_physio_records_it(today, done, expected):
    result = run(steady(6, today), today=today, reviews_done=frozenset(done))
    assert result.status == "not_improving"
    assert (result.advice.code if result.advice else None) == expected
    assert result.advice is None or not result.advice.thin_data


def test_custom_review_weeks_are_ended_by_the_same_records():
    entries = steady(6, 120)
    assert run(entries, today=57, review_weeks=(8, 16)).advice.code == "review_first"
    assert (
        run(entries, today=57, review_weeks=(8, 16), reviews_done={"week_6_review"}).advice is None
    )
    assert run(entries, today=113, review_weeks=(8, 16)).advice.code == "review_last"
    done = {"week_12_outcome"}
    assert run(entries, today=113, review_weeks=(8, 16), reviews_done=done).advice is None


@pytest.mark.parametrize(("today", "code"), [(43, "review_first"), (85, "review_last")])
def test_thin_data_at_a_review_week_still_advises_the_review(today, code):
    entries = steady(6, today - 5)  # five silent days: 2 entries in the last 7
    result = run(entries, today=today)
    assert result.status == "not_enough_data"
    assert result.advice.code == code and result.advice.thin_data
    assert result.advice.seek_care
    with translation.override("en"):
        text = str(result.advice.text)
    assert "too few entries" in text and "due anyway" in text
    # And it ends the same way as the full advice.
    done = frozenset({"week_6_review" if code == "review_first" else "week_12_outcome"})
    assert run(entries, today=today, reviews_done=done).advice is None


def test_thin_data_before_the_review_week_gives_no_advice():
    assert run(steady(6, 37), today=42).advice is None


def test_thin_data_under_the_floor_gives_no_review_advice():
    entries = steady(2, 80)  # B = 2, then silence
    result = run(entries, today=100)
    assert result.status == "not_enough_data"
    assert result.advice is None
    assert run(steady(2, 100), today=100).advice is None  # data_only at the floor


def test_a_thin_diary_without_a_baseline_gets_the_thin_review_advice_at_week_6():
    entries = [(day(1), 6), *log([6] * 40, first=12)]
    result = run(entries, today=43)
    assert result.status == "data_only" and result.baseline is None
    assert result.advice.code == "review_first" and result.advice.thin_data


# --- load too high after a stage step-up ----------------------------------------------------------

STEP = 22  # the step-up's day: days 15-21 are the week before it


def loaded(after: list[int | None], before: int = 4) -> list[tuple[date, int]]:
    """Improving from 7 to `before` by the step-up, then `after` from the step-up's day."""
    return log([7] * 7 + [before] * 14) + log(after, first=STEP)


@pytest.mark.parametrize(
    ("after", "today", "expected"),
    [
        ([6, 6], STEP + 1, "load_too_high"),  # exactly 2 points above the mean (4), 2 days
        ([6], STEP, None),  # one day is not two days running
        ([6, None, 6], STEP + 2, None),  # a gap breaks the run
        ([6, 4, 6], STEP + 2, None),
        ([5, 5], STEP + 1, None),  # 1 point is not 2
        ([4, 6, 7, 4, 4], STEP + 4, "load_too_high"),  # the prompt stays, after a good day too
        ([6, 6] + [4] * 11, STEP + 13, "load_too_high"),  # the 14th day from the step-up
        ([6, 6] + [4] * 12, STEP + 14, None),  # and no longer
    ],
)
def test_load_too_high_after_a_step_up(after, today, expected):
    result = run(loaded(after), today=today, step_ups=[day(STEP)])
    assert (result.advice.code if result.advice else None) == expected
    if expected:
        assert (result.advice.urgency, result.advice.seek_care) == ("review", True)


def test_load_too_high_needs_a_step_up_and_a_full_week_before_it():
    assert run(loaded([6, 6]), today=STEP + 1).advice is None  # no step-up
    later = [day(STEP + 5)]  # a step-up after the rise
    assert run(loaded([6, 6]), today=STEP + 1, step_ups=later).advice is None
    # Three entries in the week before the step-up are too few for its mean.
    entries = log([7] * 7 + [4] * 7 + [4, None, None, 4, None, None, 4]) + log([9, 9], first=STEP)
    assert run(entries, today=STEP + 1, step_ups=[day(STEP)]).advice is None


def test_load_too_high_compares_with_the_week_before_not_the_baseline():
    # The mean of days 15-21 is 30/7 = 4.29: 6 is 1.71 above it, not 2 (the baseline is 7).
    entries = log([7] * 7 + [4] * 7 + [4, 4, 4, 4, 4, 4, 6]) + log([6, 6], first=STEP)
    assert run(entries, today=STEP + 1, step_ups=[day(STEP)]).advice is None
    result = run(
        entries,
        today=STEP + 1,
        step_ups=[day(STEP)],
        thresholds=Thresholds(load_rise_points=Decimal("1.5")),
    )
    assert result.advice.code == "load_too_high"


def test_load_too_high_outranks_the_week_6_review_and_yields_to_worse_and_week_12():
    # Not improving at week 6 (6 -> 6), then a step-up on day 43 and two higher mornings.
    entries = steady(6, 42) + log([8, 8], first=43)
    result = run(entries, today=44, step_ups=[day(43)])
    assert result.status == "not_improving"
    assert result.advice.code == "load_too_high"
    assert run(entries, today=44).advice.code == "review_first"
    # Past week 12, the re-assessment comes first.
    entries = steady(6, 84) + log([8, 8], first=85)
    assert run(entries, today=86, step_ups=[day(85)]).advice.code == "review_last"
    # And worse comes before everything.
    entries = log([4] * 7 + [7] * 14) + log([9, 9], first=22)
    assert run(entries, today=23, step_ups=[day(22)]).status == "worse"
    assert run(entries, today=23, step_ups=[day(22)]).advice.code == "worse"


def test_load_too_high_shows_also_without_a_baseline_conclusion():
    # Under the floor nothing else prompts, but a rise after a step-up still does.
    entries = log([2] * 21) + log([4, 4], first=STEP)
    result = run(entries, today=STEP + 1, step_ups=[day(STEP)])
    assert result.status == "data_only"
    assert result.advice.code == "load_too_high"


def test_a_step_up_must_be_a_date():
    with pytest.raises(ValueError, match="step-up"):
        run([], today=3, step_ups=["2026-03-02"])


# --- both heels ---------------------------------------------------------------------------------


def test_both_heels_the_rule_uses_the_worse_heel_of_each_day():
    # Left heel improving, right heel not: the worse heel decides.
    entries = [(day(n), 6 if n <= 7 else 3, 6) for n in range(1, 50)]
    result = run(entries, today=49)
    assert result.baseline == Decimal("6.0") and result.current == Decimal("6.0")
    assert result.status == "not_improving"
    # The same as passing each day's worse heel alone (what the physio's list reads).
    worse_only = run([(d, max(pain, other)) for d, pain, other in entries], today=49)
    assert worse_only == replace(result, series=worse_only.series)


def test_both_heels_the_series_keeps_both_values_and_one_heel_has_none():
    entries = [(day(1), 3, 7), (day(2), 8, 2), (day(3), 5, None), (day(4), 4)]
    series = run(entries, today=4).series
    assert [(p.morning_pain, p.morning_pain_other) for p in series] == [
        (3, 7),
        (8, 2),
        (5, None),
        (4, None),
    ]
    result = run([(day(n), 1, 9) for n in range(1, 15)], today=14)
    assert result.series[-1].mean_7d == Decimal("9.0")  # the mean is of the worse heel
