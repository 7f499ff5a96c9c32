"""The Celery app really runs tasks: a worker process started here consumes from Redis."""

import pytest
from celery import Celery

from .celery_worker import Worker


@pytest.mark.redis
def test_worker_executes_a_task_through_redis(redis_url, tmp_path):
    worker = Worker(redis_url, tmp_path, CELERY_RESULT_BACKEND=redis_url)
    worker.route_here()  # also points CELERY_BROKER_URL, which Celery reads first, at Redis
    worker.start()
    # Only a sender: not made the process's current app, which /healthz (common.health) and
    # the apps' shared tasks use for the rest of the run.
    client = Celery(broker=redis_url, backend=redis_url, set_as_current=False)
    client.conf.task_default_queue = worker.queue
    try:
        assert client.send_task("haelapp.ping").get(timeout=60) == "pong"
    finally:
        client.close()
        output = worker.stop()
        worker.restore()
    assert "Traceback" not in output, output
