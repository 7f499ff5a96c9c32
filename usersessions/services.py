"""Ending a user's web sessions: found by the indexed user column, not by decoding them all."""

from .models import UserSession


def user_sessions_end(*, user_id: int, keep_session_key: str | None = None) -> int:
    """Delete every session of the user, except `keep_session_key` (the one that asked).
    A deleted session is logged out at its next request. Returns how many ended."""
    sessions = UserSession.objects.filter(user_id=user_id)
    if keep_session_key:
        sessions = sessions.exclude(session_key=keep_session_key)
    deleted, _per_model = sessions.delete()
    return deleted
