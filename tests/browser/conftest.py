"""Browser tests: the PWA in a real headless Chromium (Playwright, sync API) against
pytest-django's live server.

- Chromium is the system one (/usr/bin/chromium, or $CHROMIUM); Playwright's own download is
  never used. Without a Chromium the tests are skipped (a failure in CI).
- The live server listens on `localhost`, a secure context, so service workers, push and
  IndexedDB work over plain HTTP.
- Tests that use the live server run with `transactional_db`: the server thread must see the
  rows the test writes. That flushes the seeded exercise library, so the `library` fixture
  loads it again.
"""

import os
import shutil
import time
from datetime import timedelta
from pathlib import Path

import pytest

from tests.conftest import IN_CI
from tests.live_server_gate import IN_FLIGHT

from .chromium import CHROMIUM, CHROMIUM_ARGS

PHONE = {"width": 390, "height": 844}
ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
# Explicit waits never need long; a generous ceiling keeps a slow CI machine green.
TIMEOUT_MS = 30_000


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "browser: runs the web app in headless Chromium (Playwright); slow"
    )


@pytest.fixture(scope="package")
def browser():
    """One Chromium for the browser tests, stopped when they are done: Playwright's sync API
    keeps an event loop running in the test thread while it lives, which later tests (that
    run their own loop, or check the environment) must not inherit."""
    if not shutil.which(CHROMIUM) and not Path(CHROMIUM).exists():
        message = f"needs Chromium at {CHROMIUM} (set CHROMIUM)"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    # Django refuses ORM calls from a thread with a running loop unless told that this is
    # deliberate; the ORM calls here are ordinary synchronous ones.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
            )
            yield browser
            browser.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(autouse=True)
def _server_gate():
    """On SQLite, the test's statements wait for the live server's requests (InFlight). Set up
    before the database, so torn down after its flush: the gate, shut when the test's browser
    is done (base_url), opens again for the next test."""
    from django.db import connection

    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        with connection.execute_wrapper(IN_FLIGHT.statement):
            yield
    else:
        yield
    IN_FLIGHT.reopen()


@pytest.fixture
def base_url(live_server, transactional_db):
    # After the database in set-up, so before it in tear-down: the browser contexts close
    # (and stop their background requests) before the tables are flushed.
    url = live_server.url
    assert url.startswith("http://localhost:"), url  # a secure context for service workers
    yield url
    # The browser contexts are closed (new_context's tear-down comes first); what they sent
    # that the server has not yet taken is dropped, so nothing runs during the flush.
    IN_FLIGHT.close()


@pytest.fixture
def new_context(browser, base_url):
    """Open a fresh browser profile (its own cookies, service worker, IndexedDB)."""
    contexts = []

    def make(**options):
        options.setdefault("viewport", PHONE)
        options.setdefault("locale", "da-DK")
        context = browser.new_context(base_url=base_url, **options)
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page_errors():
    """JavaScript errors per page; tests assert there are none."""
    return []


def watch(page, errors):
    page.on("pageerror", lambda error: errors.append(f"{page.url}: {error}"))
    page.on(
        "console",
        lambda message: (
            errors.append(f"{page.url}: {message.text}")
            if message.type == "error" and "favicon" not in message.text
            else None
        ),
    )
    return page


def log_in(context, email, password, errors=None):
    page = context.new_page()
    if errors is not None:
        watch(page, errors)
    page.goto("/login/")
    page.fill("#id_username", email)
    page.fill("#id_password", password)
    with page.expect_navigation():
        page.click("main button[type=submit]")
    return page


def wait_ready(page):
    """The Today page is interactive: its script has read the outbox and enabled the buttons."""
    page.wait_for_selector("body[data-ready='1']")


def wait_until(page, expression, arg=None, timeout_ms=TIMEOUT_MS):
    """Poll an expression that may return a promise (page.wait_for_function does not wait for
    promises: a pending promise already counts as true) until its value is truthy."""
    deadline = time.monotonic() + timeout_ms / 1000
    while True:
        value = page.evaluate(expression, arg)
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for: {expression}")
        page.wait_for_timeout(50)


def wait_for_service_worker(page):
    """The worker is active and controls the page (it claims pages when it activates)."""
    wait_until(
        page, "navigator.serviceWorker.ready.then(() => !!navigator.serviceWorker.controller)"
    )


@pytest.fixture
def people(transactional_db, library, password):
    """A physio and a patient (English, in Copenhagen) on the standard heel-pain programme,
    started 20 days ago, with a diary for every day but today."""
    from django.utils import timezone

    from diary.models import DiaryEntry
    from exercises.models import ProgrammeTemplate
    from exercises.services import programme_assign
    from tests.factories import PatientFactory, PhysioFactory, UserFactory

    physio = PhysioFactory(user=UserFactory(email="fysio@example.org", name="Mette Fysio"))
    patient = PatientFactory(
        physio=physio, user=UserFactory(email="ane@example.org", name="Ane Hansen", language="en")
    )
    today = patient.user.local_today()
    programme_assign(
        physio=physio,
        patient=patient,
        template=ProgrammeTemplate.objects.get(slug="haelspore-standard"),
        starts_on=today - timedelta(days=20),
    )
    for days_ago in range(1, 21):
        DiaryEntry.objects.create(
            patient=patient,
            date=today - timedelta(days=days_ago),
            morning_pain=3 + days_ago // 5,
            recorded_at=timezone.now() - timedelta(days=days_ago),
        )
    return {"physio": physio, "patient": patient, "password": password, "today": today}


def patient_with_diary(physio, email, name, days, pain, language="da"):
    """A patient of `physio` on day `days` of the standard heel-pain programme (and episode),
    with a diary entry every day so far: `pain(days_ago)`."""
    from django.utils import timezone

    from diary.models import DiaryEntry
    from exercises.models import ProgrammeTemplate
    from exercises.services import programme_assign
    from tests.factories import PatientFactory, UserFactory

    patient = PatientFactory(
        physio=physio, user=UserFactory(email=email, name=name, language=language)
    )
    today = patient.user.local_today()
    programme_assign(
        physio=physio,
        patient=patient,
        template=ProgrammeTemplate.objects.get(slug="haelspore-standard"),
        starts_on=today - timedelta(days=days - 1),
    )
    DiaryEntry.objects.bulk_create(
        DiaryEntry(
            patient=patient,
            date=today - timedelta(days=ago),
            morning_pain=pain(ago),
            recorded_at=timezone.now() - timedelta(days=ago),
        )
        for ago in range(days)
    )
    return patient


def screenshot(page, name):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def join_with_password(page, password):
    """On the join page (an invitation's link): choose a password, confirm being 18 or over,
    and send; returns once the next page has loaded."""
    page.fill("#id_password1", password)
    page.fill("#id_password2", password)
    page.check("#id_confirm_adult")
    with page.expect_navigation():
        page.click("main button[type=submit]")
