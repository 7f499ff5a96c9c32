"""The authentication backends (`AUTHENTICATION_BACKENDS`): Django's password backend and
django-otp-webauthn's passkey backend, as they are, except how a signed-in user is loaded.

Every request of a logged-in session loads its user (`get_user`), and nearly every request
then asks for their role's profile (`accounts.access.is_patient` and `is_physio`, the views'
`request.user.patient_profile`): one query more, on every page and API call of the web app
(bench/morning.py). Loaded here with the user, in the same query, it costs a join instead.
(Served over WSGI: under ASGI, `aget_user` is the libraries' own, without the join.) A session
remembers the backend that logged it in, by path; the sessions made with Django's
and the library's own are moved to these by usersessions' migration 0003.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django_otp_webauthn.backends import WebAuthnBackend

PASSWORD_BACKEND = "accounts.backends.PasswordBackend"  # noqa: S105 - a dotted path
PASSKEY_BACKEND = "accounts.backends.PasskeyBackend"


def signed_in_user(backend, user_id):
    """The user of a session, with their patient's or physio's profile (the one they do not
    have is known to be absent, without a query); None if the account is gone or may not log
    in."""
    user = (
        get_user_model()
        ._default_manager.select_related("patient_profile", "physio_profile")
        .filter(pk=user_id)
        .first()
    )
    return user if user is not None and backend.user_can_authenticate(user) else None


class PasswordBackend(ModelBackend):
    """E-mail and password (ModelBackend), and the permissions the admin asks for."""

    def get_user(self, user_id):
        return signed_in_user(self, user_id)


class PasskeyBackend(WebAuthnBackend):
    """Whoever signed in with a passkey (accounts.views_passkeys)."""

    def get_user(self, user_id):
        return signed_in_user(self, user_id)
