"""DRF authentication classes: knox tokens and the session, switching to the user's language.

The locale middleware runs before DRF authenticates a token, so without this a token client
would get error messages in the default language rather than its user's.
"""

import binascii
import re
from functools import lru_cache
from hmac import compare_digest

from django.db import connections, router
from django.db.models.query import get_related_populators
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from knox.auth import TokenAuthentication as KnoxTokenAuthentication
from knox.crypto import hash_token
from knox.models import AuthToken
from knox.settings import CONSTANTS, knox_settings
from rest_framework import exceptions
from rest_framework.authentication import SessionAuthentication as DRFSessionAuthentication

from haelapp.prepared import prepared_cursor


def _activate_language(result):
    if result is not None:
        user = result[0]
        translation.activate(user.language)
    return result


class _TokenLookup:
    """The token's row with its user and the user's profiles (every view asks for the role):
    compiled to SQL once per database, not on every request. Building and compiling this
    three-join query took four times as long as running it, on the request every API client
    makes every time (the diary PUT: benchmark in bench/run.py). The rows become model
    instances exactly as a QuerySet makes them (django.db.models.query.ModelIterable), so
    `token.user.patient_profile` needs no further query."""

    def __init__(self, alias: str):
        queryset = (
            AuthToken.objects.using(alias)
            .filter(token_key="")
            .select_related("user", "user__patient_profile", "user__physio_profile")
        )
        self.alias = alias
        self.compiler = queryset.query.get_compiler(using=alias)
        self.sql, params = self.compiler.as_sql()  # fills compiler.select and klass_info
        if list(params) != [""]:
            raise RuntimeError(f"unexpected parameters of the token query: {params!r}")
        select, klass_info = self.compiler.select, self.compiler.klass_info
        first, last = klass_info["select_fields"][0], klass_info["select_fields"][-1] + 1
        self.fields = slice(first, last)
        self.init_list = [column[0].target.attname for column in select[first:last]]
        self.populators = get_related_populators(klass_info, select, alias)
        # What results_iter() would work out again for every call.
        self.converters = self.compiler.get_converters(
            [column[0] for column in select[: self.compiler.col_count]]
        )

    def __call__(self, token_key: str) -> list[AuthToken]:
        with prepared_cursor(connections[self.alias]) as cursor:
            cursor.execute(self.sql, [token_key])
            rows = cursor.fetchall()
        tokens = []
        if self.converters:
            rows = self.compiler.apply_converters(rows, self.converters)
        for row in rows:
            token = AuthToken.from_db(self.alias, self.init_list, row[self.fields])
            for populator in self.populators:
                populator.populate(row, token)
            tokens.append(token)
        return tokens


def _well_formed(token: bytes) -> str | None:
    """The token as text if it has the shape of one knox issues (its prefix, then lower-case
    hex of the configured length), else None. The header arrives as raw bytes."""
    try:
        text = token.decode("ascii")
    except UnicodeDecodeError:
        return None
    length = knox_settings.AUTH_TOKEN_CHARACTER_LENGTH
    pattern = re.escape(knox_settings.TOKEN_PREFIX) + f"[0-9a-f]{{{length}}}"
    return text if re.fullmatch(pattern, text) else None


@lru_cache(maxsize=8)
def _token_lookup(alias: str) -> _TokenLookup:
    return _TokenLookup(alias)


class TokenAuthentication(KnoxTokenAuthentication):
    def authenticate(self, request):
        return _activate_language(super().authenticate(request))

    def authenticate_credentials(self, token):
        """Knox's check, in one query: the token with its user and profiles (every view asks
        for the role), and without knox's per-request sweep of the user's other tokens
        (expired tokens are refused here and deleted by a nightly task instead)."""
        message = _("Invalid token.")
        token = _well_formed(token)
        if token is None:
            # Not one we could have issued (not ASCII, wrong length, not hex): refused before
            # it reaches the database, where a NUL byte, say, would fail the query itself.
            raise exceptions.AuthenticationFailed(message)
        lookup = _token_lookup(router.db_for_read(AuthToken))
        for auth_token in lookup(token[: CONSTANTS.TOKEN_KEY_LENGTH]):
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
