"""Celery tasks: thin wrappers; the work is in reminders.services and reminders.dispatch."""

from celery import shared_task
from celery.signals import worker_process_shutdown

from .dispatch import outbox_send
from .sender import close_sender
from .services import outbox_sweep, reminders_tick


@shared_task(name="reminders.send", acks_late=True, ignore_result=True)
def send_notifications(notification_ids: list[int]) -> dict:
    # acks_late: if the worker dies mid-batch the broker re-delivers the task; the rows it
    # already sent are no longer `queued`, so they are not claimed or sent again.
    return outbox_send(notification_ids)


@worker_process_shutdown.connect
def _close_push_sender(**_kwargs) -> None:
    # The push sender (event loop, HTTP session) lives as long as the worker process; close
    # its connections cleanly rather than leave the push service to time them out.
    close_sender()


@shared_task(name="reminders.tick", ignore_result=True)
def tick() -> dict:
    from .digest import digests_queue

    counts = reminders_tick()
    counts["digests"] = digests_queue()
    counts["swept"] = outbox_sweep()
    return counts


@shared_task(name="reminders.advice_scan", ignore_result=True)
def advice_scan_task(everyone: bool = False) -> int:
    from .advice import advice_scan

    return advice_scan(everyone=everyone)
