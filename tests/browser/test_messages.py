"""The care loop in two browsers (issue 16): the patient writes from the advice box, the
physio answers from the inbox, the patient reads the answer, and the physio's message shows
as read."""

import pytest
from django.urls import reverse

from .conftest import log_in, patient_with_diary, screenshot

pytestmark = pytest.mark.browser


def test_patient_writes_from_the_advice_physio_answers_patient_reads(
    new_context, people, page_errors
):
    from messaging.models import Message

    physio = people["physio"]
    # Day 28, morning pain up from 3 to 7: the advice is to contact the physiotherapist.
    patient_with_diary(
        physio, "bo@example.org", "Bo Nielsen", days=28, pain=lambda ago: 7 if ago < 14 else 3
    )
    question = "Det gør mere ondt om morgenen <b>nu</b>. Skal jeg holde pause?"
    answer = "Hold pause med hælløft i 3 dage, og ring, hvis det ikke bedres."

    patient = log_in(new_context(), "bo@example.org", people["password"], page_errors)
    patient.goto(reverse("progress"))
    with patient.expect_navigation():
        patient.click("#advice #write-to-physio")
    assert patient.url.endswith(reverse("messages"))
    # Above the input: not for emergencies, with the numbers to call.
    assert patient.locator("#not-emergencies a.tel[href='tel:112']").is_visible()
    patient.fill("#message-body", question)
    with patient.expect_navigation():
        patient.click("main form button[type=submit]")
    # The text as written, markup shown as text and never run.
    assert patient.locator(".thread .message-mine .message-body").inner_text() == question
    assert patient.locator(".thread b").count() == 0

    physio_page = log_in(
        new_context(viewport={"width": 390, "height": 844}),
        "fysio@example.org",
        people["password"],
        page_errors,
    )
    physio_page.goto(reverse("inbox"))
    screenshot(physio_page, "messages-inbox")
    with physio_page.expect_navigation():
        physio_page.click("a:has-text('Bo Nielsen')")
    assert question in physio_page.locator(".thread").inner_text()
    physio_page.fill("textarea[name=body]", answer)
    with physio_page.expect_navigation():
        physio_page.click("main form button[type=submit]")
    screenshot(physio_page, "messages-physio-thread")
    assert Message.objects.filter(from_patient=False, body=answer).exists()
    # The physio opened the thread: the patient's message is read.
    assert Message.objects.get(from_patient=True).read_at is not None

    patient.goto(reverse("messages"))
    # The thread is not repeated as the site's status messages above the page.
    assert patient.locator("ul.messages").count() == 0
    bodies = patient.locator(".thread .message-body").all_inner_texts()
    assert bodies == [question, answer]
    # The read receipt on the patient's own message.
    assert patient.locator(".thread .message-mine .message-receipt").inner_text().startswith("Læst")
    screenshot(patient, "messages-patient")
    assert page_errors == []
