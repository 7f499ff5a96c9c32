"""Sessions per day on Today: an exercise dosed three times a day has three toggles, each
ticked on its own; three ticked count three (stored rows, the card's "3 of 3", the day's
progress at the top of the exercises, and adherence); undoing one leaves two."""

import pytest

from .conftest import log_in, patient_with_diary, screenshot, wait_ready, wait_until

pytestmark = pytest.mark.browser


def test_three_sessions_ticked_count_three(new_context, people, page_errors):
    from exercises.models import Completion
    from exercises.selectors import adherence_by_patient

    patient = patient_with_diary(
        people["physio"], "sessions@example.org", "Sigrid Søgaard", 10, lambda ago: 5
    )
    today = patient.user.local_today()
    programme = patient.programmes.get()
    fascia = programme.items.get(exercise__slug="plantar-fascia-stretch")
    assert fascia.times_per_day == 3
    adherence_before = adherence_by_patient([patient])[patient.pk]
    context = new_context(viewport={"width": 390, "height": 844})
    page = log_in(context, patient.user.email, people["password"], page_errors)
    wait_ready(page)

    card = page.locator(f"#item-{fascia.pk}")
    buttons = card.locator(".btn-session")
    assert buttons.count() == 3
    for n in range(3):
        box = buttons.nth(n).bounding_box()
        assert box["height"] >= 44 and box["width"] >= 44
    # The day's progress counts sessions: every due item's times a day.
    progress = page.locator("#day-progress-text")
    wait_until(page, "() => !document.getElementById('day-progress').hidden")
    total = int(page.locator("#day-progress-bar").get_attribute("max"))
    due_sessions = sum(
        int(card_.get_attribute("data-sessions"))
        for card_ in page.locator("#exercises-heading ~ article .done-row").all()
    )
    assert total == due_sessions > 3
    assert progress.inner_text() == f"0 af {total} gjort i dag"

    for n in (1, 2, 3):
        card.locator(f".btn-session[data-session='{n}']").click()
        page.wait_for_selector(
            f"#item-{fascia.pk} .btn-session[data-session='{n}'][aria-pressed='true']"
        )
        page.wait_for_selector("#outbox", state="hidden")
    wait_until(
        page,
        "id => document.querySelector(`#item-${id} .done-status`).textContent === '3 af 3 i dag'",
        fascia.pk,
    )
    assert progress.inner_text() == f"3 af {total} gjort i dag"
    assert "is-done" in card.get_attribute("class")
    stored = Completion.objects.filter(item=fascia, date=today)
    assert sorted(stored.values_list("session", flat=True)) == [1, 2, 3]
    screenshot(page, "today-sessions")

    # Three count three: nothing was ticked before today, so adherence is 3 done of the
    # sessions due before today plus today's 3 (tests/test_schedule.py has the exact rule).
    adherence_after = adherence_by_patient([patient])[patient.pk]
    assert adherence_before == 0 and adherence_after > 0
    due_before_today = 3 / adherence_after - 3
    assert abs(due_before_today - round(due_before_today)) < 0.3  # a whole number of sessions

    # A reload shows what the server holds; undoing the second leaves the first and third.
    page.reload()
    wait_ready(page)
    page.wait_for_selector(f"#item-{fascia.pk} .btn-session[data-session='3'][aria-pressed='true']")
    card.locator(".btn-session[data-session='2']").click()
    page.wait_for_selector(
        f"#item-{fascia.pk} .btn-session[data-session='2'][aria-pressed='false']"
    )
    page.wait_for_selector("#outbox", state="hidden")
    wait_until(
        page,
        "id => document.querySelector(`#item-${id} .done-status`).textContent === '2 af 3 i dag'",
        fascia.pk,
    )
    assert sorted(stored.values_list("session", flat=True)) == [1, 3]
    assert "is-done" not in card.get_attribute("class")
    assert page_errors == []
