"""The guided exercise (/today/guide/) in Chromium at phone size, in Danish, with the page's
clock in the test's hands (Playwright's clock: installed before the page loads, then paused,
and moved on with run_for), so that a 3 x 12 heel raise with 2 minutes' rest takes no time.

What is instrumented (not replaced): the oscillators the page creates (its beeps), its
vibrations, its screen wake lock, and what its live region says."""

import re
from urllib.parse import quote

import pytest

from .conftest import (
    log_in,
    patient_with_diary,
    screenshot,
    wait_for_service_worker,
    wait_until,
    watch,
)
from .test_accessibility import scan

pytestmark = pytest.mark.browser

GUIDE = "/today/guide/"

# Runs before the page's own scripts: counts, and passes every call on to the real thing.
INSTRUMENT = """
(() => {
  window.__beeps = 0;
  window.__vibrations = 0;
  window.__wake = {requests: 0, released: 0};
  window.__said = [];
  const Context = window.AudioContext;
  if (Context) {
    const make = Context.prototype.createOscillator;
    Context.prototype.createOscillator = function () {
      window.__beeps += 1;
      return make.apply(this, arguments);
    };
  }
  if (navigator.vibrate) {
    const vibrate = navigator.vibrate.bind(navigator);
    navigator.vibrate = function (pattern) {
      window.__vibrations += 1;
      return vibrate(pattern);
    };
  }
  if (navigator.wakeLock) {
    const request = navigator.wakeLock.request.bind(navigator.wakeLock);
    navigator.wakeLock.request = function (type) {
      window.__wake.requests += 1;
      return request(type).then((lock) => {
        lock.addEventListener('release', () => { window.__wake.released += 1; });
        return lock;
      });
    };
  }
  document.addEventListener('DOMContentLoaded', () => {
    const live = document.getElementById('guide-live');
    if (!live) return;
    new MutationObserver(() => {
      if (live.textContent) window.__said.push(live.textContent);
    }).observe(live, {childList: true, subtree: true, characterData: true});
  });
})();
"""


@pytest.fixture
def mette(transactional_db, library, password):
    """A Danish patient on day 15 of the standard programme (week 3): the heel raise is at its
    3 x 12 stage (tempo 3-2-3, 2 minutes' rest) and due today."""
    from tests.factories import PhysioFactory

    patient = patient_with_diary(
        PhysioFactory(), "mette@example.org", "Mette Jensen", 15, lambda ago: 4
    )
    programme = patient.programmes.get()
    return {
        "patient": patient,
        "password": password,
        "today": patient.user.local_today(),
        "items": {i.exercise.slug: i for i in programme.items.select_related("exercise")},
    }


def guided_context(new_context):
    context = new_context()
    context.add_init_script(INSTRUMENT)
    context.clock.install()  # runs as usual until paused
    return context


def freeze(page):
    """Stop the page's clock: from here on time moves only with run_for."""
    now = page.evaluate("Date.now()") / 1000
    page.clock.pause_at(now + 0.5)


def loaded(page):
    page.wait_for_selector("#guide[data-loaded='1']:not([data-screen='loading'])")


def log_in_to(context, target, email, password, errors):
    """Log in and land straight on `target` (the log-in form's ?next=)."""
    page = watch(context.new_page(), errors)
    page.goto(f"/login/?next={quote(target)}")
    page.fill("#id_username", email)
    page.fill("#id_password", password)
    with page.expect_navigation():
        page.click("main button[type=submit]")
    loaded(page)
    return page


def state(page):
    return page.evaluate(
        """() => ({
          screen: guide.dataset.screen, phase: guide.dataset.phase || null,
          set: document.getElementById('guide-set').textContent,
          phaseText: document.getElementById('guide-phase').textContent,
          clock: document.getElementById('guide-clock').textContent,
          rep: document.getElementById('guide-rep').textContent,
          said: document.getElementById('guide-live').textContent,
          focus: document.activeElement && document.activeElement.id,
        })"""
    )


def seconds(clock: str) -> int:
    minutes, secs = clock.split(":")
    return int(minutes) * 60 + int(secs)


def test_a_guided_heavy_heel_raise_counts_reps_sets_and_rest_and_records_it(
    new_context, mette, page_errors
):
    from exercises.models import Completion

    heel = mette["items"]["heel-raise-high-load"]
    context = guided_context(new_context)
    page = log_in(context, mette["patient"].user.email, mette["password"], page_errors)

    # The way in: the card's "Start guidet træning" on Today.
    page.wait_for_selector("body[data-ready='1']")
    screenshot(page, "guide-today")
    assert page.locator("a.btn", has_text="Start dagens træning").get_attribute("href") == GUIDE
    page.locator(f"#item-{heel.pk} .guide-link a").click()
    page.wait_for_url(f"**{GUIDE}?item={heel.pk}")
    loaded(page)
    intro = page.locator("#guide-intro")
    assert intro.locator("h2").inner_text() == heel.exercise.name_da
    assert page.evaluate("document.activeElement.id") == "guide-intro-name"
    assert intro.locator(".guide-steps li").count() >= 3
    assert intro.locator("img.guide-illustration").evaluate("img => img.naturalWidth") > 0
    assert "3 sæt med 12 gentagelser" in intro.locator("#guide-lines").inner_text()
    problems = scan(page, "guide-intro")

    freeze(page)
    page.click("#guide-start")
    now = state(page)
    assert (now["screen"], now["phase"], now["set"], now["clock"]) == (
        "run",
        "ready",
        "Sæt 1 af 3",
        "3",
    )
    assert now["focus"] == "guide-pause"
    assert now["said"] == "Sæt 1 af 3. Gør dig klar."
    page.clock.run_for(3000)
    now = state(page)
    assert (now["phase"], now["phaseText"], now["clock"], now["rep"]) == (
        "up",
        "Op",
        "1",
        "Gentagelse 1 af 12",
    )
    assert now["said"] == "Gentagelse 1 af 12. Op."
    # Each second of the tempo counted: "Op 1-2-3", "Hold 1-2", "Ned 1-2-3".
    shown = []
    for _ in range(8):
        page.clock.run_for(1000)
        now = state(page)
        shown.append(f"{now['phaseText']} {now['clock']}")
    assert shown == [
        "Op 1-2",
        "Op 1-2-3",
        "Hold 1",
        "Hold 1-2",
        "Ned 1",
        "Ned 1-2",
        "Ned 1-2-3",
        "Op 1",
    ]
    assert state(page)["rep"] == "Gentagelse 2 af 12"
    # On to repetition 4 of 12 (8 s each).
    page.clock.run_for(2 * 8000 + 1000)
    now = state(page)
    assert (now["rep"], now["phaseText"], now["clock"]) == ("Gentagelse 4 af 12", "Op", "1-2")
    assert page.evaluate("window.__beeps") > 0 and page.evaluate("window.__vibrations") > 0
    screenshot(page, "guide-rep")

    # The last repetition of set 1, then the rest: 2:00 counting down.
    page.clock.run_for(9 * 8000 - 1000)
    now = state(page)
    assert (now["phase"], now["phaseText"], now["clock"], now["set"]) == (
        "rest",
        "Hvil",
        "2:00",
        "Sæt 1 af 3",
    )
    assert now["rep"] == "Næste: sæt 2 af 3"
    assert now["said"] == "Hvil i 2 min."
    assert page.locator("#guide-skip-rest").is_visible()
    said = page.evaluate("window.__said.length")
    before = seconds(now["clock"])
    page.clock.run_for(30_000)
    assert seconds(state(page)["clock"]) == before - 30 == 90
    page.clock.run_for(1000)
    assert state(page)["clock"] == "1:29"
    # Polite, not every second: nothing said during those 31 seconds.
    assert page.evaluate("window.__said.length") == said
    assert page.get_attribute("#guide-live", "aria-live") == "polite"
    screenshot(page, "guide-rest")
    problems += scan_frozen(page, "guide-rest")

    # Pause: the clock stands still however long the break; Resume goes on from there.
    left = seconds(state(page)["clock"])  # the scan let some time pass
    page.click("#guide-pause")
    assert page.locator("#guide-pause").inner_text() == "Fortsæt"
    assert page.locator("#guide-paused").is_visible()
    assert state(page)["said"] == "Pause. Tryk på Fortsæt, når du er klar."
    page.clock.run_for(45_000)
    assert seconds(state(page)["clock"]) == left
    page.click("#guide-pause")
    assert page.locator("#guide-pause").inner_text() == "Pause"
    assert page.locator("#guide-paused").is_hidden()
    page.clock.run_for(1000)
    assert seconds(state(page)["clock"]) == left - 1
    # A minute left is said once.
    page.clock.run_for((left - 1 - 60) * 1000)
    now = state(page)
    assert (now["clock"], now["said"]) == ("1:00", "1:00 tilbage af hvilet.")

    # Skip the rest: set 2 gets ready at once.
    page.click("#guide-skip-rest")
    now = state(page)
    assert (now["phase"], now["set"]) == ("ready", "Sæt 2 af 3")
    assert now["focus"] == "guide-pause"  # the pressed button is gone; focus stays on the controls
    page.clock.run_for(3000 + 12 * 8000)
    assert state(page)["phase"] == "rest"
    page.clock.run_for(120_000)  # the whole rest this time
    now = state(page)
    assert (now["phase"], now["set"]) == ("ready", "Sæt 3 af 3")
    assert not Completion.objects.filter(item=heel).exists()  # nothing before the last set
    page.clock.run_for(3000 + 12 * 8000)

    # All sets done: one session recorded, through the outbox.
    page.wait_for_selector("#guide[data-screen='done'][data-recorded]")
    assert page.evaluate("document.activeElement.id") == "guide-done-title"
    assert page.locator("#guide-done-title").inner_text() == (
        f"Godt gået! {heel.exercise.name_da} er færdig."
    )
    assert page.locator("#guide-saved").inner_text() == "Registreret som gjort i dag."
    done = Completion.objects.get(item=heel, date=mette["today"])
    assert (done.session, done.sets_done) == (1, 3)
    assert page.evaluate("window.__wake.requests") >= 1
    next_button = page.locator("#guide-next")
    assert next_button.inner_text().startswith("Næste øvelse: ")
    screenshot(page, "guide-done")
    problems += scan_frozen(page, "guide-done")

    # The other exercises of the day follow; skipping them ends the round.
    next_button.click()
    page.wait_for_selector("#guide[data-screen='intro']")
    assert page.locator("#guide-count").inner_text().startswith("Øvelse 2 af ")
    while page.evaluate("guide.dataset.screen") == "intro":
        page.click("#guide-skip")
    page.wait_for_selector("#guide[data-screen='final']")
    assert page.locator("#guide-final-title").inner_text() == "Færdig for i dag"
    assert page.locator("#guide-final-some").is_visible()
    assert page.locator("#guide-final a").get_attribute("href") == "/"
    # The screen may sleep again.
    wait_until(page, "window.__wake.released >= (navigator.wakeLock ? 1 : 0)")
    screenshot(page, "guide-final")
    problems += scan_frozen(page, "guide-final")
    assert problems == []
    assert page_errors == []


def scan_frozen(page, name):
    """axe waits on timers of its own: let the clock run for the scan, then stop it again."""
    page.clock.resume()
    problems = scan(page, name)
    freeze(page)
    return problems


def test_keyboard_only_pause_on_a_call_and_the_sound_switch(new_context, mette, page_errors):
    stretch = mette["items"]["calf-stretch-straight-knee"]
    context = guided_context(new_context)
    page = log_in_to(
        context,
        f"{GUIDE}?item={stretch.pk}",
        mette["patient"].user.email,
        mette["password"],
        page_errors,
    )

    # The sound switch, by keyboard; the choice is remembered.
    sound = page.locator("#guide-sound")
    assert sound.get_attribute("aria-pressed") == "true"
    tab_to(page, "guide-sound")
    page.keyboard.press("Space")
    assert sound.get_attribute("aria-pressed") == "false"
    page.reload()
    loaded(page)
    assert page.locator("#guide-sound").get_attribute("aria-pressed") == "false"

    # Start with Tab and Enter: a 30 s hold, three times, with a short relax in between.
    freeze(page)
    tab_to(page, "guide-start")
    page.keyboard.press("Enter")
    now = state(page)
    assert (now["screen"], now["focus"]) == ("run", "guide-pause")
    page.clock.run_for(3000)
    now = state(page)
    assert (now["phaseText"], now["clock"], now["rep"]) == ("Hold", "30", "Gentagelse 1 af 3")
    assert now["said"] == "Gentagelse 1 af 3. Hold."
    assert page.evaluate("window.__beeps") == 0  # sound off: no beeps at the phase changes
    page.clock.run_for(10_000)
    assert state(page)["clock"] == "20"

    # Every control a thumb can hit.
    for button in page.locator("#guide-run button:visible, #guide-sound").all():
        box = button.bounding_box()
        assert box["width"] >= 44 and box["height"] >= 44, button.inner_text()

    # Space on the focused Pause button pauses, and again resumes.
    page.keyboard.press("Space")
    assert state(page)["clock"] == "20" and page.locator("#guide-paused").is_visible()
    page.clock.run_for(5000)
    assert state(page)["clock"] == "20"
    page.keyboard.press("Space")
    page.clock.run_for(1000)
    assert state(page)["clock"] == "19"
    # Space anywhere else on the page works too.
    page.focus("#guide-run-name")
    page.keyboard.press("Space")
    assert page.evaluate("guide.dataset.paused") == "1"
    page.keyboard.press("Space")
    assert page.evaluate("guide.dataset.paused") == "0"

    # A phone call: the page is hidden, the guide pauses itself; back again, it says so and
    # the keyboard is on Resume.
    set_visibility(page, "hidden")
    assert page.evaluate("guide.dataset.paused") == "1"
    page.clock.run_for(60_000)
    assert state(page)["clock"] == "19"
    set_visibility(page, "visible")
    assert page.locator("#guide-paused").inner_text() == "Pause. Tryk på Fortsæt, når du er klar."
    assert state(page)["focus"] == "guide-pause"
    assert page.locator("#guide-pause").inner_text() == "Fortsæt"
    page.keyboard.press("Enter")
    page.clock.run_for(19_000)
    now = state(page)
    assert (now["phaseText"], now["said"]) == ("Slap af", "Slap af.")

    # Sound back on: the next phase change beeps.
    tab_to(page, "guide-sound")
    page.keyboard.press("Enter")
    beeps = page.evaluate("window.__beeps")
    page.clock.run_for(5000)
    assert state(page)["rep"] == "Gentagelse 2 af 3"
    assert page.evaluate("window.__beeps") > beeps

    # Stop: back to the exercise, nothing recorded.
    tab_to(page, "guide-stop")
    page.keyboard.press("Enter")
    assert state(page)["screen"] == "intro"
    assert state(page)["said"] == "Stoppet. Intet blev registreret."
    assert page_errors == []


def test_the_next_session_of_the_day_is_recorded_even_offline(new_context, mette, page_errors):
    """The plantar-fascia stretch is done three times a day: with time 1 on the server, the
    guide does time 2. Offline, the session waits in the outbox and is sent on reconnecting."""
    from exercises.models import Completion
    from exercises.services import completion_record

    fascia = mette["items"]["plantar-fascia-stretch"]
    completion_record(
        patient=mette["patient"], item=fascia, day=mette["today"], sets_done=1, session=1
    )
    context = guided_context(new_context)
    page = log_in_to(
        context,
        f"{GUIDE}?item={fascia.pk}",
        mette["patient"].user.email,
        mette["password"],
        page_errors,
    )
    assert page.locator("#guide-session").inner_text() == "Gang 2 af 3 i dag"
    # Offline only once the worker controls the page and has kept the guide: Chromium asks
    # the worker for the page itself when the connection drops, and before that the worker
    # had nothing to answer with (net::ERR_FAILED, seen once in CI).
    wait_for_service_worker(page)
    wait_until(page, "caches.match('/today/guide/', {cacheName: 'haelapp-user'}).then(Boolean)")
    freeze(page)
    page.click("#guide-start")
    context.set_offline(True)
    # 3 s to get ready, ten 10 s holds with 5 s to relax between them.
    page.clock.run_for(3000 + 10 * 10_000 + 9 * 5000)
    page.wait_for_selector("#guide[data-screen='done'][data-recorded]")
    saved = page.locator("#guide-saved").inner_text()
    assert saved.startswith("Registreret som gang 2 af 3 i dag.")
    assert "Gemt på telefonen" in saved
    key = f"done:{mette['today']}:{fascia.pk}:2"
    assert page.evaluate(
        "key => window.haelappOutbox.pending().then(rs => rs.map(r => r.key).includes(key))", key
    )
    assert not Completion.objects.filter(item=fascia, session=2).exists()
    context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    wait_until(page, "window.haelappOutbox.pending().then(rs => rs.length === 0)")
    done = Completion.objects.get(item=fascia, date=mette["today"], session=2)
    assert done.sets_done == 1
    assert Completion.objects.filter(item=fascia, date=mette["today"]).count() == 2
    assert [e for e in page_errors if "ERR_INTERNET_DISCONNECTED" not in e] == []


def test_without_item_the_round_starts_at_the_first_exercise_not_done(
    new_context, mette, page_errors
):
    from exercises.services import completion_record

    items = mette["items"]
    # The first exercise of the programme is done all three times today.
    fascia = items["plantar-fascia-stretch"]
    for session in (1, 2, 3):
        completion_record(
            patient=mette["patient"], item=fascia, day=mette["today"], sets_done=1, session=session
        )
    context = guided_context(new_context)
    page = log_in_to(context, GUIDE, mette["patient"].user.email, mette["password"], page_errors)
    assert page.evaluate("guide.dataset.item") == str(items["calf-stretch-straight-knee"].pk)
    assert re.match(r"Øvelse 1 af \d", page.locator("#guide-count").inner_text())
    assert page_errors == []


def test_a_late_tick_catches_up_instead_of_drifting(new_context, mette, page_errors):
    """A phone busy elsewhere runs the page's interval late: the next tick works out every
    phase that ended meanwhile (fast_forward fires the interval once for the whole jump)."""
    heel = mette["items"]["heel-raise-high-load"]
    context = guided_context(new_context)
    page = log_in_to(
        context,
        f"{GUIDE}?item={heel.pk}",
        mette["patient"].user.email,
        mette["password"],
        page_errors,
    )
    freeze(page)
    page.click("#guide-start")
    page.clock.fast_forward(3000 + 5 * 8000 + 1500)
    now = state(page)
    assert (now["set"], now["rep"], now["phaseText"], now["clock"]) == (
        "Sæt 1 af 3",
        "Gentagelse 6 af 12",
        "Op",
        "1-2",
    )
    # The state machine on its own, told the time: 2 sets of two 4 s holds, 1 s relax, 10 s rest.
    phases = page.evaluate(
        """() => {
          const machine = new GuideMachine(
            {mode: 'hold', sets: 2, reps: 2, hold: 4, relax: 1, rest: 10, ready: 3});
          const name = (e) => e.phase + e.set + '.' + e.rep;
          const seen = machine.start(0).map(name);
          seen.push(...machine.pause(5000).map(name));  // the first hold began at 3 s
          seen.push(...machine.tick(60000).map(name));  // paused: nothing happens
          seen.push(...machine.resume(60000).map(name));
          // 2 s of that hold left; then 1 + 4 + 10 + 3 + 4 + 1 + 4 s: done at 89 s.
          seen.push(...machine.tick(88999).map(name), '|');
          seen.push(...machine.tick(89000).map(name));
          return seen;
        }"""
    )
    assert phases == [
        "ready1.0",
        "hold1.1",
        "relax1.1",
        "hold1.2",
        "rest1.0",
        "ready2.0",
        "hold2.1",
        "relax2.1",
        "hold2.2",
        "|",
        "done2.2",
    ]
    assert page_errors == []


def tab_to(page, element_id, limit=40):
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement && document.activeElement.id") == element_id:
            return
    raise AssertionError(f"Tab never reached #{element_id}")


def set_visibility(page, value):
    """What the browser does when the phone rings and another app comes to the front."""
    page.evaluate(
        """value => {
          const define = (name, get) =>
            Object.defineProperty(document, name, {configurable: true, get});
          define('visibilityState', () => value);
          define('hidden', () => value === 'hidden');
          document.dispatchEvent(new Event('visibilitychange'));
        }""",
        value,
    )


def test_the_guide_works_offline(new_context, mette, page_errors):
    """The page and its script are kept by the service worker; offline, an exercise asked for
    by ?item= starts from the page kept without it."""
    from django.templatetags.static import static

    calf = mette["items"]["calf-stretch-bent-knee"]
    context = new_context()
    page = log_in_to(context, GUIDE, mette["patient"].user.email, mette["password"], page_errors)
    assert static("js/guide.js") in page.request.get("/sw.js").text()
    assert page.request.get(GUIDE).headers["x-offline"] == "keep"
    wait_for_service_worker(page)
    wait_until(
        page,
        "url => Promise.all([caches.match('/today/guide/', {cacheName: 'haelapp-user'}), "
        "caches.match(url)]).then(hits => hits.every(Boolean))",
        static("js/guide.js"),
    )
    context.set_offline(True)
    page.goto(f"{GUIDE}?item={calf.pk}")
    page.wait_for_selector("#guide[data-loaded='1']:not([data-screen='loading'])")
    assert page.evaluate("guide.dataset.item") == str(calf.pk)
    assert page.locator("#guide-intro-name").inner_text() == calf.exercise.name_da
    assert [e for e in page_errors if "ERR_INTERNET_DISCONNECTED" not in e] == []
