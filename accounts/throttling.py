"""Who the client is, and how often it may try: brute-force protection for every login path
and the rate limits on the public forms and the API.

One function, `client_address`, says which address a request comes from. django-axes
(`AXES_CLIENT_IP_CALLABLE`), every API throttle (`ClientRateThrottle`) and the web forms'
throttles all use it, so a header the client writes itself cannot buy a fresh count anywhere.

Failed log-ins are counted by django-axes per (e-mail, address), so an attacker elsewhere
cannot lock a patient out, and a lock-out lasts only `LOGIN_COOLOFF_MINUTES`. Axes refuses
before the password is hashed, so a flood of guesses costs no Argon2 time. On top of that,
`LoginAttemptHandler` counts failures per address across all e-mails, with a higher limit
(`LOGIN_IP_FAILURE_LIMIT`): trying one password on many accounts is stopped too.

The counters live in the Django cache (`CACHE_URL`; Redis in production), so every web process
shares them. Increments are atomic (`cache.incr`), so a burst of parallel requests cannot
slip past a limit the way read-modify-write counters (DRF's own throttles) let it.
"""

import ipaddress
import logging
import math
import time

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_cool_off
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from rest_framework.settings import api_settings
from rest_framework.throttling import BaseThrottle

logger = logging.getLogger(__name__)

PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
# The scope of the per-address count of failed log-ins (any e-mail).
LOGIN_ADDRESS_SCOPE = "login-address"


# --- Who the client is ----------------------------------------------------------------------


def client_address(request) -> str:
    """The address a request comes from, as every throttle and the log-in lock-out count it.

    With `TRUSTED_PROXY_COUNT = 0` (nothing in front of the service) that is the socket's peer,
    `REMOTE_ADDR`: `X-Forwarded-For` is written by the client and proves nothing. With n
    trusted proxies, each appends the address it saw to `X-Forwarded-For`, so the n-th entry
    from the right is the address the outermost of them saw; anything further left came from
    the client and is ignored. An entry that is not an address (a misconfigured proxy) falls
    back to `REMOTE_ADDR`, which groups such clients together rather than apart.

    An IPv6 client is identified by its /64 network: one home or phone holds a whole /64 and
    can take a new address in it for every request.
    """
    remote = request.META.get("REMOTE_ADDR", "")
    count = settings.TRUSTED_PROXY_COUNT
    if count > 0:
        hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        hops = [hop for hop in hops if hop]
        if hops:
            address = _normalised(hops[-min(count, len(hops))])
            if address:
                return address
    return _normalised(remote) or ""


def _normalised(value: str) -> str | None:
    try:
        address = ipaddress.ip_address(value)
    except ValueError:
        return None
    if address.version == 6:
        if address.ipv4_mapped:
            return str(address.ipv4_mapped)
        return str(ipaddress.IPv6Network((address, 64), strict=False).network_address)
    return str(address)


def email_ident(email: str) -> str:
    """A key for counting per e-mail address that does not contain the address (the cache is
    no place to keep who asked for what). Keyed, so candidates cannot be hashed to test it."""
    normalised = (email or "").strip().lower()
    return salted_hmac("accounts.throttling.email", normalised).hexdigest()[:32]


# --- Counting -------------------------------------------------------------------------------
#
# A sliding window estimated from two fixed ones (this window's count, plus last window's
# weighted by how much of it still overlaps the last `seconds`): no burst of twice the limit
# across a window boundary, and only two small cache keys per (scope, client).


def parse_rate(rate: str) -> tuple[int, int]:
    """`"20/hour"` -> (20, 3600): DRF's rate format, read from `DEFAULT_THROTTLE_RATES`."""
    try:
        number, period = rate.split("/")
        return int(number), PERIODS[period.strip()[0]]
    except (AttributeError, ValueError, KeyError, IndexError):
        raise ImproperlyConfigured(f"Not a rate like '20/hour': {rate!r}") from None


def rate_for(scope: str) -> tuple[int, int]:
    rate = api_settings.DEFAULT_THROTTLE_RATES.get(scope)
    if rate is None:
        raise ImproperlyConfigured(
            f"No rate for throttle scope {scope!r} in DEFAULT_THROTTLE_RATES"
        )
    return parse_rate(rate)


def _window_keys(scope: str, ident: str, seconds: int, now: float) -> tuple[str, str, float]:
    window = int(now // seconds)
    elapsed = (now % seconds) / seconds
    return (
        f"throttle:{scope}:{seconds}:{ident}:{window}",
        f"throttle:{scope}:{seconds}:{ident}:{window - 1}",
        elapsed,
    )


def attempt_record(*, scope: str, ident: str, seconds: int) -> float:
    """Count one attempt by `ident` against `scope`; return about how many it has made in the
    last `seconds`, this one included. Each caller gets the count its own increment made, so
    of many parallel attempts exactly those within the limit see a count within it."""
    now = time.time()
    current, previous, elapsed = _window_keys(scope, ident, seconds, now)
    try:
        # Kept for two windows: the next window still weighs this one.
        cache.add(current, 0, timeout=2 * seconds)
        try:
            count = cache.incr(current)
        except ValueError:  # expired between add and incr
            cache.add(current, 1, timeout=2 * seconds)
            count = 1
        return count + cache.get(previous, 0) * (1 - elapsed)
    except Exception:  # each cache backend raises its own errors
        return _cache_unavailable(scope)


def attempts_recent(*, scope: str, ident: str, seconds: int) -> float:
    """About how many attempts `ident` made against `scope` in the last `seconds`."""
    current, previous, elapsed = _window_keys(scope, ident, seconds, time.time())
    try:
        counts = cache.get_many([current, previous])
    except Exception:  # each cache backend raises its own errors
        return _cache_unavailable(scope)
    return counts.get(current, 0) + counts.get(previous, 0) * (1 - elapsed)


def _cache_unavailable(scope: str) -> float:
    # With the cache (Redis) down, count nothing rather than fail: log-ins, joining and
    # password resets keep working, as the rest of the app does without Redis. The log-in
    # lock-out per (e-mail, address) still holds; it is kept in the database.
    logger.error("Throttle %s: the cache is unavailable, not counting", scope)
    return 0.0


def throttle_attempt(*, scope: str, ident: str) -> int | None:
    """Count one attempt by `ident` against the rate of `scope` (`DEFAULT_THROTTLE_RATES`).
    None if it is within the rate; otherwise the seconds to wait. Refused attempts count too,
    so a client that keeps hammering stays refused."""
    limit, seconds = rate_for(scope)
    if attempt_record(scope=scope, ident=ident, seconds=seconds) <= limit:
        return None
    return max(1, math.ceil(seconds - time.time() % seconds))


class ClientRateThrottle(BaseThrottle):
    """The API's throttle: the view's `throttle_scope` sets the rate; a logged-in user is
    counted by account, anyone else by `client_address`. Every API throttle is this one, so
    the API and the web forms count the same client the same way (and share a count where
    they share a scope, as the API and web join do)."""

    def __init__(self):
        self.retry_after = None

    def get_ident(self, request):
        return client_address(request)

    def allow_request(self, request, view):
        scope = getattr(view, "throttle_scope", None)
        if not scope:
            return True
        if request.user and request.user.is_authenticated:
            ident = f"user-{request.user.pk}"
        else:
            ident = self.get_ident(request)
        self.retry_after = throttle_attempt(scope=scope, ident=ident)
        return self.retry_after is None

    def wait(self):
        return self.retry_after


def password_reset_allowed(request, email: str) -> bool:
    """Whether to send a password-reset link: counted per client address and per e-mail
    address (so neither many addresses for one e-mail nor many e-mails from one address get
    through). Both counts go up on every request, existing account or not, so the answer
    does not depend on whether the e-mail is known."""
    by_address = throttle_attempt(scope="password_reset", ident=client_address(request))
    by_email = throttle_attempt(scope="password_reset_email", ident=email_ident(email))
    if by_address is None and by_email is None:
        return True
    logger.warning("Password reset throttled (%s)", "address" if by_address else "e-mail")
    return False


# --- Log-in lock-out (django-axes) ----------------------------------------------------------


def login_identifier(request, credentials=None) -> str:
    """The e-mail address being tried, lower-cased so `A@x.dk` and `a@x.dk` count together."""
    value = None
    if credentials:
        value = credentials.get("email") or credentials.get("username")
    if value is None:
        value = request.POST.get("email") or request.POST.get("username")
    return (value or "").strip().lower()


def _login_window() -> int:
    return max(1, int(settings.AXES_COOLOFF_TIME.total_seconds()))


class LoginAttemptHandler(AxesDatabaseHandler):
    """Axes' database handler (per (e-mail, address) lock-outs, its access log), plus one more
    rule: `LOGIN_IP_FAILURE_LIMIT` failed log-ins from one address within the cool-off time,
    whatever e-mails they tried, lock that address out of every login path for a while.

    Axes cannot express this itself: its lock-out parameters share one failure limit, and the
    per-address limit must be far higher than the per-(e-mail, address) one, or one clinic's
    network would be locked out by a few patients' typos. The handler is axes' documented
    extension point (`AXES_HANDLER`); axes asks it before any password is hashed."""

    def is_locked(self, request, credentials=None) -> bool:
        recent = attempts_recent(
            scope=LOGIN_ADDRESS_SCOPE, ident=client_address(request), seconds=_login_window()
        )
        if recent >= settings.LOGIN_IP_FAILURE_LIMIT:
            return True
        return super().is_locked(request, credentials)

    def user_login_failed(self, sender, credentials: dict, request=None, **kwargs):
        super().user_login_failed(sender, credentials, request, **kwargs)
        if request is None:
            return
        # Attempts refused while locked out count too, as axes counts them for its own
        # lock-out (AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT): an address that keeps
        # knocking stays locked out.
        recent = attempt_record(
            scope=LOGIN_ADDRESS_SCOPE, ident=client_address(request), seconds=_login_window()
        )
        if recent >= settings.LOGIN_IP_FAILURE_LIMIT:
            # AxesMiddleware turns this into the lock-out answer (429) on every login path.
            request.axes_locked_out = True
            request.axes_credentials = credentials


def lockout_response(request, original_response=None, credentials=None):
    cool_off = get_cool_off(request)
    minutes = math.ceil(cool_off.total_seconds() / 60) if cool_off else 15
    message = _(
        "Too many failed log-in attempts. Try again in %(minutes)d minutes, or reset your password."
    ) % {"minutes": minutes}
    if request.path.startswith("/api/"):
        response = JsonResponse({"detail": message}, status=429)
    else:
        response = render(request, "registration/locked_out.html", {"message": message}, status=429)
    response["Retry-After"] = str(minutes * 60)
    return response
