"""The safety net on the episode clock, in the browser, in Danish: the physio records the
week-6 review on the patient's page and the patient's advice to book one goes; the week-12
advice shows the after-hours doctor of the clinic's own region as a number to tap."""

import pytest
from django.urls import reverse
from django.utils import translation

from .conftest import PHONE, SCREENSHOTS, log_in, patient_with_diary, screenshot

pytestmark = pytest.mark.browser


def _stalled_patient(physio, email, name, days):
    """A Danish patient on day `days` of the episode, whose morning pain has stayed at 6."""
    return patient_with_diary(physio, email, name, days=days, pain=lambda ago: 6)


def _advice_title(code):
    from progress.assessment import ADVICE

    with translation.override("da"):
        return str(ADVICE[code].title)


def test_recording_the_week_6_review_ends_the_patients_advice(new_context, people, page_errors):
    physio = people["physio"]
    physio.clinic.phone = "55 55 12 34"
    physio.clinic.save(update_fields=["phone"])
    patient = _stalled_patient(physio, "bo@example.org", "Bo Nielsen", days=45)  # week 7

    patient_page = log_in(new_context(), "bo@example.org", people["password"], page_errors)
    patient_page.goto(reverse("progress"))
    advice = patient_page.locator("#advice")
    assert advice.locator("h2").inner_text() == _advice_title("review_first")
    # "Contact your physiotherapist": the clinic's own number is a link to tap.
    assert advice.locator("a.tel[href='tel:+4555551234']").is_visible()
    screenshot(patient_page, "episode-review-advice-before")

    physio_page = log_in(new_context(), "fysio@example.org", people["password"], page_errors)
    physio_page.goto(reverse("patient", args=[patient.pk]))
    form = physio_page.locator("details.episode-form:has(form[action$='/week_6_review/'])")
    form.locator("summary").click()
    with physio_page.expect_navigation():
        form.locator("button[type=submit]").click()
    # All in Danish, the automatic reason too (it is stored as a code).
    assert "åbnet med det første program" in physio_page.locator("#episodes").inner_text()
    physio_page.locator("#episodes").screenshot(
        path=str(SCREENSHOTS / "episode-review-recorded.png")
    )
    # The form is gone and the episode says when the review was recorded.
    assert physio_page.locator("form[action$='/week_6_review/']").count() == 0
    assert patient.episodes.get().reviews.filter(kind="week_6_review").exists()

    patient_page.reload()
    assert patient_page.locator("#advice").count() == 0
    assert page_errors == []


@pytest.mark.parametrize("region", ["hovedstaden", "syddanmark"])
def test_the_week_12_advice_offers_the_regions_after_hours_number(
    new_context, people, page_errors, region
):
    from accounts.contacts import BY_REGION, tel_href
    from care.selectors import current_episode
    from care.services import episode_review_record

    physio = people["physio"]
    physio.clinic.region = region
    physio.clinic.save(update_fields=["region"])
    patient = _stalled_patient(physio, "carl@example.org", "Carl Jensen", days=90)  # week 13
    episode_review_record(actor=physio.user, episode=current_episode(patient), kind="week_6_review")

    page = log_in(new_context(viewport=PHONE), "carl@example.org", people["password"])
    page.goto(reverse("progress"))
    advice = page.locator("#advice")
    assert advice.locator("h2").inner_text() == _advice_title("review_last")
    after_hours = advice.locator(".contact-after-hours a.tel")
    expected = BY_REGION[region]
    assert after_hours.get_attribute("href") == tel_href(expected.after_hours_phone)
    assert expected.after_hours_phone in after_hours.inner_text()
    emergency = advice.locator(".contact-emergency a.tel")
    assert emergency.get_attribute("href") == "tel:112"
    # Big enough to tap with a thumb on a phone (WCAG 2.5.8: at least 24 x 24 CSS px).
    for link in (after_hours, emergency):
        box = link.bounding_box()
        assert box is not None and box["height"] >= 24 and box["width"] >= 24, box
    screenshot(page, f"episode-week-12-advice-{region}")
    assert page_errors == []
