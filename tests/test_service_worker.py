"""What the service worker (/sw.js, web/views/pwa.py) asks the network for while it installs.

On a phone line every request is a round trip (150 ms on bench/pwa.py's phone profile), and
the worker installs during the first load. So the install stores only what Today itself has
just loaded (the HTTP cache gives it again) and the offline page, with no script imported
over the network; the rest of the shell comes when the page is idle. The offline behaviour
itself runs in Chromium (tests/browser/test_installable.py, tests/browser/test_offline.py)."""

import json
import re
from datetime import timedelta

from web.views.pwa import SHELL_LATER


def worker_list(text: str, name: str) -> list[str]:
    match = re.search(rf"^var {name} = (\[.*?\]);$", text, re.M)
    assert match, f"the worker declares {name}"
    return json.loads(match.group(1))


def test_the_install_stores_only_what_today_has_just_loaded(client, patient, assign):
    assign(patient, starts_on=patient.user.local_today() - timedelta(days=14))
    client.force_login(patient.user)
    today = client.get("/").text
    worker = client.get("/sw.js").text

    loaded = set(re.findall(r'(?:src|href)="(/static/[^"]+)"', today))
    precache = worker_list(worker, "PRECACHE")
    # The offline page, so that the worker never answers a page with the browser's error;
    # of the static files only what Today has loaded.
    assert "/offline/" in precache
    static_files = [path for path in precache if path.startswith("/static/")]
    assert set(static_files) <= loaded, set(static_files) - loaded
    # Among them what a page needs to start: styles and the outbox, app and Today scripts.
    assert {p.split("/static/")[1] for p in static_files} >= {
        "css/app.css",
        "js/outbox.js",
        "js/app.js",
        "js/today.js",
    }

    assert set(precache) - set(static_files) == {"/offline/"}
    # The rest, the offline page's script included, is stored once the page is idle.
    later = worker_list(worker, "PRECACHE_LATER")
    assert {f"/static/{path}" for path in SHELL_LATER} <= set(later)


def test_the_outbox_is_written_into_the_worker_not_imported(client, db):
    worker = client.get("/sw.js").text
    assert "importScripts" not in worker
    # The same outbox as the pages' (Background Sync sends from it).
    assert "global.haelappOutbox = Outbox;" in worker
    assert "self.haelappOutbox.flush()" in worker


def test_outside_development_the_worker_is_made_once_and_is_the_same_for_everyone(
    client, patient, physio, settings
):
    """Every navigation asks for /sw.js (the browser's update check): outside development it
    is made once per process, and the same script whoever asks, logged in or not."""
    from web.views import pwa

    development = client.get("/sw.js").text
    settings.DEBUG = False
    pwa._service_worker_source_cached.cache_clear()
    try:
        answers = [client.get("/sw.js").text]
        for user in (patient.user, physio.user):
            client.force_login(user)
            answers.append(client.get("/sw.js").text)
        assert answers == [development] * 3
        assert pwa._service_worker_source_cached.cache_info().misses == 1
    finally:
        pwa._service_worker_source_cached.cache_clear()


def test_the_script_is_answered_without_a_session_or_a_user(
    client, patient, django_assert_num_queries
):
    """web.middleware answers it before the session middleware: no query, even for a
    logged-in patient, no cookie set or read, and the same headers as any answer."""
    client.force_login(patient.user)
    client.get("/sw.js")  # the script made once (outside development)
    with django_assert_num_queries(0):
        answer = client.get("/sw.js", HTTP_ACCEPT_ENCODING="gzip")
    assert answer.status_code == 200
    assert answer["Content-Type"] == "application/javascript"
    assert answer["Service-Worker-Allowed"] == "/"
    assert answer["Cache-Control"] == "no-cache"
    assert answer["Content-Encoding"] == "gzip"  # GZipMiddleware comes before it
    assert answer["Content-Security-Policy"]  # so do the security headers
    assert answer["X-Content-Type-Options"] == "nosniff"
    assert "Cookie" not in answer.get("Vary", "")
    assert not answer.cookies
    # A host the settings do not allow is refused, as for any other path.
    assert client.get("/sw.js", HTTP_HOST="evil.example").status_code == 400
    # Other methods take the normal way: a POST without a CSRF token is refused there.
    checked = type(client)(enforce_csrf_checks=True)
    checked.force_login(patient.user)
    assert checked.post("/sw.js").status_code == 403
