"""The physio's list on a phone (issue 17, item 7): a search over name and e-mail, a sort
control, since the stacked cards have no column headers to tap, and one badge per patient
(status and flag merged) with the rest said in words."""

from datetime import timedelta

import pytest

from .conftest import log_in, patient_with_diary, screenshot
from .test_accessibility import scan

pytestmark = pytest.mark.browser


def test_search_and_sort_on_a_phone(new_context, people, page_errors):
    physio = people["physio"]
    patient_with_diary(physio, "bo@example.org", "Bo Nielsen", days=10, pain=lambda ago: 5)
    patient_with_diary(physio, "c.j@example.org", "Carl Jensen", days=30, pain=lambda ago: 6)
    page = log_in(new_context(), "fysio@example.org", people["password"], page_errors)
    page.wait_for_selector("#patients tbody tr >> nth=2")

    def names():
        return page.locator("#patients tbody th a").all_inner_texts()

    page.select_option("#f-sort", "name:asc")
    assert names() == ["Ane Hansen", "Bo Nielsen", "Carl Jensen"]
    page.select_option("#f-sort", "week:desc")
    assert names()[0] == "Carl Jensen"  # week 5 of the episode, the others earlier

    # By e-mail as well as by name, case-insensitive; the count follows.
    page.fill("#f-search", "C.J@")
    assert names() == ["Carl Jensen"]
    assert "1" in page.locator("#patient-count").inner_text()
    page.fill("#f-search", "nielsen")
    assert names() == ["Bo Nielsen"]
    screenshot(page, "physio-list-search")
    page.fill("#f-search", "")
    assert len(names()) == 3
    assert page_errors == []


def test_one_badge_per_patient_and_the_rest_in_words(new_context, people, page_errors):
    from diary.models import CheckIn

    physio = people["physio"]
    # Ane (the fixture) is improving, with no flag.
    patient_with_diary(
        physio, "bo@example.org", "Bo Nielsen", days=30, pain=lambda ago: 7 if ago < 10 else 3
    )
    carl = patient_with_diary(
        physio, "c.j@example.org", "Carl Jensen", days=30, pain=lambda ago: 2 if ago < 10 else 6
    )
    CheckIn.objects.create(
        patient=carl, kind="weekly", answers={}, red_flags=["night_pain"], urgency="soon"
    )
    dorte = patient_with_diary(physio, "d@example.org", "Dorte Holm", days=20, pain=lambda a: 5)
    dorte.diary_entries.filter(date__gte=people["today"] - timedelta(days=6)).delete()

    page = log_in(new_context(), "fysio@example.org", people["password"], page_errors)
    page.wait_for_selector("#patients tbody tr >> nth=3")

    def cell(name):
        """The badge and the words under it, in the row of `name`."""
        row = page.locator("#patients tbody tr", has=page.locator(f"th a:text-is('{name}')"))
        status = row.locator("td").first
        assert status.locator(".badge").count() == 1, name
        badge = status.locator(".badge")
        more = status.locator(".badge-more")
        return (
            badge.inner_text().strip(),
            badge.get_attribute("class"),
            more.inner_text().strip() if more.count() else "",
        )

    # Worse: the flag and the status say the same ("higher than at the start"): said once.
    text, classes, more = cell("Bo Nielsen")
    assert text == "Højere end ved starten" and "badge-worse" in classes
    assert more == ""
    assert (
        page.locator("#patients tbody tr", has_text="Bo Nielsen")
        .inner_text()
        .count("Højere end ved starten")
        == 1
    )
    # A red flag comes first; the status it does not repeat is said in words.
    text, classes, more = cell("Carl Jensen")
    assert (text, more) == ("Rødt flag", "Bedring")
    assert "badge-red-flag" in classes
    # No flag: the status is the badge, coloured by what it says.
    text, classes, more = cell("Ane Hansen")
    assert (text, more) == ("Bedring", "")
    assert "badge-status-improving" in classes
    text, classes, more = cell("Dorte Holm")
    assert text == "Ingen registreringer i mere end 4 dage"
    assert more == "For få registreringer de sidste 7 dage"

    # Most in need first: the red flag, then worse, then the silent patient, then the rest.
    names = page.locator("#patients tbody th a").all_inner_texts()
    assert names == ["Carl Jensen", "Bo Nielsen", "Dorte Holm", "Ane Hansen"]
    assert page.input_value("#f-sort") == "flags:desc"
    page.select_option("#f-sort", "current:desc")
    assert page.locator("#patients tbody th a").first.inner_text() == "Bo Nielsen"

    # On a phone there are no column headers: the hint for screen readers names the Sort
    # field, and the headers' sort buttons are not there to take the focus unseen.
    caption = page.locator("#patients caption").inner_text()
    assert "Sortér" in caption and "kolonne" not in caption.lower()
    assert page.locator("#patients thead").is_hidden()
    assert page.evaluate(
        "() => { document.querySelector('#patients thead button').focus();"
        " return document.activeElement.closest('thead') === null; }"
    )

    screenshot(page, "physio-list-badges")
    assert scan(page, "physio-list-badges") == []
    assert page_errors == []


def test_the_headers_sort_on_a_wide_screen_and_the_sort_field_follows(
    new_context, people, page_errors
):
    physio = people["physio"]
    patient_with_diary(physio, "bo@example.org", "Bo Nielsen", days=10, pain=lambda ago: 5)
    context = new_context(viewport={"width": 1280, "height": 900})
    page = log_in(context, "fysio@example.org", people["password"], page_errors)
    page.wait_for_selector("#patients tbody tr >> nth=1")
    headers = page.locator("#patients thead th").all_inner_texts()
    # One column for status and flags.
    assert [h.strip() for h in headers].count("Status") == 1
    assert not any("Markering" in h for h in headers)
    page.click("#patients thead th[data-key=name] button")
    assert page.input_value("#f-sort") == "name:asc"
    # An order the field has no option for gets one, named after the header.
    page.click("#patients thead th[data-key=baseline] button")
    assert page.input_value("#f-sort") == "baseline:desc"
    assert page.locator("#f-sort option:checked").inner_text().startswith("Start")
    page.select_option("#f-sort", "name:asc")
    assert page.locator("#f-sort option[data-custom]").count() == 0
    assert page_errors == []
