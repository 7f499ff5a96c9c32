"""Every page, scanned with axe-core (WCAG 2.x A and AA rules) at phone size: no serious or
critical violations. A full-page screenshot of each is kept in test-artifacts/screenshots/ for
people to look at."""

import pytest

from .conftest import log_in, screenshot, wait_ready, watch

pytestmark = pytest.mark.browser

SERIOUS = {"serious", "critical"}


def scan(page, name, errors=None):
    from axe_playwright_python.sync_playwright import Axe

    page.wait_for_load_state("networkidle")
    screenshot(page, name)
    results = Axe().run(
        page, options={"runOnly": ["wcag2a", "wcag2aa", "wcag21aa", "wcag22aa", "best-practice"]}
    )
    problems = [
        f"{name}: {violation['id']} ({violation['impact']}): {violation['help']} "
        f"at {[node['target'] for node in violation['nodes']][:3]}"
        for violation in results.response["violations"]
        if violation["impact"] in SERIOUS
    ]
    return problems


def test_patient_pages(new_context, people, page_errors):
    context = new_context()
    page = log_in(context, people["patient"].user.email, people["password"], page_errors)
    problems = []
    wait_ready(page)
    page.wait_for_selector("#checkin-notice:not([hidden])")
    problems += scan(page, "patient-today")
    for path, name in [
        ("/progress/", "patient-progress"),
        ("/programme/", "patient-programme"),
        ("/today/guide/", "patient-guide"),
        ("/checkin/", "patient-checkin"),
        ("/settings/", "patient-settings"),
        ("/my-data/", "patient-my-data"),
        ("/my-data/delete/", "patient-delete-account"),
        ("/about/", "patient-about"),
        ("/offline/", "offline"),
    ]:
        page.goto(path)
        problems += scan(page, name)
    # The check-in's answer: advice for a yes.
    page.goto("/checkin/")
    for fieldset in page.locator("fieldset.question").all():
        fieldset.locator("input[value=no]").check()
    page.locator("fieldset.question").last.locator("input[value=yes]").check()
    page.click("#checkin-form button[type=submit]")
    page.wait_for_selector("#checkin-advice:not([hidden])")
    problems += scan(page, "patient-checkin-advice")
    page.goto("/progress/")
    page.wait_for_selector("#advice")
    problems += scan(page, "patient-progress-advice")
    assert problems == []
    assert page_errors == []


def test_physio_pages(new_context, people, page_errors):
    patient = people["patient"]
    problems = []
    for width, suffix in ((390, ""), (1280, "-desktop")):
        context = new_context(viewport={"width": width, "height": 900})
        page = log_in(context, "fysio@example.org", people["password"], page_errors)
        page.wait_for_selector("#patients tbody tr")
        problems += scan(page, "physio-patients" + suffix)
        page.goto(f"/patients/{patient.pk}/")
        page.wait_for_selector("#pt-items article.item")
        page.wait_for_selector("#pt-diary tr", state="attached")
        page.locator("#pt-items details").first.locator("summary").click()
        page.locator("details.diary summary").click()
        problems += scan(page, "physio-patient" + suffix)
        page.goto("/invite/")
        page.wait_for_selector("#invitations li")
        problems += scan(page, "physio-invite" + suffix)
        page.goto("/settings/")
        problems += scan(page, "physio-settings" + suffix)
    assert problems == []
    assert page_errors == []


def test_pages_for_everyone(new_context, transactional_db, page_errors):
    from accounts.services import invitation_create
    from tests.factories import PhysioFactory

    _invitation, code = invitation_create(
        physio=PhysioFactory(), email="new@example.org", name="Ny Patient"
    )
    context = new_context()
    page = watch(context.new_page(), page_errors)
    problems = []
    for path, name in [
        ("/login/", "login"),
        ("/password-reset/", "password-reset"),
        ("/password-reset/sent/", "password-reset-sent"),
        ("/password-reset/x/y/", "password-reset-invalid-link"),
        ("/password-reset/done/", "password-reset-complete"),
        (f"/join/{code}/", "join"),
        ("/join/not-a-code/", "join-invalid"),
        ("/about/", "about"),
        ("/goodbye/", "goodbye"),
    ]:
        page.goto(path)
        problems += scan(page, name)
    # A failed log-in shows its error accessibly.
    page.goto("/login/")
    page.fill("#id_username", "nobody@example.org")
    page.fill("#id_password", "wrong password")
    page.click("main button[type=submit]")
    page.wait_for_selector("#login-error")
    problems += scan(page, "login-error")
    assert problems == []
    assert [error for error in page_errors if "404" not in error] == []
