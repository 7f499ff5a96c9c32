"""Shared by the benchmark driver and the parts that run inside Django."""

import contextlib
import fcntl
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Every database the benchmarks create, use and drop starts with this; nothing else is touched.
BENCH_DB_PREFIX = "haelapp_bench"
RESULT_PREFIX = "BENCH_RESULT "


def is_bench_database(name: str) -> bool:
    return name == BENCH_DB_PREFIX or name.startswith(BENCH_DB_PREFIX + "_")


def django_setup() -> None:
    """Start Django for a benchmark part; refuse any database but a benchmark one."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "haelapp.settings")
    import warnings

    import django
    from django.conf import settings

    # Whitenoise warns that collectstatic has not run; these benchmarks serve no static files.
    warnings.filterwarnings("ignore", "No directory at", UserWarning)
    django.setup()
    database = settings.DATABASES["default"]
    if database["ENGINE"] != "django.db.backends.postgresql" or not is_bench_database(
        database["NAME"]
    ):
        raise SystemExit(
            f"refusing to run: DATABASE_URL must name a PostgreSQL database called "
            f"{BENCH_DB_PREFIX}* (got {database['ENGINE']} {database['NAME']!r})"
        )


# --- shared by bench/run.py and bench/reminders.py --------------------------------------------

# One benchmark at a time on this machine: two at once would measure each other.
LOCK = Path(tempfile.gettempdir()) / "haelapp-bench.lock"
TICKS = os.sysconf("SC_CLK_TCK")


class BenchError(Exception):
    """A benchmark could not run or its run was not valid."""


def say(message: str) -> None:
    print(message, flush=True)


def postgres_url(database: str) -> str:
    base = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432")
    return f"{base.rstrip('/')}/{database}"


def admin(statement: str, database: str) -> None:
    """CREATE or DROP one benchmark database, from the maintenance database."""
    import psycopg
    from psycopg import sql

    if not is_bench_database(database):
        raise BenchError(f"refusing to touch database {database!r}")
    with psycopg.connect(postgres_url("postgres"), autocommit=True, connect_timeout=5) as conn:
        conn.execute(sql.SQL(statement).format(sql.Identifier(database)))


def speed_gauge(rounds: int = 5) -> float:
    """Milliseconds of CPU a fixed piece of plain Python takes here (the best of `rounds`):
    string formatting, dict reads and writes and calls, the kind of work a Django request is
    made of. The machines these benchmarks run on change speed by a third and more within an
    hour, so a figure is read beside the gauge taken with it (lower is faster)."""

    def work() -> int:
        counts: dict[str, int] = {}
        total = 0
        for number in range(300_000):
            key = f"key-{number % 500}"
            counts[key] = counts.get(key, 0) + number
            total += len(key)
        return total

    best = float("inf")
    for _ in range(rounds):
        started = time.process_time()
        work()
        best = min(best, time.process_time() - started)
    return best * 1000


def busy_ticks() -> int:
    """CPU time spent by the whole machine (all CPUs), from /proc/stat."""
    fields = [int(value) for value in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:9]]
    return sum(fields) - fields[3] - fields[4]  # all but idle and iowait


def process_ticks(pid: int) -> int:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return 0
    return int(fields[11]) + int(fields[12])  # utime + stime


def group_pids(pgid: int) -> list[int]:
    pids = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, IndexError, ValueError):
            if int(stat.read_text().rsplit(")", 1)[1].split()[2]) == pgid:
                pids.append(int(stat.parent.name))
    return pids


def acquire_lock(wait: float):
    """One benchmark at a time on this machine (bench/reminders.py takes the same lock): two
    at once would measure each other."""
    lock = LOCK.open("w")
    deadline = time.monotonic() + wait
    told = False
    while True:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return lock
        except BlockingIOError:
            if time.monotonic() >= deadline:
                lock.close()
                return None
            if not told:
                say(f"waiting for another benchmark run to finish ({LOCK})")
                told = True
            time.sleep(2)
