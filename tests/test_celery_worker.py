"""The Celery app really runs tasks: a worker process started here consumes from Redis."""

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from celery import Celery

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.redis
def test_worker_executes_a_task_through_redis(redis_url, tmp_path, monkeypatch):
    # Celery prefers CELERY_BROKER_URL from the environment (tests default it to memory://).
    monkeypatch.setenv("CELERY_BROKER_URL", redis_url)
    queue = f"test-{uuid.uuid4().hex}"
    env = os.environ | {
        "CELERY_BROKER_URL": redis_url,
        "CELERY_RESULT_BACKEND": redis_url,
        "HAELAPP_VAR_DIR": str(tmp_path),
    }
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "haelapp",
            "worker",
            "--pool",
            "solo",
            "--queues",
            queue,
            "--without-heartbeat",
            "--without-mingle",
            "--without-gossip",
            "--loglevel",
            "WARNING",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    client = Celery(broker=redis_url, backend=redis_url)
    try:
        result = client.send_task("haelapp.ping", queue=queue)
        assert result.get(timeout=60) == "pong"
    finally:
        worker.terminate()
        output = worker.communicate(timeout=30)[0].decode()
        client.close()
    assert worker.returncode in (0, -15), output
