"""A physiotherapist invites a patient, the patient joins by the link, the physio assigns the
standard heel-pain programme and adjusts it, and the patient sees it."""

import re

import pytest
from django.core import mail

from .conftest import join_with_password, log_in, wait_ready, watch

pytestmark = pytest.mark.browser

NEW_PASSWORD = "a-long-new-password-2026"


def test_invite_join_assign_and_the_patient_sees_the_programme(new_context, people, page_errors):
    from exercises.models import Programme

    physio_context = new_context(viewport={"width": 1280, "height": 900})
    physio = log_in(physio_context, "fysio@example.org", people["password"], page_errors)
    # The list shows the existing patient with their numbers.
    physio.wait_for_selector("#patients tbody tr")
    assert "Ane Hansen" in physio.locator("#patients tbody").inner_text()

    physio.goto("/invite/")
    physio.fill("#inv-name", "Bo Nielsen")
    physio.fill("#inv-email", "bo@example.org")
    physio.select_option("#inv-condition", "plantar_fasciitis")
    physio.click("#invite-form button[type=submit]")
    physio.wait_for_selector("#invite-result:not([hidden])")
    url = physio.input_value("#invite-url")
    assert "bo@example.org" in physio.locator("#invite-result").inner_text()
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["bo@example.org"]
    assert url in mail.outbox[0].body
    path = re.sub(r"^https?://[^/]+", "", url)

    patient_context = new_context()
    patient = watch(patient_context.new_page(), page_errors)
    patient.goto(path)
    assert patient.input_value("#id_name") == "Bo Nielsen"
    join_with_password(patient, NEW_PASSWORD)
    # Onboarding starts with the safety questions.
    assert patient.url.endswith("/checkin/")
    patient.goto("/")
    wait_ready(patient)
    assert patient.locator("article.exercise").count() == 0

    # The physio finds the new patient and assigns "Hælspore - standard".
    physio.goto("/")
    physio.click("#patients a:has-text('Bo Nielsen')")
    physio.wait_for_selector("#patient[data-loaded='1']")
    physio.wait_for_selector(
        "#assign-template-select option[value='haelspore-standard']", state="attached"
    )
    physio.select_option("#assign-template-select", "haelspore-standard")
    physio.click("#assign-form button[type=submit]")
    physio.wait_for_selector("#pt-items article.item >> nth=3")
    programme = Programme.objects.active().get(patient__user__email="bo@example.org")
    assert programme.template.slug == "haelspore-standard"

    # Hold the staged heel raise at stage 1 and give it 2 sets.
    staged = physio.locator("#pt-items article.item[data-exercise='heel-raise-high-load']")
    staged.locator("summary").click()
    staged.locator("select[name=stage]").select_option("1")
    staged.locator("input[name=sets]").fill("2")
    staged.locator("button[type=submit]").click()
    physio.wait_for_selector(
        "#pt-items article.item[data-exercise='heel-raise-high-load'][data-held='1']"
    )
    item = programme.items.get(exercise__slug="heel-raise-high-load")
    assert item.held_stage == 1 and item.stages[0]["sets"] == 2
    # "Saved" stays on the redrawn item (it used to be wiped by the redraw at once).
    saved = physio.locator(
        "#pt-items article.item[data-exercise='heel-raise-high-load'] .item-status"
    )
    assert saved.inner_text().strip()

    # The patient sees the programme.
    patient.goto("/")
    wait_ready(patient)
    names = patient.locator("article.exercise h3").all_inner_texts()
    assert len(names) >= 3
    patient.goto("/programme/")
    assert patient.locator("article.programme-item").count() == programme.items.count()
    assert "haelspore" not in patient.locator("h1").inner_text().lower()
    assert page_errors == []


def test_a_saved_message_stays_until_closed_or_replaced(new_context, people, page_errors):
    """On a phone, in Danish: "Saved" after a change stays (it is not wiped by the redraw, nor
    by time) until its close button is pressed or the next action says something else."""
    from .conftest import SCREENSHOTS, screenshot
    from .test_accessibility import scan

    patient = people["patient"]
    page = log_in(new_context(), "fysio@example.org", people["password"], page_errors)
    page.goto(f"/patients/{patient.pk}/")
    page.wait_for_selector("#patient[data-loaded='1']")
    staged = "#pt-items article.item[data-exercise='heel-raise-high-load']"
    page.locator(f"{staged} summary").click()
    page.locator(f"{staged} input[name=sets]").fill("2")
    page.locator(f"{staged} button[type=submit]").click()

    status = page.locator(f"{staged} .item-status")
    close = page.locator(f"{staged} .note-close")
    page.wait_for_selector(f"{staged} .item-status:text-is('Gemt.')")
    assert status.get_attribute("role") == "status"
    assert close.is_visible()
    assert close.get_attribute("aria-label") == "Luk beskeden"
    box = close.bounding_box()
    assert box["width"] >= 44 and box["height"] >= 44
    # The redraw gave the focus back to the new copy's Save button (not lost on the page).
    assert page.evaluate(
        "document.activeElement.matches(\"article.item[data-exercise='heel-raise-high-load']"
        ' button[type=submit]")'
    )
    screenshot(page, "physio-patient-saved")
    page.locator(staged).screenshot(path=str(SCREENSHOTS / "physio-patient-saved-item.png"))
    assert scan(page, "physio-patient-saved") == []
    # Still there after other work on the page (a diary opened, time passing).
    page.locator("details.diary summary").click()
    assert status.inner_text() == "Gemt."

    # Closed: gone, and the focus is back on the button that saved.
    close.click()
    assert status.inner_text() == ""
    assert close.is_hidden()
    assert page.evaluate("document.activeElement.closest('form.item-form') !== null")

    # Saved again, then another save elsewhere replaces it: one message at a time.
    page.locator(f"{staged} input[name=sets]").fill("3")
    page.locator(f"{staged} button[type=submit]").click()
    page.wait_for_selector(f"{staged} .item-status:text-is('Gemt.')")
    page.fill("#rules-weeks", "6, 12")
    # Editing another form leaves the item's message; saving it replaces the message.
    assert status.inner_text() == "Gemt."
    page.click("#rules-form button[type=submit]")
    page.wait_for_selector("#rules-status:text-is('Gemt.')")
    assert status.inner_text() == ""
    assert page.locator("#rules-form .note-close").is_visible()
    # Editing the form a message is about: the message no longer describes it.
    page.fill("#rules-weeks", "6, 12, 26")
    assert page.locator("#rules-status").inner_text() == ""
    assert page.locator("#rules-form .note-close").is_hidden()

    # A reminder sent says so the same way, and replaces a message of a save. (The server's
    # answer is given here: a real one hands the reminder to delivery, and on the test
    # server's shared in-memory SQLite database the chart read beside it then fails with
    # "database table is locked"; the reminder itself is tested in tests/test_reminders_api.py.)
    page.click("#rules-form button[type=submit]")
    page.wait_for_selector("#rules-status:text-is('Gemt.')")
    page.route(
        f"**/api/v1/patients/{patient.pk}/nudge/",
        lambda route: route.fulfill(status=201, json={"queued": True}),
    )
    page.click("#nudge")
    page.wait_for_selector("#nudge-status:text-is('Påmindelsen er sendt.')")
    assert page.locator("#rules-status").inner_text() == ""
    page.locator(".nudge .note-close").click()
    assert page.locator("#nudge-status").inner_text() == ""
    assert page.evaluate("document.activeElement.id") == "nudge"
    assert page_errors == []
