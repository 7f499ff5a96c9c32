"""DRF authentication classes: knox tokens and the session, switching to the user's language.

The locale middleware runs before DRF authenticates a token, so without this a token client
would get error messages in the default language rather than its user's.
"""

import re

from django.utils import translation
from django.utils.translation import gettext_lazy as _
from knox.auth import TokenAuthentication as KnoxTokenAuthentication
from knox.settings import knox_settings
from rest_framework import exceptions
from rest_framework.authentication import SessionAuthentication as DRFSessionAuthentication


def _activate_language(result):
    if result is not None:
        user = result[0]
        translation.activate(user.language)
    return result


def _well_formed(token: bytes) -> bool:
    """Whether the token has the shape of one knox issues (its prefix, then lower-case hex of
    the configured length). The header arrives as raw bytes."""
    try:
        text = token.decode("ascii")
    except UnicodeDecodeError:
        return False
    length = knox_settings.AUTH_TOKEN_CHARACTER_LENGTH
    pattern = re.escape(knox_settings.TOKEN_PREFIX) + f"[0-9a-f]{{{length}}}"
    return re.fullmatch(pattern, text) is not None


class TokenAuthentication(KnoxTokenAuthentication):
    """Knox's own token check (the token with its user, and knox's sweep of the user's expired
    tokens), behind a check of the token's shape."""

    def authenticate(self, request):
        return _activate_language(super().authenticate(request))

    def authenticate_credentials(self, token):
        if not _well_formed(token):
            # Not one we could have issued (not ASCII, wrong length, not hex): refused before
            # it reaches knox, which would fail on bytes that are not UTF-8, or the database,
            # where a NUL byte, say, would fail the query itself. Both would answer 500.
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        return super().authenticate_credentials(token)


class SessionAuthentication(DRFSessionAuthentication):
    def authenticate(self, request):
        return _activate_language(super().authenticate(request))
