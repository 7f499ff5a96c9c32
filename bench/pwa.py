"""The patient's first load of *Today* in headless Chromium, and the repeat load from the service
worker's cache, without and with a mid-range phone's throttling: bytes on the wire and time to
interactive. `python bench/pwa.py [--runs 5] [--profile both|unthrottled|throttled]
[--trace DIR] [--keep] [--lock-wait S]`.

How it runs:
- a production-like server: gunicorn (3 sync workers) with DEBUG off, static files collected
  into a temporary folder by whitenoise's CompressedManifestStaticFilesStorage (hashed names,
  gzip) and served by whitenoise; an SQLite database in the same temporary folder with the demo
  data (`manage.py demo_data`), so no real database is touched. Plain HTTP on localhost (a secure
  context), so the secure-cookie and HTTPS-redirect settings are switched off for the run;
- each run is a fresh browser context (empty HTTP cache, no service worker): the session cookie
  is obtained by posting the log-in form with the browser's request API (not measured), then
  three loads of `/` as Ane, a demo patient, each in a new tab with its own DevTools session:
  1. the cold first load (nothing cached, no service worker yet); the tab then stays open until
     the service worker has stored the app shell and the offline copy of Today (not measured);
  2. the repeat load with the service worker active (online: Today is network-first in the
     worker, the scripts, styles and pictures come from its cache);
  3. the repeat load offline: everything from the worker's cache, nothing on the wire (checked);
- per profile: `unthrottled` (this machine, loopback), and `throttled`, a mid-range phone in
  Chromium's own emulation (DevTools protocol): `Emulation.setCPUThrottlingRate` 4 on the tab,
  and `Network.emulateNetworkConditions` (150 ms latency, 1.6 Mbit/s down, 750 kbit/s up) on
  the tab AND on the service worker (the worker's own requests, its install and the
  network-first Today, are not throttled by the tab's setting). The worker is reached through
  the tab's session (`Target.setAutoAttach`, paused at its start until its throttling is set)
  or, once running, the browser's. Chromium cannot throttle a service worker's CPU ("only
  supported for pages"): the worker's script runs at this machine's speed. The omnibox popup's
  WebUI renderer of headless Chromium is switched off (QUIET_FEATURES).

Details, options and how to read the output: bench/README.md, section 5.

What it measures:
- bytes: the `encodedDataLength` of every response (CDP `Network.loadingFinished`: compressed
  body plus headers), grouped as HTML, CSS, JS, data (API JSON), manifest and icons, and
  illustrations (the exercise drawings) separately, counting the worker's requests made for the
  page (the network-first Today); plus, separately, what the service worker downloads for
  itself (its install, the precached app shell, and when the page is idle the rest of the shell
  and the offline copies), which happens after the page is interactive;
- time to interactive: from the start of navigation until the pain buttons are enabled (the
  page's script has run and read the offline outbox: a tap now counts) AND the service worker
  is active (the app works offline from here). Both moments are marks the page sets
  (`haelapp-interactive`, `haelapp-sw-ready`); DOMContentLoaded and the load event are printed
  too.

Aims: under 100 KB before illustrations on the first load; interactive under 1 s on the first
load and under 300 ms from the service worker's cache, in both profiles.
`--trace DIR` adds one run per profile (not counted) with a Chromium trace of each load in DIR,
and prints each load's requests in time and where the tab's main thread spent its time before
interactive.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import functools
import json
import os
import secrets
import shutil
import socket
import statistics
import subprocess
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from project_venv import ROOT, VENV_PYTHON, enter  # bench/ is first on sys.path

enter(__file__)

from bench.common import TICKS, acquire_lock, busy_ticks  # noqa: E402
from tests.browser.chromium import CHROMIUM, CHROMIUM_ARGS  # noqa: E402

PATIENT = "ane@demo.haelapp.dk"
DEMO_PASSWORD = "haelapp-demo-2026"  # noqa: S105 - the published demo login (accounts/demo.py)
PHONE = {"width": 390, "height": 844}
AIM_BYTES = 100 * 1024
AIM_SECONDS = 1.0  # the cold first load
AIM_CACHED_SECONDS = 0.3  # a repeat load from the service worker's cache, online or offline


@dataclass(frozen=True)
class Profile:
    """A device and network, as Chromium's DevTools emulation makes them."""

    name: str
    description: str
    cpu_slowdown: float = 1.0  # Emulation.setCPUThrottlingRate: 4 = four times slower
    latency_ms: float = 0.0  # added to every request (a round trip)
    down_kbit_s: float = 0.0  # 0: no limit
    up_kbit_s: float = 0.0

    @property
    def throttles_network(self) -> bool:
        return bool(self.latency_ms or self.down_kbit_s or self.up_kbit_s)

    def network(self, offline: bool = False) -> dict:
        """Parameters of Network.emulateNetworkConditions: throughput in bytes/s, -1 no limit."""
        return {
            "offline": offline,
            "latency": self.latency_ms,
            "downloadThroughput": self.down_kbit_s * 1000 / 8 if self.down_kbit_s else -1,
            "uploadThroughput": self.up_kbit_s * 1000 / 8 if self.up_kbit_s else -1,
        }


UNTHROTTLED = Profile("unthrottled", "no throttling: this machine's CPU, loopback network")
# Lighthouse's "slow 4G" mobile figures, applied the DevTools way (per request, not per packet).
MID_RANGE_PHONE = Profile(
    "throttled",
    "mid-range phone: CPU 4x slower, 150 ms round trip, 1.6 Mbit/s down, 750 kbit/s up",
    cpu_slowdown=4,
    latency_ms=150,
    down_kbit_s=1600,
    up_kbit_s=750,
)
PROFILES = {profile.name: profile for profile in (UNTHROTTLED, MID_RANGE_PHONE)}

LOADS = {
    "cold": ("cold first load", "empty cache, no service worker", AIM_SECONDS),
    "sw": (
        "repeat load, online",
        "service worker active: Today from the network",
        AIM_CACHED_SECONDS,
    ),
    "offline": ("repeat load, offline", "all from the service worker's cache", AIM_CACHED_SECONDS),
}
GROUPS = ["html", "css", "js", "data", "manifest+icons", "other"]  # "before illustrations"
NETWORK_EVENTS = (
    "Network.requestWillBeSent",
    "Network.responseReceived",
    "Network.loadingFinished",
    "Network.loadingFailed",
)
TIMING_JS = """() => {
    const mark = name => (performance.getEntriesByName(name)[0] || {}).startTime;
    const nav = performance.getEntriesByType('navigation')[0];
    return {interactive: mark('haelapp-interactive'), sw: mark('haelapp-sw-ready'),
            dcl: nav.domContentLoadedEventEnd, load: nav.loadEventEnd,
            response_start: nav.responseStart, response_end: nav.responseEnd,
            worker_start: nav.workerStart, ready: document.body.dataset.ready === '1',
            today: !!document.querySelector('button.pain'),
            controlled: !!navigator.serviceWorker.controller};
}"""
# Installed before the page's own scripts: resolves once the page has set both marks. The
# benchmark waits on it with one evaluate() call, instead of polling the page (Playwright's
# wait_for_selector would compile its own injected script on the throttled main thread, before
# interactive, and delay it).
MARKS_INIT_JS = """window.__haelappBenchMarks = new Promise(resolve => {
    const seen = new Set();
    new PerformanceObserver(list => {
        list.getEntries().forEach(entry => seen.add(entry.name));
        if (seen.has('haelapp-interactive') && seen.has('haelapp-sw-ready')) resolve(true);
    }).observe({type: 'mark', buffered: true});
});"""
# The offline copy of Today and the programme, which the worker stores when the page is idle.
OFFLINE_COPY_JS = """() => caches.has('haelapp-user').then(has => has && caches.open('haelapp-user')
    .then(cache => Promise.all(['/', '/programme.json'].map(url => cache.match(url))))
    .then(hits => hits.every(Boolean)))"""
TRACE_CATEGORIES = [
    "devtools.timeline",
    "disabled-by-default-devtools.timeline",
    "blink.user_timing",
    "loading",
    "v8.execute",
    "disabled-by-default-v8.compile",
]


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


class RunInvalid(Exception):
    """A run whose figures cannot be trusted (the worker was not caught at its start)."""


class Recorder:
    """The network events of one tab and of the service worker while the tab is measured."""

    def __init__(self):
        self.tables: dict[str, dict[str, dict]] = {"page": {}, "worker": {}}
        self.worker_busy_until = time.monotonic()

    def record(self, who: str, method: str, event: dict) -> None:
        requests = self.tables[who]
        request = requests.setdefault(event["requestId"], {"url": "", "type": ""})
        if method == "Network.requestWillBeSent":
            request.update(url=event["request"]["url"], start=event["timestamp"])
            request["type"] = event.get("type") or request["type"]
        elif method == "Network.responseReceived":
            response = event["response"]
            request["url"] = request["url"] or response["url"]
            request["type"] = event.get("type") or request["type"]
            request.update(
                status=response["status"],
                from_sw=response.get("fromServiceWorker", False),
                from_cache=response.get("fromDiskCache", False),
            )
        elif method == "Network.loadingFinished":
            request.update(bytes=event["encodedDataLength"], end=event["timestamp"])
        elif method == "Network.loadingFailed":
            request.update(failed=event.get("errorText", "failed"), end=event["timestamp"])
        if who == "worker":
            self.worker_busy_until = time.monotonic()

    def worker_in_flight(self) -> int:
        return sum(1 for r in self.tables["worker"].values() if "start" in r and "end" not in r)

    def totals(self) -> dict:
        """Bytes by group. The worker's requests for a URL the tab had answered by the worker
        (the network-first Today) are the page's; the worker's other requests are its own."""
        page = self.tables["page"].values()
        via_worker = {r["url"]: r["type"] for r in page if r.get("from_sw")}
        totals: dict[str, float] = {}
        served_by_worker = 0
        for request in page:
            if request.get("from_sw"):
                served_by_worker += 1
                continue
            if "bytes" in request:
                key = category(request["url"], request["type"])
                totals[key] = totals.get(key, 0) + request["bytes"]
        worker = {"bytes": 0, "count": 0}
        for request in self.tables["worker"].values():
            if "bytes" not in request:
                continue
            if request["url"] in via_worker:
                key = category(request["url"], via_worker[request["url"]])
                totals[key] = totals.get(key, 0) + request["bytes"]
            else:
                worker["bytes"] += request["bytes"]
                worker["count"] += 1
        totals["_worker"] = worker["bytes"]
        totals["_worker_count"] = worker["count"]
        totals["_served_by_worker"] = served_by_worker
        totals["_wire"] = (
            sum(v for k, v in totals.items() if not k.startswith("_")) + worker["bytes"]
        )
        return totals

    def waterfall(self) -> list[tuple]:
        """(start ms, end ms, who, what, bytes, url), from the tab's navigation request."""
        page = self.tables["page"]
        starts = [r["start"] for r in page.values() if r["type"] == "Document" and "start" in r]
        if not starts:
            return []
        origin = min(starts)
        rows = []
        for who, requests in self.tables.items():
            for r in requests.values():
                if "start" not in r and not r.get("from_sw"):
                    continue
                start = (r.get("start", origin) - origin) * 1000
                end = (r["end"] - origin) * 1000 if "end" in r else None
                if r.get("failed"):
                    what = f"failed ({r['failed']})"
                elif r.get("from_sw"):
                    what = "from worker"
                elif r.get("from_cache"):
                    what = "HTTP cache"
                else:
                    what = str(r.get("status", ""))
                rows.append((start, end, who, what, r.get("bytes", 0), r["url"]))
        return sorted(rows, key=lambda row: row[0])


class WorkerLink:
    """The service worker's DevTools target, for its network recording and throttling.

    Playwright gives no CDP session for a worker, so one is made with the protocol's own
    (not flattened) sessions, messages going through `Target.sendMessageToTarget`:
    - a worker that starts while the tab loads (the first load) is attached through the tab's
      session (`Target.setAutoAttach`) and waits at its start (`waitForDebuggerOnStart`) until
      its recording and throttling are set; how long it waited is kept (`paused_ms`);
    - a worker already running (the repeat loads) is attached through the browser's session
      (`Target.attachToTarget`) before the tab navigates; the tab's auto-attach would reach it
      only once the tab is at one of the worker's pages, too late for the navigation.
    """

    def __init__(self, conditions: dict | None, recorder: Recorder):
        self.conditions = conditions
        self.recorder = recorder
        self.workers: dict[str, object] = {}  # session id -> the CDP session it goes through
        self.pending: list[asyncio.Future] = []
        self.sent: list[asyncio.Future] = []
        self.replies: dict[tuple[str, int], asyncio.Future] = {}
        self.next_id = 0
        self.paused_ms: list[float] = []
        self.attached: list[bool] = []  # for each worker attached: was it waiting at its start?
        self.listening: list[tuple[object, str, object]] = []

    def _listen(self, cdp, auto: bool) -> None:
        handlers = [("Target.receivedMessageFromTarget", self._message)]
        if auto:
            handlers.append(("Target.attachedToTarget", functools.partial(self._attached, cdp)))
        for event, handler in handlers:
            cdp.on(event, handler)
            self.listening.append((cdp, event, handler))

    async def auto_attach(self, page_cdp) -> None:
        """Workers that start from now on, through the tab's session."""
        self._listen(page_cdp, auto=True)
        await page_cdp.send(
            "Target.setAutoAttach",
            {"autoAttach": True, "waitForDebuggerOnStart": True, "flatten": False},
        )

    async def attach_running(self, browser_cdp, context_id: str) -> None:
        """The workers of this browser context that are already running."""
        self._listen(browser_cdp, auto=False)
        targets = (await browser_cdp.send("Target.getTargets"))["targetInfos"]
        for target in targets:
            if target["type"] == "service_worker" and target.get("browserContextId") == context_id:
                attached = await browser_cdp.send(
                    "Target.attachToTarget", {"targetId": target["targetId"], "flatten": False}
                )
                self._set_up(browser_cdp, attached["sessionId"], waiting=False)
        await self.ready()

    async def ready(self) -> None:
        if self.pending:
            await asyncio.wait_for(asyncio.gather(*self.pending), timeout=30)

    async def close(self, browser_cdp) -> None:
        for session, cdp in list(self.workers.items()):
            if cdp is browser_cdp:
                with contextlib.suppress(Exception):
                    await browser_cdp.send("Target.detachFromTarget", {"sessionId": session})
        await asyncio.gather(*self.sent, return_exceptions=True)
        for cdp, event, handler in self.listening:
            cdp.remove_listener(event, handler)
        self.listening.clear()

    def _call(self, cdp, session: str, method: str, params: dict) -> asyncio.Future:
        self.next_id += 1
        reply = asyncio.get_running_loop().create_future()
        self.replies[(session, self.next_id)] = reply
        message = json.dumps({"id": self.next_id, "method": method, "params": params})
        self.sent.append(
            asyncio.ensure_future(
                cdp.send("Target.sendMessageToTarget", {"sessionId": session, "message": message})
            )
        )
        return reply

    def _attached(self, cdp, event: dict) -> None:
        session = event["sessionId"]
        if event["targetInfo"]["type"] != "service_worker":
            self._call(cdp, session, "Runtime.runIfWaitingForDebugger", {})
            return
        self._set_up(cdp, session, waiting=event.get("waitingForDebugger", False))

    def _set_up(self, cdp, session: str, waiting: bool) -> None:
        self.workers[session] = cdp
        self.attached.append(waiting)
        received = time.monotonic()
        calls = [self._call(cdp, session, "Network.enable", {})]
        if self.conditions:
            calls.append(
                self._call(cdp, session, "Network.emulateNetworkConditions", self.conditions)
            )

        async def settle():
            # Only once both are in effect may the worker go on: a worker resumed with them
            # still in flight made its first requests unrecorded and unthrottled.
            await asyncio.gather(*calls)
            await self._call(cdp, session, "Runtime.runIfWaitingForDebugger", {})
            if waiting:
                self.paused_ms.append((time.monotonic() - received) * 1000)

        self.pending.append(asyncio.ensure_future(settle()))

    def _message(self, event: dict) -> None:
        session = event["sessionId"]
        if session not in self.workers:
            return
        message = json.loads(event["message"])
        if "id" in message:
            reply = self.replies.pop((session, message["id"]), None)
            if reply is not None and not reply.done():
                if "error" in message:
                    reply.set_exception(RuntimeError(f"worker: {message['error']}"))
                else:
                    reply.set_result(message.get("result"))
        elif message.get("method") in NETWORK_EVENTS:
            self.recorder.record("worker", message["method"], message["params"])


async def log_in(context, base: str, password: str) -> None:
    login = await context.request.get("/login/")
    assert login.ok, login.status
    token = next(c["value"] for c in await context.cookies() if c["name"] == "csrftoken")
    response = await context.request.post(
        "/login/",
        form={"username": PATIENT, "password": password, "csrfmiddlewaretoken": token},
        headers={"Referer": base + "/login/"},
        max_redirects=0,
    )
    assert response.status == 302, response.status


async def wait_until(check, what: str, timeout: float = 120.0) -> None:
    deadline = time.monotonic() + timeout
    while not await check():
        if time.monotonic() > deadline:
            raise SystemExit(f"gave up waiting for {what}")
        await asyncio.sleep(0.1)


async def measure(browser, browser_cdp, context, profile: Profile, load: str, trace, sw_bytes):
    """One load of `/` in a new tab with its own DevTools session, throttled from the start."""
    offline = load == "offline"
    page = await context.new_page()
    cdp = await context.new_cdp_session(page)
    recorder = Recorder()
    for method in NETWORK_EVENTS:
        cdp.on(method, functools.partial(recorder.record, "page", method))
    await cdp.send("Network.enable")
    await cdp.send("Emulation.setCPUThrottlingRate", {"rate": profile.cpu_slowdown})
    conditions = profile.network(offline) if (offline or profile.throttles_network) else None
    if conditions:
        await cdp.send("Network.emulateNetworkConditions", conditions)
    await page.add_init_script(MARKS_INIT_JS)
    worker = WorkerLink(conditions, recorder)
    await worker.auto_attach(cdp)
    if load != "cold":
        context_id = (await cdp.send("Target.getTargetInfo"))["targetInfo"]["browserContextId"]
        await worker.attach_running(browser_cdp, context_id)
        if not worker.workers:
            raise SystemExit(f"{load}: no service worker to attach to")
    if trace:
        await browser.start_tracing(page=page, path=str(trace), categories=TRACE_CATEGORIES)
    try:
        response = await page.goto("/", wait_until="load")
        if response is None or response.status != 200:
            raise SystemExit(f"{load}: / answered {response and response.status}, not 200")
        # evaluate() awaits the promise: the pain buttons enabled and the worker ready.
        try:
            await asyncio.wait_for(page.evaluate("window.__haelappBenchMarks"), timeout=60)
        except TimeoutError:
            raise SystemExit(
                f"{load}: the page set no interactive and ready marks in 60 s"
            ) from None
        await page.wait_for_load_state("networkidle")
        timing = await page.evaluate(TIMING_JS)
    finally:
        if trace:
            await browser.stop_tracing()
    await worker.ready()

    async def worker_idle() -> bool:
        # A second without a request of the worker's: its fetches for the offline copies start
        # together when the page says it is idle, so a gap that long means they are done.
        quiet = time.monotonic() - recorder.worker_busy_until > 1.0
        return quiet and recorder.worker_in_flight() == 0

    if load == "cold":
        # Before the repeat loads: the shell and the offline copy of Today are stored.
        async def stored() -> bool:
            return await page.evaluate(OFFLINE_COPY_JS) and await worker_idle()

        await wait_until(stored, "the service worker's offline copy of Today")
    else:
        await wait_until(worker_idle, "the service worker to finish")
    totals = recorder.totals()
    if load == "cold":
        totals["_worker"] += sw_bytes
        totals["_worker_count"] += 1
        totals["_wire"] += sw_bytes
    if not timing["ready"]:
        raise SystemExit(f"{load}: the page did not say it was ready")
    if load != "cold":
        if not timing["today"] or not timing["controlled"]:
            raise SystemExit(f"{load}: Today did not come through the service worker")
        document = [r for r in recorder.tables["page"].values() if r["type"] == "Document"]
        if not all(r.get("from_sw") for r in document):
            raise SystemExit(f"{load}: the page was not answered by the service worker")
    if load == "cold" and not (
        True in worker.attached
        and any(r["url"].endswith("/offline/") for r in recorder.tables["worker"].values())
    ):
        await page.close()
        raise RunInvalid(
            f"the service worker's install went unrecorded (and unthrottled): attached "
            f"{worker.attached}, recorded {len(recorder.tables['worker'])} of its requests"
        )
    if offline and totals["_wire"]:
        raise SystemExit(f"offline: {totals['_wire']} bytes went over the network")
    await worker.close(browser_cdp)
    await page.close()
    timing["tti"] = max(timing["interactive"], timing["sw"])
    return {
        "timing": timing,
        "bytes": totals,
        "paused_ms": worker.paused_ms,
        "waterfall": recorder.waterfall(),
    }


async def one_run(browser, browser_cdp, base: str, sw_bytes: int, profile: Profile, trace=None):
    """A fresh context (empty cache, no worker): the three loads of Today in turn."""
    context = await browser.new_context(base_url=base, viewport=PHONE)
    try:
        await log_in(context, base, DEMO_PASSWORD)
        results = {}
        for load in LOADS:
            path = trace / f"{profile.name}-{load}.json" if trace else None
            results[load] = await measure(
                browser, browser_cdp, context, profile, load, path, sw_bytes
            )
        return results
    finally:
        await context.close()


async def valid_run(*args) -> dict:
    """one_run(), done again (up to three times in all) when its figures cannot be trusted."""
    for _attempt in range(3):
        try:
            return await one_run(*args)
        except RunInvalid as invalid:
            print(f"    not counted, run again: {invalid}", flush=True)
    raise SystemExit("three runs in a row were not valid")


# Headless Chromium opens, for every new window, the omnibox popup's WebUI in a renderer of its
# own ("WebUI Top Renderer", chrome://omnibox-popup.top-chrome). It loads while the page does and
# took about 0.4 s of CPU during one first load: noise on a 2-CPU machine, and nothing a phone's
# installed app has. Switched off here, on top of Playwright's own disabled features (a second
# --disable-features would replace them, so the benchmark reads them from the browser first).
QUIET_FEATURES = ("WebUIOmniboxPopup", "WebUIOmniboxAimPopup")


def descendants(root: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, IndexError, ValueError):
            parent = int(stat.read_text().rsplit(")", 1)[1].split()[1])
            children.setdefault(parent, []).append(int(stat.parent.name))
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo += children.get(pid, [])
    return found


def browser_command_line() -> list[str]:
    """The command line of the Chromium that Playwright started for this process."""
    for pid in descendants(os.getpid()):
        with contextlib.suppress(OSError):
            args = Path(f"/proc/{pid}/cmdline").read_bytes().decode().split("\0")
            if "--remote-debugging-pipe" in args and not any(a.startswith("--type=") for a in args):
                return args
    return []


async def launch(playwright):
    arguments = {"executable_path": CHROMIUM, "headless": True}
    probe = await playwright.chromium.launch(**arguments, args=CHROMIUM_ARGS)
    given = [a for a in browser_command_line() if a.startswith("--disable-features=")]
    await probe.close()
    features = given[-1].split("=", 1)[1].split(",") if given else []
    switch = "--disable-features=" + ",".join([*features, *QUIET_FEATURES])
    return await playwright.chromium.launch(**arguments, args=[*CHROMIUM_ARGS, switch])


def worker_script_bytes(base: str) -> int:
    """The size of /sw.js on the wire (status line, headers and body; the server sends it
    uncompressed). The browser fetches a worker's own script outside both DevTools sessions'
    network events, so the first load adds this figure to the worker's bytes."""
    with urllib.request.urlopen(base + "/sw.js", timeout=10) as response:  # noqa: S310 - ours
        body = response.read()
        headers = str(response.headers)
    assert response.headers.get("Content-Encoding") is None, "sw.js is compressed now"
    return len(f"HTTP/1.1 {response.status} {response.reason}\r\n") + len(headers) + len(body)


async def run_all(base: str, profiles: list[Profile], runs: int, trace: Path | None):
    from playwright.async_api import async_playwright

    results: dict[str, list[dict]] = {profile.name: [] for profile in profiles}
    async with async_playwright() as playwright:
        browser = await launch(playwright)
        browser_cdp = await browser.new_browser_cdp_session()
        sw_bytes = worker_script_bytes(base)
        await valid_run(browser, browser_cdp, base, sw_bytes, UNTHROTTLED)  # warm the server
        for number in range(runs):
            for profile in profiles:  # interleaved, so both see the same machine
                print(f"  run {number + 1}/{runs}, {profile.name}", flush=True)
                results[profile.name].append(
                    await valid_run(browser, browser_cdp, base, sw_bytes, profile)
                )
        traced = {}
        if trace:
            trace.mkdir(parents=True, exist_ok=True)
            for profile in profiles:
                print(f"  traced run, {profile.name} (not counted)", flush=True)
                traced[profile.name] = await valid_run(
                    browser, browser_cdp, base, sw_bytes, profile, trace
                )
        await browser.close()
    return results, traced


# --- the report ---------------------------------------------------------------------------------


def kb(value: float) -> str:
    return f"{value / 1024:.1f} KB"


def verdict(median: float, worst: float, aim: float) -> str:
    ok = "PASS" if median < aim else "MISS"
    return f"{ok} (worst {'PASS' if worst < aim else 'MISS'})"


def print_legacy(runs: list[dict]) -> None:
    """The first load, unthrottled, as this script has always printed it."""
    median = statistics.median
    keys = GROUPS
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


def print_load(profile: Profile, load: str, runs: list[dict]) -> tuple[float, ...]:
    title, detail, aim = LOADS[load]
    median = statistics.median
    print(f"\n  {profile.name}, {title} ({detail})")
    print(f"    {'':<34} {'median':>9} {'worst':>9}   aim")

    def row(label, values, unit, aim_value=None, fmt=None):
        fmt = fmt or (lambda v: f"{v:.0f} {unit}")
        middle, worst = median(values), max(values)
        if aim_value is None:
            tail = "  -"
        else:
            shown = f"{aim_value:.0f} ms" if unit == "ms" else f"{aim_value / 1024:.0f} KB"
            tail = f"  < {shown}  {verdict(middle, worst, aim_value)}"
        print(f"    {label:<34} {fmt(middle):>9} {fmt(worst):>9} {tail}")
        return middle, worst

    timings = [run["timing"] for run in runs]
    result = row("time to interactive", [t["tti"] for t in timings], "ms", aim * 1000)
    row("  pain buttons enabled", [t["interactive"] for t in timings], "ms")
    row("  service worker ready", [t["sw"] for t in timings], "ms")
    row("  Today's answer (responseEnd)", [t["response_end"] for t in timings], "ms")
    row("DOMContentLoaded", [t["dcl"] for t in timings], "ms")
    row("load event", [t["load"] for t in timings], "ms")
    print("    bytes on the wire (compressed, with headers):")
    totals = [run["bytes"] for run in runs]
    for key in GROUPS:
        if any(t.get(key, 0) for t in totals):  # a group with nothing on the wire is left out
            row(f"  {key}", [t.get(key, 0) for t in totals], "", fmt=kb)
    before = [sum(t.get(key, 0) for key in GROUPS) for t in totals]
    row("  before illustrations", before, "", AIM_BYTES if load == "cold" else None, fmt=kb)
    if any(t.get("illustrations", 0) for t in totals):
        row("  illustrations", [t.get("illustrations", 0) for t in totals], "", fmt=kb)
    row("  the service worker's own, after", [t["_worker"] for t in totals], "", fmt=kb)
    differ = [
        f"{key.strip('_')} {kb(min(values))}-{kb(max(values))}"
        for key in [*GROUPS, "illustrations", "_worker"]
        if max(values := [t.get(key, 0) for t in totals]) - min(values) > 2048
    ]
    # The same page and data every run: more than a few hundred bytes (a revalidation answered
    # 304 in one run, 200 in another) means that a run missed requests.
    if differ:
        print(f"    NOTE: bytes differ between runs: {', '.join(differ)}")
    served = [t["_served_by_worker"] for t in totals]
    wire = [t["_wire"] for t in totals]
    print(
        f"    answered by the service worker: {median(served):.0f} of the page's requests; "
        f"everything on the wire: {kb(median(wire))} (worst {kb(max(wire))})"
    )
    paused = [ms for run in runs for ms in run["paused_ms"]]
    if paused:
        print(
            f"    (the worker waited {median(paused):.0f} ms, worst {max(paused):.0f}, at its "
            f"start for this script to set its throttling: part of 'service worker ready')"
        )
    return result[0], result[1], median(before), max(before)


def print_budget(profiles: list[Profile], results: dict[str, list[dict]]) -> None:
    load_average = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    runs = len(next(iter(results.values())))
    print(
        f"\nbudget: Today as a demo patient, median and worst of {runs} runs "
        f"(PASS/MISS on the median; machine load average {load_average} on {os.cpu_count()} "
        f"CPUs)"
    )
    for profile in profiles:
        print(f"  {profile.name}: {profile.description}")
    summary = []
    for profile in profiles:
        for load in LOADS:
            figures = print_load(profile, load, [run[load] for run in results[profile.name]])
            summary.append((profile, load, *figures))
    print("\n  summary: time to interactive, and bytes before illustrations on the first load")
    for profile, load, median, worst, bytes_median, bytes_worst in summary:
        title, _, aim = LOADS[load]
        print(
            f"    {profile.name:<12} {title:<22} median {median:5.0f} ms, worst {worst:5.0f} ms"
            f"   aim < {aim * 1000:.0f} ms  {verdict(median, worst, aim * 1000)}"
        )
        if load == "cold":
            print(
                f"    {profile.name:<12} {title:<22} median {kb(bytes_median):>8}, worst "
                f"{kb(bytes_worst):>8}   aim < {AIM_BYTES / 1024:.0f} KB  "
                f"{verdict(bytes_median, bytes_worst, AIM_BYTES)}"
            )


# --- what a trace shows -------------------------------------------------------------------------

SCRIPT_EVENTS = {
    "EvaluateScript",
    "FunctionCall",
    "TimerFire",
    "EventDispatch",
    "FireIdleCallback",
    "FireAnimationFrame",
    "RunMicrotasks",
    "CacheScript",
}
STYLE_EVENTS = {
    "UpdateLayoutTree",
    "Layout",
    "ParseAuthorStyleSheet",
    "RecalculateStyles",
    "HitTest",
}
PAINT_EVENTS = {"Paint", "PrePaint", "Layerize", "UpdateLayer", "Commit", "PaintImage"}
HTML_PREFIXES = (
    "DocumentLoader::",
    "HTMLDocumentParser::",
    "NavigationBodyLoader::",
    "DecodedDataDocumentParser::",
)


def activity(name: str) -> str:
    if "GC" in name:
        return "garbage collection"
    if name in SCRIPT_EVENTS or name.startswith(("V8.", "v8.")):
        return "script (parse, compile, run)"
    if name == "ParseHTML" or name.startswith(HTML_PREFIXES):
        return "loading and parsing HTML"
    if name in STYLE_EVENTS:
        return "style and layout"
    if name in PAINT_EVENTS:
        return "paint"
    if name == "RunTask":
        return "in tasks, outside any step"  # scheduling; stalls of throttling and load too
    return "other"


def trace_summary(path: Path) -> list[str]:
    """Where the tab's main thread spent its time from navigation start to interactive: by
    activity (self time), by script, and the longest tasks. Each as wall time and as the
    thread's CPU time (the trace's `tdur`): on a busy machine the thread waits for a CPU and
    the wall time grows, the CPU time much less. Chromium's CPU throttling keeps the thread
    busy while it holds it back, so with `rate: 4` the CPU time is about four times the work."""
    data = json.loads(path.read_text())
    events = data["traceEvents"] if isinstance(data, dict) else data
    marks = [e for e in events if e.get("name") == "haelapp-interactive" and "ts" in e]
    if not marks:
        return ["    (no interactive mark in the trace)"]
    mark = min(marks, key=lambda e: e["ts"])
    thread = (mark["pid"], mark["tid"])
    t1 = mark["ts"]
    t0 = t1 - mark["args"]["data"]["startTime"] * 1000  # the page's navigation start
    spans = sorted(
        (
            e
            for e in events
            if e.get("ph") == "X"
            and (e["pid"], e["tid"]) == thread
            and e.get("dur")
            and e["ts"] < t1
            and e["ts"] + e["dur"] > t0
        ),
        key=lambda e: (e["ts"], -e["dur"]),
    )

    def clipped(event) -> tuple[float, float]:
        """(wall, CPU) of the event inside [t0, t1]; CPU pro rata when it is cut."""
        wall = max(0.0, min(event["ts"] + event["dur"], t1) - max(event["ts"], t0))
        return wall, event.get("tdur", 0.0) * wall / event["dur"]

    def add(table: dict, key: str, wall: float, cpu: float) -> None:
        before = table.get(key, (0.0, 0.0))
        table[key] = (before[0] + wall, before[1] + cpu)

    # The page's own frame: where its scripts run. Tasks that touch only other frames are the
    # SVG pictures' documents (an <img> of an SVG is a document of its own).
    page_frames = {
        ((e.get("args") or {}).get("data") or {}).get("frame")
        for e in spans
        if e["name"] == "EvaluateScript"
        and "/static/js/" in str(((e.get("args") or {}).get("data") or {}).get("url"))
    }

    def frame_of(event) -> str | None:
        args = event.get("args") or {}
        return (args.get("data") or {}).get("frame") or (args.get("beginData") or {}).get("frame")

    by_activity: dict[str, tuple[float, float]] = {}
    by_script: dict[str, tuple[float, float]] = {}
    images = {"tasks": 0, "wall": 0.0, "cpu": 0.0}
    tasks: list[tuple] = []  # start, (wall, CPU), largest step inside, its wall time
    stack: list[dict] = []

    def close(event) -> None:
        wall, cpu = clipped(event)
        children = event.get("_children", (0.0, 0.0))
        add(by_activity, activity(event["name"]), wall - children[0], cpu - children[1])
        if not stack:  # a top-level task
            child = event.get("_largest", ("", 0.0))
            tasks.append((event["ts"] - t0, (wall, cpu), child[0], child[1]))
            frames = event.get("_frames", set())
            if frames and page_frames and not frames & page_frames:
                images["tasks"] += 1
                images["wall"] += wall
                images["cpu"] += cpu

    for event in spans:
        while stack and stack[-1]["ts"] + stack[-1]["dur"] <= event["ts"]:
            close(stack.pop())
        wall, cpu = clipped(event)
        if stack:
            parent = stack[-1]
            children = parent.get("_children", (0.0, 0.0))
            parent["_children"] = (children[0] + wall, children[1] + cpu)
            top = stack[0]
            if event["name"] != "RunTask" and wall > top.get("_largest", ("", 0.0))[1]:
                top["_largest"] = (event["name"], wall)
            if frame_of(event):
                top.setdefault("_frames", set()).add(frame_of(event))
        stack.append(event)
        if event["name"] == "EvaluateScript":
            data = (event.get("args") or {}).get("data") or {}
            url = data.get("url") or "(no URL: the benchmark's own evaluate calls)"
            add(by_script, url.rsplit("/", 1)[-1] if "://" in url else url, wall, cpu)
    while stack:
        close(stack.pop())

    def ms(pair) -> str:
        return f"{pair[0] / 1000:6.0f} ms {pair[1] / 1000:6.0f} ms"

    window = (t1 - t0) / 1000
    busy = tuple(sum(v[i] for v in by_activity.values()) for i in (0, 1))
    lines = [
        f"    main thread, navigation start to interactive ({window:.0f} ms): busy "
        f"{busy[0] / 1000:.0f} ms (of it on a CPU: {busy[1] / 1000:.0f} ms), idle (waiting for "
        f"the network or the worker) {window - busy[0] / 1000:.0f} ms",
        f"      {'':<58}      wall       CPU",
    ]
    for key, value in sorted(by_activity.items(), key=lambda item: -item[1][0]):
        lines.append(f"      {key:<58} {ms(value)}")
    if images["tasks"]:
        label = f"of all this, the SVG pictures' own documents ({images['tasks']} tasks)"
        lines.append(f"      {label:<58} {ms((images['wall'], images['cpu']))}")
    if by_script:
        lines.append("      scripts run before interactive (evaluation, with what it calls):")
        for name, value in sorted(by_script.items(), key=lambda item: -item[1][0])[:6]:
            lines.append(f"        {name:<56} {ms(value)}")
    lines.append("      longest tasks (from navigation start; the largest step in each):")
    for start, value, child, child_wall in sorted(tasks, key=lambda t: -t[1][0])[:6]:
        inner = f"{child} {child_wall / 1000:.0f} ms" if child else "-"
        label = f"at {start / 1000:5.0f} ms ({inner})"
        lines.append(f"        {label:<56} {ms(value)}")
    return lines


def print_trace(traced: dict[str, dict], folder: Path) -> None:
    for name, loads in traced.items():
        print(f"\ntraced run, {name} (not counted; traces in {folder}):")
        for load, result in loads.items():
            timing = result["timing"]
            print(
                f"\n  {LOADS[load][0]}: Today's answer at {timing['response_end']:.0f} ms, "
                f"DOMContentLoaded {timing['dcl']:.0f}, pain buttons {timing['interactive']:.0f}, "
                f"service worker ready {timing['sw']:.0f}, load {timing['load']:.0f} ms"
            )
            print("    requests (ms from the navigation request; worker: the service worker's):")
            for start, end, who, what, size, url in result["waterfall"]:
                short = "/" + url.split("://", 1)[-1].split("/", 1)[-1]
                until = f"{end:6.0f}" if end is not None else "     -"
                print(
                    f"      {start:6.0f} {until}  {who:<6} {what:<14} {kb(size):>9}  {short[:60]}"
                )
            path = folder / f"{name}-{load}.json"
            if path.exists():
                for line in trace_summary(path):
                    print(line)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Today in headless Chromium, unthrottled and as a mid-range phone: the first "
        "load and the repeat loads from the service worker, online and offline; bytes and time "
        "to interactive. Details: bench/README.md, section 5."
    )
    parser.add_argument("--runs", type=int, default=5, help="runs per profile (5)")
    parser.add_argument(
        "--profile",
        choices=["both", *PROFILES],
        default="both",
        help="unthrottled, throttled (a mid-range phone) or both (default)",
    )
    parser.add_argument(
        "--trace",
        type=Path,
        metavar="DIR",
        help="one more run per profile (not counted): Chromium traces in DIR, and what they show",
    )
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    parser.add_argument(
        "--lock-wait", type=float, default=1800, help="seconds to wait for another benchmark"
    )
    return parser.parse_args(argv)


def main() -> int:
    args = parse_args()
    profiles = list(PROFILES.values()) if args.profile == "both" else [PROFILES[args.profile]]
    lock = acquire_lock(args.lock_wait)
    if lock is None:
        print("another benchmark is running; try again later")
        return 2
    folder = Path(tempfile.mkdtemp(prefix="haelapp-pwa-bench-"))
    try:
        env = server_environment(folder)
        print("preparing: migrate, demo data, collectstatic (whitenoise, gzip) ...", flush=True)
        prepare(env)
        port = free_port()
        base = f"http://localhost:{port}"
        with gunicorn(env, port):
            started = ", ".join(f"{value:.1f}" for value in os.getloadavg())
            ticks, clock = busy_ticks(), time.monotonic()
            results, traced = asyncio.run(run_all(base, profiles, args.runs, args.trace))
            busy = (busy_ticks() - ticks) / TICKS / (time.monotonic() - clock)
    finally:
        lock.close()
        if args.keep:
            print(f"kept {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)

    print(
        f"\nmachine: {os.cpu_count()} CPUs, {busy:.1f} of them busy on average while the browser "
        f"ran (this benchmark's server and browser included); load average {started} when it "
        f"started. Timings from a busy machine are slower than the app is."
    )
    if UNTHROTTLED.name in results:
        print_legacy([run["cold"] for run in results[UNTHROTTLED.name]])
    print_budget(profiles, results)
    if traced:
        print_trace(traced, args.trace)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
