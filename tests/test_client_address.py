"""One client identity for every throttle and the log-in lock-out (accounts.throttling).

`REMOTE_ADDR`, or with `TRUSTED_PROXY_COUNT` proxies in front the address the outermost of
them saw, read from the right of `X-Forwarded-For`. The attacks: DRF's throttles took the
whole header as the client when no proxy count was set, so a made-up header bought a fresh
count with every request; behind a proxy, axes saw only the proxy's address.
"""

import types

import pytest
from django.test import RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.views import APIView

from accounts.throttling import ClientRateThrottle, client_address, throttle_attempt
from tests.concurrency import run_concurrently
from tests.throttle_support import redis_cache, window_start  # noqa: F401 (fixtures)

pytestmark = pytest.mark.usefixtures("window_start")

JOIN = "/api/v1/invitations/accept/"
PROXY = "10.0.0.2"


@pytest.mark.parametrize(
    ("proxies", "remote", "forwarded", "expected"),
    [
        (0, "203.0.113.5", None, "203.0.113.5"),
        (0, "203.0.113.5", "198.51.100.1", "203.0.113.5"),  # nobody trusted wrote that
        (1, PROXY, "198.51.100.1, 203.0.113.7", "203.0.113.7"),  # rightmost: our proxy's
        (2, PROXY, "198.51.100.1, 203.0.113.7, 10.0.0.1", "203.0.113.7"),
        (2, PROXY, "203.0.113.7", "203.0.113.7"),  # came through the inner proxy only
        (1, PROXY, None, PROXY),
        (1, PROXY, "", PROXY),
        (1, PROXY, "198.51.100.1, not-an-address", PROXY),  # never the spoofable left part
        (1, PROXY, " 203.0.113.7 ,", "203.0.113.7"),
        # IPv6: a client holds a whole /64, so that is what is counted.
        (0, "2001:db8:1:2:aaaa:bbbb:cccc:dddd", None, "2001:db8:1:2::"),
        (0, "2001:db8:1:2::1", None, "2001:db8:1:2::"),
        (0, "::ffff:203.0.113.5", None, "203.0.113.5"),
        (1, PROXY, "2001:db8:1:2::99", "2001:db8:1:2::"),
        (0, "", None, ""),
    ],
)
def test_client_address(settings, proxies, remote, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT = proxies
    headers = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded
    assert client_address(RequestFactory().get("/", **headers)) == expected


def _join(api, remote, forwarded=None):
    headers = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded
    body = {"code": "no-such-code", "password": "a-long-new-password"}
    return api.post(JOIN, body, format="json", **headers)


def _limit(settings, scope="invitation") -> int:
    return int(settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"][scope].split("/")[0])


def test_a_made_up_forwarded_for_buys_no_fresh_count(api, db, settings):
    settings.TRUSTED_PROXY_COUNT = 0
    for n in range(_limit(settings)):
        assert _join(api, "203.0.113.5", f"198.51.100.{n}").status_code == 400
    response = _join(api, "203.0.113.5", "192.0.2.200")
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    # Another client is still counted on its own.
    assert _join(api, "203.0.113.6").status_code == 400


def test_behind_one_proxy_the_rightmost_address_is_the_client(api, db, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    for n in range(_limit(settings)):
        # The client varies the part it writes itself; our proxy appends the real address.
        assert _join(api, PROXY, f"198.51.100.{n}, 203.0.113.5").status_code == 400
    assert _join(api, PROXY, "192.0.2.1, 203.0.113.5").status_code == 429
    assert _join(api, PROXY, "203.0.113.5").status_code == 429
    # A different client behind the same proxy has its own count.
    assert _join(api, PROXY, "198.51.100.1, 203.0.113.9").status_code == 400


def test_an_ipv6_client_cannot_walk_its_64(api, db, settings):
    for n in range(_limit(settings)):
        assert _join(api, f"2001:db8:5:6::{n + 1:x}").status_code == 400
    assert _join(api, "2001:db8:5:6:ffff:1:2:3").status_code == 429
    assert _join(api, "2001:db8:5:7::1").status_code == 400


def _login_failures(client, email, remote, forwarded, count):
    for _ in range(count):
        client.post(
            "/api/v1/auth/token/",
            {"email": email, "password": "wrong-password"},
            content_type="application/json",
            REMOTE_ADDR=remote,
            HTTP_X_FORWARDED_FOR=forwarded,
        )


def test_login_lockout_behind_a_proxy_follows_the_client(client, patient, password, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    email = patient.user.email
    _login_failures(client, email, PROXY, "198.51.100.1, 203.0.113.5", settings.AXES_FAILURE_LIMIT)

    def token(forwarded):
        return client.post(
            "/api/v1/auth/token/",
            {"email": email, "password": password},
            content_type="application/json",
            REMOTE_ADDR=PROXY,
            HTTP_X_FORWARDED_FOR=forwarded,
        ).status_code

    # The locked client cannot get out by writing its own X-Forwarded-For...
    assert token("192.0.2.77, 203.0.113.5") == 429
    # ...and the patient, elsewhere behind the same proxy, is not locked out with it.
    assert token("203.0.113.9") == 200


def test_with_no_trusted_proxy_the_lockout_ignores_forwarded_for(
    client, patient, password, settings
):
    email = patient.user.email
    for n in range(settings.AXES_FAILURE_LIMIT):
        _login_failures(client, email, "203.0.113.5", f"198.51.100.{n}", 1)
    response = client.post(
        "/api/v1/auth/token/",
        {"email": email, "password": password},
        content_type="application/json",
        REMOTE_ADDR="203.0.113.5",
        HTTP_X_FORWARDED_FOR="192.0.2.1",
    )
    assert response.status_code == 429


def _api_views():
    def walk(patterns):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns)
            elif isinstance(pattern, URLPattern):
                view = getattr(pattern.callback, "cls", None)
                if view is not None and issubclass(view, APIView):
                    yield view

    return set(walk(get_resolver().url_patterns))


def test_every_api_throttle_counts_the_client_the_same_way():
    views = _api_views()
    throttled = set()
    for view_class in views:
        for method in view_class.http_method_names:
            view = view_class()
            view.request = types.SimpleNamespace(method=method.upper())
            throttles = view.get_throttles()
            for throttle in throttles:
                assert isinstance(throttle, ClientRateThrottle), (view_class, method, throttle)
            if throttles:
                throttled.add(f"{view_class.__module__}.{view_class.__name__}")
    # The walk did reach the throttled views.
    assert {"accounts.views.InvitationAcceptView", "privacy.views.MeView"} <= throttled


@pytest.mark.redis
@pytest.mark.usefixtures("redis_cache")
def test_a_parallel_burst_gets_no_more_than_the_rate(settings):
    """Read-modify-write counters (DRF's own) let a burst through; Redis' INCR does not."""
    limit = _limit(settings)
    results = run_concurrently(
        lambda n: throttle_attempt(scope="invitation", ident="203.0.113.5"), limit * 3
    )
    allowed = [result for result in results if result is None]
    assert not [r for r in results if isinstance(r, Exception)]
    assert len(allowed) == limit


@pytest.mark.redis
@pytest.mark.usefixtures("redis_cache")
def test_join_throttle_counts_in_redis(api, db, settings):
    for n in range(_limit(settings)):
        assert _join(api, "203.0.113.5", f"198.51.100.{n}").status_code == 400
    assert _join(api, "203.0.113.5").status_code == 429
    assert any(b":throttle:invitation:" in key for key in _redis_keys(settings))


def _redis_keys(settings):
    import redis

    from tests.conftest import REDIS_URL

    client = redis.Redis.from_url(REDIS_URL)
    prefix = settings.CACHES["default"]["KEY_PREFIX"]
    try:
        return list(client.scan_iter(match=f"{prefix}:*"))
    finally:
        client.close()
