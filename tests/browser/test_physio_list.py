"""The physio's list on a phone (issue 17, item 7, in part): a search over name and e-mail
and a sort control, since the stacked cards have no column headers to tap."""

import pytest

from .conftest import log_in, patient_with_diary, screenshot

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
