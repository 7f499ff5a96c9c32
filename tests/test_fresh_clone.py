"""The README's "Running on PostgreSQL and Redis" steps, followed on a fresh clone.

A `git clone` of this repository (committed files only, as a newcomer gets them) into a
temporary folder, a database made with `createdb`, the README's three variables exported and
`python3 dev.py run` started: the web app must answer `/healthz` and let a demo login in, beat
must send its every-minute tick and a worker must run it, and Ctrl+C must stop it all cleanly.
This once failed on a fresh clone: beat could not create `var/celerybeat-schedule.dat` because
only the SQLite set-up made `var/`, and dev.py then stopped web and worker too.

The Redis is one of the test's own (tests/redis_server.py) on a free port, so its databases 0
and 1 can be used as the README says without touching anyone else's. The clone's `.venv` is a
link to this checkout's, but only when dev.py would accept it as installed (its marker holds the
hash of the clone's `requirements/dev.lock`); otherwise dev.py installs one, which takes minutes.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import httpx
import psycopg
import pytest
from django.db import connection

from .conftest import _missing
from .redis_server import RedisServer, free_port, redis_server_binary

pytestmark = [pytest.mark.postgres, pytest.mark.redis]

ROOT = Path(__file__).resolve().parent.parent
DEMO_PATIENT = "ane@demo.haelapp.dk"
DEMO_PASSWORD = "haelapp-demo-2026"
# What a shell on a fresh machine has; nothing of this test run's own configuration.
SHELL_VARIABLES = ("PATH", "HOME", "USER", "LOGNAME", "LANG", "LC_ALL", "LC_CTYPE", "TMPDIR")


def _server() -> dict:
    db = connection.settings_dict
    return {
        "host": db.get("HOST") or "127.0.0.1",
        "port": str(db.get("PORT") or 5432),
        "user": db.get("USER") or "postgres",
        "password": db.get("PASSWORD") or "",
    }


def _admin(statement: str) -> None:
    server = _server()
    with psycopg.connect(
        host=server["host"],
        port=server["port"],
        user=server["user"],
        password=server["password"] or None,
        dbname="postgres",
        autocommit=True,
        connect_timeout=5,
    ) as conn:
        conn.execute(statement)


def _venv_for(clone: Path) -> str:
    """Link the checkout's .venv into the clone if dev.py would take it as installed."""
    venv = ROOT / ".venv"
    marker = venv / ".installed-lock"
    digest = hashlib.sha256((clone / "requirements" / "dev.lock").read_bytes()).hexdigest()
    if marker.exists() and marker.read_text() == digest:
        (clone / ".venv").symlink_to(venv, target_is_directory=True)
        return "linked"
    return "installed by dev.py"


def _tail(path: Path, lines: int = 60) -> str:
    return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])


def _wait_for(predicate, timeout: float, what: str, process, log: Path) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        if process.poll() is not None:
            pytest.fail(f"dev.py exited ({process.returncode}) before {what}:\n{_tail(log)}")
        time.sleep(0.5)
    pytest.fail(f"timed out after {timeout:.0f} s waiting for {what}:\n{_tail(log)}")


def _answers(url: str) -> int | None:
    try:
        return httpx.get(url, timeout=5).status_code
    except httpx.HTTPError:
        return None


@pytest.fixture
def own_redis(tmp_path):
    if redis_server_binary() is None:
        _missing("needs the redis-server binary to start a Redis of its own")
    workdir = tmp_path / "redis"
    workdir.mkdir()
    server = RedisServer(workdir=workdir).start()
    yield server
    server.stop()


@pytest.fixture
def database():
    if shutil.which("createdb") is None:
        _missing("needs PostgreSQL's createdb command, as the README's steps use it")
    name = f"haelapp_clone_{uuid.uuid4().hex[:10]}"
    yield name
    # FORCE: ends connections a process left open if the test failed half-way.
    _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_readme_postgres_and_redis_steps_run_from_a_fresh_clone(tmp_path, own_redis, database):
    shown = []
    clone = tmp_path / "haelapp"
    subprocess.run(["git", "clone", "--quiet", str(ROOT), str(clone)], check=True, timeout=120)
    assert not (clone / "var").exists()  # var/ is not in git: nothing has made it yet
    shown.append(f"cloned {ROOT} to {clone}; venv {_venv_for(clone)}")

    server = _server()
    port = free_port()
    redis_base = f"redis://127.0.0.1:{own_redis.port}"
    credentials = server["user"] + (f":{server['password']}" if server["password"] else "")
    env = {key: os.environ[key] for key in SHELL_VARIABLES if key in os.environ}
    env.update(
        # The README's three exports, with this test's database and Redis.
        DATABASE_URL=f"postgres://{credentials}@{server['host']}:{server['port']}/{database}",
        CELERY_BROKER_URL=f"{redis_base}/0",
        CACHE_URL=f"{redis_base}/1",
        PORT=str(port),
    )
    if server["password"]:
        env["PGPASSWORD"] = server["password"]

    # The README's `createdb -h 127.0.0.1 -U postgres haelapp`.
    subprocess.run(
        ["createdb", "-h", server["host"], "-p", server["port"], "-U", server["user"], database],
        env=env,
        check=True,
        timeout=60,
    )

    log = tmp_path / "dev-run.log"
    started = time.monotonic()
    with log.open("wb") as output:
        # `python3 dev.py run`; this interpreter is a Python 3.11+ as the README asks, and dev.py
        # runs everything else with the clone's .venv.
        process = subprocess.Popen(
            [sys.executable, "dev.py", "run"],
            cwd=clone,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: Ctrl+C reaches web, worker, beat
        )
    try:
        base = f"http://127.0.0.1:{port}"
        _wait_for(
            lambda: _answers(f"{base}/healthz") == 200,
            timeout=600,
            what="/healthz to answer 200",
            process=process,
            log=log,
        )
        shown.append(f"/healthz 200 after {time.monotonic() - started:.1f} s")

        with httpx.Client(base_url=base, timeout=10) as browser:
            page = browser.get("/login/")
            assert page.status_code == 200
            token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
            assert token, page.text[:500]
            login = browser.post(
                "/login/",
                data={
                    "csrfmiddlewaretoken": token.group(1),
                    "username": DEMO_PATIENT,
                    "password": DEMO_PASSWORD,
                },
            )
            assert login.status_code == 302 and login.headers["location"] == "/", login.text[:500]
            today = browser.get("/")
            assert today.status_code == 200 and "/logout/" in today.text
        shown.append(f"log-in page 200; {DEMO_PATIENT} logged in and sees Today")

        # Beat sends its every-minute tick at the next minute and a worker runs it: both are up
        # and talk through Redis to PostgreSQL.
        _wait_for(
            lambda: re.search(r"Task reminders\.tick\[[^\]]+\] succeeded", log.read_text()),
            timeout=90,
            what="beat's tick to be run by the worker",
            process=process,
            log=log,
        )
        shown.append(f"beat's tick run by the worker after {time.monotonic() - started:.1f} s")
        time.sleep(2)
        assert process.poll() is None, _tail(log)
        schedule = list((clone / "var").glob("celerybeat-schedule*"))
        assert schedule, "beat keeps its schedule in the clone's var/"
        shown.append(f"beat's schedule in {clone / 'var'}: {sorted(p.name for p in schedule)}")

        os.killpg(process.pid, signal.SIGINT)  # Ctrl+C in the terminal
        assert process.wait(timeout=60) == 0, _tail(log)
        shown.append("Ctrl+C: dev.py and its web, worker and beat exited with status 0")
    finally:
        if process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)
        print("\n--- the README's PostgreSQL and Redis steps on a fresh clone")
        for line in shown:
            print(f"    {line}")

    text = log.read_text(errors="replace")
    assert "Traceback" not in text, _tail(log, 120)
    assert "stopped; stopping the rest" not in text, _tail(log, 120)
    # Nothing of the three outlived Ctrl+C.
    leftover = subprocess.run(
        ["pgrep", "-g", str(process.pid)], capture_output=True, text=True, check=False
    )
    assert leftover.stdout.strip() == "", leftover.stdout
