"""Repeated failures are refused with 429 on every login path, before any password hashing,
and only for the (e-mail, address) pair that failed, or the address that failed with many
e-mails, and only for a while."""

from datetime import timedelta

import pytest
import time_machine
from django.test import override_settings
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import User
from tests.throttle_support import redis_cache, window_start  # noqa: F401 (fixtures)


@pytest.fixture
def user(patient):
    return patient.user


def _token(api, email, password, ip="203.0.113.5"):
    return api.post(
        "/api/v1/auth/token/",
        {"email": email, "password": password},
        format="json",
        REMOTE_ADDR=ip,
    )


def _fail(api, email, settings, ip="203.0.113.5"):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _token(api, email, "wrong-password", ip=ip)


def test_token_endpoint_answers_429_after_repeated_failures(api, user, password, settings):
    _fail(api, user.email, settings)
    response = _token(api, user.email, password)  # even the right password
    assert response.status_code == 429
    assert "detail" in response.json()
    assert int(response["Retry-After"]) > 0


def test_lockout_does_not_hash(api, user, settings, monkeypatch):
    _fail(api, user.email, settings)
    calls = []
    monkeypatch.setattr(User, "check_password", lambda *a: calls.append(a) or False)
    assert _token(api, user.email, "another-guess").status_code == 429
    assert calls == []


def test_lockout_is_per_address(api, user, password, settings):
    _fail(api, user.email, settings, ip="203.0.113.5")
    assert _token(api, user.email, password, ip="198.51.100.7").status_code == 200


def test_lockout_ends_after_cool_off(api, user, password, settings):
    _fail(api, user.email, settings)
    with time_machine.travel(timezone.now() + settings.AXES_COOLOFF_TIME + timedelta(seconds=5)):
        assert _token(api, user.email, password).status_code == 200


def test_email_case_does_not_reset_the_count(api, user, settings):
    for i in range(settings.AXES_FAILURE_LIMIT):
        email = user.email.upper() if i % 2 else user.email
        _token(api, email, "wrong-password")
    assert _token(api, user.email, "wrong-password").status_code == 429


def test_web_login_is_throttled_too(client, user, password, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/login/", {"username": user.email, "password": "wrong"})
    response = client.post("/login/", {"username": user.email, "password": password})
    assert response.status_code == 429


def test_admin_login_is_throttled_too(client, user, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/admin/login/", {"username": user.email, "password": "wrong"})
    response = client.post("/admin/login/", {"username": user.email, "password": "wrong"})
    assert response.status_code == 429


# --- one address, many e-mails ----------------------------------------------------------------
#
# The per-(e-mail, address) lock-out above does nothing against one address trying a password
# or two on each of many accounts. LOGIN_IP_FAILURE_LIMIT failures from one address within the
# cool-off time, whatever the e-mails, lock that address out of every login path.


def _spray(client, settings, ip="203.0.113.5", count=None) -> list[int]:
    """Fail once each with many different e-mails (none reaches the per-e-mail limit), on
    every login path in turn: they all count towards the same limit."""
    count = settings.LOGIN_IP_FAILURE_LIMIT if count is None else count
    paths = ["/api/v1/auth/token/", "/login/", "/admin/login/"]
    statuses = []
    for n in range(count):
        path = paths[n % 3]
        email = f"guess{n}@example.org"
        if path.startswith("/api/"):
            data = {"email": email, "password": "Summer2031!"}
            response = client.post(path, data, content_type="application/json", REMOTE_ADDR=ip)
        else:
            data = {"username": email, "password": "Summer2031!"}
            response = client.post(path, data, REMOTE_ADDR=ip)
        statuses.append(response.status_code)
    return statuses


def _login_everywhere(client, email, password, ip="203.0.113.5"):
    token = client.post(
        "/api/v1/auth/token/",
        {"email": email, "password": password},
        content_type="application/json",
        REMOTE_ADDR=ip,
    )
    web = client.post("/login/", {"username": email, "password": password}, REMOTE_ADDR=ip)
    admin = client.post("/admin/login/", {"username": email, "password": password}, REMOTE_ADDR=ip)
    return token.status_code, web.status_code, admin.status_code


@pytest.mark.usefixtures("window_start")
def test_one_address_trying_many_emails_is_locked_out_everywhere(client, user, password, settings):
    statuses = _spray(client, settings)
    # The failures were answered as failures (API 400, pages 200 with the form again) until
    # the one that reached the limit.
    assert set(statuses[:-1]) == {400, 200} and statuses[-1] == 429
    assert _login_everywhere(client, user.email, password) == (429, 429, 429)


@pytest.mark.usefixtures("window_start")
def test_below_the_address_limit_nothing_is_locked(client, user, password, settings):
    assert 429 not in _spray(client, settings, count=settings.LOGIN_IP_FAILURE_LIMIT - 1)
    status = client.post(
        "/api/v1/auth/token/",
        {"email": user.email, "password": password},
        content_type="application/json",
        REMOTE_ADDR="203.0.113.5",
    ).status_code
    assert status == 200


@pytest.mark.usefixtures("window_start")
def test_address_lockout_does_not_hash(client, user, settings, monkeypatch):
    _spray(client, settings)
    calls = []
    monkeypatch.setattr(User, "check_password", lambda *a: calls.append(a) or False)
    response = client.post(
        "/api/v1/auth/token/",
        {"email": user.email, "password": "guess"},
        content_type="application/json",
        REMOTE_ADDR="203.0.113.5",
    )
    assert response.status_code == 429 and "detail" in response.json()
    assert calls == []


@pytest.mark.usefixtures("window_start")
def test_address_lockout_leaves_other_addresses_alone(client, user, password, settings):
    _spray(client, settings)
    assert _login_everywhere(client, user.email, password, ip="198.51.100.7")[0] == 200


@pytest.mark.usefixtures("window_start")
def test_a_successful_login_does_not_reset_the_address_count(client, user, password, settings, api):
    """An attacker's own account must not wipe the count between rounds of guessing."""
    _spray(client, settings, count=settings.LOGIN_IP_FAILURE_LIMIT - 1)
    assert _token(api, user.email, password).status_code == 200
    _spray(client, settings, count=1)
    assert _token(api, user.email, password).status_code == 429


def test_address_lockout_ends_after_cool_off(client, user, password, settings, window_start):  # noqa: F811
    _spray(client, settings)
    assert _token(APIClient(), user.email, password).status_code == 429
    window_start.shift(2 * settings.AXES_COOLOFF_TIME)
    assert _token(APIClient(), user.email, password).status_code == 200


@pytest.mark.usefixtures("window_start")
def test_address_limit_is_a_setting(client, user, password, settings):
    settings.LOGIN_IP_FAILURE_LIMIT = 4
    _spray(client, settings, count=4)
    assert _token(APIClient(), user.email, password).status_code == 429


@pytest.mark.redis
@pytest.mark.usefixtures("window_start", "redis_cache")
def test_address_count_is_shared_through_redis(client, user, password, settings):
    """Several web processes share the count: it lives in the cache (Redis in production),
    not in a process's memory."""
    _spray(client, settings)
    assert _login_everywhere(client, user.email, password) == (429, 429, 429)


DEAD_CACHE = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
    }
}


@pytest.mark.django_db
def test_with_the_cache_down_log_in_still_works(user, password, caplog):
    """The counters live in the cache; Redis down must not take log-ins down with it. The
    per-(e-mail, address) lock-out, kept in the database, still holds."""
    api = APIClient()
    with override_settings(CACHES=DEAD_CACHE):
        assert _token(api, user.email, password).status_code == 200
        for _ in range(5):
            _token(api, user.email, "wrong-password")
        assert _token(api, user.email, password).status_code == 429
    assert "the cache is unavailable" in caplog.text
