from functools import cache

from cryptography.hazmat.primitives import serialization
from django.conf import settings
from py_vapid import Vapid02
from py_vapid.utils import b64urlencode, num_to_bytes


def generate_private_key() -> str:
    """A new VAPID private key as URL-safe base64 of the raw 32-byte P-256 scalar."""
    vapid = Vapid02()
    vapid.generate_keys()
    number = vapid.private_key.private_numbers().private_value
    return b64urlencode(num_to_bytes(number, 32))


@cache
def public_key_for(private_key: str) -> str:
    point = Vapid02.from_string(private_key).public_key.public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    return b64urlencode(point)


def public_key() -> str | None:
    """The application server key browsers subscribe with (URL-safe base64)."""
    if not settings.VAPID_PRIVATE_KEY:
        return None
    return public_key_for(settings.VAPID_PRIVATE_KEY)
