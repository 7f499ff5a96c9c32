"""Warmth and way-finding (issue 17, item 6): a new patient is welcomed on Today after the
safety questions, the patient's pages have a tab bar at the bottom of a phone, dates read the
same in the browser as on the server, and Settings says whether the app runs installed and
how to install it on this device. In Danish, on a phone (390 x 844)."""

from datetime import UTC, date, datetime, timedelta

import pytest

from .conftest import (
    SCREENSHOTS,
    join_with_password,
    log_in,
    patient_with_diary,
    wait_ready,
    watch,
)
from .test_accessibility import scan

pytestmark = pytest.mark.browser

PASSWORD = "a-long-new-password-2026"
IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_5 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/18.5 Mobile/15E148 Safari/604.1"
)


@pytest.fixture
def lessons(transactional_db):
    # Stored by migration, but the transactional tests flush the tables.
    from lessons.models import Lesson
    from lessons.sync import lessons_load

    lessons_load(Lesson)


def screen(page, name):
    """What the phone's screen shows (the tab bar where it is), not the whole page."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"))


def _to_install(page):
    page.locator("#install").evaluate("section => section.scrollIntoView({block: 'start'})")


def _box(page, selector):
    return page.locator(selector).bounding_box()


def test_a_new_patient_is_welcomed_after_the_safety_questions(
    new_context, people, lessons, page_errors
):
    from accounts.models import PatientProfile
    from accounts.services import invitation_create
    from lessons.selectors import lesson_states

    physio = people["physio"]
    _invitation, code = invitation_create(physio=physio, email="ny@example.org", name="Ny Patient")
    page = watch(new_context().new_page(), page_errors)
    page.goto(f"/join/{code}/")
    join_with_password(page, PASSWORD)
    # Safety first: the questions, and no welcome yet.
    assert page.url.endswith("/checkin/")
    assert page.locator("#welcome-card").count() == 0
    for fieldset in page.locator("#checkin-form fieldset").all():
        fieldset.locator("input[value=no]").check()
    page.click("#checkin-form button[type=submit]")
    page.wait_for_selector("#checkin-ok:not([hidden])")
    with page.expect_navigation():
        page.click("#checkin-result a[href='/']")
    wait_ready(page)

    card = page.locator("#welcome-card")
    text = card.inner_text()
    assert "Velkommen til haelapp" in text
    # Who the physio is, what happens now (no programme yet), the reminder and its time.
    assert f"Din fysioterapeut er Mette Fysio fra {physio.clinic.name}." in text
    assert "sammensætter dit øvelsesprogram" in text
    assert "Du får en påmindelse kl. 07.30." in text
    # The first lesson, and not a second card for the same lesson.
    patient = PatientProfile.objects.get(user__email="ny@example.org")
    first = next(state.lesson for state in lesson_states(patient) if state.unlocked)
    assert card.locator(f"a[href='/learn/{first.slug}/']").count() == 1
    assert page.locator(".lesson-card").count() == 0
    # "No programme yet" says what to expect.
    assert "Dit øvelsesprogram er på vej" in page.locator("#no-programme").inner_text()
    # The welcome comes first, above the morning-pain question.
    assert _box(page, "#welcome-card")["y"] < _box(page, ".pain-card")["y"]
    problems = scan(page, "wayfinding-today-welcome")
    assert problems == []
    page.evaluate("window.scrollTo(0, 0)")
    screen(page, "wayfinding-today-welcome-screen")

    with page.expect_navigation():
        card.locator("button[type=submit]").click()
    wait_ready(page)
    assert page.locator("#welcome-card").count() == 0
    patient.refresh_from_db()
    assert patient.welcome_pending is False
    page.reload()
    wait_ready(page)
    assert page.locator("#welcome-card").count() == 0
    # The lesson is still offered, now on its own card.
    assert page.locator(f".lesson-card a[href='/learn/{first.slug}/']").count() == 1
    assert page_errors == []


def test_the_welcome_says_what_fits_the_patient(client, people):
    """Without the browser: a programme already set up, a reminder turned off, a clinic that
    has not yet given the patient a physio. The words follow, in English too."""
    from accounts.models import PatientProfile
    from accounts.services import invitation_accept, invitation_create
    from exercises.models import ProgrammeTemplate
    from exercises.services import programme_assign
    from reminders.models import ReminderSchedule

    physio = people["physio"]
    _invitation, code = invitation_create(physio=physio, email="en@example.org", name="Eva")
    user = invitation_accept(code=code, password=PASSWORD)
    user.language = "en"
    user.save(update_fields=["language"])
    patient = PatientProfile.objects.get(user=user)
    assert patient.welcome_pending is True
    client.force_login(user)
    text = client.get("/").content.decode()
    assert f"Your physiotherapist is Mette Fysio at {physio.clinic.name}." in text
    assert "sets up your exercise programme" in text
    assert "You get a reminder at 07:30." in text

    programme_assign(
        physio=physio,
        patient=patient,
        template=ProgrammeTemplate.objects.get(slug="haelspore-standard"),
        starts_on=user.local_today(),
    )
    ReminderSchedule.objects.create(patient=patient, enabled=False)
    patient.physio = None
    patient.save(update_fields=["physio"])
    text = client.get("/").content.decode()
    assert "Your exercise programme is ready" in text
    assert f"Your clinic is {physio.clinic.name}. It will find a physiotherapist for you." in text
    assert "You get a reminder" not in text
    assert "Choose when and how you are reminded in Settings." in text
    # Dismissed: gone, for this patient only; a GET changes nothing.
    assert client.get("/welcome/seen/").status_code == 405
    assert client.post("/welcome/seen/").status_code == 302
    assert 'id="welcome-card"' not in client.get("/").content.decode()


def test_patients_made_otherwise_are_not_welcomed(new_context, people, page_errors):
    # The demo's and staff's patients, and those from before the welcome: no card.
    page = log_in(new_context(), people["patient"].user.email, people["password"], page_errors)
    wait_ready(page)
    assert page.locator("#welcome-card").count() == 0
    assert page_errors == []


def test_the_tab_bar_on_a_phone_and_the_top_menu_on_a_wide_screen(new_context, people, page_errors):
    patient_with_diary(people["physio"], "bo@example.org", "Bo", days=10, pain=lambda ago: 4)
    context = new_context()
    page = log_in(context, "bo@example.org", people["password"], page_errors)
    wait_ready(page)
    bar = page.locator("nav.tabbar")
    assert bar.is_visible()
    # The top menu is replaced by the bar on a phone.
    assert page.locator("nav.mainnav").is_hidden()
    tabs = bar.locator(":scope > ul > li > a, .tab-more summary")
    assert [label.strip() for label in tabs.all_inner_texts()] == [
        "I dag",
        "Fremskridt",
        "Lær",
        "Beskeder",
        "Mere",
    ]
    # Each tab a target a thumb can hit, with an icon drawn inline.
    for tab in tabs.all():
        box = tab.bounding_box()
        assert box["height"] >= 44 and box["width"] >= 44, box
        assert tab.locator("svg[aria-hidden=true]").count() == 1
    assert bar.locator("[aria-current=page]").all_inner_texts() == ["I dag"]
    # Fixed at the bottom of the screen ...
    bar_box = bar.bounding_box()
    assert abs(bar_box["y"] + bar_box["height"] - 844) < 1
    # ... and not over the end of the page: scrolled to the end, the footer is above it.
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    footer = page.evaluate("document.querySelector('footer').getBoundingClientRect().bottom")
    assert footer <= page.evaluate(
        "document.querySelector('nav.tabbar').getBoundingClientRect().top"
    )
    page.evaluate("window.scrollTo(0, 0)")
    screen(page, "wayfinding-today-tabbar")

    # More: the other pages, by keyboard too; Escape closes it and gives the focus back.
    more = bar.locator(".tab-more summary")
    more.focus()
    page.keyboard.press("Enter")
    menu = bar.locator(".tab-more-list")
    assert menu.is_visible()
    assert menu.locator("a").all_inner_texts() == ["Program", "Tjek-ind", "Indstillinger"]
    for link in menu.locator("a").all():
        assert link.bounding_box()["height"] >= 44
    screen(page, "wayfinding-tabbar-more")
    page.keyboard.press("Escape")
    assert menu.is_hidden()
    assert page.evaluate("document.activeElement.tagName") == "SUMMARY"
    more.click()
    with page.expect_navigation():
        menu.locator("a[href='/settings/']").click()
    # A page under More marks More, and itself in the list.
    assert "is-current" in (page.locator(".tab-more summary").get_attribute("class") or "")
    assert page.locator(".tab-more-list a[aria-current=page]").get_attribute("href") == (
        "/settings/"
    )
    with page.expect_navigation():
        page.locator("nav.tabbar a[href='/messages/']").click()
    assert page.locator("nav.tabbar [aria-current=page]").inner_text().strip() == "Beskeder"
    assert scan(page, "wayfinding-messages-tabbar") == []
    # Typing a message: the bar makes way for the on-screen keyboard, and comes back after.
    page.focus("#message-body")
    assert page.locator("nav.tabbar").is_hidden()
    page.evaluate("document.activeElement.blur()")
    assert page.locator("nav.tabbar").is_visible()

    # A wide screen keeps the top menu (with Messages now) and has no tab bar.
    wide = log_in(
        new_context(viewport={"width": 1024, "height": 800}),
        "bo@example.org",
        people["password"],
        page_errors,
    )
    wait_ready(wide)
    assert wide.locator("nav.tabbar").is_hidden()
    assert wide.locator("nav.mainnav").is_visible()
    assert "Beskeder" in wide.locator("nav.mainnav").inner_text()
    screen(wide, "wayfinding-today-wide")
    # The physio keeps their own menu, on a phone too.
    physio = log_in(new_context(), "fysio@example.org", people["password"], page_errors)
    physio.wait_for_selector("#patients tbody tr")
    assert physio.locator("nav.tabbar").count() == 0
    assert physio.locator("nav.mainnav").is_visible()
    assert page_errors == []


def test_dates_in_the_browser_read_as_on_the_server(new_context, people, page_errors):
    from django.utils import timezone, translation

    from common.dates import day_label, moment_label, time_label

    patient = people["patient"]
    today = timezone.localdate(timezone.now(), patient.user.tz)
    days = [today, today - timedelta(days=1)]
    days += [date(today.year, month, 1 + month) for month in range(1, 13)]
    days += [date(today.year - 1, 12, 31), date(2024, 2, 29)]
    # Late evening UTC is the next day in Copenhagen; the device's own zone (New York) must
    # not matter: an instant is shown where the patient lives (their profile's zone).
    instants = [
        datetime(today.year, 1, 5, 23, 30, tzinfo=UTC),
        datetime(today.year, 7, 1, 5, 30, tzinfo=UTC),
        datetime(today.year - 1, 12, 31, 23, 5, tzinfo=UTC),
    ]
    zone = patient.user.timezone
    for language in ("da", "en"):
        patient.user.language = language
        patient.user.save(update_fields=["language"])
        context = new_context(timezone_id="America/New_York")
        page = log_in(context, patient.user.email, people["password"], page_errors)
        wait_ready(page)
        shown = page.evaluate(
            """([days, instants]) => ({
                days: days.map(d => haelapp.formatDate(d)),
                times: instants.map(i => haelapp.formatTime(i)),
                moments: instants.map(i => haelapp.formatInstant(i)),
                clock: haelapp.formatTime('07:30'),
            })""",
            [[d.isoformat() for d in days], [i.isoformat() for i in instants]],
        )
        with translation.override(language):
            assert shown == {
                "days": [day_label(d, zone) for d in days],
                "times": [time_label(i, zone) for i in instants],
                "moments": [moment_label(i, zone) for i in instants],
                "clock": "07.30" if language == "da" else "07:30",
            }
        context.close()
    assert page_errors == []


def _install_section(page):
    page.wait_for_selector("#install-state:not([hidden])")
    visible = [
        section.get_attribute("data-platform")
        for section in page.locator("#install-help [data-platform]").all()
        if section.is_visible()
    ]
    return page.locator("#install-state").inner_text(), visible


def test_settings_say_whether_the_app_is_installed_and_how_to_install_it(
    new_context, people, page_errors
):
    patient_with_diary(people["physio"], "bo@example.org", "Bo", days=3, pain=lambda ago: 4)

    # A browser tab in Chromium on a computer: not installed, the general help.
    page = log_in(new_context(), "bo@example.org", people["password"], page_errors)
    page.goto("/settings/")
    state, sections = _install_section(page)
    assert state == "Du bruger haelapp i browseren, ikke som installeret app."
    assert sections == ["other"]
    assert page.locator("#install-button").is_hidden()
    assert scan(page, "wayfinding-settings-install") == []
    _to_install(page)
    screen(page, "wayfinding-settings-install-screen")

    # The browser offers its own install prompt (Chrome, Edge, Android): a button that asks
    # it, in place of the steps. A Playwright context is a private window, where Chromium
    # never fires the event, so the page is given one as Chromium would.
    page.evaluate(
        """() => {
            window.asked = 0;
            const event = new Event('beforeinstallprompt', {cancelable: true});
            event.prompt = () => { window.asked += 1; };
            event.userChoice = Promise.resolve({outcome: 'accepted', platform: 'web'});
            window.dispatchEvent(event);
            window.bannerSuppressed = event.defaultPrevented;
        }"""
    )
    page.wait_for_selector("#install-button:visible")
    assert page.evaluate("window.bannerSuppressed") is True
    assert _install_section(page)[1] == []
    _to_install(page)
    screen(page, "wayfinding-settings-install-prompt")
    page.click("#install-button")
    page.wait_for_selector("#install-state[data-state=installed]")
    assert page.evaluate("window.asked") == 1
    assert page.locator("#install-state").inner_text() == (
        "haelapp er nu installeret. Åbn den fra din hjemmeskærm."
    )
    assert page.locator("#install-help").is_hidden()

    # Safari on an iPhone: the Share steps ("Del", then "Føj til hjemmeskærm").
    iphone = log_in(
        new_context(user_agent=IPHONE, is_mobile=True, has_touch=True),
        "bo@example.org",
        people["password"],
        page_errors,
    )
    iphone.goto("/settings/")
    state, sections = _install_section(iphone)
    assert sections == ["ios"]
    steps = iphone.locator("#install-ios").inner_text()
    assert "Del" in steps and "Føj til hjemmeskærm" in steps
    _to_install(iphone)
    screen(iphone, "wayfinding-settings-install-iphone")

    # Opened from the iPhone's home screen: Safari says so in navigator.standalone (a
    # headless Chromium cannot be launched as an installed app, so it is told the same).
    home = new_context(user_agent=IPHONE, is_mobile=True, has_touch=True)
    home.add_init_script(
        "Object.defineProperty(Navigator.prototype, 'standalone', {get: () => true})"
    )
    installed = log_in(home, "bo@example.org", people["password"], page_errors)
    installed.goto("/settings/")
    state, sections = _install_section(installed)
    assert state == "haelapp er installeret på denne enhed: Du har åbnet den fra din hjemmeskærm."
    assert installed.locator("#install-help").is_hidden()
    _to_install(installed)
    screen(installed, "wayfinding-settings-installed")
    assert page_errors == []
