"""A physiotherapist invites a patient, the patient joins by the link, the physio assigns the
standard heel-pain programme and adjusts it, and the patient sees it."""

import re

import pytest
from django.core import mail

from .conftest import log_in, wait_ready, watch

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
    patient.fill("#id_password1", NEW_PASSWORD)
    patient.fill("#id_password2", NEW_PASSWORD)
    patient.check("#id_confirm_adult")
    with patient.expect_navigation():
        patient.click("main button[type=submit]")
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
