import os
from pathlib import Path

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "haelapp.settings")

app = Celery("haelapp")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# The embedded filesystem broker needs its folders before the first message.
for key in ("data_folder_in", "data_folder_out", "processed_folder", "control_folder"):
    folder = (app.conf.broker_transport_options or {}).get(key)
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)


@app.task(name="haelapp.ping")
def ping() -> str:
    """A no-op the health tests and operators use to prove a worker consumes the queue."""
    return "pong"
