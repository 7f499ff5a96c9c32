"""Warmth on Today (issue 17, item 6, in part): a kind word when the 7-day mean has fallen a
point in a week, a gentle card after two missed mornings that goes once today is logged, and
neither when they do not apply. In Danish, on a phone."""

import pytest

from .conftest import log_in, patient_with_diary, screenshot, wait_ready, wait_until

pytestmark = pytest.mark.browser


def _shown(page, selector):
    wait_until(page, "!!window.haelapp && document.body.dataset.ready === '1'")
    page.wait_for_load_state("networkidle")
    return page.locator(selector).is_visible()


def test_kind_words_when_the_pain_comes_down(new_context, people, page_errors):
    # Day 21: 6 every morning until a week ago, then 3.
    patient_with_diary(
        people["physio"], "bo@example.org", "Bo", days=21, pain=lambda ago: 3 if ago < 7 else 6
    )
    page = log_in(new_context(), "bo@example.org", people["password"], page_errors)
    wait_ready(page)
    wait_until(page, "!document.getElementById('kind-words').hidden")
    assert not _shown(page, "#missed-card")
    screenshot(page, "today-kind-words")
    assert page_errors == []


def test_a_gentle_card_after_two_missed_mornings(new_context, people, page_errors):
    # Logged every day until three days ago; nothing since. Flat pain: no kind words either.
    patient_with_diary(people["physio"], "carl@example.org", "Carl", days=21, pain=lambda ago: 5)
    from datetime import timedelta

    from diary.models import DiaryEntry

    today = people["today"]
    # The helper logs every day, today included: today and the two mornings before go.
    DiaryEntry.objects.filter(
        patient__user__email="carl@example.org", date__gte=today - timedelta(days=2)
    ).delete()
    page = log_in(new_context(), "carl@example.org", people["password"], page_errors)
    wait_ready(page)
    wait_until(page, "!document.getElementById('missed-card').hidden")
    assert not _shown(page, "#kind-words")
    screenshot(page, "today-missed-card")
    page.locator(".pain-scale[data-day='today'] button[data-value='4']").click()
    assert page.locator("#missed-card").is_hidden()
    assert page_errors == []
