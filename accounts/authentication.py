"""DRF authentication classes: knox tokens and the session, switching to the user's language.

The locale middleware runs before DRF authenticates a token, so without this a token client
would get error messages in the default language rather than its user's.
"""

import binascii
from hmac import compare_digest

from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from knox.auth import TokenAuthentication as KnoxTokenAuthentication
from knox.crypto import hash_token
from knox.models import AuthToken
from knox.settings import CONSTANTS
from rest_framework import exceptions
from rest_framework.authentication import SessionAuthentication as DRFSessionAuthentication


def _activate_language(result):
    if result is not None:
        user = result[0]
        translation.activate(user.language)
    return result


class TokenAuthentication(KnoxTokenAuthentication):
    def authenticate(self, request):
        return _activate_language(super().authenticate(request))

    def authenticate_credentials(self, token):
        """Knox's check, in one query: the token with its user and profiles (every view asks
        for the role), and without knox's per-request sweep of the user's other tokens
        (expired tokens are refused here and deleted by a nightly task instead)."""
        message = _("Invalid token.")
        token = token.decode("utf-8")
        candidates = AuthToken.objects.filter(
            token_key=token[: CONSTANTS.TOKEN_KEY_LENGTH]
        ).select_related("user", "user__patient_profile", "user__physio_profile")
        for auth_token in candidates:
            if auth_token.expiry is not None and auth_token.expiry < timezone.now():
                continue
            try:
                digest = hash_token(token)
            except (TypeError, binascii.Error):
                raise exceptions.AuthenticationFailed(message) from None
            if compare_digest(digest, auth_token.digest):
                return self.validate_user(auth_token)
        raise exceptions.AuthenticationFailed(message)


class SessionAuthentication(DRFSessionAuthentication):
    def authenticate(self, request):
        return _activate_language(super().authenticate(request))
