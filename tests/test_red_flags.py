"""Red-flag questions and the check-in advice (diary/red_flags.py).

Pure tests: no database. The codes, their order and their urgency are those of the design note
clinical.md ("Red flags").
"""

import re
from pathlib import Path

import pytest
from django.utils import translation
from django.utils.functional import Promise

from diary import red_flags
from diary.red_flags import (
    BY_CODE,
    CHECKIN_INTRO,
    ONBOARDING_INTRO,
    OTHER_ANSWERS_TEXT,
    RED_FLAGS,
    URGENCY_ORDER,
    CheckinAdvice,
    checkin_advice,
)

# clinical.md, "Red flags", in its order.
EXPECTED = [
    ("injury_cannot_bear_weight", "same_day"),
    ("sudden_pop", "same_day"),
    ("red_hot_swollen_fever", "same_day"),
    ("diabetes_wound", "same_day"),
    ("cold_pale_foot", "same_day"),
    ("numbness_tingling", "soon"),
    ("night_or_rest_pain", "soon"),
    ("weight_loss_cancer", "soon"),
    ("inflammatory_signs", "soon"),
    ("severe_or_rapidly_worse", "soon"),
    ("diabetes", "review"),
]
CODES = [code for code, _ in EXPECTED]
SAME_DAY = [code for code, urgency in EXPECTED if urgency == "same_day"]
SOON = [code for code, urgency in EXPECTED if urgency == "soon"]


def only(*codes: str) -> dict[str, bool]:
    """A full set of answers: yes to `codes`, no to the rest."""
    return {code: code in codes for code in CODES}


def en(text) -> str:
    with translation.override("en"):
        return str(text)


def all_lazy_strings():
    """Every patient-facing string of the module, with a name for the test id."""
    yield "CHECKIN_INTRO", CHECKIN_INTRO
    yield "ONBOARDING_INTRO", ONBOARDING_INTRO
    yield "OTHER_ANSWERS_TEXT", OTHER_ANSWERS_TEXT
    for flag in RED_FLAGS:
        yield f"{flag.code}.question", flag.question
        yield f"{flag.code}.advice_title", flag.advice_title
        yield f"{flag.code}.advice_text", flag.advice_text


# --- the list ----------------------------------------------------------------------------------


def test_codes_order_and_urgency_are_those_of_clinical_md():
    assert [(flag.code, flag.urgency) for flag in RED_FLAGS] == EXPECTED


def test_by_code_indexes_every_flag():
    assert list(BY_CODE) == CODES
    assert all(BY_CODE[flag.code] is flag for flag in RED_FLAGS)


def test_urgency_scale_matches_the_progress_advice():
    from progress.assessment import URGENCIES

    assert URGENCY_ORDER == ("none", "review", "soon", "same_day") == URGENCIES
    assert {flag.urgency for flag in RED_FLAGS} == {"review", "soon", "same_day"}


@pytest.mark.parametrize(("name", "text"), list(all_lazy_strings()), ids=lambda v: str(v)[:40])
@pytest.mark.parametrize("language", ["en", "da"])
def test_every_string_is_lazy_and_non_empty(name, text, language):
    assert isinstance(text, Promise), f"{name} must be lazy"
    with translation.override(language):
        assert str(text).strip(), name


@pytest.mark.parametrize("flag", RED_FLAGS, ids=lambda f: f.code)
def test_questions_are_yes_no_questions_without_numbers(flag):
    question = en(flag.question)
    assert question.endswith("?")
    digits = re.findall(r"\d+", question)
    if flag.code == "red_hot_swollen_fever":
        assert digits == ["38"] and "38 °C" in question
    else:
        assert digits == [], question


@pytest.mark.parametrize("flag", RED_FLAGS, ids=lambda f: f.code)
def test_advice_is_short_and_never_a_diagnosis(flag):
    text = en(flag.advice_text)
    assert 1 <= len(re.findall(r"[.!?](?:\s|$)", text)) <= 3, text
    assert "doctor" in text
    assert len(en(flag.advice_title)) <= 50
    for word in ("you have a", "fracture", "rupture", "infection", "cancer", "tumour"):
        assert word not in text.lower(), word


def test_an_injury_is_an_emergency():
    text = en(BY_CODE["injury_cannot_bear_weight"].advice_text)
    assert "emergency department" in text and "112" in text and "today" in text


@pytest.mark.parametrize("code", SAME_DAY[1:])
def test_other_same_day_flags_say_doctor_or_laegevagten_today(code):
    text = en(BY_CODE[code].advice_text)
    assert "today" in text and "lægevagten" in text and "1813" in text
    assert "pause your exercises" in text.lower() or "stop your exercises" in text.lower()


@pytest.mark.parametrize("code", SOON)
def test_soon_flags_say_book_a_doctor_within_days_and_pause(code):
    text = en(BY_CODE[code].advice_text)
    assert "within the next few days" in text and "doctor" in text
    assert "Pause your exercises" in text


def test_diabetes_says_tell_the_doctor_and_check_the_feet_daily():
    flag = BY_CODE["diabetes"]
    assert "heel pain" in en(flag.advice_title)
    text = en(flag.advice_text)
    assert "heel pain" in text and "every day" in text and "not urgent" in text


def test_onboarding_intro_says_adults_only_and_no_diagnosis():
    text = en(ONBOARDING_INTRO)
    assert "18" in text and "adults" in text
    assert "cannot find out what is wrong" in text and "does not replace a doctor" in text


# --- checkin_advice ----------------------------------------------------------------------------


def test_all_no_is_none():
    assert checkin_advice(only()) is None


def test_empty_answers_are_none():
    assert checkin_advice({}) is None


def test_answers_left_out_count_as_no():
    advice = checkin_advice({"diabetes": True})
    assert advice is not None and advice.flags == ("diabetes",)


@pytest.mark.parametrize(("code", "urgency"), EXPECTED)
def test_a_single_flag_gives_its_own_advice(code, urgency):
    advice = checkin_advice(only(code))
    flag = BY_CODE[code]
    assert advice == CheckinAdvice(
        code=f"red_flag_{urgency}",
        urgency=urgency,
        seek_care=True,
        title=flag.advice_title,
        text=flag.advice_text,
        flags=(code,),
    )
    assert en(OTHER_ANSWERS_TEXT) not in en(advice.text)


def test_several_flags_the_most_urgent_wins_and_all_are_listed():
    advice = checkin_advice(only("diabetes", "night_or_rest_pain", "red_hot_swollen_fever"))
    assert advice.code == "red_flag_same_day"
    assert advice.urgency == "same_day" and advice.seek_care is True
    assert advice.flags == ("red_hot_swollen_fever", "night_or_rest_pain", "diabetes")
    top = BY_CODE["red_hot_swollen_fever"]
    assert advice.title == top.advice_title
    text = en(advice.text)
    assert text.startswith(en(top.advice_text))
    assert text.endswith(en(OTHER_ANSWERS_TEXT))


def test_soon_beats_review():
    advice = checkin_advice(only("diabetes", "inflammatory_signs"))
    assert advice.code == "red_flag_soon"
    assert advice.flags == ("inflammatory_signs", "diabetes")
    assert en(advice.text).startswith(en(BY_CODE["inflammatory_signs"].advice_text))


def test_equal_urgency_keeps_the_order_of_clinical_md_whatever_the_answer_order():
    answers = dict.fromkeys(reversed(CODES), True)
    advice = checkin_advice(answers)
    assert advice.flags == tuple(CODES)
    assert advice.title == BY_CODE["injury_cannot_bear_weight"].advice_title
    assert "112" in en(advice.text)


def test_the_advice_text_is_translated_when_rendered():
    advice = checkin_advice(only("sudden_pop", "diabetes"))
    with translation.override("da"):
        danish = str(advice.text)
    assert danish.strip()
    # Rendering in one language does not freeze the text: English still comes out in English.
    assert en(advice.text).startswith("Please stop your exercises")


def test_unknown_codes_raise_naming_them():
    with pytest.raises(ValueError, match="no_such_flag") as excinfo:
        checkin_advice({"sudden_pop": True, "no_such_flag": True, "another_one": False})
    assert "another_one" in str(excinfo.value)


@pytest.mark.parametrize("value", [1, 0, "yes", None, "true"])
def test_non_bool_answers_raise_naming_the_code(value):
    with pytest.raises(ValueError, match="weight_loss_cancer"):
        checkin_advice({"diabetes": False, "weight_loss_cancer": value})


def test_the_module_is_pure():
    source = Path(red_flags.__file__).read_text(encoding="utf-8")
    assert "django.db" not in source and ".models" not in source
