"""haelapp benchmarks: one command, `python bench/run.py` (see bench/README.md).

1. diary PUT: gunicorn (3 sync workers) + PostgreSQL under 16 concurrent connections from wrk,
   against the app's `PUT /api/v1/diary/{date}/` for both of its clients (an API token; the
   web app's session cookie with its CSRF header), and against a bare DRF view that validates
   one field and inserts one row (bench/bare_urls.py, token).
2. physio patient list: server time and query count of `GET /api/v1/patients/` for caseloads
   of 10, 300 and 1,000 patients with a year of diary entries each, measured in-process with
   Redis as the cache, with every row cached, some patients written since and nothing cached
   (bench/patient_list.py).

Each benchmark creates its own database (haelapp_bench, haelapp_bench_list), and drops it at the
end, also on failure. No other database is touched. Exit status: 0 when everything ran (aims
missed are reported, not failed), 1 when a run failed (a non-2xx answer, a differing query count,
a crash), 2 for bad usage or a missing tool.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import os
import resource
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from project_venv import ROOT, enter  # bench/ is first on sys.path

enter(__file__)

from bench.common import (  # noqa: E402
    LOCK,
    RESULT_PREFIX,
    TICKS,
    BenchError,
    acquire_lock,
    admin,
    busy_ticks,
    group_pids,
    postgres_url,
    process_ticks,
    say,
    speed_gauge,
)

DIARY_DB = "haelapp_bench"
LIST_DB = "haelapp_bench_list"
LUA = ROOT / "bench" / "diary.lua"

AIM_P99_MS = 60.0  # for each client of the app; the ratio to the bare view is only printed
AIM_LIST_MS = 100.0  # median, for a caseload of AIM_LIST_PATIENTS
AIM_LIST_PATIENTS = 300
# The list's own Redis database, flushed before and after (bench/morning.py uses 12).
DEFAULT_LIST_CACHE = "redis://127.0.0.1:6379/11"
# Other processes using more CPU than this during a run make the diary figures unreliable.
NOISE_CPUS = 0.15

# The caller's app configuration must not leak into a benchmark (the README lists these).
# CONN_MAX_AGE is left alone on purpose: `CONN_MAX_AGE=0 python bench/run.py` shows what a
# connection per request costs.
APP_VARIABLES = (
    "DEBUG",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "CSRF_TRUSTED_ORIGINS",
    "SITE_URL",
    "DATABASE_URL",
    "DATABASE_CONNECT_TIMEOUT",
    "CELERY_BROKER_URL",
    "CELERY_RESULT_BACKEND",
    "CELERY_VISIBILITY_TIMEOUT",
    "CACHE_URL",
    "EMAIL_BACKEND",
    "EMAIL_HOST",
    "EMAIL_PORT",
    "EMAIL_HOST_USER",
    "EMAIL_HOST_PASSWORD",
    "EMAIL_USE_TLS",
    "DEFAULT_FROM_EMAIL",
    "INVITATION_VALID_DAYS",
    "INVITATION_THROTTLE",
    "API_TOKEN_TTL_DAYS",
    "LOGIN_FAILURE_LIMIT",
    "LOGIN_COOLOFF_MINUTES",
    "TRUSTED_PROXY_COUNT",
    "BEHIND_TLS_PROXY",
    "SECURE_SSL_REDIRECT",
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "LOG_LEVEL",
    "HAELAPP_VAR_DIR",
    "ENV_FILE",
    "ROOT_URLCONF",
    "DJANGO_SETTINGS_MODULE",
)


# --- PostgreSQL -----------------------------------------------------------------------------


def create_database(database: str) -> None:
    drop_database(database)  # left over from an interrupted run
    admin("CREATE DATABASE {}", database)


def drop_database(database: str) -> None:
    # FORCE: ends connections still open (a gunicorn worker that did not exit in time).
    admin("DROP DATABASE IF EXISTS {} WITH (FORCE)", database)


# --- processes ------------------------------------------------------------------------------


def django_env(database: str, tmp: Path, **extra: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key not in APP_VARIABLES}
    env.update(
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1,localhost,testserver",
        SECURE_SSL_REDIRECT="false",
        SESSION_COOKIE_SECURE="false",
        CSRF_COOKIE_SECURE="false",
        SECURE_HSTS_SECONDS="0",
        DATABASE_URL=postgres_url(database),
        HAELAPP_VAR_DIR=str(tmp / "var"),
        ENV_FILE=os.devnull,
        CELERY_BROKER_URL="filesystem://",
        CACHE_URL="locmemcache://",
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        PYTHONWARNINGS="ignore::UserWarning",
        **extra,
    )
    return env


def run_python(args: list[str], env: dict[str, str], what: str) -> None:
    result = subprocess.run([sys.executable, *args], cwd=ROOT, env=env, check=False)
    if result.returncode != 0:
        raise BenchError(f"{what} failed (exit status {result.returncode}; output above)")


def migrate(env: dict[str, str]) -> None:
    run_python(["manage.py", "migrate", "--no-input", "-v0"], env, "migrate")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def tail(path: Path, lines: int = 25) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


@contextlib.contextmanager
def gunicorn(env: dict[str, str], log_path: Path, workers: int):
    """Run gunicorn as docker-compose does (sync workers, access log on), yield its URL."""
    port = free_port()
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "haelapp.wsgi:application",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--access-logfile",
        "-",
    ]
    with log_path.open("ab") as log:
        process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: stopped as one below
        )
        try:
            url = f"http://127.0.0.1:{port}"
            wait_until_up(process, url, log_path)
            yield url, process.pid
        finally:
            stop(process)


def http_request(url: str, method: str, path: str, body=None, headers=None) -> tuple[int, bytes]:
    host, port = url.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=10)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.read()[:300]
    finally:
        connection.close()


def wait_until_up(process: subprocess.Popen, url: str, log_path: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise BenchError(f"gunicorn exited at start-up:\n{tail(log_path)}")
        try:
            http_request(url, "GET", "/healthz")
            return  # it answers, whatever the status: /healthz itself is not measured
        except OSError:
            time.sleep(0.2)
    raise BenchError(f"gunicorn did not answer within 60 s:\n{tail(log_path)}")


def stop(process: subprocess.Popen) -> None:
    """SIGTERM to the master (graceful), then SIGKILL to its process group if needed."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=20)
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)  # only gunicorn's own group: workers left over
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(timeout=5)


# --- CPU accounting: how much of the machine the benchmark had ------------------------------


def postgres_pids(database: str) -> list[int]:
    """Backends of the benchmark database and PostgreSQL's own background processes."""
    import psycopg

    with psycopg.connect(postgres_url("postgres"), autocommit=True, connect_timeout=5) as conn:
        rows = conn.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = %s OR datname IS NULL", [database]
        ).fetchall()
    return [pid for (pid,) in rows]


class CpuMeter:
    """CPU used during a run by the benchmark's processes (gunicorn, its PostgreSQL backends,
    wrk) and by everything else on the machine (other people's tests, say)."""

    def __init__(self, pgid: int, database: str):
        self.pgid, self.database = pgid, database

    def _ours(self) -> dict[int, int]:
        pids = group_pids(self.pgid) + postgres_pids(self.database)
        return {pid: process_ticks(pid) for pid in pids}

    def __enter__(self):
        self.start = time.monotonic()
        self.children = resource.getrusage(resource.RUSAGE_CHILDREN)
        self.ours = self._ours()
        self.busy = busy_ticks()
        return self

    def __exit__(self, *exc):
        busy = busy_ticks() - self.busy
        after = self._ours()
        ours = sum(ticks - self.ours.get(pid, 0) for pid, ticks in after.items())
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        wrk_seconds = (children.ru_utime + children.ru_stime) - (
            self.children.ru_utime + self.children.ru_stime
        )
        ours += wrk_seconds * TICKS
        elapsed = (time.monotonic() - self.start) * TICKS
        self.ours_seconds = ours / TICKS
        self.ours_cpus = ours / elapsed
        self.other_cpus = max(0.0, (busy - ours) / elapsed)
        return False


def wait_for_quiet(limit: float) -> float:
    """Wait up to `limit` seconds until the machine is quiet: the CPUs other processes used
    over the last second (the benchmark's own processes are idle meanwhile)."""
    deadline = time.monotonic() + limit
    told = False
    while True:
        busy, start = busy_ticks(), time.monotonic()
        time.sleep(1)
        load = (busy_ticks() - busy) / ((time.monotonic() - start) * TICKS)
        if load <= NOISE_CPUS or time.monotonic() >= deadline:
            return load
        if not told:
            say(f"        waiting up to {limit:.0f} s for a quiet machine (others: {load:.2f})")
            told = True


# --- the diary PUT benchmark ----------------------------------------------------------------


def ensure_wrk() -> str:
    found = shutil.which("wrk")
    if found:
        return found
    if os.geteuid() != 0:
        raise BenchError(
            "wrk is not installed. Install it with `sudo apt-get install -y wrk` (Debian/Ubuntu)"
            " or from https://github.com/wg/wrk, then run again."
        )
    say("  wrk is missing: apt-get install -y wrk")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    install = ["apt-get", "install", "-y", "-q", "wrk"]
    if subprocess.run(install, env=env, check=False).returncode != 0:
        subprocess.run(["apt-get", "update", "-q"], env=env, check=False)
        subprocess.run(install, env=env, check=False)
    found = shutil.which("wrk")
    if not found:
        raise BenchError("could not install wrk with apt-get; install it and run again")
    return found


def client_headers(path: Path) -> dict[str, str]:
    """The first patient's request headers in a clients file of bench/diary_setup.py."""
    first = path.read_text().splitlines()[0]
    return dict(pair.split(": ", 1) for pair in first.split("\t"))


def check_put(url: str, prefix: str, clients: Path, day: str) -> None:
    """One PUT before the load: a clear message now beats 10,000 failed requests."""
    body = json.dumps({"morning_pain": 4, "recorded_at": "2000-01-01T06:00:00Z"})
    headers = {**client_headers(clients), "Content-Type": "application/json"}
    status, text = http_request(url, "PUT", f"{prefix}{day}/", body, headers)
    if not 200 <= status < 300:
        raise BenchError(f"PUT {prefix}{day}/ answered {status} before the load: {text!r}")


def run_wrk(wrk: str, url: str, prefix: str, seconds: int, options, clients: Path, setup) -> dict:
    threads = min(options.wrk_threads, options.connections)
    command = [
        wrk,
        "--threads",
        str(threads),
        "--connections",
        str(options.connections),
        "--duration",
        f"{seconds}s",
        "--timeout",
        "5s",
        "--latency",
        "--script",
        str(LUA),
        url,
        "--",
        str(clients),
        prefix,
        setup["today"],
        setup["yesterday"],
        str(threads),
    ]
    result = subprocess.run(
        command, capture_output=True, text=True, timeout=seconds + 60, check=False
    )
    lines = [line for line in result.stdout.splitlines() if line.startswith(RESULT_PREFIX)]
    if result.returncode != 0 or not lines:
        raise BenchError(
            f"wrk failed (exit status {result.returncode}):\n{result.stdout}\n{result.stderr}"
        )
    figures = json.loads(lines[-1][len(RESULT_PREFIX) :])
    errors = {key: count for key, count in figures["errors"].items() if count and key != "status"}
    if figures["non2xx"] or errors:
        raise BenchError(
            f"{prefix}: {figures['non2xx']} of {figures['requests']} responses were not 2xx "
            f"(statuses {figures['statuses']}), socket errors {errors or 'none'}; first bad "
            f"answer: {figures['first_bad']!r}"
        )
    if not figures["requests"]:
        raise BenchError(f"{prefix}: wrk completed no request")
    figures["rps"] = figures["requests"] / (figures["duration_us"] / 1e6)
    return figures


def run_diary(options, tmp: Path) -> dict:
    wrk = ensure_wrk()
    data = tmp / "diary"
    say(f"[diary] database {DIARY_DB}: create and migrate")
    create_database(DIARY_DB)
    env = django_env(DIARY_DB, tmp)
    migrate(env)
    say(f"[diary] {options.patients} patients with a token and a web session each")
    run_python(
        ["-m", "bench.diary_setup", "--patients", str(options.patients), "--out", str(data)],
        {**env, "ROOT_URLCONF": "bench.bare_urls"},
        "diary set-up",
    )
    setup = json.loads((data / "setup.json").read_text())
    # (name, URLs, path, the clients' headers): the app through each of its clients, and the
    # bare view with the token.
    targets = (
        ("token", "haelapp.urls", "/api/v1/diary/", data / "token.txt"),
        ("session", "haelapp.urls", "/api/v1/diary/", data / "session.txt"),
        ("bare", "bench.bare_urls", "/bench/bare/", data / "token.txt"),
    )
    runs: dict[str, list[dict]] = {name: [] for name, *_rest in targets}
    for round_number in range(1, options.rounds + 1):
        for name, urlconf, prefix, clients in targets:
            log = tmp / f"gunicorn-{name}.log"
            with gunicorn({**env, "ROOT_URLCONF": urlconf}, log, options.workers) as (url, pgid):
                check_put(url, prefix, clients, setup["today"])
                if options.wait_quiet > 0:
                    wait_for_quiet(options.wait_quiet)
                say(
                    f"[diary] {name}: round {round_number}/{options.rounds}, warm-up "
                    f"{options.warmup} s, then {options.duration} s at {options.connections} "
                    "connections"
                )
                try:
                    run_wrk(wrk, url, prefix, options.warmup, options, clients, setup)
                    with CpuMeter(pgid, DIARY_DB) as cpu:
                        figures = run_wrk(
                            wrk, url, prefix, options.duration, options, clients, setup
                        )
                except BenchError as error:
                    raise BenchError(f"{error}\n-- gunicorn log ({log}):\n{tail(log)}") from None
                figures["cpus"], figures["other_cpus"] = cpu.ours_cpus, cpu.other_cpus
                # CPU time (gunicorn, its PostgreSQL backends, wrk) per request: unlike the
                # throughput, hardly changed by other processes competing for the CPUs.
                figures["cpu_ms"] = cpu.ours_seconds * 1000 / figures["requests"]
                say(
                    f"        {figures['rps']:.0f} req/s, p50 {figures['p50_us'] / 1000:.1f} ms, "
                    f"p99 {figures['p99_us'] / 1000:.1f} ms, statuses {figures['statuses']}; "
                    f"CPUs used: {cpu.ours_cpus:.2f} by the benchmark, {cpu.other_cpus:.2f} by "
                    "other processes"
                )
                runs[name].append(figures)
    return {"setup": setup, "runs": runs}


# --- the patient list benchmark -------------------------------------------------------------


def run_list(options, tmp: Path) -> dict:
    say(f"[list] database {LIST_DB}: create and migrate")
    create_database(LIST_DB)
    env = {**django_env(LIST_DB, tmp), "CACHE_URL": options.list_cache}
    migrate(env)
    out = tmp / "list.json"
    say(
        f"[list] generating caseloads of {options.list_patients} patients with {options.days} "
        f"days of diary, programme and completions each; cache {options.list_cache}"
    )
    command = [
        "-m",
        "bench.patient_list",
        "--caseloads",
        options.list_patients,
        "--days",
        str(options.days),
        "--runs",
        str(options.runs),
        "--out",
        str(out),
    ]
    if options.profile:
        command.append("--profile")
    run_python(command, env, "the patient list benchmark")
    return json.loads(out.read_text())


# --- the report -----------------------------------------------------------------------------


def verdict(ok: bool) -> str:
    return "ok" if ok else "MISSED"


def median_run(runs: list[dict]) -> dict:
    """Of several rounds, the one with the median throughput (the higher of two)."""
    ordered = sorted(runs, key=lambda run: run["rps"])
    return ordered[len(ordered) // 2]


def report_diary(result: dict, options) -> list[str]:
    medians = {name: median_run(runs) for name, runs in result["runs"].items()}
    bare = medians["bare"]
    rounds = f", median of {options.rounds} rounds" if options.rounds > 1 else ""
    lines = [
        f"diary PUT (gunicorn {options.workers} workers, PostgreSQL, {options.connections} "
        f"connections, {options.duration} s{rounds})"
    ]
    labels = {"token": "app, token  ", "session": "app, session", "bare": "bare, token "}
    for name, run in medians.items():
        lines.append(
            f"  {labels[name]}: {run['rps']:.0f} req/s  p50 {run['p50_us'] / 1000:.1f} ms  "
            f"p99 {run['p99_us'] / 1000:.1f} ms  ({run['requests']} requests, all 2xx; "
            f"{run['cpu_ms']:.1f} ms CPU each; CPUs: {run['cpus']:.2f} benchmark, "
            f"{run['other_cpus']:.2f} other)"
        )
    for name in ("token", "session"):
        app = medians[name]
        p99 = app["p99_us"] / 1000
        lines.append(
            f"  {name:<7}: p99 {p99:.1f} ms (aim < {AIM_P99_MS:.0f} ms: "
            f"{verdict(p99 < AIM_P99_MS)});  ratio app/bare {app['rps'] / bare['rps']:.2f}, "
            f"of CPU per request bare/app {bare['cpu_ms'] / app['cpu_ms']:.2f}"
        )
    noisy = max(run["other_cpus"] for run in medians.values())
    if noisy > NOISE_CPUS:
        lines.append(
            f"  WARNING: other processes used up to {noisy:.2f} CPUs during the runs: figures are"
            " low and the ratios unreliable. Rerun on a quiet machine, or with --rounds 3."
        )
    queries = result["setup"].get("queries")
    if queries:
        lines.append(
            "  queries per request: "
            + ", ".join(
                f"{client} {queries[f'{client}_create']['count']} (create), "
                f"{queries[f'{client}_update']['count']} (update)"
                for client in ("token", "session")
            )
            + f"; bare {queries['bare']['count']}"
        )
    return lines


def report_list(result: dict) -> tuple[list[str], bool]:
    caseloads = sorted(result["caseloads"].values(), key=lambda figures: figures["patients"])
    lines = [
        f"physio patient list (in-process server time, {caseloads[-1]['runs']} runs; "
        f"{result['days']} days of diary per patient; cache: {result['cache']}), by how many "
        "patients wrote since the list was cached:"
    ]
    same = True
    for mode in caseloads[-1]["modes"]:
        counts = {figures["modes"][mode]["queries"] for figures in caseloads}
        same_here = len(counts) == 1
        same = same and same_here
        lines.append(
            f"  {mode} (same query count for every caseload: {'ok' if same_here else 'FAILED'}):"
        )
        for figures in caseloads:
            these = figures["modes"][mode]
            aim = ""
            if figures["patients"] == AIM_LIST_PATIENTS:
                ok = these["median_ms"] < AIM_LIST_MS
                aim = f" (aim < {AIM_LIST_MS:.0f} ms: {verdict(ok)})"
            lines.append(
                f"    {figures['patients']:>5} patients : median {these['median_ms']:.0f} ms, "
                f"p95 {these['p95_ms']:.0f} ms{aim}; {these['queries']} queries, "
                f"SQL {these['db_ms']:.0f} ms"
            )
    return lines, same


def print_details(results: dict) -> None:
    queries = results.get("diary", {}).get("setup", {}).get("queries")
    if queries:
        say("\nqueries of one diary PUT (in-process, same settings):")
        for name, entry in queries.items():
            say(f"  {name} ({entry['status']}): {entry['count']} queries")
            for sql in entry["sql"]:
                say(f"    {sql}")
    listing = results.get("list")
    if listing:
        large = max(listing["caseloads"].values(), key=lambda figures: figures["patients"])
        for mode, figures in large["modes"].items():
            say(f"\nslowest queries of one {large['patients']}-patient list request ({mode}):")
            for query in figures["slowest_queries"]:
                say(f"  {query['ms']:7.1f} ms  {query['sql'][:300]}")
            if figures.get("profile"):
                say(f"\nprofile of one list request ({mode}; cProfile, cumulative):")
                say(figures["profile"])


def machine() -> str:
    """The machine, and how busy it is right now (one second's sample: nothing of the
    benchmark runs yet)."""
    busy, start = busy_ticks(), time.monotonic()
    time.sleep(1)
    others = (busy_ticks() - busy) / ((time.monotonic() - start) * TICKS)
    note = "  (busy: figures may be low)" if others > NOISE_CPUS else ""
    return (
        f"machine: {os.cpu_count()} CPUs, {others:.2f} in use by other processes at start{note}; "
        f"speed gauge {speed_gauge():.0f} ms (bench.common.speed_gauge, lower is faster)"
    )


# --- main -----------------------------------------------------------------------------------


def parse_args(argv: list[str] | None):
    parser = argparse.ArgumentParser(
        description="haelapp benchmarks: diary PUT throughput and the physio's patient list."
    )
    parser.add_argument("--only", choices=["diary", "list"], help="run one benchmark")
    parser.add_argument(
        "--quick", action="store_true", help="short runs (5 s load, 60 days of diary, 5 runs)"
    )
    diary = parser.add_argument_group("diary PUT")
    diary.add_argument("--duration", type=int, help="seconds measured per target (15)")
    diary.add_argument("--warmup", type=int, help="seconds of warm-up per target (3)")
    diary.add_argument(
        "--rounds", type=int, default=1, help="rounds of token, session and bare, median (1)"
    )
    diary.add_argument("--connections", type=int, default=16)
    diary.add_argument("--workers", type=int, default=3, help="gunicorn workers (3)")
    diary.add_argument("--wrk-threads", type=int, default=2)
    diary.add_argument("--patients", type=int, default=500, help="patients writing (500)")
    diary.add_argument(
        "--wait-quiet",
        type=float,
        default=30,
        help="seconds to wait at most, before each measured run, for other processes to use "
        f"less than {NOISE_CPUS} CPUs (30; 0: do not wait)",
    )
    listing = parser.add_argument_group("patient list")
    listing.add_argument(
        "--list-patients", default="10,300,1000", help="caseloads, patients per physio"
    )
    listing.add_argument(
        "--list-cache",
        default=DEFAULT_LIST_CACHE,
        help=f"the cache's URL, flushed before and after ({DEFAULT_LIST_CACHE})",
    )
    listing.add_argument("--days", type=int, help="days of diary per patient (365)")
    listing.add_argument("--runs", type=int, help="timed requests per list (20)")
    listing.add_argument(
        "--profile", action="store_true", help="print a cProfile of one large list request"
    )
    parser.add_argument(
        "--lock-wait", type=float, default=1800, help="seconds to wait for another benchmark"
    )
    options = parser.parse_args(argv)
    quick = options.quick
    options.duration = options.duration or (5 if quick else 15)
    options.warmup = options.warmup if options.warmup is not None else (1 if quick else 3)
    options.days = options.days or (60 if quick else 365)
    options.runs = options.runs or (5 if quick else 20)
    if not 1 <= options.days <= 366:
        parser.error("--days must be 1..366 (a programme starts at most a year ago)")
    if options.rounds < 1 or options.connections < 1 or options.patients < options.wrk_threads:
        parser.error("--rounds, --connections must be >= 1 and --patients >= --wrk-threads")
    return options


def main(argv: list[str] | None = None) -> int:
    options = parse_args(argv)
    # SIGTERM (a CI timeout, kill) unwinds like Ctrl-C, so the clean-up below still runs.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    lock = acquire_lock(options.lock_wait)
    if lock is None:
        say(f"another benchmark run held {LOCK} for {options.lock_wait:.0f} s; giving up")
        return 2

    tmp = Path(tempfile.mkdtemp(prefix="haelapp-bench-"))
    context = machine()
    say(context)
    started = time.monotonic()
    results: dict = {}
    failures: list[str] = []
    wanted = [options.only] if options.only else ["diary", "list"]
    try:
        for name, run, database in (("diary", run_diary, DIARY_DB), ("list", run_list, LIST_DB)):
            if name not in wanted:
                continue
            try:
                results[name] = run(options, tmp)
            except BenchError as error:
                failures.append(f"{name}: {error}")
                say(f"[{name}] FAILED: {error}")
            finally:
                say(f"[{name}] dropping database {database}")
                drop_database(database)
    finally:
        for database in (DIARY_DB, LIST_DB):
            with contextlib.suppress(Exception):
                drop_database(database)
        if failures:
            say(f"logs kept in {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)

    print_details(results)
    lines = [context]
    if "diary" in results:
        lines += report_diary(results["diary"], options)
    if "list" in results:
        list_lines, same = report_list(results["list"])
        lines += list_lines
        if not same:
            failures.append("list: the query count differs between caseloads")
    lines += [f"FAILED {failure.splitlines()[0]}" for failure in failures]
    say("\n" + "=" * 100)
    say("\n".join(lines))
    say(f"({time.monotonic() - started:.0f} s in all)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
