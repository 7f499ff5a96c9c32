"""A newcomer patient sees the week-1 lesson on Today, reads it, and reads it again offline
after that one visit (the service worker keeps lesson pages); the physio sees it read. The
Learn pages are scanned with axe (as in test_accessibility) and photographed at phone size."""

import pytest

from .conftest import log_in, screenshot, wait_for_service_worker, wait_ready, wait_until
from .test_accessibility import scan

pytestmark = pytest.mark.browser


@pytest.fixture
def lessons(transactional_db):
    # Stored by migration, but the transactional tests flush the tables.
    from lessons.models import Lesson
    from lessons.sync import lessons_load

    lessons_load(Lesson)


def test_read_a_lesson_then_offline(new_context, people, lessons, page_errors):
    patient = people["patient"]
    context = new_context()
    page = log_in(context, patient.user.email, people["password"], page_errors)
    wait_ready(page)
    wait_for_service_worker(page)
    card = page.locator(".lesson-card")
    assert "What is happening in your heel" in card.inner_text()
    problems = scan(page, "patient-today-lesson")

    with page.expect_navigation():
        card.locator("a").click()
    assert page.locator("h1").inner_text() == "What is happening in your heel"
    assert page.locator(".lesson-sources li").count() >= 1
    problems += scan(page, "patient-lesson")
    # The service worker has kept the page.
    wait_until(
        page,
        "caches.match('/learn/what-is-happening/', {cacheName: 'haelapp-user', ignoreVary: true})"
        ".then(h => !!h)",
    )
    page.goto("/learn/")
    problems += scan(page, "patient-lessons")
    assert "Read" in page.locator(".lesson-item").first.inner_text()

    context.set_offline(True)
    page.goto("/learn/what-is-happening/")
    assert page.evaluate("navigator.onLine") is False
    assert page.locator("h1").inner_text() == "What is happening in your heel"
    assert "plantar fascia" in page.locator(".lesson-body").inner_text()
    screenshot(page, "patient-lesson-offline")
    context.set_offline(False)

    physio_context = new_context()
    physio_page = log_in(physio_context, "fysio@example.org", people["password"], page_errors)
    physio_page.goto(f"/patients/{patient.pk}/")
    row = physio_page.locator("#pt-lessons tbody tr").first
    assert row.locator("time").count() == 1  # read, with its date
    problems += scan(physio_page, "physio-patient-lessons")
    assert problems == []
    assert page_errors == []
