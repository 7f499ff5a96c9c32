#!/usr/bin/env python3
"""The two quick-start commands, with nothing but Python 3.11+ on the machine.

    python3 dev.py run     set everything up and run the service (web, Celery worker and beat)
    python3 dev.py test    set everything up and run the whole test suite

Set-up is the same for both and is skipped when nothing changed: a virtual environment in
.venv with the locked dependencies, compiled translations and a migrated database.
"""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import time
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
LOCK = ROOT / "requirements" / "dev.lock"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / "python"


def say(message: str) -> None:
    print(f"\033[1m==> {message}\033[0m", flush=True)


def run(*args: str | Path, **kwargs) -> None:
    subprocess.run([str(a) for a in args], check=True, cwd=ROOT, **kwargs)


def ensure_environment() -> None:
    if sys.version_info < (3, 11):
        sys.exit("haelapp needs Python 3.11 or newer.")
    if not PYTHON.exists():
        say("Creating the virtual environment in .venv")
        venv.create(VENV, with_pip=True)
    marker = VENV / ".installed-lock"
    digest = hashlib.sha256(LOCK.read_bytes()).hexdigest()
    if not marker.exists() or marker.read_text() != digest:
        say("Installing the locked dependencies (requirements/dev.lock)")
        run(
            PYTHON,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            "--require-hashes",
            "-r",
            LOCK,
        )
        marker.write_text(digest)
    say("Compiling translations")
    run(PYTHON, "manage.py", "compiletranslations", "--verbosity", "0")


def manage(*args: str) -> None:
    run(PYTHON, "manage.py", *args)


def cmd_run() -> int:
    ensure_environment()
    if "VAPID_PRIVATE_KEY" not in os.environ:
        say("Making sure .env has a VAPID key for Web Push")
        manage("generate_vapid_keys", "--env-file", str(ROOT / ".env"))
    say("Migrating the database")
    manage("migrate", "--no-input", "--verbosity", "0")
    say("Loading the demo data")
    demo = subprocess.run(
        [str(PYTHON), "manage.py", "demo_data"],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    print(demo, end="")
    host = os.environ.get("HOST", "127.0.0.1")
    port = os.environ.get("PORT", "8000")
    processes = {
        "web": [PYTHON, "manage.py", "runserver", f"{host}:{port}", "--noreload"],
        "worker": [
            BIN / "celery",
            "-A",
            "haelapp",
            "worker",
            "--loglevel",
            "INFO",
            "--concurrency",
            "2",
        ],
        "beat": [BIN / "celery", "-A", "haelapp", "beat", "--loglevel", "INFO"],
    }
    # Links in e-mails (reminders, invitations) point at where this run listens.
    child_env = {**os.environ, "SITE_URL": os.environ.get("SITE_URL", f"http://{host}:{port}")}
    children = {}
    for name, command in processes.items():
        say(f"Starting {name}")
        children[name] = subprocess.Popen([str(c) for c in command], cwd=ROOT, env=child_env)

    time.sleep(2)
    say(
        f"haelapp runs at http://{host}:{port}/  (API docs: http://{host}:{port}/api/docs/, "
        f"admin: http://{host}:{port}/admin/). Press Ctrl+C to stop."
    )

    def stop(*_):
        for child in children.values():
            if child.poll() is None:
                child.terminate()
        for child in children.values():
            try:
                child.wait(timeout=10)
            except subprocess.TimeoutExpired:
                child.kill()

    signal.signal(signal.SIGTERM, lambda *_: (stop(), sys.exit(0)))
    try:
        while all(child.poll() is None for child in children.values()):
            time.sleep(1)
        failed = [name for name, child in children.items() if child.poll() is not None]
        say(f"{', '.join(failed)} stopped; stopping the rest")
        return 1
    except KeyboardInterrupt:
        return 0
    finally:
        stop()


def cmd_test(pytest_args: list[str]) -> int:
    ensure_environment()
    database = os.environ.get("DATABASE_URL", "SQLite (embedded default)")
    say(f"Running the test suite on {database.split('@')[-1]}")
    result = subprocess.run([str(PYTHON), "-m", "pytest", *pytest_args], cwd=ROOT)
    return result.returncode


def main(argv: list[str]) -> int:
    if len(argv) < 2 or argv[1] not in {"run", "test"}:
        print(__doc__)
        return 2
    if argv[1] == "run":
        return cmd_run()
    return cmd_test(argv[2:])


if __name__ == "__main__":
    sys.exit(main(sys.argv))
