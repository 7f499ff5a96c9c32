from celery import shared_task

from .backend import SessionStore


@shared_task(name="usersessions.delete_expired", ignore_result=True)
def delete_expired_sessions() -> None:
    """Expired sessions are refused already; deleting them nightly keeps the table from
    holding, for ever, who was logged in when (Django's `clearsessions`, as a task)."""
    SessionStore.clear_expired()
