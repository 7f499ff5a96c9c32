"""Web sessions that know whose they are.

Django's database sessions keep the user only inside the encoded session data, so "end every
session of this user" (a password change, an erasure) would have to decode every session
there is. This is Django's documented way to extend the database engine
(`AbstractBaseSession` and a `SessionStore` subclass, see `usersessions.backend`): the same
table plus an indexed `user` column, written whenever a session is saved.
"""

from django.conf import settings
from django.contrib.sessions.base_session import AbstractBaseSession
from django.db import models
from django.utils.translation import gettext_lazy as _


class UserSession(AbstractBaseSession):
    # No database constraint: a session may be saved by a request still running for a user
    # erased a moment ago, and a failed insert there would make Django's session store try
    # new keys for ever (it takes any IntegrityError on create for a key collision). Django
    # still deletes the rows with the user (on_delete runs in Python), so erasing a user ends
    # their sessions whatever the code path.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        db_constraint=False,
        related_name="+",
        verbose_name=_("user"),
    )

    class Meta(AbstractBaseSession.Meta):
        verbose_name = _("session")
        verbose_name_plural = _("sessions")

    @classmethod
    def get_session_store_class(cls):
        from .backend import SessionStore

        return SessionStore
