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
    DIABETES_FOOT_CARE_TEXT,
    DIABETES_HELP,
    DIABETES_QUESTION,
    LEGACY,
    ONBOARDING_INTRO,
    OTHER_ANSWERS_TEXT,
    PAUSES_EXERCISES,
    RED_FLAGS,
    URGENCY_ORDER,
    CheckinAdvice,
    checkin_advice,
    question_text,
    questions,
    stored_advice,
)

# clinical.md, "Red flags", in its order.
EXPECTED = [
    ("injury_cannot_bear_weight", "same_day"),
    ("sudden_pop", "same_day"),
    ("red_hot_swollen_fever", "same_day"),
    ("calf_swollen_red", "same_day"),
    ("diabetes_wound", "same_day"),
    ("cold_pale_foot", "same_day"),
    ("new_numbness", "soon"),
    ("night_or_rest_pain", "soon"),
    ("weight_loss_cancer", "soon"),
    ("inflammatory_signs", "soon"),
    ("severe_or_rapidly_worse", "soon"),
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
    yield "DIABETES_QUESTION", DIABETES_QUESTION
    yield "DIABETES_HELP", DIABETES_HELP
    yield "DIABETES_FOOT_CARE_TEXT", DIABETES_FOOT_CARE_TEXT
    for flag in RED_FLAGS:
        yield f"{flag.code}.question", flag.question
        yield f"{flag.code}.advice_title", flag.advice_title
        yield f"{flag.code}.advice_text", flag.advice_text
        if flag.question_with_diabetes is not None:
            yield f"{flag.code}.question_with_diabetes", flag.question_with_diabetes
    for legacy in LEGACY.values():
        yield f"legacy {legacy.code}.question", legacy.question


# --- the list ----------------------------------------------------------------------------------


def test_codes_order_and_urgency_are_those_of_clinical_md():
    assert [(flag.code, flag.urgency) for flag in RED_FLAGS] == EXPECTED


def test_by_code_indexes_every_flag():
    assert list(BY_CODE) == CODES
    assert all(BY_CODE[flag.code] is flag for flag in RED_FLAGS)


def test_urgency_scale_matches_the_progress_advice():
    from progress.assessment import URGENCIES

    assert URGENCY_ORDER == ("none", "review", "soon", "same_day") == URGENCIES
    # Every red flag is same-day or within days, and each of those pauses the exercises.
    assert {flag.urgency for flag in RED_FLAGS} == {"soon", "same_day"} == set(PAUSES_EXERCISES)


def test_diabetes_and_burning_are_not_red_flags():
    assert "diabetes" not in BY_CODE and "numbness_tingling" not in BY_CODE
    for flag in RED_FLAGS:
        assert "burning" not in en(flag.question).lower(), flag.code


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
    assert "today" in text and "lægevagten" in text
    assert "pause your exercises" in text.lower() or "stop your exercises" in text.lower()


@pytest.mark.parametrize("flag", RED_FLAGS, ids=lambda f: f.code)
@pytest.mark.parametrize("language", ["en", "da"])
def test_no_advice_names_one_regions_number(flag, language):
    # The after-hours number depends on the clinic's region: the pages show it beside the
    # advice (accounts.contacts), never the text.
    with translation.override(language):
        text = str(flag.advice_text)
    assert "1813" not in text and "Capital Region" not in text and "Hovedstaden" not in text


def test_a_swollen_red_calf_goes_to_a_doctor_the_same_day():
    flag = BY_CODE["calf_swollen_red"]
    assert flag.urgency == "same_day"
    assert "swollen, red, warm or tender" in en(flag.question)
    text = en(flag.advice_text)
    assert "doctor today" in text and "lægevagten" in text and "112" in text
    assert "physiotherapist" not in text


def test_new_numbness_is_new_numbness_or_shooting_pain():
    question = en(BY_CODE["new_numbness"].question)
    assert "new numbness or loss of feeling" in question and "shoots" in question


@pytest.mark.parametrize("code", SOON)
def test_soon_flags_say_book_a_doctor_within_days_and_pause(code):
    text = en(BY_CODE[code].advice_text)
    assert "within the next few days" in text and "doctor" in text
    assert "Pause your exercises" in text


def test_with_diabetes_the_wound_question_comes_first_in_fitting_words():
    asked = questions(has_diabetes=True)
    assert [q.code for q in asked] == ["diabetes_wound"] + [
        c for c in CODES if c != "diabetes_wound"
    ]
    first = en(asked[0].question)
    assert first.startswith("Do you have a wound") and "diabetes" not in first
    assert {q.code: q.urgency for q in asked} == dict(EXPECTED)


@pytest.mark.parametrize("has_diabetes", [False, None])
def test_without_diabetes_the_order_of_clinical_md_and_the_combined_question(has_diabetes):
    asked = questions(has_diabetes=has_diabetes)
    assert [q.code for q in asked] == CODES
    wound = next(q for q in asked if q.code == "diabetes_wound")
    assert en(wound.question).startswith("Do you have diabetes and a wound")


def test_diabetes_adds_foot_care_to_the_advice_but_flags_nothing():
    assert checkin_advice(only(), has_diabetes=True) is None
    plain = checkin_advice(only("night_or_rest_pain"))
    with_diabetes = checkin_advice(only("night_or_rest_pain"), has_diabetes=True)
    assert with_diabetes.flags == plain.flags and with_diabetes.urgency == plain.urgency
    assert en(with_diabetes.text) == f"{en(plain.text)} {en(DIABETES_FOOT_CARE_TEXT)}"
    assert "every day" in en(DIABETES_FOOT_CARE_TEXT)


def test_onboarding_intro_says_adults_only_and_no_diagnosis():
    text = en(ONBOARDING_INTRO)
    assert "18" in text and "adults" in text
    assert "cannot find out what is wrong" in text and "does not replace a doctor" in text


@pytest.mark.parametrize("language", ["en", "da"])
def test_the_weekly_intro_asks_what_is_new_and_does_not_repeat_onboarding(language):
    with translation.override(language):
        weekly, onboarding = str(CHECKIN_INTRO), str(ONBOARDING_INTRO)
    assert "18" not in weekly and weekly not in onboarding
    assert len(weekly) < len(onboarding) / 2
    assert "new since last week" in en(CHECKIN_INTRO)


# --- checkin_advice ----------------------------------------------------------------------------


def test_all_no_is_none():
    assert checkin_advice(only()) is None


def test_empty_answers_are_none():
    assert checkin_advice({}) is None


def test_answers_left_out_count_as_no():
    advice = checkin_advice({"cold_pale_foot": True})
    assert advice is not None and advice.flags == ("cold_pale_foot",)


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
    advice = checkin_advice(
        only("weight_loss_cancer", "night_or_rest_pain", "red_hot_swollen_fever")
    )
    assert advice.code == "red_flag_same_day"
    assert advice.urgency == "same_day" and advice.seek_care is True
    assert advice.flags == ("red_hot_swollen_fever", "night_or_rest_pain", "weight_loss_cancer")
    top = BY_CODE["red_hot_swollen_fever"]
    assert advice.title == top.advice_title
    text = en(advice.text)
    assert text.startswith(en(top.advice_text))
    assert text.endswith(en(OTHER_ANSWERS_TEXT))


def test_same_day_beats_soon_whatever_the_order():
    advice = checkin_advice({"inflammatory_signs": True, "calf_swollen_red": True})
    assert advice.code == "red_flag_same_day"
    assert advice.flags == ("calf_swollen_red", "inflammatory_signs")
    assert en(advice.text).startswith(en(BY_CODE["calf_swollen_red"].advice_text))


def test_equal_urgency_keeps_the_order_of_clinical_md_whatever_the_answer_order():
    answers = dict.fromkeys(reversed(CODES), True)
    advice = checkin_advice(answers)
    assert advice.flags == tuple(CODES)
    assert advice.title == BY_CODE["injury_cannot_bear_weight"].advice_title
    assert "112" in en(advice.text)


def test_the_advice_text_is_translated_when_rendered():
    advice = checkin_advice(only("sudden_pop", "new_numbness"))
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
        checkin_advice({"sudden_pop": False, "weight_loss_cancer": value})


# --- questions no longer asked -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "replaced_by"), [("numbness_tingling", "new_numbness"), ("diabetes", "")]
)
def test_old_codes_are_refused_in_new_answers_naming_them(code, replaced_by):
    with pytest.raises(ValueError, match=code) as excinfo:
        checkin_advice(only() | {code: False})
    assert replaced_by in str(excinfo.value)


def test_old_codes_keep_their_old_words():
    assert "burning" in en(question_text("numbness_tingling"))
    assert en(question_text("diabetes")) == "Do you have diabetes?"
    assert question_text("sudden_pop") is BY_CODE["sudden_pop"].question
    assert question_text("never_asked") == "never_asked"


def test_every_legacy_code_is_retired_from_the_list():
    assert not set(LEGACY) & set(BY_CODE)
    assert all(legacy.replaced_by in ("", *BY_CODE) for legacy in LEGACY.values())


def test_stored_old_numbness_still_advises_within_days_and_diabetes_alone_nothing():
    advice = stored_advice(["numbness_tingling"])
    assert (advice.urgency, advice.flags) == ("soon", ("numbness_tingling",))
    assert advice.text == BY_CODE["new_numbness"].advice_text
    assert stored_advice(["diabetes"]) is None
    mixed = stored_advice(["sudden_pop", "numbness_tingling", "diabetes", "gone_code"])
    assert mixed.flags == ("sudden_pop", "numbness_tingling")
    assert mixed.urgency == "same_day"


def test_the_module_is_pure():
    source = Path(red_flags.__file__).read_text(encoding="utf-8")
    assert "django.db" not in source and ".models" not in source
