"""A real Celery worker process for tests: consumes a private queue on Redis and uses the
test database, so a test exercises the broker, the worker and the database as deployed."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Collection
from pathlib import Path

import redis
from django.conf import settings
from django.db import connection

from haelapp.celery import app

ROOT = Path(__file__).resolve().parent.parent


def database_url() -> str:
    db = connection.settings_dict
    user = db.get("USER") or "postgres"
    return (
        f"postgres://{user}@{db.get('HOST') or '127.0.0.1'}:{db.get('PORT') or 5432}/{db['NAME']}"
    )


class Worker:
    """A worker on a private queue, or on `queue` to share one with other workers (and a beat).
    Its output goes to a file (a pipe nobody reads would fill and stall it); `stop()` and
    `output()` return it."""

    def __init__(self, redis_url: str, tmp_path: Path, queue: str | None = None, **extra_env):
        self.queue = queue or f"test-{uuid.uuid4().hex[:12]}"
        self.redis_url = redis_url
        self.mail_dir = tmp_path / "mail"
        self.log_path = tmp_path / f"{type(self).__name__.lower()}-{uuid.uuid4().hex[:8]}.log"
        self.env = os.environ | {
            "DATABASE_URL": database_url(),
            "CELERY_BROKER_URL": redis_url,
            "ENV_FILE": "/nonexistent",
            "HAELAPP_VAR_DIR": str(tmp_path),
            "VAPID_PRIVATE_KEY": settings.VAPID_PRIVATE_KEY,
            "VAPID_CONTACT": settings.VAPID_CONTACT,
            "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "EMAIL_FILE_PATH": str(self.mail_dir),
            "PUSH_RETRY_BASE_SECONDS": "1",
            "CELERY_TASK_DEFAULT_QUEUE": self.queue,
            **extra_env,
        }
        self.process: subprocess.Popen | None = None
        self._saved = None

    def route_here(self) -> None:
        """Make this test process publish to Redis, on the worker's private queue."""
        # Celery reads CELERY_BROKER_URL from the environment before its own configuration.
        self._saved = (os.environ.get("CELERY_BROKER_URL"), app.conf.task_default_queue)
        os.environ["CELERY_BROKER_URL"] = self.redis_url
        app.conf.task_default_queue = self.queue
        app._pool = None
        app.amqp._producer_pool = None

    def restore(self) -> None:
        if self._saved:
            broker, app.conf.task_default_queue = self._saved
            if broker is None:
                os.environ.pop("CELERY_BROKER_URL", None)
            else:
                os.environ["CELERY_BROKER_URL"] = broker
            app._pool = None
            app.amqp._producer_pool = None

    def command(self) -> list[str]:
        return [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "haelapp",
            "worker",
            "--pool",
            "solo",
            "--queues",
            self.queue,
            "--without-heartbeat",
            "--without-mingle",
            "--without-gossip",
            "--loglevel",
            "INFO",
        ]

    def start(self) -> Worker:
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                self.command(),
                cwd=ROOT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        return self

    def output(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def kill(self) -> None:
        """SIGKILL: no clean-up, no acknowledgement, as when a machine dies."""
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)

    def stop(self) -> str:
        if self.process is None:
            return ""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()
        self.process = None
        return self.output()

    def wait_until_done(self, timeout=30.0, ignore: Collection[str] = ()) -> None:
        """Until every task sent to this worker's queue is done (see tasks_pending)."""
        wait_until_done(self.redis_url, self.queue, timeout=timeout, ignore=ignore)

    def emails(self) -> list[str]:
        """Every message the worker sent, one string each. Django's file backend appends each
        message and a line of 79 dashes to a file named by the second and the connection's id,
        so two messages sent within a second can share a file (a reused id): split them."""
        if not self.mail_dir.exists():
            return []
        separator = "\n" + "-" * 79 + "\n"
        return [
            message + "\n"
            for path in sorted(self.mail_dir.iterdir())
            for message in path.read_text().split(separator)
            if message.strip()
        ]


class Beat(Worker):
    """Celery beat, publishing its schedule to `queue` (the workers' shared one). It keeps its
    schedule file in its own HAELAPP_VAR_DIR, as each machine has its own var/."""

    def command(self) -> list[str]:
        return [sys.executable, "-m", "celery", "-A", "haelapp", "beat", "--loglevel", "INFO"]


def unacked(redis_url: str, queue: str) -> set[str]:
    """The delivery tags of the messages of `queue` that a worker took and has not yet
    acknowledged: kombu's Redis transport keeps them in its `unacked` hash until the ack, and
    a killed worker's stay there until the visibility timeout hands them out again."""
    client = redis.Redis.from_url(redis_url)
    try:
        taken = client.hgetall("unacked")
    finally:
        client.close()
    return {tag.decode() for tag, raw in taken.items() if json.loads(raw)[2] == queue}


def tasks_pending(redis_url: str, queue: str, ignore: Collection[str] = ()) -> int:
    """Tasks sent to `queue` and not yet done: waiting in it, or taken by a worker and not yet
    acknowledged (but for the delivery tags in `ignore`, a killed worker's).

    The send task acknowledges late, after its work, and a retry is a new message published
    before the old one is acknowledged: at 0, nothing more will be sent until something
    enqueues again. A test waits for that instead of sleeping "long enough" for a duplicate.
    """
    client = redis.Redis.from_url(redis_url)
    try:
        waiting = client.llen(queue)
    finally:
        client.close()
    return waiting + len(unacked(redis_url, queue) - set(ignore))


def wait_until_done(redis_url: str, queue: str, timeout=30.0, ignore: Collection[str] = ()):
    """Until every task sent to `queue` is done (tasks_pending), seen twice in a row: a worker
    moves a message from the queue to the `unacked` hash in two steps."""
    seen = []

    def idle() -> bool:
        seen.append(tasks_pending(redis_url, queue, ignore) == 0)
        return seen[-2:] == [True, True]

    wait_until(idle, timeout=timeout, message=f"every task sent to {queue} done")


def wait_until(predicate, timeout=30.0, message="condition"):
    """Poll `predicate` until it holds: what a worker does happens in its own time."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {message}")
