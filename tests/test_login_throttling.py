"""Repeated failures are refused with 429 on every login path, before any password hashing,
and only for the (e-mail, address) pair that failed and only for a while."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from accounts.models import User


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
