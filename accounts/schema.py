"""OpenAPI descriptions for our authentication classes (thin subclasses of the standard ones)."""

from drf_spectacular.authentication import SessionScheme
from drf_spectacular.contrib.knox_auth_token import KnoxTokenScheme


class HaelappTokenScheme(KnoxTokenScheme):
    target_class = "accounts.authentication.TokenAuthentication"


class HaelappSessionScheme(SessionScheme):
    target_class = "accounts.authentication.SessionAuthentication"
