"""The passkey ceremonies: django-otp-webauthn's JSON views, subclassed at their documented
hooks (`check_can_register`, `check_can_authenticate`, `complete_auth`).

- Registering a passkey is adding a second factor: it obeys `enrolment_step` when it begins
  and again when it completes (a password given again may have expired in between), and a
  new passkey is recorded by `device_added` (security log, e-mail, recovery codes).
- Signing in with a passkey needs no password: the passkey is something the person has, and
  its user verification (fingerprint, face or PIN) something they are or know, so the session
  counts as verified with it. As a second factor after the password, it verifies the session.

The library's browser scripts drive these views; the pages that include them are in
`accounts.views_2fa` and the log-in page.
"""

import logging

from django.contrib.auth import login
from django.db import transaction
from django.http import JsonResponse
from django.utils.translation import gettext_lazy as _
from django_otp import login as otp_login
from django_otp_webauthn import exceptions
from django_otp_webauthn.settings import app_settings
from django_otp_webauthn.utils import rewrite_exceptions
from django_otp_webauthn.views import (
    BeginCredentialAuthenticationView,
    BeginCredentialRegistrationView,
    CompleteCredentialAuthenticationView,
    CompleteCredentialRegistrationView,
)

from .backends import PASSKEY_BACKEND
from .throttling import client_address, throttle_attempt
from .twofactor import PASSWORD, VERIFY, device_added, enrolment_step

STEP_MESSAGES = {
    VERIFY: _("Confirm it is you with your current two-step log-in first, then add the passkey."),
    PASSWORD: _("Enter your password again first, then add the passkey."),
}


# The library words the ways a passkey's answer fails its checks (py_webauthn's errors) in
# English only, and for developers; the person sees this instead (the code still says which).
UNCHECKABLE = _(
    "The passkey's answer could not be checked. Try again, or use another way to log in."
)


class StepMissing(exceptions.OTPWebAuthnApiError):
    """This session may not add a factor yet (`enrolment_step`); `code` names the step."""

    status_code = 403


class Throttled(exceptions.OTPWebAuthnApiError):
    status_code = 429
    default_code = "throttled"
    default_detail = _("Too many attempts with a passkey. Wait a few minutes and try again.")

    def __init__(self, wait: int):
        super().__init__()
        self.wait = wait


class PlainErrors:
    def handle_exception(self, exc):
        if isinstance(exc, exceptions.UnprocessableEntity):
            exc.detail = UNCHECKABLE
        return super().handle_exception(exc)


class EnrolmentGate(PlainErrors):
    def check_can_register(self):
        # The library has already refused a session not verified with an existing factor;
        # this is the house rule in full (the password again, or the first-factor log-in).
        step = enrolment_step(self.request)
        if step is not None:
            raise StepMissing(detail=STEP_MESSAGES[step], code=step)


class PasskeyRegistrationBegin(EnrolmentGate, BeginCredentialRegistrationView):
    pass


class PasskeyRegistrationComplete(EnrolmentGate, CompleteCredentialRegistrationView):
    def post(self, *args, **kwargs):
        user = self.get_user()
        state = self.get_state()
        logger = logging.getLogger(app_settings.OTP_WEBAUTHN_EXCEPTION_LOGGER_NAME)
        with transaction.atomic():
            with rewrite_exceptions(logger=logger):
                device = self.get_helper().register_complete(
                    user=user, state=state, data=self.request.data
                )
            codes = device_added(user=user, device=device)
        if not self.request.user.is_verified():
            # The first factor, added in the log-in flow: it verifies this session, as an
            # authenticator app's first code does.
            otp_login(self.request, device)
        # Recovery codes are shown once, by the page that asked (static/js/passkeys.js).
        return JsonResponse({"id": device.pk, "recovery_codes": codes or []})


class PasskeyAuthenticationBegin(PlainErrors, BeginCredentialAuthenticationView):
    def check_can_authenticate(self):
        super().check_can_authenticate()
        # Each start keeps a challenge in a session (a new one for a visitor): counted per
        # account, or per address for someone not logged in.
        user = self.request.user
        ident = f"user-{user.pk}" if user.is_authenticated else client_address(self.request)
        wait = throttle_attempt(scope="passkey", ident=ident)
        if wait is not None:
            raise Throttled(wait)

    def handle_exception(self, exc):
        response = super().handle_exception(exc)
        if isinstance(exc, Throttled):
            response["Retry-After"] = str(exc.wait)
        return response


class PasskeyAuthenticationComplete(PlainErrors, CompleteCredentialAuthenticationView):
    def complete_auth(self, device):
        """The library has checked the signature, the user verification a sign-in requires,
        that the passkey is the logged-in user's own (as a second factor), and that it and its
        account are active."""
        if not self.request.user.is_authenticated:
            # Straight to login(), not through authenticate(): django-axes' lock-out stops
            # password guessing, and a passkey's signature cannot be guessed, so a person
            # locked out by someone else's guesses from their network can still sign in with
            # their passkey. The log-in is still in axes' access log (user_logged_in).
            login(self.request, device.user, backend=PASSKEY_BACKEND)
        otp_login(self.request, device)
