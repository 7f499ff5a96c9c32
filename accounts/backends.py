"""The authentication backends (`AUTHENTICATION_BACKENDS`): Django's password backend and
django-otp-webauthn's passkey backend, as they are, except how a signed-in user is loaded.

Every request of a logged-in session loads its user (`get_user`), and nearly every request
of a patient then asks for their profile (`accounts.access.is_patient`, the views'
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
    """The user of a session, with their patient profile (for anyone else, that they have
    none is then known without a query); None if the account is gone or may not log in.
    Only the patient's: the physio's too would cost every request more in building the query
    than a physio's few requests save (measured in-process, 7 December 2026)."""
    User = get_user_model()
    try:
        user = User._default_manager.select_related("patient_profile").get(pk=user_id)
    except User.DoesNotExist:
        return None
    return user if backend.user_can_authenticate(user) else None


class PasswordBackend(ModelBackend):
    """E-mail and password (ModelBackend), and the permissions the admin asks for."""

    def get_user(self, user_id):
        return signed_in_user(self, user_id)


class PasskeyBackend(WebAuthnBackend):
    """Whoever signed in with a passkey (accounts.views_passkeys)."""

    def get_user(self, user_id):
        return signed_in_user(self, user_id)
