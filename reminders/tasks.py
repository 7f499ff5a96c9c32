"""Celery tasks: thin wrappers; the work is in reminders.services and reminders.dispatch."""

from celery import shared_task

from .dispatch import outbox_send
from .services import outbox_sweep, reminders_tick


@shared_task(name="reminders.send", acks_late=True, ignore_result=True)
def send_notifications(notification_ids: list[int]) -> dict:
    # acks_late: if the worker dies mid-batch the broker re-delivers the task; the rows it
    # already sent are no longer `queued`, so they are not claimed or sent again.
    return outbox_send(notification_ids)


@shared_task(name="reminders.tick", ignore_result=True)
def tick() -> dict:
    counts = reminders_tick()
    counts["swept"] = outbox_sweep()
    return counts


@shared_task(name="reminders.advice_scan", ignore_result=True)
def advice_scan_task(everyone: bool = False) -> int:
    from .advice import advice_scan

    return advice_scan(everyone=everyone)
