"""DRF authentication classes that also switch to the user's language.

The locale middleware runs before DRF authenticates a token, so without this a token client
would get error messages in the default language rather than its user's.
"""

from django.utils import translation
from knox.auth import TokenAuthentication as KnoxTokenAuthentication
from rest_framework.authentication import SessionAuthentication as DRFSessionAuthentication


def _activate_language(result):
    if result is not None:
        user = result[0]
        translation.activate(user.language)
    return result


class TokenAuthentication(KnoxTokenAuthentication):
    def authenticate(self, request):
        return _activate_language(super().authenticate(request))


class SessionAuthentication(DRFSessionAuthentication):
    def authenticate(self, request):
        return _activate_language(super().authenticate(request))
