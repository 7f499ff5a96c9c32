"""Reminder delivery benchmark: N patients due in the same minute, through the real stack.

    .venv/bin/python bench/reminders.py [--patients 100000] [--quick] [--concurrency 1,2]

Beat tick (in this process) -> outbox rows -> Redis -> a real Celery worker (prefork) -> Web Push
to the stand-in push service (tests/push_standin.py, decrypt=False: VAPID verified, payload not
decrypted) running in its own process on 127.0.0.1. Measured: the tick, the time from the tick's
start to the last message the stand-in accepted, and whether every outbox row ends `sent`.
In the same run, the "bare pooled pywebpush loop" (one process, no Django, no Celery: one
`requests.Session`, the VAPID header signed once, `WebPusher(...).send()` per message) sends to
the same stand-in; the aim compares the two rates. An asynchronous bare loop (aiohttp, 32 in
flight) is measured for context.

Uses its own database (haelapp_bench_reminders, dropped at the end, also on failure) and its own
Redis database (redis://127.0.0.1:6379/13 by default, flushed before and after). Exit status: 0
when the run was valid (aims missed are reported, not failed), 1 when it was not (messages not
delivered, rows not sent, rejections or duplicates at the push service), 2 for bad usage.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import resource
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from project_venv import ROOT, enter  # bench/ is first on sys.path

enter(__file__)

from bench.common import (  # noqa: E402
    LOCK,
    TICKS,
    BenchError,
    acquire_lock,
    admin,
    busy_ticks,
    group_pids,
    postgres_url,
    process_ticks,
    say,
)

DATABASE = "haelapp_bench_reminders"
DEFAULT_REDIS = "redis://127.0.0.1:6379/13"
QUEUE = "bench-reminders"
VAPID_CONTACT = "mailto:bench@haelapp.invalid"
RESULT = "RESULT "

AIM_SECONDS = 60.0
AIM_RATIO = 0.6
# Other processes using more than this many CPUs make a round's figures unreliable.
NOISE_CPUS = 0.25
CHUNK = 5000

# The caller's app configuration must not leak into the benchmark.
APP_VARIABLES = (
    "DEBUG",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "CSRF_TRUSTED_ORIGINS",
    "SITE_URL",
    "DATABASE_URL",
    "DATABASE_CONNECT_TIMEOUT",
    "CONN_MAX_AGE",
    "CELERY_BROKER_URL",
    "CELERY_RESULT_BACKEND",
    "CELERY_VISIBILITY_TIMEOUT",
    "CELERY_TASK_DEFAULT_QUEUE",
    "CACHE_URL",
    "EMAIL_BACKEND",
    "EMAIL_HOST",
    "EMAIL_PORT",
    "EMAIL_FILE_PATH",
    "LOG_LEVEL",
    "HAELAPP_VAR_DIR",
    "ENV_FILE",
    "ROOT_URLCONF",
    "DJANGO_SETTINGS_MODULE",
    "VAPID_PRIVATE_KEY",
    "VAPID_CONTACT",
    "PUSH_SERVICE_HOSTS",
    "PUSH_TTL_SECONDS",
    "OUTBOX_STALE_SECONDS",
    "PUSH_RETRY_BASE_SECONDS",
)


def flush_redis(url: str) -> None:
    import redis

    client = redis.Redis.from_url(url, socket_connect_timeout=3)
    try:
        client.flushdb()
    finally:
        client.close()


# --- CPU accounting -------------------------------------------------------------------------


def postgres_pids() -> list[int]:
    """Backends of the benchmark database and PostgreSQL's own background processes."""
    import psycopg

    with psycopg.connect(postgres_url("postgres"), autocommit=True, connect_timeout=5) as conn:
        rows = conn.execute(
            "SELECT pid FROM pg_stat_activity WHERE (datname = %s OR datname IS NULL) "
            "AND pid <> pg_backend_pid()",
            [DATABASE],
        ).fetchall()
    return [pid for (pid,) in rows]


def self_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


class CpuMeter:
    """CPU seconds used during a stretch by each part of the benchmark and by the rest of the
    machine (another benchmark, someone's tests)."""

    def __init__(self, parts: dict[str, Callable[[], list[int]]]):
        self.parts = parts  # name -> function returning the pids of that part now

    def _snapshot(self) -> dict[str, dict[int, int]]:
        return {
            name: {pid: process_ticks(pid) for pid in pids()} for name, pids in self.parts.items()
        }

    def __enter__(self):
        self.started = time.monotonic()
        self.before = self._snapshot()
        self.busy = busy_ticks()
        self.driver = self_cpu()
        return self

    def __exit__(self, *exc):
        busy = busy_ticks() - self.busy
        after = self._snapshot()
        self.elapsed = time.monotonic() - self.started
        self.seconds = {}
        for name, pids in after.items():
            start = self.before.get(name, {})
            self.seconds[name] = sum(t - start.get(pid, 0) for pid, t in pids.items()) / TICKS
        self.seconds["tick (this process)"] = self_cpu() - self.driver
        ours = sum(self.seconds.values())
        self.seconds["other processes"] = max(0.0, busy / TICKS - ours)
        return False

    def lines(self) -> list[str]:
        return [
            f"    {name:<22} {seconds:6.1f} CPU s  ({seconds / self.elapsed:4.2f} cores)"
            for name, seconds in self.seconds.items()
        ]


def machine_other_cpus(seconds: float, ours: list[int]) -> float:
    """CPUs used by processes other than `ours` over the next `seconds`."""
    before = {pid: process_ticks(pid) for pid in ours}
    busy = busy_ticks()
    time.sleep(seconds)
    used = sum(process_ticks(pid) - ticks for pid, ticks in before.items())
    return max(0.0, (busy_ticks() - busy - used) / TICKS / seconds)


def wait_for_quiet(ours: list[int], limit: float) -> float:
    """Wait (up to `limit` seconds) until the rest of the machine is nearly idle; return the
    CPUs it used in the last sample."""
    deadline = time.monotonic() + limit
    other = machine_other_cpus(2, ours)
    while other > NOISE_CPUS and time.monotonic() < deadline:
        say(f"  the machine is busy ({other:.2f} CPUs used by other processes); waiting")
        time.sleep(8)
        other = machine_other_cpus(2, ours)
    return other


# --- the stand-in push service, in its own process -------------------------------------------


def serve_standin() -> None:
    """`--serve-standin`: run StandInPushService(decrypt=False) and answer JSON commands, one a
    line on stdin, with one JSON line on stdout."""
    from tests.push_standin import StandInPushService

    service = StandInPushService(decrypt=False).start()
    print(json.dumps({"origin": service.origin, "pid": os.getpid()}), flush=True)
    for line in sys.stdin:
        command = json.loads(line)
        op = command["op"]
        reply: dict = {}
        if op == "subscribe":
            started = time.perf_counter()
            with open(command["path"], "w") as out:
                for _ in range(command["count"]):
                    out.write(json.dumps(service.new_subscription()) + "\n")
            reply = {"seconds": time.perf_counter() - started}
        elif op == "count":
            reply = {"accepted": len(service.accepted)}
        elif op == "stats":
            accepted, requests = service.accepted, service.requests
            statuses = Counter("dropped" if r.status is None else str(r.status) for r in requests)
            reasons = Counter(f"{r.status} {r.reason}" for r in requests if r.reason)
            reply = {
                "accepted": len(accepted),
                "requests": len(requests),
                "statuses": dict(statuses),
                "rejected": sum(reasons.values()),
                "reasons": reasons.most_common(5),
                "duplicates": len(accepted) - len({(a.endpoint, a.topic) for a in accepted}),
                "connections": len({r.peer for r in requests}),
                "first_received": min((a.received_at for a in accepted), default=None),
                "last_answered": max((a.answered_at for a in accepted), default=None),
            }
        elif op == "clear":
            service.clear()
        elif op == "quit":
            break
        print(json.dumps(reply), flush=True)
    service.stop()


class StandIn:
    def __init__(self, env: dict[str, str], log: Path):
        self.log = log.open("ab")
        self.process = subprocess.Popen(
            [sys.executable, __file__, "--serve-standin"],
            cwd=ROOT,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self.log,
            text=True,
            start_new_session=True,
        )
        hello = self._read()
        self.origin, self.pid = hello["origin"], hello["pid"]

    def _read(self) -> dict:
        line = self.process.stdout.readline()
        if not line:
            raise BenchError("the stand-in push service exited (see standin.log)")
        return json.loads(line)

    def ask(self, op: str, **args) -> dict:
        self.process.stdin.write(json.dumps({"op": op, **args}) + "\n")
        self.process.stdin.flush()
        return self._read()

    def close(self) -> None:
        if self.process.poll() is None:
            with contextlib.suppress(OSError, BenchError):
                self.ask("quit")
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)
        self.log.close()


# --- the bare loops (no Django, no Celery) ----------------------------------------------------


def bare_loop(options: argparse.Namespace) -> None:
    """`--bare-loop sync|async`: send `--count` messages to the stand-in, print the result."""
    import itertools

    from py_vapid import Vapid02
    from pywebpush import WebPusher

    with open(options.subs) as source:
        subs = [json.loads(line) for line in itertools.islice(source, options.count)]
    subs = list(itertools.islice(itertools.cycle(subs), options.count))
    origin = subs[0]["endpoint"].split("/push/")[0]
    claims = {"aud": origin, "exp": int(time.time()) + 12 * 3600, "sub": VAPID_CONTACT}
    headers = {
        "Authorization": Vapid02.from_string(options.vapid_key).sign(claims)["Authorization"],
        "Topic": "dailyreminder",
        "Urgency": "normal",
    }
    payload, ttl = options.payload, 12 * 3600
    statuses: Counter = Counter()
    warm = subs[: min(50, len(subs))]

    if options.bare_loop == "sync":
        import requests

        session = requests.Session()
        # No proxy or .netrc look-ups per request (they read every environment variable each
        # time): the loopback stand-in needs none, and the baseline should be the fast one.
        session.trust_env = False

        def send(batch):
            for sub in batch:
                response = WebPusher(sub, requests_session=session).send(
                    payload, headers=headers, ttl=ttl, content_encoding="aes128gcm", timeout=10
                )
                statuses[response.status_code] += 1

        send(warm)
        statuses.clear()
        started, cpu = time.perf_counter(), time.process_time()
        send(subs)
    else:
        import asyncio

        import aiohttp

        async def send_all(batch):
            connector = aiohttp.TCPConnector(limit=32, limit_per_host=32)
            limit = asyncio.Semaphore(32)
            async with aiohttp.ClientSession(connector=connector) as session:

                async def one(sub):
                    async with limit:
                        response = await WebPusher(sub, aiohttp_session=session).send_async(
                            payload,
                            headers=headers,
                            ttl=ttl,
                            content_encoding="aes128gcm",
                            timeout=aiohttp.ClientTimeout(total=10),
                        )
                        statuses[response.status] += 1

                await asyncio.gather(*(one(sub) for sub in batch))

        asyncio.run(send_all(warm))
        statuses.clear()
        started, cpu = time.perf_counter(), time.process_time()
        asyncio.run(send_all(subs))
    seconds = time.perf_counter() - started
    result = {
        "count": len(subs),
        "seconds": seconds,
        "rate": len(subs) / seconds,
        "cpu": time.process_time() - cpu,
        "statuses": {str(k): v for k, v in statuses.items()},
    }
    print(RESULT + json.dumps(result), flush=True)


def run_bare(mode: str, options, env, subs: Path, vapid_key: str, payload: str, standin) -> dict:
    standin.ask("clear")
    before = process_ticks(standin.pid)
    result = subprocess.run(
        [
            sys.executable,
            __file__,
            "--bare-loop",
            mode,
            "--subs",
            str(subs),
            "--count",
            str(options.bare_messages),
            "--vapid-key",
            vapid_key,
            "--payload",
            payload,
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    lines = [line for line in result.stdout.splitlines() if line.startswith(RESULT)]
    if result.returncode != 0 or not lines:
        raise BenchError(
            f"bare {mode} loop failed:\n{result.stdout[-2000:]}{result.stderr[-3000:]}"
        )
    bare = json.loads(lines[-1].removeprefix(RESULT))
    bare["standin_cpu"] = (process_ticks(standin.pid) - before) / TICKS
    stats = standin.ask("stats")
    bare["rejected"] = stats["rejected"]
    bare["reasons"] = stats["reasons"]
    bare["non_201"] = sum(n for status, n in bare["statuses"].items() if status != "201")
    return bare


# --- data -------------------------------------------------------------------------------------


def populate(count: int, subs_path: Path, due: datetime, weekly_every: int) -> None:
    """`count` patients, each with one push subscription and a schedule due at `due`. Each
    answered the weekly check-in today (no red flag), so the tick sends only the daily
    reminder, except every `weekly_every`-th patient (0: none), who also gets the weekly
    check-in reminder."""
    from django.contrib.auth.hashers import make_password
    from django.db import transaction

    from accounts.models import Clinic, Condition, PatientProfile, PhysioProfile, User
    from diary.models import CheckIn
    from reminders.models import PushSubscription, ReminderSchedule

    unusable = make_password(None)  # nobody logs in; one value for all keeps set-up fast
    with transaction.atomic():
        clinic = Clinic.objects.create(name="Bench clinic", slug="bench-clinic")
        physio = PhysioProfile.objects.create(
            user=User.objects.create(
                email="physio@bench.invalid", name="Bench Physio", password=unusable
            ),
            clinic=clinic,
        )
    with open(subs_path) as source:
        for start in range(0, count, CHUNK):
            numbers = range(start, min(start + CHUNK, count))
            subs = [json.loads(source.readline()) for _ in numbers]
            with transaction.atomic():
                users = User.objects.bulk_create(
                    User(
                        email=f"patient{number:06d}@bench.invalid",
                        name=f"Bench Patient {number:06d}",
                        password=unusable,
                        language="en" if number % 5 == 0 else "da",
                    )
                    for number in numbers
                )
                patients = PatientProfile.objects.bulk_create(
                    PatientProfile(
                        user=user,
                        clinic=clinic,
                        physio=physio,
                        condition=Condition.PLANTAR_FASCIITIS,
                    )
                    for user in users
                )
                PushSubscription.objects.bulk_create(
                    PushSubscription(
                        patient=patient,
                        endpoint=sub["endpoint"],
                        p256dh=sub["keys"]["p256dh"],
                        auth=sub["keys"]["auth"],
                    )
                    for patient, sub in zip(patients, subs, strict=True)
                )
                ReminderSchedule.objects.bulk_create(
                    ReminderSchedule(patient=patient, next_due_at=due) for patient in patients
                )
                CheckIn.objects.bulk_create(
                    CheckIn(patient=patient, kind=CheckIn.Kind.WEEKLY, answers={}, urgency="none")
                    for number, patient in zip(numbers, patients, strict=True)
                    if not weekly_every or number % weekly_every
                )


def reset_round(due: datetime) -> None:
    """Make every schedule due again and empty the outbox, then let PostgreSQL catch up."""
    from django.db import connection

    from reminders.models import Notification, ReminderSchedule

    with connection.cursor() as cursor:
        cursor.execute(f'TRUNCATE "{Notification._meta.db_table}"')
    ReminderSchedule.objects.update(next_due_at=due)
    vacuum()


def vacuum() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


def status_counts(by_kind: bool = False) -> dict[str, int]:
    from django.db.models import Count

    from reminders.models import Notification

    fields = ["kind", "status"] if by_kind else ["status"]
    rows = Notification.objects.values_list(*fields).annotate(n=Count("pk")).order_by(*fields)
    return {" ".join(row[:-1]): row[-1] for row in rows}


def tick_alone(due: datetime, redis_url: str, py_spy: str | None, tmp: Path) -> dict:
    """The tick with no worker running (its tasks wait in Redis, flushed afterwards): its
    duration, CPU and time in SQL, without competition from the deliveries."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from reminders.services import reminders_tick

    reset_round(due)
    profiler = (
        Profiler(py_spy, os.getpid(), tmp / "py-spy-tick.txt", subprocesses=False)
        if py_spy
        else None
    )
    if profiler:
        time.sleep(1)
    with CaptureQueriesContext(connection) as captured:
        started, cpu = time.perf_counter(), time.process_time()
        counts = reminders_tick()
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    profile = profiler.stop(TICK_CATEGORIES) if profiler else None
    flush_redis(redis_url)
    statements: Counter = Counter()
    calls: Counter = Counter()
    for query in captured.captured_queries:
        words = query["sql"].split()
        key = " ".join(words[:4])[:60]
        statements[key] += float(query["time"])
        calls[key] += 1
    return {
        "seconds": seconds,
        "cpu": cpu,
        "counts": counts,
        "queries": len(captured.captured_queries),
        "sql_seconds": sum(statements.values()),
        "top": [(key, calls[key], t) for key, t in statements.most_common(6)],
        "profile": profile,
    }


def sample_payload(count: int) -> str:
    from reminders.messages import push_payload
    from reminders.models import Notification

    notification = Notification(
        pk=count, kind=Notification.Kind.DAILY_REMINDER, local_date=datetime.now(UTC).date()
    )
    return json.dumps(push_payload(notification, "da"), separators=(",", ":"))


# --- the worker -------------------------------------------------------------------------------


class Worker:
    def __init__(self, env: dict[str, str], concurrency: int, log: Path, pool: str):
        self.name = f"bench-reminders-{uuid.uuid4().hex[:8]}@bench"
        self.log_path = log
        self.log = log.open("ab")
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "haelapp",
                "worker",
                "--pool",
                pool,
                "--concurrency",
                str(concurrency),
                "--queues",
                QUEUE,
                "--hostname",
                self.name,
                "--without-heartbeat",
                "--without-mingle",
                "--without-gossip",
                "--loglevel",
                "WARNING",
            ],
            cwd=ROOT,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: measured and stopped as one
        )

    def wait_ready(self, timeout: float = 60) -> None:
        from haelapp.celery import app

        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise BenchError(f"the worker exited at start-up:\n{self.tail()}")
            if app.control.ping(destination=[self.name], timeout=1.0):
                return
        raise BenchError(f"the worker did not answer a ping within {timeout} s:\n{self.tail()}")

    def pids(self) -> list[int]:
        return group_pids(self.process.pid)

    def tail(self, lines: int = 30) -> str:
        self.log.flush()
        text = self.log_path.read_text(errors="replace").splitlines()
        return "\n".join(text[-lines:])

    def errors(self) -> list[str]:
        text = self.log_path.read_text(errors="replace").splitlines()
        return [line for line in text if "ERROR" in line or "Traceback" in line]

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.process.wait(timeout=20)
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.process.pid, signal.SIGKILL)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(timeout=5)
        self.log.close()


class Profiler:
    """py-spy over the worker and its children while a round runs (optional)."""

    def __init__(self, py_spy: str, pid: int, out: Path, subprocesses: bool = True):
        self.out, self.pid = out, pid
        self.process = subprocess.Popen(
            [
                py_spy,
                "record",
                "--pid",
                str(pid),
                *(["--subprocesses"] if subprocesses else []),
                "--rate",
                "200",
                "--format",
                "raw",
                "--output",
                str(out),
                "--nonblocking",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

    def stop(self, categories=None) -> list[str]:
        self.process.send_signal(signal.SIGINT)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(timeout=30)
        if self.process.poll() is None:
            self.process.kill()
        return summarise_profile(self.out, self.pid, categories or WORKER_CATEGORIES)


# Where a worker's samples go: the first category (in this order) whose marker is in a stack.
WORKER_CATEGORIES = (
    ("encrypt the payload (http_ece)", ("encrypt (reminders",)),
    ("HTTP request and response (aiohttp)", ("ClientSession._request", "ClientResponse")),
    ("rest of the event loop (asyncio)", ("PushSender._send", "run_until_complete")),
    ("claim: one UPDATE ... RETURNING", ("claim (reminders",)),
    ("record outcomes (batched UPDATEs)", ("Recorder.flush",)),
    ("hand results to the task between loop slices", ("PushSender.send (",)),
    ("build jobs and payloads", ("_plan (reminders",)),
    ("rest of the send task", ("outbox_send",)),
    ("Celery in the pool process (receive, ack)", ("process_initializer", "workloop")),
)
TICK_CATEGORIES = (
    ("publish the send tasks (Celery, Redis)", ("apply_async", "enqueue (reminders")),
    ("weekly check-ins (queries, rows)", ("_weekly_checkins",)),
    ("insert the outbox rows (bulk_create)", ("bulk_create",)),
    ("advance the schedules", ("_advance",)),
    ("give patients a schedule", ("schedules_ensure",)),
    ("local dates", ("local_date_of",)),
    ("claim, diary and queued-id queries (ORM, models)", ("_tick_batch",)),
    ("commit", ("commit",)),
)
# Leaf frames where a thread waits (for PostgreSQL, another thread, a socket): py-spy may
# sample such a thread although it uses no CPU.
WAITING = ("Condition.wait", "Connection.wait", "EpollSelector.select", "_epoll.poll", "wait (")


def summarise_profile(path: Path, master: int, categories) -> list[str]:
    """The share of the worker's samples per part of the work, and how much of each share was
    spent waiting rather than computing."""
    if not path.exists():
        return ["    (no profile written)"]
    shares: Counter = Counter()
    waiting: Counter = Counter()
    total = 0
    for line in path.read_text(errors="replace").splitlines():
        stack, _, count = line.rpartition(" ")
        if not count.isdigit():
            continue
        n, frames = int(count), stack.split(";")
        total += n
        # With --subprocesses a stack starts with "process <pid>:..." frames: the master's
        # own, then the pool process's.
        if frames[0].startswith(f"process {master}:") and not (
            len(frames) > 1 and frames[1].startswith("process ")
        ):
            name = "Celery main process (consumer, Redis)"
        else:
            name = next(
                (
                    name
                    for name, markers in categories
                    if any(marker in frame for frame in frames for marker in markers)
                ),
                "other",
            )
        shares[name] += n
        if any(marker in frames[-1] for marker in WAITING):
            waiting[name] += n
    if not total:
        return ["    (no samples)"]
    return [
        f"    {n / total:5.1%}  {name}"
        + (f" (waiting: {waiting[name] / total:.1%})" if waiting[name] else "")
        for name, n in shares.most_common()
    ]


# --- one round: tick -> deliveries --------------------------------------------------------------


def app_round(options, env, tmp: Path, standin: StandIn, due: datetime, concurrency: int) -> dict:
    from celery.signals import before_task_publish

    from reminders.services import reminders_tick

    say(f"[round: 1 worker x {concurrency} processes] resetting the outbox and schedules")
    reset_round(due)
    standin.ask("clear")
    worker = Worker(env, concurrency, tmp / f"worker-{concurrency}.log", options.pool)
    profiler = None
    try:
        worker.wait_ready()
        other_before = wait_for_quiet(
            [*worker.pids(), standin.pid, os.getpid()], options.quiet_wait
        )
        load_before = os.getloadavg()
        meter = CpuMeter(
            {
                "worker": worker.pids,
                "stand-in push service": lambda: [standin.pid],
                "postgresql": postgres_pids,
            }
        )
        if options.py_spy:
            profiler = Profiler(
                options.py_spy, worker.process.pid, tmp / f"py-spy-{concurrency}.txt"
            )
            time.sleep(1)
        expected = options.patients
        progress: list[tuple[float, int]] = []
        published = Counter()

        def count_publish(sender=None, **_kwargs):
            published[sender] += 1

        before_task_publish.connect(count_publish, weak=False)
        with meter:
            started = time.time()
            counts = reminders_tick()
            tick_seconds = time.time() - started
            before_task_publish.disconnect(count_publish)
            tasks = published["reminders.send"]
            say(f"  tick: {tick_seconds:.1f} s, {counts}")
            expected = counts.get("queued", 0)
            deadline = time.monotonic() + options.timeout
            last_change, accepted, next_report = time.monotonic(), 0, 5.0
            while accepted < expected and time.monotonic() < deadline:
                time.sleep(0.2)
                now_accepted = standin.ask("count")["accepted"]
                elapsed = time.time() - started
                progress.append((elapsed, now_accepted))
                if now_accepted != accepted:
                    accepted, last_change = now_accepted, time.monotonic()
                elif time.monotonic() - last_change > options.stall:
                    say(f"  no delivery for {options.stall:.0f} s; giving up waiting")
                    break
                if elapsed >= next_report:
                    say(f"  {elapsed:5.1f} s: {accepted:,} delivered")
                    next_report = elapsed + 5.0
            # The last rows are marked sent just after their delivery; wait for the outbox.
            db_deadline = time.monotonic() + 30
            statuses = status_counts()
            while (
                statuses.get("queued", 0) + statuses.get("sending", 0)
                and time.monotonic() < db_deadline
            ):
                time.sleep(0.2)
                statuses = status_counts()
            outbox_seconds = time.time() - started
        statuses = status_counts(by_kind=True)
        profile = profiler.stop() if profiler else None
        profiler = None
        stats = standin.ask("stats")
    finally:
        if profiler:
            profiler.stop()
        errors = worker.errors()
        worker.stop()
    last = (stats["last_answered"] - started) if stats["last_answered"] else None
    first = (stats["first_received"] - started) if stats["first_received"] else None
    return {
        "concurrency": concurrency,
        "tick_seconds": tick_seconds,
        "tasks": tasks,
        "tick": counts,
        "expected": expected,
        "accepted": stats["accepted"],
        "first_delivery_seconds": first,
        "last_delivery_seconds": last,
        "outbox_done_seconds": outbox_seconds,
        "rate": stats["accepted"] / last if last else 0.0,
        "statuses": statuses,
        "push_statuses": stats["statuses"],
        "rejected": stats["rejected"],
        "reasons": stats["reasons"],
        "duplicates": stats["duplicates"],
        "connections": stats["connections"],
        "cpu": meter.seconds,
        "cpu_lines": meter.lines(),
        "elapsed": meter.elapsed,
        "other_cpus_before": other_before,
        "load_before": load_before,
        "worker_errors": errors[:10],
        "profile": profile,
        "progress": progress,
    }


# --- the driver ---------------------------------------------------------------------------------


def bench_env(tmp: Path, redis_url: str, vapid_key: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key not in APP_VARIABLES}
    env.update(
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1,localhost",
        DATABASE_URL=postgres_url(DATABASE),
        CELERY_BROKER_URL=redis_url,
        CELERY_TASK_DEFAULT_QUEUE=QUEUE,
        VAPID_PRIVATE_KEY=vapid_key,
        VAPID_CONTACT=VAPID_CONTACT,
        PUSH_SERVICE_HOSTS="http://127.0.0.1",
        HAELAPP_VAR_DIR=str(tmp / "var"),
        ENV_FILE=os.devnull,
        CACHE_URL="locmemcache://",
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        LOG_LEVEL="WARNING",
        PYTHONWARNINGS="ignore::UserWarning",
    )
    return env


def run(options: argparse.Namespace, tmp: Path) -> dict:
    from reminders.vapid import generate_private_key

    vapid_key = generate_private_key()
    env = bench_env(tmp, options.redis, vapid_key)
    for key in APP_VARIABLES:
        os.environ.pop(key, None)
    os.environ.update(env)  # this process runs Django too (set-up and the tick)

    flush_redis(options.redis)
    say(f"creating database {DATABASE}")
    admin("DROP DATABASE IF EXISTS {} WITH (FORCE)", DATABASE)
    admin("CREATE DATABASE {}", DATABASE)
    started = time.monotonic()
    migrate = subprocess.run(
        [sys.executable, "manage.py", "migrate", "--no-input", "-v0"],
        cwd=ROOT,
        env=env,
        check=False,
    )
    if migrate.returncode != 0:
        raise BenchError("migrate failed (output above)")
    say(f"  migrated in {time.monotonic() - started:.1f} s")

    standin = StandIn(env, tmp / "standin.log")
    try:
        subs = tmp / "subscriptions.jsonl"
        made = standin.ask("subscribe", count=options.patients, path=str(subs))
        say(
            f"stand-in push service at {standin.origin}; {options.patients:,} subscriptions in "
            f"{made['seconds']:.1f} s"
        )

        from bench.common import django_setup

        django_setup()
        # Due at the start of this minute: every patient's 07:30 is "now" for the benchmark.
        due = datetime.now(UTC).replace(second=0, microsecond=0)
        started = time.monotonic()
        populate(options.patients, subs, due, options.weekly_every)
        vacuum()
        say(
            f"  {options.patients:,} patients with a subscription and a due schedule in "
            f"{time.monotonic() - started:.1f} s"
        )

        wait_for_quiet([standin.pid, os.getpid()], options.quiet_wait)
        alone = tick_alone(due, options.redis, options.py_spy, tmp)
        say(
            f"tick alone (no worker): {alone['seconds']:.1f} s, {alone['cpu']:.1f} CPU s in this "
            f"process, {alone['queries']} queries taking {alone['sql_seconds']:.1f} s; "
            f"{alone['counts']}"
        )
        for key, calls, seconds in alone["top"]:
            say(f"    {seconds:6.2f} s  {calls:4d}x  {key}")
        if alone["profile"]:
            say("  py-spy, the tick alone: share of samples")
            say("\n".join(alone["profile"]))

        payload = sample_payload(options.patients)
        bare = {}
        for mode in ("sync", "async"):
            wait_for_quiet([standin.pid, os.getpid()], options.quiet_wait)
            bare[mode] = run_bare(mode, options, env, subs, vapid_key, payload, standin)
            say(
                f"bare {mode} loop: {bare[mode]['rate']:,.0f} messages/s "
                f"({bare[mode]['count']:,} in {bare[mode]['seconds']:.1f} s, "
                f"{bare[mode]['cpu']:.1f} CPU s; stand-in {bare[mode]['standin_cpu']:.1f} CPU s; "
                f"statuses {bare[mode]['statuses']}, rejected {bare[mode]['rejected']})"
            )

        rounds = []
        for concurrency in options.concurrency:
            flush_redis(options.redis)
            rounds.append(app_round(options, env, tmp, standin, due, concurrency))
    finally:
        standin.close()
    return {"bare": bare, "rounds": rounds, "tick_alone": alone}


def report(options, results: dict) -> tuple[list[str], list[str]]:
    failures: list[str] = []
    bare = results["bare"]
    sync_rate = bare["sync"]["rate"]
    lines = []
    for name, result in bare.items():
        if result["non_201"] or result["rejected"]:
            failures.append(f"bare {name} loop: {result['statuses']} {result['reasons']}")
    alone = results["tick_alone"]
    for r in results["rounds"]:
        n, messages = options.patients, r["expected"]
        last = r["last_delivery_seconds"]
        sent = sum(count for key, count in r["statuses"].items() if key.endswith(" sent"))
        all_sent = sent == messages == sum(r["statuses"].values())
        ratio = r["rate"] / sync_rate if sync_rate else 0.0
        what = f"{messages:,} messages" if messages != n else "one message each"
        lines.append(
            f"reminders: {n:,} patients due in one minute, {what} ({os.cpu_count()}-core "
            f"machine, Redis, 1 worker x {r['concurrency']} processes, {options.pool} pool)"
        )
        lines.append(
            f"  tick: {r['tick_seconds']:.1f} s to claim, write outbox rows and enqueue "
            f"{r['tasks']} tasks (alone, with no worker running: "
            f"{alone['seconds']:.1f} s, {alone['sql_seconds']:.1f} s of it in SQL)"
        )
        if last is None:
            lines.append("  nothing was delivered")
        else:
            lines.append(
                f"  last delivery: {last:.1f} s after the tick ({r['accepted']:,} delivered, "
                f"{r['rate']:,.0f} messages/s; first {r['first_delivery_seconds']:.1f} s); "
                f"outbox all sent {r['outbox_done_seconds']:.1f} s after the tick"
            )
        lines.append(
            f"  all rows sent: {'yes' if all_sent else 'NO ' + str(r['statuses'])}; rejected by "
            f"push service: {r['rejected']}; sent twice: {r['duplicates']}; "
            f"push connections: {r['connections']}"
        )
        within = last is not None and last <= AIM_SECONDS and r["accepted"] >= messages
        lines.append(
            f"  bare pooled pywebpush loop: {sync_rate:,.0f} messages/s  -> ratio {ratio:.2f} "
            f"(aim >= {AIM_RATIO}); within {AIM_SECONDS:.0f} s: {'yes' if within else 'NO'}"
        )
        lines.append(
            f"  context: async bare loop (aiohttp, 32 in flight): {bare['async']['rate']:,.0f} "
            f"messages/s; load average before {r['load_before'][0]:.2f}; other processes used "
            f"{r['other_cpus_before']:.2f} CPUs before and "
            f"{r['cpu']['other processes'] / r['elapsed']:.2f} during the round"
        )
        lines.append(f"  CPU from the tick until the outbox was done ({r['elapsed']:.1f} s):")
        lines += r["cpu_lines"]
        per = {k: v / max(r["accepted"], 1) * 1000 for k, v in r["cpu"].items()}
        ours = sum(v for k, v in r["cpu"].items() if k != "other processes")
        lines.append(
            f"  CPU per message: worker {per['worker']:.2f} ms, stand-in "
            f"{per['stand-in push service']:.2f} ms, PostgreSQL {per['postgresql']:.2f} ms, tick "
            f"{per['tick (this process)']:.2f} ms; the bare loops' own: sync "
            f"{bare['sync']['cpu'] / bare['sync']['count'] * 1000:.2f} ms, async "
            f"{bare['async']['cpu'] / bare['async']['count'] * 1000:.2f} ms"
        )
        lines.append(
            f"  floor if these processes had all {os.cpu_count()} CPUs to themselves: "
            f"{ours / (os.cpu_count() or 1):.0f} s (their CPU seconds / CPUs)"
        )
        if r["cpu"]["other processes"] / r["elapsed"] > NOISE_CPUS:
            lines.append("  WARNING: other processes used the machine during the round")
        if r["accepted"] < messages:
            failures.append(f"x{r['concurrency']}: {r['accepted']:,} of {messages:,} delivered")
        if not all_sent:
            failures.append(f"x{r['concurrency']}: outbox rows not sent: {r['statuses']}")
        if r["rejected"] or r["duplicates"]:
            failures.append(
                f"x{r['concurrency']}: {r['rejected']} rejected ({r['reasons']}), "
                f"{r['duplicates']} sent twice"
            )
        if r["worker_errors"]:
            failures.append(f"x{r['concurrency']}: worker log errors: {r['worker_errors'][:3]}")
    return lines, failures


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--patients", type=int, default=None, help="default 100,000")
    parser.add_argument("--quick", action="store_true", help="5,000 patients")
    parser.add_argument(
        "--concurrency",
        default="2",
        help="worker processes; a comma-separated list runs one round each (e.g. 1,2)",
    )
    parser.add_argument("--pool", default="prefork", help="Celery pool (prefork)")
    parser.add_argument(
        "--bare-messages", type=int, default=None, help="messages the bare loops send"
    )
    parser.add_argument(
        "--weekly-every",
        type=int,
        default=0,
        help="every Nth patient is also due the weekly check-in reminder (0: none)",
    )
    parser.add_argument("--redis", default=DEFAULT_REDIS, help="a Redis database of its own")
    parser.add_argument("--timeout", type=float, default=None, help="most seconds to wait")
    parser.add_argument("--stall", type=float, default=60, help="give up after this long idle")
    parser.add_argument("--quiet-wait", type=float, default=120, help="wait for a quiet machine")
    parser.add_argument("--lock-wait", type=float, default=1800, help="wait for bench/run.py")
    parser.add_argument("--py-spy", default=None, help="path of py-spy: profile the worker")
    parser.add_argument("--json", type=Path, default=None, help="write the results here")
    parser.add_argument("--keep", action="store_true", help="keep the logs in the temp dir")
    # Internal: the stand-in process and the bare loops.
    parser.add_argument("--serve-standin", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--bare-loop", choices=["sync", "async"], help=argparse.SUPPRESS)
    parser.add_argument("--subs", help=argparse.SUPPRESS)
    parser.add_argument("--count", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--vapid-key", help=argparse.SUPPRESS)
    parser.add_argument("--payload", help=argparse.SUPPRESS)
    options = parser.parse_args(argv)
    if options.patients is None:
        options.patients = 5000 if options.quick else 100_000
    if options.bare_messages is None:
        options.bare_messages = min(options.patients, 20_000)
    if options.timeout is None:
        options.timeout = max(120.0, options.patients / 250)
    try:
        options.concurrency = [int(c) for c in str(options.concurrency).split(",")]
    except ValueError:
        parser.error("--concurrency takes numbers, e.g. 2 or 1,2")
    if options.patients < 1 or options.bare_messages < 1 or min(options.concurrency) < 1:
        parser.error("--patients, --bare-messages and --concurrency must be >= 1")
    options.bare_messages = min(options.bare_messages, options.patients)
    return options


def main(argv: list[str] | None = None) -> int:
    options = parse_args(argv)
    if options.serve_standin:
        serve_standin()
        return 0
    if options.bare_loop:
        bare_loop(options)
        return 0
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    try:
        lock = acquire_lock(options.lock_wait)
        if lock is None:
            raise BenchError(f"another benchmark run held {LOCK} for {options.lock_wait:.0f} s")
    except BenchError as error:
        say(str(error))
        return 2
    tmp = Path(tempfile.mkdtemp(prefix="haelapp-bench-reminders-"))
    started = time.monotonic()
    failures: list[str] = []
    results = None
    try:
        results = run(options, tmp)
    except BenchError as error:
        failures.append(str(error))
        say(f"FAILED: {error}")
    finally:
        with contextlib.suppress(Exception):
            from django.db import connections

            connections.close_all()
        with contextlib.suppress(Exception):
            admin("DROP DATABASE IF EXISTS {} WITH (FORCE)", DATABASE)
        with contextlib.suppress(Exception):
            flush_redis(options.redis)
        lock.close()
    lines: list[str] = []
    if results:
        lines, more = report(options, results)
        failures += more
        for r in results["rounds"]:
            if r["profile"]:
                lines.append(f"  py-spy, worker x{r['concurrency']}: share of busy samples")
                lines += r["profile"]
        if options.json:
            options.json.write_text(json.dumps(results, indent=1, default=str))
    say("\n" + "=" * 100)
    say("\n".join(lines + [f"FAILED {failure.splitlines()[0]}" for failure in failures]))
    say(f"({time.monotonic() - started:.0f} s in all)")
    if failures or options.keep:
        say(f"logs kept in {tmp}")
    else:
        shutil.rmtree(tmp, ignore_errors=True)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
