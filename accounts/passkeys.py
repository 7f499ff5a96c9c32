"""Passkeys (WebAuthn) through django-otp-webauthn: where a passkey belongs, and what a new
one is called.

A passkey is a django-otp device (`WebAuthnCredential`), so the second-factor rules in
`accounts.twofactor` apply to it as to an authenticator app: `devices_for_user` finds it,
a session signed in with it is verified, and adding or removing one goes through
`enrolment_step`, `device_added` and `device_remove` (accounts.views_passkeys).
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext as _
from django_otp_webauthn.helpers import WebAuthnHelper


def relying_party_id(request) -> str:
    """The domain passkeys are bound to: `WEBAUTHN_RP_ID`, or the host the request came to.

    The host has passed ALLOWED_HOSTS, so it is one of this service's own names; the browser
    refuses any RP ID that is not the page's own domain (or a parent of it) in any case."""
    if settings.WEBAUTHN_RP_ID:
        return settings.WEBAUTHN_RP_ID
    return urlsplit(f"//{request.get_host()}").hostname or ""


class PasskeyHelper(WebAuthnHelper):
    """The library's helper (`OTP_WEBAUTHN_HELPER_CLASS`, its documented extension point)."""

    def get_allowed_origins(self) -> list[str]:
        """The origins a passkey's signed answer may come from: `WEBAUTHN_ORIGINS`, or the
        origin of the request carrying it. The browser writes the page's origin into what the
        passkey signs, so a look-alike site's answer is refused here."""
        if settings.OTP_WEBAUTHN_ALLOWED_ORIGINS:
            return list(settings.OTP_WEBAUTHN_ALLOWED_ORIGINS)
        return [f"{self.request.scheme}://{self.request.get_host()}"]

    def create_credential(self, user, response, parsed_credential, original_data):
        device = super().create_credential(user, response, parsed_credential, original_data)
        # Named in the account holder's language, as the authenticator app is; the manage page
        # shows when each was added.
        device.name = _("Passkey")
        return device
