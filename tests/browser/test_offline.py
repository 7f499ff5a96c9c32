"""Offline first: what a patient logs without a connection is kept in the outbox, shown as
waiting, survives a reload (served by the service worker), and is sent exactly once when the
connection returns."""

import threading
from datetime import timedelta

import pytest
from django.core.signals import request_started

from .conftest import log_in, screenshot, wait_for_service_worker, wait_ready, wait_until

pytestmark = pytest.mark.browser


@pytest.fixture
def writes_received():
    """The PUT and DELETE requests the live server received, as (method, path)."""
    seen = []
    lock = threading.Lock()

    def record(sender, environ, **kwargs):
        if environ.get("REQUEST_METHOD") in ("PUT", "DELETE"):
            with lock:
                seen.append((environ["REQUEST_METHOD"], environ.get("PATH_INFO")))

    request_started.connect(record, weak=False)
    yield seen
    request_started.disconnect(record)


def test_entries_made_offline_wait_and_are_sent_once(
    new_context, people, writes_received, page_errors
):
    from diary.models import DiaryEntry
    from exercises.models import Completion

    patient, today = people["patient"], people["today"]
    patient.user.language = "da"  # Danish first: the screenshots are the Danish page
    patient.user.save(update_fields=["language"])
    context = new_context()
    page = log_in(context, patient.user.email, people["password"])
    wait_ready(page)
    wait_for_service_worker(page)
    # The service worker has kept Today for offline use.
    wait_until(page, "caches.match('/', {cacheName: 'haelapp-user'}).then(hit => !!hit)")

    context.set_offline(True)
    page.locator(".pain-scale[data-day='today'] button[data-value='6']").click()
    card = page.locator("article.exercise").first
    item_id = int(card.get_attribute("data-item"))
    card.locator(".btn-done >> nth=0").click()
    page.wait_for_selector("#outbox .outbox-list li >> nth=1")
    assert page.locator("#outbox .outbox-list li").count() == 2
    assert "6" in page.locator("#outbox").inner_text()
    screenshot(page, "today-offline-waiting")

    # Reload without a network: the service worker serves the page, the outbox is still there.
    page.reload()
    wait_ready(page)
    assert page.evaluate("navigator.onLine") is False
    page.wait_for_selector("#outbox .outbox-list li >> nth=1")
    assert page.locator("#checkin-notice").is_hidden()
    assert page.locator("#outbox .outbox-list li").count() == 2
    assert (
        page.locator(".pain-scale[data-day='today'] button[data-value='6']").get_attribute(
            "aria-pressed"
        )
        == "true"
    )
    assert (
        page.locator(f"#item-{item_id} .btn-done >> nth=0").get_attribute("aria-pressed") == "true"
    )
    assert not DiaryEntry.objects.filter(patient=patient, date=today).exists()
    assert writes_received == []

    # Back online: sent, once, and the outbox is empty.
    page.evaluate("window.sameDocument = true")  # gone if the page were loaded again
    context.set_offline(False)
    page.wait_for_selector("#outbox", state="hidden")
    # The page now shows what the server holds, without a navigation: today's 6 and the
    # exercise done, and yesterday's entry, which the page opened offline had never read.
    yesterday = people["patient"].diary_entries.get(date=today - timedelta(days=1)).morning_pain
    wait_until(
        page,
        "v => document.querySelector(`.pain-scale[data-day='yesterday'] button[data-value='${v}']`)"
        ".getAttribute('aria-pressed') === 'true'",
        yesterday,
    )
    assert page.evaluate("window.sameDocument") is True
    pressed = page.locator(".pain-scale[data-day='today'] button[aria-pressed='true']")
    assert pressed.count() == 1 and pressed.get_attribute("data-value") == "6"
    assert (
        page.locator(f"#item-{item_id} .btn-done >> nth=0").get_attribute("aria-pressed") == "true"
    )
    assert page.evaluate("haelappOutbox.pending(null).then(list => list.length)") == 0
    # The notices, which the page opened offline could not read, are read now: this week's
    # safety questions are due (advice to seek care would show the same way).
    page.wait_for_selector("#checkin-notice", state="visible")
    # The line under the scale no longer waits: the server has it.
    status = page.locator("[data-status-for='today']")
    assert status.inner_text() == "Gemt."
    screenshot(page, "today-synced")
    entries = DiaryEntry.objects.filter(patient=patient, date=today)
    assert [entry.morning_pain for entry in entries] == [6]
    assert Completion.objects.filter(item_id=item_id, date=today).count() == 1
    diary_path = f"/api/v1/diary/{today.isoformat()}/"
    completion_path = f"/api/v1/completions/{today.isoformat()}/{item_id}/"
    # Another trigger (a tab coming back into view) finds nothing left to send.
    page.evaluate("haelapp.flush()")
    assert writes_received.count(("PUT", diary_path)) == 1
    assert writes_received.count(("PUT", completion_path)) == 1
    assert len(writes_received) == 2
    assert page_errors == []
