"""A patient's morning: log in, answer the pain question with one tap, tick off exercises, find
the guided exercise, and see the progress chart and table change."""

import pytest

from .conftest import log_in, wait_ready

pytestmark = pytest.mark.browser


def test_patient_logs_pain_ticks_exercises_and_sees_the_chart_change(
    new_context, people, page_errors
):
    from diary.models import DiaryEntry
    from exercises.models import Completion

    patient, today = people["patient"], people["today"]
    context = new_context()
    page = log_in(context, patient.user.email, people["password"], page_errors)
    chart_before = page.request.get("/api/v1/progress/chart.svg").text()
    wait_ready(page)

    # One tap on the 0-10 scale, big enough for a thumb, saves today's morning pain.
    button = page.locator(".pain-scale[data-day='today'] button[data-value='4']")
    box = button.bounding_box()
    assert box["width"] >= 44 and box["height"] >= 44
    button.click()
    page.wait_for_selector("[data-status-for='today'][data-just-saved='1']")
    assert button.get_attribute("aria-pressed") == "true"
    entry = DiaryEntry.objects.get(patient=patient, date=today)
    assert entry.morning_pain == 4
    # An optional note goes with it.
    page.click("details.note summary")
    page.fill("#pain-note", "Long walk yesterday")
    page.click("#pain-note-save")
    page.wait_for_selector("#pain-note-status[data-just-saved='1']")
    entry.refresh_from_db()
    assert (entry.morning_pain, entry.note) == (4, "Long walk yesterday")

    # The day's exercises show an illustration and the dosage; "done" is stored.
    cards = page.locator("article.exercise")
    assert cards.count() >= 3
    first = cards.first
    assert first.locator("img.illustration").evaluate("img => img.naturalWidth") > 0
    assert first.locator(".dosage li").count() >= 1
    item_id = int(first.get_attribute("data-item"))
    first.locator(".btn-done >> nth=0").click()
    page.wait_for_selector(f"#item-{item_id} .btn-done[data-session='1'][aria-pressed='true']")
    page.wait_for_selector("#outbox", state="hidden")
    assert Completion.objects.filter(item_id=item_id, date=today).count() == 1

    # Each exercise leads to the guided exercise (tests/browser/test_guide.py runs it).
    guide = first.locator(".guide-link a")
    assert guide.get_attribute("href") == f"/today/guide/?item={item_id}"
    box = guide.bounding_box()
    assert box["width"] >= 44 and box["height"] >= 44

    # A reload shows what the server has: the answer and the done exercise.
    page.reload()
    wait_ready(page)
    page.wait_for_selector(
        ".pain-scale[data-day='today'] button[data-value='4'][aria-pressed='true']"
    )
    page.wait_for_selector(f"#item-{item_id} .btn-done[data-session='1'][aria-pressed='true']")

    # Progress: today's entry is in the table, and the chart is drawn with it.
    page.goto("/progress/")
    # (The date is the row's header, a th; the chart is drawn into the page, issue 17 item 5.)
    first_row = page.locator("table.data tbody tr").first
    assert first_row.locator("td").nth(0).inner_text() == "4"
    chart = page.locator("figure.chart svg.chart-svg")
    # A dot for each of the 21 days, today's included (the chart shows the last four weeks).
    assert chart.locator("g.daily-pain circle.dot").count() == 21
    assert chart.locator("title").text_content()
    chart_after = page.request.get("/api/v1/progress/chart.svg").text()
    assert chart_after != chart_before
    assert page_errors == []
