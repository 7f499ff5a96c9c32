"""The Progress page's chart on a phone (issue 17, item 5), in Danish, in a real Chromium.

A patient on day 53 of their course with a diary every day and a note now and then (the
demo-like diary of `patient_with_diary`): the chart is tall enough and readable at 360 px, shows
the last four weeks up to today with Danish dates, tapping a day (or a table date) shows its
value and note, the keyboard reaches and moves through the days, the period switch and the
table's weeks work, with and without the page's script, and axe finds no serious problem.
"""

from datetime import timedelta

import pytest
from django.utils import translation

from common.dates import day_label

from .conftest import log_in, patient_with_diary, screenshot, wait_until
from .test_accessibility import scan

pytestmark = pytest.mark.browser

SMALL_PHONE = {"width": 360, "height": 780}
DAYS = 53


def pain(ago: int) -> int:
    """Slowly better, a little up and down from day to day."""
    return max(0, min(10, 7 - (DAYS - ago) // 9 + (ago % 3 == 0)))


@pytest.fixture
def dagmar(people):
    from diary.models import DiaryEntry

    patient = patient_with_diary(
        people["physio"], "dagmar@example.org", "Dagmar Holm", days=DAYS, pain=pain
    )
    today = patient.user.local_today()
    notes = {
        3: "Gik en lang tur i går, ondt om morgenen.",
        10: "Nye sko.",
        40: "Første uge med øvelserne.",
    }
    for ago, note in notes.items():
        DiaryEntry.objects.filter(patient=patient, date=today - timedelta(days=ago)).update(
            note=note
        )
    return {"patient": patient, "today": today, "notes": notes}


def axis_date(day) -> str:
    with translation.override("da"):
        return day_label(day, year=False, weekday=False)


def details(page) -> str:
    return page.locator("#day-details .day-content").inner_text()


def assert_fits(page):
    """A week of the table fits the phone's width: nothing to scroll sideways (the widest
    Danish dates: "man 30. nov.")."""
    wrap = page.locator("#entries .table-wrap")
    widths = wrap.evaluate("w => [w.scrollWidth, w.clientWidth]")
    assert widths[0] <= widths[1], widths


def test_the_chart_reads_on_a_phone_and_shows_a_tapped_day(
    new_context, people, dagmar, page_errors
):
    today, notes = dagmar["today"], dagmar["notes"]
    page = log_in(new_context(viewport=SMALL_PHONE), "dagmar@example.org", people["password"])
    page.goto("/progress/")
    chart = page.locator("#chart svg.chart-svg")

    # Tall enough, and text of at least 14 px: SVG sizes are in the chart's units, scaled by
    # the width it is shown at.
    size = chart.evaluate(
        """svg => {
          const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
          const plot = svg.querySelector('g.plot > rect.background').getBoundingClientRect();
          const fonts = [...svg.querySelectorAll('text')]
            .filter(t => t.textContent.trim())
            .map(t => parseFloat(getComputedStyle(t).fontSize) * scale);
          return {plot: plot.height, font: Math.min(...fonts), texts: fonts.length};
        }"""
    )
    assert size["plot"] >= 220, size
    assert size["font"] >= 14, size
    assert size["texts"] > 10

    # The last four weeks, ending today: a column per day, the last one today; Danish dates
    # on the axis, today's among them.
    targets = chart.locator(".day-target")
    assert targets.count() == 28
    assert targets.last.get_attribute("data-date") == today.isoformat()
    assert targets.first.get_attribute("data-date") == (today - timedelta(days=27)).isoformat()
    axis = chart.locator("g.axis.x text").all_text_contents()
    assert axis_date(today) in axis and "." in axis_date(today), axis
    assert page.locator(".range-option[aria-current='true']").inner_text() == "Sidste 4 uger"
    screenshot(page, "progress-chart-phone")

    # A tap on a day shows its value and its note under the chart.
    day = today - timedelta(days=3)
    targets.nth(27 - 3).click()
    shown = details(page)
    assert str(pain(3)) in shown and notes[3] in shown, shown
    with translation.override("da"):
        assert day_label(day) in shown
    assert page.locator(".day-highlight").get_attribute("display") is None
    assert f"day={day.isoformat()}" in page.url  # a reload shows it again
    screenshot(page, "progress-chart-phone-day")

    # The keyboard: the days are one slider; arrows move a day, Home and End to the ends.
    slider = chart.locator(".day-targets[role='slider']")
    assert slider.get_attribute("tabindex") == "0"
    slider.focus()
    page.keyboard.press("ArrowLeft")
    assert slider.get_attribute("aria-valuenow") == str(28 - 4)
    assert "Ingen note." in details(page)
    page.keyboard.press("Home")
    assert slider.get_attribute("aria-valuenow") == "1"
    page.keyboard.press("End")
    assert slider.get_attribute("aria-valuenow") == "28"
    assert f": morgensmerte {pain(0)}" in slider.get_attribute("aria-valuetext")
    # The buttons under the details step a day too (a thumb can miss a narrow column).
    page.click("#day-details [data-step='-1']")
    assert slider.get_attribute("aria-valuenow") == "27"

    # The table: one week, the newest first; a date shows that day in the details box.
    rows = page.locator("table.entries tbody tr")
    assert rows.count() == 53 - 7 * 7  # week 8 of the course: days 50 to 53
    assert rows.first.get_attribute("data-day") == today.isoformat()
    assert page.locator("table.entries caption").inner_text().startswith("Uge 8")
    assert_fits(page)
    page.locator("table.entries a.day-link").nth(3).click()
    shown = details(page)
    assert notes[3] in shown
    assert page.evaluate("document.activeElement.id") == "day-details"

    problems = scan(page, "progress-chart-phone-axe")

    # The table's previous week, keeping the chosen day.
    with page.expect_navigation():
        page.click(".week-pager a[rel='prev']")
    assert page.locator("table.entries caption").inner_text().startswith("Uge 7")
    assert rows.count() == 7
    assert_fits(page)
    assert notes[3] in details(page)  # still the day chosen before
    assert page.locator("table.entries tr:has-text('note')").count() == 1  # 10 days ago

    # The whole course: every day from day 1, and back.
    with page.expect_navigation():
        page.click(".range-option:has-text('Hele forløbet')")
    assert "range=all" in page.url
    assert page.locator(".range-option[aria-current='true']").inner_text() == "Hele forløbet"
    assert targets.count() == DAYS
    size = chart.evaluate(
        "svg => svg.querySelector('g.plot > rect.background').getBoundingClientRect().height"
    )
    assert size >= 220
    screenshot(page, "progress-chart-phone-all")
    problems += scan(page, "progress-chart-phone-all-axe")
    with page.expect_navigation():
        page.click(".range-option:has-text('Sidste 4 uger')")
    assert targets.count() == 28
    # On a desktop the chart keeps a readable size rather than growing with the page.
    page.set_viewport_size({"width": 1280, "height": 900})
    width = chart.evaluate("svg => svg.getBoundingClientRect().width")
    assert 400 <= width <= 460, width
    screenshot(page, "progress-chart-desktop")
    assert problems == []
    assert page_errors == []


def test_without_the_script_a_table_date_shows_the_day(new_context, people, dagmar):
    notes = dagmar["notes"]
    context = new_context(viewport=SMALL_PHONE, java_script_enabled=False)
    page = log_in(context, "dagmar@example.org", people["password"])
    page.goto("/progress/?week=7")
    assert page.locator("table.entries caption").inner_text().startswith("Uge 7")
    with page.expect_navigation():
        page.locator("table.entries tr:has-text('note') a.day-link").click()
    assert notes[10] in details(page)
    # The chart marks the day; no slider without the script.
    day = (dagmar["today"] - timedelta(days=10)).isoformat()
    assert page.locator(f".day-target.is-selected[data-date='{day}']").count() == 1
    assert page.locator(".day-targets[role='slider']").count() == 0
    wait_until(page, "document.readyState === 'complete'")
    screenshot(page, "progress-chart-phone-no-script")
