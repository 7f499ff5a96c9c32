from celery import shared_task

from .summaries import refresh_stale


@shared_task(name="progress.refresh_summaries", ignore_result=True)
def refresh_summaries() -> int:
    """Recompute the physio list's stored rows that writes deleted or a new day made stale."""
    return refresh_stale()
