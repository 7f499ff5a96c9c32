"""Scoring and schedule of the outcome questionnaires against their published rules, with
hand-computed examples (outcomes.scoring, outcomes.schedule)."""

from datetime import date

import pytest

from outcomes import schedule
from outcomes.instruments import FFI, GROC, INSTRUMENTS, LANGUAGES, PASS, PSFS
from outcomes.scoring import change_against, check_answers, ffi_score, score

PAIN_IDS = [i.id for i in FFI.items if i.subscale == "pain"]
DIS_IDS = [i.id for i in FFI.items if i.subscale == "disability"]


def test_every_instrument_has_every_wording_and_a_validation_mark():
    for spec in INSTRUMENTS.values():
        assert spec.version
        for language in LANGUAGES:
            assert spec.title[language]
            assert isinstance(spec.wordings[language].validated_translation, bool)
            for item in spec.items:
                assert item.text[language]
                for _value, label in item.choices:
                    assert label[language]
    # Our own wordings: none may claim to be a validated translation.
    assert not FFI.wordings["da"].validated_translation


def test_ffi_has_the_published_subscale_sizes():
    # Budiman-Mak 1991: pain 9 items, disability 9 items (activity limitation, 5, not asked).
    assert len(PAIN_IDS) == 9
    assert len(DIS_IDS) == 9


# --- PSFS: "the PSFS score is the mean of the activity scores" (Stratford 1995) ---------------


def test_psfs_mean_of_rated_activities():
    answers = {"activity_1": "gå tur", "rating_1": 3, "activity_2": "løbe", "rating_2": 4}
    # (3 + 4) / 2 = 3.5
    assert score(PSFS, answers) == {"mean": 3.5, "ratings": {"1": 3, "2": 4}}


def test_psfs_three_activities_rounds_half_up():
    answers = {
        "activity_1": "a",
        "rating_1": 2,
        "activity_2": "b",
        "rating_2": 2,
        "activity_3": "c",
        "rating_3": 3,
    }
    # 7 / 3 = 2.333... -> 2.3
    assert score(PSFS, answers)["mean"] == 2.3


def test_psfs_change_passes_mcid_of_two_points():
    # MCID 2 points (Abbott & Schmitt 2014); higher is better.
    change = change_against(PSFS, {"mean": 3.5}, {"mean": 5.5})["mean"]
    assert change["change"] == 2.0
    assert change["improved_by_mcid"] is True
    change = change_against(PSFS, {"mean": 3.5}, {"mean": 5.4})["mean"]
    assert change["change"] == 1.9
    assert change["improved_by_mcid"] is False
    assert change_against(PSFS, {"mean": 6.0}, {"mean": 3.0})["mean"]["worse_by_mcid"] is True


def test_psfs_later_rating_keeps_the_baseline_activities():
    fixed = {"activity_1": "gå tur"}
    assert check_answers(PSFS, {"rating_1": 6}, submit=True, activities=fixed) == {}
    errors = check_answers(
        PSFS, {"activity_1": "noget andet", "rating_1": 6}, submit=True, activities=fixed
    )
    assert set(errors) == {"activity_1"}
    # Only the activity named at baseline is required.
    assert set(check_answers(PSFS, {}, submit=True, activities=fixed)) == {"rating_1"}


def test_psfs_needs_one_activity_and_its_rating():
    assert set(check_answers(PSFS, {}, submit=True)) == {"activity_1", "rating_1"}
    errors = check_answers(PSFS, {"activity_1": "gå", "rating_1": 4, "rating_2": 5}, submit=True)
    assert set(errors) == {"rating_2"}  # a rating without its activity
    errors = check_answers(
        PSFS, {"activity_1": "gå", "rating_1": 4, "activity_2": "x"}, submit=True
    )
    assert set(errors) == {"rating_2"}  # an activity without its rating


# --- GROC and PASS -------------------------------------------------------------------------


@pytest.mark.parametrize("change, improved", [(3, True), (2, True), (1, False), (-3, False)])
def test_groc_improved_is_better_or_much_better(change, improved):
    assert score(GROC, {"change": change}) == {"change": change, "improved": improved}


def test_groc_and_pass_refuse_other_answers():
    assert set(check_answers(GROC, {"change": 4}, submit=True)) == {"change"}
    assert set(check_answers(GROC, {"change": True}, submit=True)) == {"change"}
    assert set(check_answers(PASS, {"acceptable": "yes"}, submit=True)) == {"acceptable"}
    assert score(PASS, {"acceptable": False}) == {"acceptable": False}


# --- FFI: subscale = sum / (items answered x 10) x 100 (Budiman-Mak 1991) ---------------------


def _ffi(pain, disability):
    answers = dict(zip(PAIN_IDS, pain, strict=True))
    answers.update(zip(DIS_IDS, disability, strict=True))
    return answers


def test_ffi_all_items_answered():
    pain = [8, 9, 5, 4, 6, 5, 3, 2, 7]  # sum 49 -> 49 / 90 x 100 = 54.44 -> 54.4
    disability = [1, 2, 3, 4, 5, 0, 0, 0, 0]  # sum 15 -> 15 / 90 x 100 = 16.67 -> 16.7
    assert ffi_score(_ffi(pain, disability)) == {
        "pain": 54.4,
        "pain_items": 9,
        "disability": 16.7,
        "disability_items": 9,
    }


def test_ffi_items_not_applicable_leave_the_denominator():
    # No inserts: the two insert items "na". Sum of the 7 others 6+6+6+6+6+6+6 = 42;
    # 42 / (7 x 10) x 100 = 60.0 (not 42 / 90 = 46.7).
    pain = [6, 6, 6, 6, 6, 6, "na", "na", 6]
    result = ffi_score(_ffi(pain, [0] * 9))
    assert result["pain"] == 60.0
    assert result["pain_items"] == 7


def test_ffi_subscale_not_scored_with_fewer_than_half_answered():
    # 5 of 9 answered is at least half: scored. 4 of 9 is not.
    five = [10, 10, 10, 10, 10, "na", "na", "na", "na"]
    assert ffi_score(_ffi(five, [0] * 9))["pain"] == 100.0
    four = [10, 10, 10, 10, "na", "na", "na", "na", "na"]
    assert ffi_score(_ffi(four, [0] * 9))["pain"] is None


def test_ffi_refuses_na_where_it_cannot_apply_and_out_of_range():
    answers = _ffi([5] * 9, [5] * 9)
    answers["pain_worst"] = "na"  # everyone has a worst pain
    answers["dis_tiptoe"] = 11
    answers["dis_chair"] = 4.5
    errors = check_answers(FFI, answers, submit=True)
    assert set(errors) == {"pain_worst", "dis_tiptoe", "dis_chair"}


def test_ffi_change_lower_is_better_with_published_mcids():
    # MCID pain 12, disability 7 (Landorf & Radford 2008); a fall is an improvement.
    change = change_against(
        FFI, {"pain": 60.0, "disability": 30.0}, {"pain": 48.0, "disability": 24.0}
    )
    assert change["pain"]["change"] == -12.0
    assert change["pain"]["improved_by_mcid"] is True
    assert change["disability"]["change"] == -6.0
    assert change["disability"]["improved_by_mcid"] is False
    # A subscale not scored gives no verdict.
    assert change_against(FFI, {"pain": None}, {"pain": 10.0})["pain"]["change"] is None


def test_draft_may_be_partial_submit_may_not():
    assert check_answers(FFI, {"pain_worst": 3}, submit=False) == {}
    assert len(check_answers(FFI, {"pain_worst": 3}, submit=True)) == 17
    assert set(check_answers(FFI, {"nonsense": 1}, submit=False)) == {"nonsense"}


# --- schedule on the episode clock -----------------------------------------------------------

START = date(2026, 3, 2)


def test_timepoints_of_an_open_episode():
    points = schedule.timepoints(START, None)
    assert [(p.name, p.due_on) for p in points] == [
        ("start", START),
        ("week_6", date(2026, 4, 12)),  # day 42, the last day of week 6
        ("week_12", date(2026, 5, 24)),  # day 84
    ]
    assert "groc" not in points[0].instruments
    assert "groc" in points[1].instruments
    # The start questionnaire is open until the week-6 one falls due.
    assert points[0].open_until == date(2026, 4, 11)


def test_due_on_a_given_day():
    assert [p.name for p in schedule.due(START, None, START)] == ["start"]
    assert [p.name for p in schedule.due(START, None, date(2026, 4, 11))] == ["start"]
    assert [p.name for p in schedule.due(START, None, date(2026, 4, 12))] == ["week_6"]
    assert schedule.due(START, None, date(2026, 3, 1)) == []
    # week 12 stays open 28 days, then nothing is due.
    assert [p.name for p in schedule.due(START, None, date(2026, 6, 20))] == ["week_12"]
    assert schedule.due(START, None, date(2026, 6, 21)) == []


def test_closing_before_week_12_replaces_it_with_close():
    closed = date(2026, 5, 1)
    points = schedule.timepoints(START, closed)
    assert [p.name for p in points] == ["start", "week_6", "close"]
    assert points[1].open_until == date(2026, 4, 30)
    assert [p.name for p in schedule.due(START, closed, closed)] == ["close"]
