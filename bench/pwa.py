"""The patient's first load of *Today* in headless Chromium: bytes on the wire and time to
interactive. `python bench/pwa.py [--runs 5] [--keep]`.

How it runs:
- a production-like server: gunicorn (3 sync workers) with DEBUG off, static files collected
  into a temporary folder by whitenoise's CompressedManifestStaticFilesStorage (hashed names,
  gzip) and served by whitenoise; an SQLite database in the same temporary folder with the demo
  data (`manage.py demo_data`), so no real database is touched. Plain HTTP on localhost (a secure
  context), so the secure-cookie and HTTPS-redirect settings are switched off for the run;
- each run is a fresh browser profile (empty HTTP cache, no service worker): the session cookie
  is obtained by posting the log-in form with the browser's request API (not measured), then
  `/` is opened as Ane, a demo patient.

What it measures:
- bytes: the `encodedDataLength` of every response of the page (CDP `Network.loadingFinished`:
  compressed body plus headers), grouped as HTML, CSS, JS, data (API JSON), manifest and icons,
  and illustrations (the exercise drawings) separately; plus, separately, what the service
  worker downloads when it installs (its script and the precached app shell, all illustrations
  included), which happens after the page is interactive;
- time to interactive: from the start of navigation until the pain buttons are enabled (the
  page's script has run and read the offline outbox: a tap now counts) AND the service worker
  is active (the app works offline from here). Both moments are marks the page sets
  (`haelapp-interactive`, `haelapp-sw-ready`); DOMContentLoaded and the load event are printed
  too.

Aims: under 100 KB before illustrations, under 1 s to interactive.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import secrets
import shutil
import socket
import statistics
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path

from project_venv import ROOT, VENV_PYTHON, enter  # bench/ is first on sys.path

enter(__file__)

from tests.browser.chromium import CHROMIUM, CHROMIUM_ARGS  # noqa: E402

PATIENT = "ane@demo.haelapp.dk"
DEMO_PASSWORD = "haelapp-demo-2026"  # noqa: S105 - the published demo login (accounts/demo.py)
AIM_BYTES = 100 * 1024
AIM_SECONDS = 1.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def server_environment(folder: Path) -> dict:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DATABASE_", "CELERY_", "CACHE_"))
    }
    env.update(
        {
            "DEBUG": "false",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "localhost,127.0.0.1",
            "HAELAPP_VAR_DIR": str(folder),
            "ENV_FILE": str(folder / "no.env"),
            "SESSION_COOKIE_SECURE": "false",
            "CSRF_COOKIE_SECURE": "false",
            "SECURE_SSL_REDIRECT": "false",
            "SECURE_HSTS_SECONDS": "0",
            "LOG_LEVEL": "WARNING",
            "PYTHONUNBUFFERED": "1",
        }
    )
    return env


def prepare(env: dict) -> None:
    manage = [str(VENV_PYTHON), str(ROOT / "manage.py")]
    for command in (
        ["migrate", "--noinput", "-v0"],
        ["demo_data"],
        ["collectstatic", "--noinput", "-v0"],
    ):
        subprocess.run([*manage, *command], env=env, cwd=ROOT, check=True, capture_output=True)


@contextlib.contextmanager
def gunicorn(env: dict, port: int):
    process = subprocess.Popen(
        [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            "haelapp.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "3",
            "--log-level",
            "warning",
        ],
        env=env,
        cwd=ROOT,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2)
                break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise SystemExit("gunicorn did not start") from None
                time.sleep(0.2)
        yield
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


def category(url: str, resource_type: str) -> str:
    path = url.split("://", 1)[-1].split("/", 1)[-1]
    path = "/" + path.split("?", 1)[0]
    if path.startswith("/static/exercises/"):
        return "illustrations"
    if resource_type == "Document":
        return "html"
    if resource_type == "Stylesheet" or path.endswith(".css"):
        return "css"
    if resource_type == "Script" or path.endswith(".js"):
        return "js"
    if path.startswith("/api/") or resource_type in ("Fetch", "XHR"):
        return "data"
    if path.startswith("/static/icons/") or "manifest" in path or resource_type == "Manifest":
        return "manifest+icons"
    return "other"


def one_run(browser, base: str, password: str) -> dict:
    context = browser.new_context(base_url=base, viewport={"width": 390, "height": 844})
    try:
        login = context.request.get("/login/")
        token = next(c["value"] for c in context.cookies() if c["name"] == "csrftoken")
        assert login.ok
        response = context.request.post(
            "/login/",
            form={"username": PATIENT, "password": password, "csrfmiddlewaretoken": token},
            headers={"Referer": base + "/login/"},
            max_redirects=0,
        )
        assert response.status == 302, response.status

        page = context.new_page()
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        requests: dict[str, dict] = {}
        cdp.on(
            "Network.requestWillBeSent",
            lambda e: requests.setdefault(e["requestId"], {"url": e["request"]["url"]}).update(
                type=e.get("type", "")
            ),
        )
        cdp.on(
            "Network.responseReceived",
            lambda e: requests.setdefault(e["requestId"], {"url": e["response"]["url"]}).update(
                type=e.get("type", ""),
                status=e["response"]["status"],
                from_sw=e["response"].get("fromServiceWorker", False),
            ),
        )
        cdp.on(
            "Network.loadingFinished",
            lambda e: requests.setdefault(e["requestId"], {"url": ""}).update(
                bytes=e["encodedDataLength"]
            ),
        )
        worker_bytes = {"count": 0, "bytes": 0}

        def on_worker_response(response):
            if response.request.service_worker is None:
                return
            with contextlib.suppress(Exception):
                sizes = response.request.sizes()
                worker_bytes["count"] += 1
                worker_bytes["bytes"] += sizes["responseBodySize"] + sizes["responseHeadersSize"]

        context.on("requestfinished", lambda request: on_worker_response(request.response()))

        page.goto("/", wait_until="load")
        page.wait_for_selector("body[data-ready='1']")
        # evaluate() awaits the promise (wait_for_function would take a pending one as true).
        page.evaluate("navigator.serviceWorker.ready.then(() => true)")
        page.wait_for_function("performance.getEntriesByName('haelapp-sw-ready').length > 0")
        page.wait_for_load_state("networkidle")
        timing = page.evaluate(
            """() => {
                const mark = name => (performance.getEntriesByName(name)[0] || {}).startTime;
                const nav = performance.getEntriesByType('navigation')[0];
                return {interactive: mark('haelapp-interactive'), sw: mark('haelapp-sw-ready'),
                        dcl: nav.domContentLoadedEventEnd, load: nav.loadEventEnd};
            }"""
        )
        totals: dict[str, int] = {}
        for request in requests.values():
            if "bytes" not in request or request.get("from_sw"):
                continue
            key = category(request["url"], request.get("type", ""))
            totals[key] = totals.get(key, 0) + int(request["bytes"])
        totals["_worker"] = worker_bytes["bytes"]
        totals["_worker_count"] = worker_bytes["count"]
        return {"bytes": totals, "timing": timing}
    finally:
        context.close()


def kb(value: float) -> str:
    return f"{value / 1024:.1f} KB"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = parser.parse_args()
    os.environ.setdefault("PW_EXPERIMENTAL_SERVICE_WORKER_NETWORK_EVENTS", "1")

    from playwright.sync_api import sync_playwright

    folder = Path(tempfile.mkdtemp(prefix="haelapp-pwa-bench-"))
    try:
        env = server_environment(folder)
        print("preparing: migrate, demo data, collectstatic (whitenoise, gzip) ...", flush=True)
        prepare(env)
        port = free_port()
        base = f"http://localhost:{port}"
        with gunicorn(env, port), sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
            )
            one_run(browser, base, DEMO_PASSWORD)  # warm the server (imports, first queries)
            runs = [one_run(browser, base, DEMO_PASSWORD) for _ in range(args.runs)]
            browser.close()
    finally:
        if args.keep:
            print(f"kept {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)

    def median(values):
        return statistics.median(values)

    keys = ["html", "css", "js", "data", "manifest+icons", "other"]
    bytes_median = {
        key: median([run["bytes"].get(key, 0) for run in runs])
        for key in [*keys, "illustrations", "_worker", "_worker_count"]
    }
    before_illustrations = sum(bytes_median[key] for key in keys)
    interactive = [run["timing"]["interactive"] / 1000 for run in runs]
    sw_ready = [run["timing"]["sw"] / 1000 for run in runs]
    tti = [max(a, b) for a, b in zip(interactive, sw_ready, strict=True)]
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    print(
        f"\nfirst load of Today as a demo patient, cold profile, gunicorn + whitenoise, "
        f"median of {len(runs)} runs (machine load average {load} on {os.cpu_count()} CPUs)"
    )
    print("  bytes on the wire (compressed, with headers):")
    for key in keys:
        print(f"    {key:<15} {kb(bytes_median[key]):>9}")
    aim_ok = "ok" if before_illustrations < AIM_BYTES else "MISSED"
    print(
        f"    {'total':<15} {kb(before_illustrations):>9}  (before illustrations; aim < 100 KB: "
        f"{aim_ok})"
    )
    print(f"    {'illustrations':<15} {kb(bytes_median['illustrations']):>9}")
    print(
        f"    service worker install (after interactive): {kb(bytes_median['_worker'])} in "
        f"{int(bytes_median['_worker_count'])} responses (sw.js and the precached shell, every "
        f"illustration included)"
    )
    timings = [run["timing"] for run in runs]
    print("  time from navigation start:")
    print(f"    DOMContentLoaded            {median([t['dcl'] for t in timings]):6.0f} ms")
    print(f"    pain buttons enabled        {median(interactive) * 1000:6.0f} ms")
    print(f"    service worker ready        {median(sw_ready) * 1000:6.0f} ms")
    print(f"    load event                  {median([t['load'] for t in timings]):6.0f} ms")
    tti_ok = "ok" if median(tti) < AIM_SECONDS else "MISSED"
    print(
        f"    time to interactive         {median(tti) * 1000:6.0f} ms  (both of the above; "
        f"max {max(tti) * 1000:.0f} ms; aim < 1 s: {tti_ok})"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
