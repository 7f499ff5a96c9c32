"""A patient's morning, as the web app makes it, against gunicorn on PostgreSQL: what it costs
the server and the database. `python3 bench/morning.py [--patients 300] [--quick]`
(see bench/README.md, section 4).

Each patient logs in through /login/ beforehand (not counted) and has the app installed: the
service worker serves the scripts, styles and pictures from its cache, so a morning asks the
server only for what static/js/app.js, today.js, outbox.js and the service worker
(templates/web/sw.js) ask for, with the headers they send:

  Today       GET /                             the page (a navigation)
              GET /api/v1/diary/?from=&to=      yesterday's and today's answers (today.js)
              GET /api/v1/programme/            what is done today (if the page shows exercises)
              GET /sw.js                        the browser's update check after a navigation
              POST /api/v1/push-subscriptions/  the subscription, when the page does not list it
                                                as held by the server (app.js)
              GET /programme.json               the offline copy, when Today shows another (sw.js)
              GET /api/v1/progress/             advice and check-in notices (today.js, when idle)
  taps        PUT /api/v1/diary/{today}/        the morning pain (outbox.js, with X-CSRFToken)
              PUT /api/v1/completions/{today}/{item}/   one per exercise due today
  every third patient, then:
  Progress    GET /progress/ (its chart is drawn into the page, from the cache keyed by the
              data it shows), and again the update check and the subscription

Requests a page makes at once (the diary and the programme) are sent one after the other here.
The session and CSRF cookies are kept per patient as a browser keeps them. Like a browser's HTTP
cache, a page, picture or service-worker fetch whose answer carried an ETag or Last-Modified
(and no `no-store`) is asked for again with If-None-Match / If-Modified-Since; the API reads
(`cache: 'no-store'` in app.js) never are. Each patient visited the app once before the
morning (after logging in: Today, the offline copy, the subscription, and Progress with its
for every third patient), so those validators are a day old, as they would be.

Reported: CPU per patient-morning of gunicorn (master and workers), PostgreSQL (the benchmark
database's backends, and the server's shared background processes) and the cache (Redis, as in
docker-compose.yml), requests/s, p50/p99 per kind of request under load, and then, one request
at a time for a few more patients, the CPU of each kind of request. Aim: <= 45 ms of CPU per
patient-morning.

It uses its own database (haelapp_bench_morning, dropped at the end, also on failure) and its
own Redis database (redis://127.0.0.1:6379/12 by default, flushed before and after), and takes
the lock that bench/run.py and bench/reminders.py take. Exit status: 0 when the run was valid
(a missed aim is reported, not failed), 1 when it was not (an answer other than 2xx or 304, a
socket error), 2 for bad usage or when another benchmark holds the lock.
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import gzip
import hashlib
import http.client
import json
import os
import random
import re
import resource
import shutil
import signal
import statistics
import sys
import tempfile
import threading
import time
from collections import defaultdict
from datetime import UTC, date, datetime, timedelta
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit
from zoneinfo import ZoneInfo

from project_venv import enter  # bench/ is first on sys.path

enter(__file__)

from bench.common import (  # noqa: E402
    LOCK,
    TICKS,
    BenchError,
    acquire_lock,
    busy_ticks,
    group_pids,
    postgres_url,
    process_ticks,
    say,
    speed_gauge,
)
from bench.patient_list import percentile  # noqa: E402

# The app's settings and server as bench/run.py has them (DEBUG off, no .env, the caller's
# configuration left out; gunicorn as docker-compose.yml runs it): shared, not copied.
from bench.run import (  # noqa: E402
    NOISE_CPUS,
    create_database,
    django_env,
    drop_database,
    gunicorn,
    machine,
    migrate,
    run_python,
    tail,
    wait_for_quiet,
)

DATABASE = "haelapp_bench_morning"
DEFAULT_REDIS = "redis://127.0.0.1:6379/12"
AIM_MS = 45.0
# The machine the capacity is stated for: two CPUs, of which half are busy at the peak.
MACHINE_CPUS = 2
HALF_LOAD_CPUS = MACHINE_CPUS / 2
USER_AGENT = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 7) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/126.0 Mobile Safari/537.36 haelapp-bench"
)
NAVIGATE_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"

# The kinds of request, in the order of a morning (the report's rows).
TODAY = "Today page  GET /"
SW_UPDATE = "sw update   GET /sw.js"
DIARY_READ = "diary read  GET /api/v1/diary/?from&to"
PROGRAMME_READ = "programme   GET /api/v1/programme/"
PUSH = "push sub.   POST /api/v1/push-subscriptions/"
OFFLINE = "offline     GET /programme.json"
PROGRESS_READ = "progress    GET /api/v1/progress/"
PAIN_PUT = "pain        PUT /api/v1/diary/{date}/"
DONE_PUT = "completion  PUT /api/v1/completions/{date}/{item}/"
PROGRESS_PAGE = "Progress    GET /progress/"
KINDS = (
    TODAY,
    DIARY_READ,
    PROGRAMME_READ,
    SW_UPDATE,
    PUSH,
    OFFLINE,
    PROGRESS_READ,
    PAIN_PUT,
    DONE_PUT,
    PROGRESS_PAGE,
)


# --- the data, made inside Django (`--setup`) ---------------------------------------------------


def setup(patients: int, days: int, password: str, out: Path) -> None:
    """Demo-like patients (bench/patient_list.py's generator: a programme from a seeded template,
    a diary and ticked-off exercises on most days since, weekly check-ins), whose history ends
    yesterday: the morning's answers are the first of the day. All share one password (one
    Argon2 hash, made once)."""
    from bench.common import django_setup

    django_setup()
    from django.contrib.auth.hashers import make_password

    from accounts.models import User
    from bench.patient_list import generate
    from diary.models import DiaryEntry
    from exercises.models import Completion

    data = generate([patients], days)
    users = User.objects.filter(patient_profile__isnull=False).order_by("pk")
    today = users.first().local_today()
    DiaryEntry.objects.filter(date__gte=today).delete()
    Completion.objects.filter(date__gte=today).delete()
    users.update(password=make_password(password))
    out.write_text(
        json.dumps(
            {
                "emails": list(users.values_list("email", flat=True)),
                "today": today.isoformat(),
                "entries": DiaryEntry.objects.count(),
                "completions": Completion.objects.count(),
                "checkins": data["checkins"],
            }
        )
    )


# --- a browser ------------------------------------------------------------------------------


class BadAnswer(BenchError):
    pass


class Answer:
    def __init__(self, status: int, headers, body: bytes, seconds: float):
        self.status, self.headers, self.body, self.seconds = status, headers, body, seconds

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")


class Browser:
    """One patient's phone: its cookies, its HTTP cache's validators and its push
    subscription. Used by one thread at a time."""

    def __init__(self, base: str, email: str, number: int, rng: random.Random):
        self.base, self.email, self.number = base, email, number
        self.cookies: dict[str, str] = {}
        self.validators: dict[str, dict[str, str]] = {}
        self.today: date | None = None
        self.offline: str | None = None  # which offline copy of the programme the worker holds
        self.rng = random.Random(rng.random())
        key = bytes([4]) + self.rng.randbytes(64)  # the shape of an uncompressed P-256 key

        def b64(raw: bytes) -> str:
            return base64.urlsafe_b64encode(raw).decode().rstrip("=")

        self.subscription = {
            "endpoint": f"https://fcm.googleapis.com/fcm/send/bench-{number}-{b64(key[:12])}",
            "expirationTime": None,
            "keys": {"p256dh": b64(key), "auth": b64(self.rng.randbytes(16))},
        }

    def renew_subscription(self) -> None:
        """The push service gave this browser new keys (the server holds the old ones)."""
        auth = base64.urlsafe_b64encode(self.rng.randbytes(16)).decode().rstrip("=")
        self.subscription["keys"]["auth"] = auth

    def subscription_held(self, html: str) -> bool:
        """app.js heldByServer: the page lists the subscription the browser holds (data-push,
        SHA-256 of endpoint, p256dh and auth as reminders.services names it)."""
        listed = PUSH_HELD.search(html)
        keys = self.subscription["keys"]
        text = "\n".join((self.subscription["endpoint"], keys["p256dh"], keys["auth"]))
        name = hashlib.sha256(text.encode()).hexdigest()[:20]
        return bool(listed) and name in listed.group(1).split()

    def _remember(self, response: http.client.HTTPResponse) -> None:
        for header in response.headers.get_all("Set-Cookie") or []:
            jar = SimpleCookie()
            jar.load(header)
            for name, morsel in jar.items():
                if morsel.value == "" or morsel["max-age"] == "0":
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value

    def send(
        self,
        connection: http.client.HTTPConnection,
        method: str,
        path: str,
        *,
        accept: str = "application/json",
        body=None,
        form: dict | None = None,
        http_cache: bool = False,
        headers: dict[str, str] | None = None,
    ) -> Answer:
        """One request as the page's code or the browser makes it. `http_cache`: a request
        the browser's HTTP cache sees (navigations, pictures, the service worker's fetches);
        app.js's API calls use `cache: 'no-store'`."""
        headers = {
            "Host": urlsplit(self.base).netloc,
            "User-Agent": USER_AGENT,
            "Accept": accept,
            "Accept-Language": "da,en;q=0.8",
            # As a phone asks: the server's compression is part of the cost of a morning.
            "Accept-Encoding": "gzip",
            **(headers or {}),
        }
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        data = None
        if method not in ("GET", "HEAD"):
            headers["Origin"] = self.base
            if form is not None:
                headers["Content-Type"] = "application/x-www-form-urlencoded"
                headers["Referer"] = self.base + path
                data = urlencode(form).encode()
            else:
                headers["X-CSRFToken"] = self.cookies.get("csrftoken", "")
                if body is not None:
                    headers["Content-Type"] = "application/json"
                    data = json.dumps(body).encode()
        if http_cache:
            headers.update(self.validators.get(path, {}))
        start = time.perf_counter()
        try:
            connection.request(method, path, body=data, headers=headers)
            response = connection.getresponse()
            content = response.read()
            if response.headers.get("Content-Encoding") == "gzip":
                content = gzip.decompress(content)
        except (OSError, http.client.HTTPException) as error:
            connection.close()
            raise BadAnswer(f"{method} {path} as {self.email}: {error!r}") from None
        seconds = time.perf_counter() - start
        if response.will_close:
            connection.close()
        self._remember(response)
        if http_cache and response.status == 200:
            control = (response.headers.get("Cache-Control") or "").lower()
            kept = {}
            if "no-store" not in control:
                if response.headers.get("ETag"):
                    kept["If-None-Match"] = response.headers["ETag"]
                if response.headers.get("Last-Modified"):
                    kept["If-Modified-Since"] = response.headers["Last-Modified"]
            self.validators[path] = kept
        return Answer(response.status, response.headers, content, seconds)


class Recorder:
    """Every measured request's kind, status and time; the first bad answer fails the run."""

    def __init__(self):
        self.rows: list[tuple[str, int, float]] = []
        self.bad: list[str] = []

    def __call__(self, kind: str, answer: Answer, method: str, path: str) -> Answer:
        self.rows.append((kind, answer.status, answer.seconds))
        if not (200 <= answer.status < 300 or answer.status == 304):
            self.bad.append(f"{method} {path} answered {answer.status}: {answer.body[:300]!r}")
            raise BadAnswer(self.bad[-1])
        return answer


def ignore(kind: str, answer: Answer, method: str, path: str) -> Answer:
    if not (200 <= answer.status < 300 or answer.status == 304):
        raise BadAnswer(f"{method} {path} answered {answer.status}: {answer.body[:300]!r}")
    return answer


def connect(base: str) -> http.client.HTTPConnection:
    parts = urlsplit(base)
    return http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)


def log_in(connection, browser: Browser, password: str) -> None:
    """The log-in form, as a person fills it in (not measured)."""
    answer = browser.send(connection, "GET", "/login/", accept=NAVIGATE_ACCEPT)
    if answer.status != 200 or "csrftoken" not in browser.cookies:
        raise BadAnswer(f"GET /login/ answered {answer.status} without a CSRF cookie")
    form = {
        "username": browser.email,
        "password": password,
        "csrfmiddlewaretoken": browser.cookies["csrftoken"],
        "next": "",
    }
    answer = browser.send(connection, "POST", "/login/", accept=NAVIGATE_ACCEPT, form=form)
    if answer.status != 302 or "sessionid" not in browser.cookies:
        raise BadAnswer(
            f"logging in as {browser.email} answered {answer.status} (expected a redirect with a "
            f"session cookie): {answer.body[:300]!r}"
        )


ATTRIBUTE = re.compile(r'data-(item|sets)="([^"]*)"')


def due_items(html: str) -> list[tuple[str, int]]:
    """The exercise cards with a "done" button (today.js: `.exercise[data-item]` with
    `.btn-done`), with their sets (`Number(card.dataset.sets) || 1`)."""
    items = []
    for card in html.split("<article")[1:]:
        opening, _, rest = card.partition(">")
        if 'class="exercise' not in opening or "btn-done" not in rest.split("</article>")[0]:
            continue
        attributes = dict(ATTRIBUTE.findall(opening))
        if "item" in attributes:
            sets = attributes.get("sets", "")
            items.append((attributes["item"], int(sets) if sets.isdigit() and int(sets) else 1))
    return items


def local_dates(html: str) -> tuple[str, str]:
    """Today and yesterday in the patient's time zone, from the page (app.js: localDate)."""
    match = re.search(r'data-tz="([^"]+)"', html)
    zone = ZoneInfo(match.group(1)) if match else UTC
    today = datetime.now(zone).date()
    return today.isoformat(), (today - timedelta(days=1)).isoformat()


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


OFFLINE_NAME = re.compile(r'data-offline="([^"]*)"')
PUSH_HELD = re.compile(r'data-push="([^"]*)"')


def after_navigation(connection, browser: Browser, record, push: bool, html: str = "") -> None:
    """After every page a patient opens: the browser checks the service worker for an update
    (a navigation triggers it; the worker's script bypasses the HTTP cache), and app.js, once
    the worker is ready, sends the push subscription when the page does not list it among
    those the server holds (`data-push`), and has the worker fetch the offline copy of the
    programme again when the page names another copy than the one it holds (Today and
    Programme do: `data-offline`; the worker keeps the copy's X-Offline-Version)."""
    path = "/sw.js"
    answer = browser.send(
        connection, "GET", path, accept="*/*", headers={"Service-Worker": "script"}
    )
    record(SW_UPDATE, answer, "GET", path)
    if push and not browser.subscription_held(html):
        path = "/api/v1/push-subscriptions/"
        answer = browser.send(connection, "POST", path, body=browser.subscription)
        record(PUSH, answer, "POST", path)
    shown = OFFLINE_NAME.search(html)
    if browser.offline is None or (shown and shown.group(1) != browser.offline):
        path = "/programme.json"
        answer = browser.send(connection, "GET", path, http_cache=True)
        record(OFFLINE, answer, "GET", path)
        browser.offline = answer.headers.get("X-Offline-Version") or browser.offline


def visit_progress(connection, browser: Browser, record, push: bool) -> None:
    page = browser.send(connection, "GET", "/progress/", accept=NAVIGATE_ACCEPT, http_cache=True)
    record(PROGRESS_PAGE, page, "GET", "/progress/")
    after_navigation(connection, browser, record, push, page.text)


def prepare(connection, browser: Browser, password: str, progress: bool, push: bool) -> None:
    """Log in and visit the app once, as the day before (not measured): the service worker's
    copies, the push subscription, and the validators of a page seen before."""
    log_in(connection, browser, password)
    page = browser.send(connection, "GET", "/", accept=NAVIGATE_ACCEPT, http_cache=True)
    ignore(TODAY, page, "GET", "/")
    after_navigation(connection, browser, ignore, push, page.text)
    if progress:
        visit_progress(connection, browser, ignore, push)


def morning(connection, browser: Browser, record, progress: bool, push: bool) -> None:
    """One patient's morning: `record(kind, answer, method, path)` sees every answer."""
    page = browser.send(connection, "GET", "/", accept=NAVIGATE_ACCEPT, http_cache=True)
    record(TODAY, page, "GET", "/")
    html = page.text
    today, yesterday = local_dates(html)
    items = due_items(html)

    def api(kind: str, method: str, path: str, body=None) -> Answer:
        return record(kind, browser.send(connection, method, path, body=body), method, path)

    # today.js, loadFromServer: the diary, and the programme when the page shows exercises.
    api(DIARY_READ, "GET", f"/api/v1/diary/?from={yesterday}&to={today}")
    if 'class="exercise' in html:
        api(PROGRAMME_READ, "GET", "/api/v1/programme/")
    after_navigation(connection, browser, record, push, html)
    api(PROGRESS_READ, "GET", "/api/v1/progress/")  # loadNotices, when the page is idle
    # The taps: each goes through the outbox and is sent at once.
    pain = {"morning_pain": browser.rng.randint(0, 10), "note": "", "recorded_at": now_iso()}
    api(PAIN_PUT, "PUT", f"/api/v1/diary/{today}/", pain)
    for item, sets in items:
        done = {"sets_done": sets, "recorded_at": now_iso()}
        api(DONE_PUT, "PUT", f"/api/v1/completions/{today}/{item}/", done)
    if progress:
        visit_progress(connection, browser, record, push)


def run_threads(base: str, browsers: list[Browser], threads: int, task) -> list[str]:
    """task(connection, browser) for every browser, `threads` at a time, each thread with its
    own connection; returns the errors (the first stops the others)."""
    pending = list(reversed(browsers))
    lock = threading.Lock()
    errors: list[str] = []

    def worker() -> None:
        with contextlib.closing(connect(base)) as connection:
            while not errors:
                with lock:
                    if not pending:
                        return
                    browser = pending.pop()
                try:
                    task(connection, browser)
                except BadAnswer as error:
                    errors.append(str(error))

    pool = [threading.Thread(target=worker) for _ in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    return errors


# --- CPU --------------------------------------------------------------------------------------


PG_PARTS = (
    "SELECT pid, datname IS NOT NULL FROM pg_stat_activity "
    "WHERE (datname = %s OR datname IS NULL) AND pid <> pg_backend_pid()"
)


def postgres_parts(conn=None) -> dict[str, list[int]]:
    """PostgreSQL's processes: the benchmark database's backends, and the server's own
    background processes (WAL writer, checkpointer ...; shared with every other database)."""
    import psycopg

    if conn is None:
        with psycopg.connect(postgres_url("postgres"), autocommit=True, connect_timeout=5) as own:
            return postgres_parts(own)
    rows = conn.execute(PG_PARTS, [DATABASE]).fetchall()
    return {
        "backends": [pid for pid, ours in rows if ours],
        "background": [pid for pid, ours in rows if not ours],
    }


def redis_pid(url: str) -> int | None:
    """The Redis server's process, when it runs on this machine."""
    import redis

    if urlsplit(url).hostname not in ("127.0.0.1", "localhost", "::1"):
        return None
    client = redis.Redis.from_url(url, socket_connect_timeout=3)
    try:
        pid = int(client.info("server")["process_id"])
    finally:
        client.close()
    with contextlib.suppress(OSError):
        if "redis" in Path(f"/proc/{pid}/comm").read_text():
            return pid
    return None


def flush_redis(url: str) -> None:
    import redis

    client = redis.Redis.from_url(url, socket_connect_timeout=3)
    try:
        client.flushdb()  # a chart cached by an earlier run's patient of the same id
    finally:
        client.close()


def self_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


class Meter:
    """CPU seconds used during a stretch by the server, the database, the cache, this script
    (the client, not counted) and the rest of the machine.

    A process's CPU time is read from /proc while it lives, so the processes are sampled
    every half second: Django closes a database connection after CONN_MAX_AGE (60 s), and the
    backend's time would be lost with it if it were read only at the start and the end."""

    def __init__(self, pgid: int, redis: int | None):
        self.pgid, self.redis = pgid, redis
        self.first: dict[str, dict[int, int]] = defaultdict(dict)
        self.last: dict[str, dict[int, int]] = defaultdict(dict)
        self.stop = threading.Event()

    def _sample(self, conn, at_start: bool = False) -> None:
        parts = {"server": group_pids(self.pgid), **postgres_parts(conn)}
        if self.redis:
            parts["cache"] = [self.redis]
        for name, pids in parts.items():
            for pid in pids:
                ticks = process_ticks(pid)
                # A process first seen later started during the stretch: all its time counts.
                self.first[name].setdefault(pid, ticks if at_start else 0)
                self.last[name][pid] = max(ticks, self.last[name].get(pid, 0))

    def _sampler(self, conn) -> None:
        while not self.stop.wait(0.5):
            self._sample(conn)

    def __enter__(self):
        import psycopg

        self.conn = psycopg.connect(postgres_url("postgres"), autocommit=True, connect_timeout=5)
        self._sample(self.conn, at_start=True)
        self.busy, self.client = busy_ticks(), self_cpu()
        self.started = time.monotonic()
        self.thread = threading.Thread(target=self._sampler, args=(self.conn,), daemon=True)
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        self.thread.join()
        self._sample(self.conn)
        self.elapsed = time.monotonic() - self.started
        busy = (busy_ticks() - self.busy) / TICKS
        self.conn.close()
        self.seconds = {
            name: sum(ticks - self.first[name][pid] for pid, ticks in last.items()) / TICKS
            for name, last in self.last.items()
        }
        self.seconds["client"] = self_cpu() - self.client
        self.seconds["other"] = max(0.0, busy - sum(self.seconds.values()))
        return False


def cpu_ns(pid: int) -> int:
    """CPU time of a (single-threaded) process in ns: /proc/PID/schedstat, else the ticks."""
    try:
        return int(Path(f"/proc/{pid}/schedstat").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return process_ticks(pid) * 1_000_000_000 // TICKS


def breakdown(base: str, pgid: int, browsers: list[Browser], push: bool) -> dict:
    """One request at a time: each request's CPU in the gunicorn workers and the database's
    backends, from their CPU times just after the answer before it to just after its own
    answer, each taken a few milliseconds after the answer arrived (so what a worker does after
    answering, such as writing the access log, is charged to its request)."""
    import psycopg

    costs: dict[str, list[tuple[float, float]]] = defaultdict(list)
    mornings: list[float] = []

    with (
        psycopg.connect(postgres_url("postgres"), autocommit=True, connect_timeout=5) as conn,
        contextlib.closing(connect(base)) as connection,
    ):

        def snapshot() -> tuple[dict[int, int], dict[int, int]]:
            time.sleep(0.005)
            backends = postgres_parts(conn)["backends"]
            return (
                {pid: cpu_ns(pid) for pid in group_pids(pgid)},
                {pid: cpu_ns(pid) for pid in backends},
            )

        def spent(first: dict[int, int], second: dict[int, int]) -> float:
            return sum(ns - first.get(pid, 0) for pid, ns in second.items()) / 1e6

        for number, browser in enumerate(browsers):
            last = snapshot()
            total = 0.0

            def record(kind: str, answer: Answer, method: str, path: str) -> Answer:
                nonlocal last, total
                ignore(kind, answer, method, path)
                now = snapshot()
                server, database = spent(last[0], now[0]), spent(last[1], now[1])
                costs[kind].append((server, database))
                total += server + database
                last = now
                return answer

            morning(connection, browser, record, number % 3 == 0, push)
            mornings.append(total)
    return {"costs": costs, "mornings": mornings}


# --- the run ----------------------------------------------------------------------------------


def run(options, tmp: Path) -> dict:
    say(f"database {DATABASE}: create and migrate")
    create_database(DATABASE)
    env = django_env(DATABASE, tmp)
    cache = "locmem (one per worker)"
    redis = None
    if options.redis:
        flush_redis(options.redis)
        env["CACHE_URL"] = options.redis
        redis = redis_pid(options.redis)
        cache = f"Redis {options.redis}"
    migrate(env)
    # DEBUG off: the pages name the static files by their hashed names, from the manifest.
    run_python(["manage.py", "collectstatic", "--no-input", "-v0"], env, "collectstatic")
    total = options.warmup_patients + options.patients + options.breakdown
    say(f"{total} patients with {options.days} days of history (programme, diary, check-ins)")
    password = f"bench-{os.urandom(12).hex()}"
    data_file = tmp / "patients.json"
    run_python(
        [
            str(Path(__file__).resolve()),
            "--setup",
            "--patients",
            str(total),
            "--days",
            str(options.days),
            "--password",
            password,
            "--out",
            str(data_file),
        ],
        env,
        "set-up",
    )
    data = json.loads(data_file.read_text())
    log = tmp / "gunicorn.log"
    rng = random.Random(20261201)
    with gunicorn(env, log, options.workers) as (base, pgid):
        browsers = [
            Browser(base, email, number, rng) for number, email in enumerate(data["emails"])
        ]
        warm = browsers[: options.warmup_patients]
        measured = browsers[options.warmup_patients : options.warmup_patients + options.patients]
        serial = browsers[options.warmup_patients + options.patients :]
        # Every third patient of each group also opens Progress; of every ten, the first
        # --push-share allowed notifications (app.js sends their subscription when it changed).
        visitors = {b.number for group in (warm, measured, serial) for b in group[::3]}
        pushing = {b.number for b in browsers if b.number % 10 < round(options.push_share * 10)}

        try:
            say(f"logging {len(browsers)} patients in through /login/ and visiting the app once")
            started = time.monotonic()
            errors = run_threads(
                base,
                browsers,
                options.login_threads,
                lambda connection, browser: prepare(
                    connection,
                    browser,
                    password,
                    browser.number in visitors,
                    browser.number in pushing,
                ),
            )
            if errors:
                raise BenchError(f"logging in failed: {errors[0]}")
            say(f"  done in {time.monotonic() - started:.0f} s")

            def task(record):
                return lambda connection, browser: morning(
                    connection,
                    browser,
                    record,
                    browser.number in visitors,
                    browser.number in pushing,
                )

            if warm:
                say(f"warm-up: {len(warm)} mornings, {options.concurrency} at a time")
                errors = run_threads(base, warm, options.concurrency, task(Recorder()))
                if errors:
                    raise BenchError(f"warm-up: {errors[0]}")
            quiet = wait_for_quiet(options.wait_quiet) if options.wait_quiet > 0 else None
            say(
                f"measured: {len(measured)} mornings, {options.concurrency} patients at a time"
                + (f" (others used {quiet:.2f} CPUs before)" if quiet is not None else "")
            )
            recorder = Recorder()
            with Meter(pgid, redis) as meter:
                errors = run_threads(base, measured, options.concurrency, task(recorder))
            if errors:
                raise BenchError(f"measured run: {errors[0]}")
            pieces = None
            if serial:
                say(f"one request at a time: {len(serial)} more mornings, each request's CPU")
                # Every patient's subscription is renewed here, so that its sending, once a
                # morning, has its figure.
                for browser in serial:
                    browser.renew_subscription()
                pieces = breakdown(base, pgid, serial, push=True)
        except BenchError as error:
            raise BenchError(f"{error}\n-- gunicorn log ({log}):\n{tail(log)}") from None
    return {
        "data": data,
        "cache": cache,
        "redis_measured": redis is not None,
        "rows": recorder.rows,
        "mornings": len(measured),
        "visitors": sum(1 for b in measured if b.number in visitors),
        "pushing": sum(1 for b in measured if b.number in pushing),
        "cpu": meter.seconds,
        "elapsed": meter.elapsed,
        "breakdown": pieces,
    }


# --- the report -------------------------------------------------------------------------------


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f}"


def report(result: dict, options, context: str) -> list[str]:
    mornings, elapsed, cpu = result["mornings"], result["elapsed"], result["cpu"]
    rows = result["rows"]
    per = {name: seconds * 1000 / mornings for name, seconds in cpu.items()}
    database = per["backends"] + per["background"]
    cache = per.get("cache", 0.0)
    total = per["server"] + database + cache
    by_kind: dict[str, list[tuple[int, float]]] = defaultdict(list)
    for kind, status, seconds in rows:
        by_kind[kind].append((status, seconds))
    done = len(by_kind.get(DONE_PUT, ()))
    verdict = "ok" if total <= AIM_MS else "MISSED"
    lines = [
        context,
        f"patient mornings (gunicorn {options.workers} workers, PostgreSQL, cache: "
        f"{result['cache']}, session cookie; {mornings} patients, {options.concurrency} at a "
        f"time, {options.days} days of history each)",
        f"  a morning: {len(rows) / mornings:.1f} requests on average (Today, its reads, "
        f"{done / mornings:.1f} completion PUTs; the Progress page for {result['visitors']} of "
        f"{mornings}; push allowed for {result['pushing']}, its subscription sent when renewed)",
        f"  CPU per patient-morning: {total:.1f} ms  (aim <= {AIM_MS:.0f} ms: {verdict})",
        f"    server (gunicorn)  {per['server']:6.1f} ms",
        f"    database           {database:6.1f} ms  (backends {per['backends']:.1f}, the "
        f"server's shared background processes {per['background']:.1f})",
    ]
    if "cache" in per:
        lines.append(f"    cache (Redis)      {cache:6.1f} ms")
    elif options.redis:
        lines.append("    cache (Redis)      not measured (not on this machine)")
    lines.append(
        f"    not counted: this script (the phones) {per['client']:.1f} ms; other processes "
        f"{cpu['other'] / elapsed:.2f} CPUs during the run"
    )
    rate = (1000 / total if total else float("inf")) * HALF_LOAD_CPUS
    hours = options.spread_hours
    spread = f"{hours:g} hour" + ("" if hours == 1 else "s")
    lines += [
        f"  throughput: {len(rows) / elapsed:.0f} requests/s, {mornings / elapsed:.1f} "
        f"mornings/s ({elapsed:.1f} s; all answers 2xx or 304)",
        f"  one {MACHINE_CPUS}-core machine at half load ({HALF_LOAD_CPUS:g} CPU busy on average) "
        f"serves {rate:.1f} patient-mornings/s: {rate * 3600 * hours:,.0f} patients "
        f"whose mornings spread over {spread} (assumed: --spread-hours); at the aim of "
        f"{AIM_MS:.0f} ms, {1000 / AIM_MS * HALF_LOAD_CPUS * 3600 * hours:,.0f}",
    ]
    pieces = result.get("breakdown")
    costs = pieces["costs"] if pieces else {}
    header = (
        f"    {'per request, under load:':<52}{'count':>6}{'p50 ms':>8}{'p99 ms':>8}  "
        f"{'statuses':<14}"
    )
    if costs:
        header += "  alone: CPU ms (server + database)"
    lines.append(header)
    for kind in KINDS:
        seen = by_kind.get(kind)
        if seen:
            times = [seconds for _status, seconds in seen]
            statuses = defaultdict(int)
            for status, _seconds in seen:
                statuses[status] += 1
            shown = ", ".join(f"{s}: {n}" for s, n in sorted(statuses.items()))
            line = (
                f"    {kind:<52}{len(seen):>6}{ms(percentile(times, 0.5)):>8}"
                f"{ms(percentile(times, 0.99)):>8}  {shown:<14}"
            )
        elif costs.get(kind):  # asked for only one request at a time (a renewed subscription)
            line = f"    {kind:<52}{0:>6}{'-':>8}{'-':>8}  {'-':<14}"
        else:
            continue
        if costs.get(kind):
            server = statistics.mean(c[0] for c in costs[kind])
            database = statistics.mean(c[1] for c in costs[kind])
            line += f"  {server + database:5.1f} ({server:.1f} + {database:.1f})"
        lines.append(line)
    if pieces and pieces["mornings"]:
        lines.append(
            f"  alone, a morning (every patient's subscription renewed, so sent once): "
            f"{statistics.mean(pieces['mornings']):.1f} ms of server and backend CPU, mean of "
            f"{len(pieces['mornings'])}"
        )
    if cpu["other"] / elapsed > NOISE_CPUS:
        lines.append(
            f"  WARNING: other processes used {cpu['other'] / elapsed:.2f} CPUs during the run:"
            " throughput and latencies are lower, and the CPU per morning somewhat higher, than"
            " on a quiet machine."
        )
    return lines


# --- main -------------------------------------------------------------------------------------


def parse_args(argv):
    parser = argparse.ArgumentParser(description="A patient's morning: CPU per patient-morning.")
    parser.add_argument("--patients", type=int, help="measured mornings (300)")
    parser.add_argument("--quick", action="store_true", help="60 patients, to check it works")
    parser.add_argument("--concurrency", type=int, default=8, help="patients at a time (8)")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers (3)")
    parser.add_argument("--days", type=int, default=35, help="days of history (35)")
    parser.add_argument("--warmup-patients", type=int, help="mornings before measuring (16)")
    parser.add_argument(
        "--breakdown", type=int, help="mornings measured one request at a time (30; 0: none)"
    )
    parser.add_argument(
        "--push-share",
        type=float,
        default=1.0,
        help="share of patients who allowed notifications, so that app.js sends the "
        "subscription when the server does not hold it as it is (1.0)",
    )
    parser.add_argument(
        "--redis",
        default=DEFAULT_REDIS,
        help=f"the cache, as docker-compose.yml has it ({DEFAULT_REDIS}; flushed before and "
        "after); '' for Django's per-process locmem cache",
    )
    parser.add_argument(
        "--spread-hours",
        type=float,
        default=1.0,
        help="hours over which the patients' mornings are assumed to spread (1)",
    )
    parser.add_argument("--login-threads", type=int, default=4, help=argparse.SUPPRESS)
    parser.add_argument(
        "--wait-quiet", type=float, default=30, help="seconds to wait for a quiet machine (30)"
    )
    parser.add_argument("--lock-wait", type=float, default=1800)
    parser.add_argument("--json", type=Path, help="write the figures as JSON to this file")
    parser.add_argument("--setup", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--password", help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    options = parser.parse_args(argv)
    if options.setup:
        return options
    quick = options.quick
    options.patients = options.patients or (60 if quick else 300)
    if options.warmup_patients is None:
        options.warmup_patients = 6 if quick else 16
    if options.breakdown is None:
        options.breakdown = 9 if quick else 30
    if options.patients < 1 or options.concurrency < 1 or options.workers < 1:
        parser.error("--patients, --concurrency and --workers must be >= 1")
    if not 0 <= options.push_share <= 1 or options.spread_hours <= 0:
        parser.error("--push-share must be 0..1 and --spread-hours > 0")
    if not 31 <= options.days <= 366:
        # bench/patient_list.py's stories include a patient who stopped a month ago.
        parser.error("--days must be 31..366")
    return options


def main(argv: list[str] | None = None) -> int:
    options = parse_args(argv)
    if options.setup:
        setup(options.patients, options.days, options.password, options.out)
        return 0
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    lock = acquire_lock(options.lock_wait)
    if lock is None:
        say(f"another benchmark run held {LOCK} for {options.lock_wait:.0f} s; giving up")
        return 2
    tmp = Path(tempfile.mkdtemp(prefix="haelapp-bench-morning-"))
    context = machine()
    say(context)
    started = time.monotonic()
    failed = None
    result = None
    try:
        result = run(options, tmp)
    except BenchError as error:
        failed = str(error)
        say(f"FAILED: {error}")
    finally:
        with contextlib.suppress(Exception):
            drop_database(DATABASE)
        if options.redis:
            with contextlib.suppress(Exception):
                flush_redis(options.redis)
        if failed:
            say(f"logs kept in {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    if result is None:
        return 1
    # Again after the run: the machine's speed may have moved while it ran.
    context += f", {speed_gauge():.0f} ms at the end"
    lines = report(result, options, context)
    if options.json:
        figures = {key: value for key, value in result.items() if key != "rows"}
        figures["data"] = {k: v for k, v in result["data"].items() if k != "emails"}
        figures["report"] = lines
        options.json.write_text(json.dumps(figures, indent=1, default=str))
    say("\n" + "=" * 100)
    say("\n".join(lines))
    say(f"({time.monotonic() - started:.0f} s in all)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
