"""A questionnaire in the browser (issue 15): the Today card leads to it; part is answered
online (a draft), the rest offline; sending while offline waits in the outbox and goes once
when the connection returns; the physio then sees the score. In Danish, on a phone."""

import threading

import pytest
from django.core.signals import request_started
from django.urls import reverse

from .conftest import SCREENSHOTS, log_in, screenshot, wait_ready, wait_until

pytestmark = pytest.mark.browser


@pytest.fixture
def questionnaire_puts():
    """The PUTs to the questionnaire API the live server received."""
    seen = []
    lock = threading.Lock()

    def record(sender, environ, **kwargs):
        path = environ.get("PATH_INFO", "")
        if environ.get("REQUEST_METHOD") == "PUT" and path.startswith("/api/v1/questionnaires/"):
            with lock:
                seen.append(path)

    request_started.connect(record, weak=False)
    yield seen
    request_started.disconnect(record)


def test_answer_part_online_the_rest_offline_sent_once(
    new_context, people, page_errors, questionnaire_puts
):
    from outcomes.models import QuestionnaireResponse

    patient = people["patient"]
    patient.user.language = "da"
    patient.user.save(update_fields=["language"])
    context = new_context()
    page = log_in(context, patient.user.email, people["password"], page_errors)
    wait_ready(page)
    card = page.locator("#questionnaire-card")
    assert card.is_visible()
    screenshot(page, "questionnaire-today-card")
    with page.expect_navigation():
        card.locator("a").click()
    psfs = QuestionnaireResponse.objects.get(patient=patient, instrument="psfs")
    with page.expect_navigation():
        page.click(f"a[href='{reverse('questionnaire', args=[psfs.pk])}']")
    assert page.locator("#not-validated").is_visible()

    # Online: naming the activity is kept as a draft on the server at once.
    page.fill("input[name=activity_1]", "Gå tur med hunden")
    page.locator("input[name=activity_1]").dispatch_event("change")
    wait_until(page, "document.getElementById('q-status').textContent.length > 0")

    for _ in range(200):  # the draft's PUT is on its way
        psfs.refresh_from_db()
        if psfs.answers.get("activity_1") == "Gå tur med hunden":
            break
        page.wait_for_timeout(50)
    assert psfs.answers == {"activity_1": "Gå tur med hunden"} and psfs.submitted_at is None

    # Offline: the rating and "send" wait on the phone.
    context.set_offline(True)
    page.locator("fieldset#q-rating_1 label.q-option:has(input[value='6'])").click()
    page.click("button[name=submit]")
    wait_until(page, "document.getElementById('q-status').textContent.includes('telefon')")
    screenshot(page, "questionnaire-offline")
    psfs.refresh_from_db()
    assert psfs.submitted_at is None

    # Back online: sent by itself, once, and the page moves on to the list.
    context.set_offline(False)
    page.wait_for_url("**" + reverse("questionnaires"))
    psfs.refresh_from_db()
    assert psfs.submitted_at is not None
    assert psfs.answers == {"activity_1": "Gå tur med hunden", "rating_1": 6}
    assert psfs.scores["mean"] == 6
    assert page.locator("#outbox .outbox-rejected").count() == 0
    url = f"/api/v1/questionnaires/{psfs.pk}/"
    # The draft(s) online, then exactly one sending (a replay would be refused and shown).
    assert questionnaire_puts[-1] == url

    # Read-only now.
    page.goto(reverse("questionnaire", args=[psfs.pk]))
    assert page.locator("button[name=submit]").count() == 0
    assert page.locator("fieldset.q-item[disabled]").count() >= 2
    screenshot(page, "questionnaire-sent")

    physio = log_in(new_context(), "fysio@example.org", people["password"], page_errors)
    physio.goto(reverse("patient", args=[patient.pk]))
    section = physio.locator("#pt-questionnaires")
    assert "6" in section.inner_text()
    section.screenshot(path=str(SCREENSHOTS / "questionnaire-physio.png"))
    # Only the requests that failed while the phone was offline.
    assert [e for e in page_errors if "ERR_INTERNET_DISCONNECTED" not in e] == []
