"""The installable PWA: a valid manifest with real icons, a service worker at the root scope,
an app shell that loads offline, and no health data in its caches."""

import struct

import pytest

from .conftest import log_in, wait_for_service_worker, wait_ready, wait_until

pytestmark = pytest.mark.browser


def png_size(body: bytes) -> tuple[int, int]:
    assert body[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", body[16:24])


def test_manifest_and_service_worker_register_and_the_shell_loads_offline(new_context, people):
    context = new_context()
    page = log_in(context, people["patient"].user.email, people["password"])
    wait_ready(page)

    manifest = page.request.get("/manifest.webmanifest")
    assert manifest.headers["content-type"] == "application/manifest+json"
    data = manifest.json()
    assert data["start_url"] == "/" and data["display"] == "standalone"
    assert data["name"] and data["short_name"] and data["theme_color"] and data["background_color"]
    sizes = {}
    for icon in data["icons"]:
        if icon["type"] == "image/png":
            width, height = png_size(page.request.get(icon["src"]).body())
            assert f"{width}x{height}" == icon["sizes"]
            sizes[(icon["sizes"], icon.get("purpose", "any"))] = icon["src"]
    assert {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")} <= set(sizes)

    worker = page.request.get("/sw.js")
    assert worker.headers["content-type"].startswith("application/javascript")
    assert worker.headers["service-worker-allowed"] == "/"
    assert "no-cache" in worker.headers["cache-control"]

    # Pages with health data are never stored anywhere; Today and Programme hold only the
    # programme and may be kept for offline use.
    for path in ("/progress/", "/checkin/", "/my-data/", "/settings/"):
        response = page.request.get(path)
        assert "no-store" in response.headers["cache-control"], path
        assert "x-offline" not in response.headers, path
    for path in ("/", "/programme/", "/programme.json"):
        response = page.request.get(path)
        assert "no-store" not in response.headers["cache-control"], path
        assert response.headers["x-offline"] == "keep", path

    wait_for_service_worker(page)
    scope = page.evaluate("navigator.serviceWorker.getRegistration().then(r => r.scope)")
    assert scope == page.url.split("/", 3)[0] + "//" + page.url.split("/", 3)[2] + "/"

    # Chromium itself says the app is installable (a Playwright context is a private window,
    # which is the one reason it gives not to offer installation).
    cdp = context.new_cdp_session(page)
    assert cdp.send("Page.getAppManifest").get("errors") == []
    errors = cdp.send("Page.getInstallabilityErrors")["installabilityErrors"]
    assert [error["errorId"] for error in errors if error["errorId"] != "in-incognito"] == []

    # Let the worker keep the patient's pages, then visit the data pages so that they had
    # every chance to end up in a cache.
    wait_until(
        page,
        "caches.open('haelapp-user').then(c => Promise.all(['/', '/programme/', "
        "'/programme.json'].map(u => c.match(u)))).then(hits => hits.every(Boolean))",
    )
    illustrations = page.evaluate(
        "Array.from(new Set([...document.querySelectorAll('img.illustration')].map(i => i.src)))"
    )
    # The offline page comes with the rest of the shell once the page is idle.
    wait_until(
        page,
        "urls => Promise.all(urls.map(u => caches.match(u))).then(hits => hits.every(Boolean))",
        [*illustrations, "/offline/"],
    )
    for path in ("/progress/", "/checkin/", "/settings/", "/my-data/"):
        page.goto(path)
    page.goto("/programme/")

    context.set_offline(True)
    page.goto("/programme/")
    assert page.locator("h1").count() == 1
    assert page.locator("article.programme-item").count() >= 3
    # Styles come from the precached shell.
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert background == "rgb(246, 248, 250)"
    # A page with health data is never kept: offline it is the offline page instead.
    page.goto("/progress/")
    assert page.locator("body[data-shell='1']").count() == 1
    page.wait_for_selector("#offline-programme:not([hidden]) article")

    cached = page.evaluate(
        """async () => {
            const urls = [];
            for (const name of await caches.keys()) {
                const cache = await caches.open(name);
                for (const request of await cache.keys()) urls.push(new URL(request.url).pathname);
            }
            return urls;
        }"""
    )
    assert "/" in cached and "/offline/" in cached and "/static/css/app.css" in cached
    assert any(url.startswith("/static/exercises/") for url in cached)
    health = [
        url
        for url in cached
        if url.startswith("/api/") or url in ("/progress/", "/checkin/", "/settings/", "/my-data/")
    ]
    assert health == []
