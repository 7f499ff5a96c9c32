"""Text that cannot drift (issue 13 item 3): every patient-facing sentence that explains the
seek-care rule is formatted from the thresholds and review weeks in use. In each language,
changing a threshold changes the text; the about page and the progress page show the reader's
own rule."""

from dataclasses import replace
from decimal import Decimal

import pytest
from django.utils import translation

from progress.assessment import NOT_ENOUGH_DATA, Thresholds, advice_for
from progress.explain import rule_sentences, status_help
from progress.models import AssessmentSettings

DEFAULT = Thresholds()


def rendered(sentences) -> str:
    return " ".join(str(s) for s in sentences)


@pytest.mark.parametrize("language", ["da", "en"])
@pytest.mark.parametrize(
    ("changed", "review_weeks", "expected"),
    [
        (replace(DEFAULT, improve_percent=Decimal("25")), (6, 12), "25 %"),
        (replace(DEFAULT, improve_points=Decimal("2.5")), (6, 12), None),
        (replace(DEFAULT, worse_percent=Decimal("40")), (6, 12), "40 %"),
        (replace(DEFAULT, window_min_entries=5), (6, 12), "5"),
        (replace(DEFAULT, baseline_floor=Decimal("3")), (6, 12), "3"),
        (replace(DEFAULT, load_rise_points=Decimal("3")), (6, 12), "3"),
        (DEFAULT, (8, 16), "16"),
    ],
)
def test_changing_a_threshold_changes_the_rule_text(language, changed, review_weeks, expected):
    with translation.override(language):
        before = rendered(rule_sentences(DEFAULT, (6, 12)))
        after = rendered(rule_sentences(changed, review_weeks))
        decimal_point = {"da": "2,5", "en": "2.5"}[language]
        assert after != before
        assert (expected or decimal_point) in after
        assert "%(" not in after


@pytest.mark.parametrize("language", ["da", "en"])
def test_review_weeks_change_the_review_sentence_and_the_advice(language):
    with translation.override(language):
        default = rendered(rule_sentences(DEFAULT, (6, 12)))
        moved = rendered(rule_sentences(DEFAULT, (8, 16)))
        assert " 6" in default and " 12" in default
        assert " 6" not in moved and " 12" not in moved and " 8" in moved and " 16" in moved
        for code in ("review_first", "review_last"):
            for thin in (False, True):
                old = str(advice_for(code, review_weeks=(6, 12), thin_data=thin).text)
                new = str(advice_for(code, review_weeks=(8, 16), thin_data=thin).text)
                assert old != new
                assert (" 8 " if code == "review_first" else " 16 ") in new


@pytest.mark.parametrize("language", ["da", "en"])
def test_advice_texts_follow_the_thresholds(language):
    with translation.override(language):
        for code, changed, needle in [
            ("worse", replace(DEFAULT, worse_points=Decimal("3")), "3"),
            ("review_first", replace(DEFAULT, improve_percent=Decimal("25")), "25 %"),
            ("review_last", replace(DEFAULT, improve_points=Decimal("3")), "3"),
            ("keep_going", replace(DEFAULT, improve_percent=Decimal("20")), "20 %"),
            ("load_too_high", replace(DEFAULT, load_days_running=3), "3"),
        ]:
            old, new = str(advice_for(code).text), str(advice_for(code, thresholds=changed).text)
            assert old != new and needle in new, (code, new)
        thin = replace(DEFAULT, window_min_entries=5)
        text = str(advice_for("review_last", thresholds=thin, thin_data=True).text)
        assert "5" in text and text != str(advice_for("review_last", thin_data=True).text)


@pytest.mark.parametrize("language", ["da", "en"])
def test_the_status_help_follows_window_min_entries(language):
    with translation.override(language):
        assert "4" in str(status_help(NOT_ENOUGH_DATA, DEFAULT))
        five = str(status_help(NOT_ENOUGH_DATA, replace(DEFAULT, window_min_entries=5)))
        assert "5" in five and "4" not in five


def test_the_about_page_explains_the_default_rule_without_hand_written_numbers(client, db):
    page = client.get("/about/", HTTP_ACCEPT_LANGUAGE="en").text
    with translation.override("en"):
        for sentence in rule_sentences(DEFAULT, (6, 12)):
            assert str(sentence) in page
    assert "week 6" in page and "week 12" in page


@pytest.mark.parametrize("language", ["da", "en"])
def test_the_about_page_shows_the_patients_own_thresholds(client_for, patient, language):
    patient.user.language = language
    patient.user.save()
    AssessmentSettings.objects.create(
        patient=patient, improve_percent=Decimal("25"), review_weeks=[8, 16]
    )
    page = client_for(patient.user).get("/about/").text
    rules = replace(DEFAULT, improve_percent=Decimal("25"))
    with translation.override(language):
        for sentence in rule_sentences(rules, (8, 16)):
            assert str(sentence) in page
        assert str(rule_sentences(DEFAULT, (6, 12))[3]) not in page  # the 30 % sentence


def test_the_progress_page_explains_the_patients_rule(client_for, patient, assign):
    patient.user.language = "en"
    patient.user.save()
    assign(patient)
    AssessmentSettings.objects.create(patient=patient, review_weeks=[8, 16])
    client = client_for(patient.user)
    page = client.get("/progress/").text
    with translation.override("en"):
        for sentence in rule_sentences(DEFAULT, (8, 16)):
            assert str(sentence) in page
    body = client.get("/api/v1/progress/", HTTP_ACCEPT_LANGUAGE="en").json()
    assert any("week 16" in sentence for sentence in body["explanation"])
    assert body["status_help"]
