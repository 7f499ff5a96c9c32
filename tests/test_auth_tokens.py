from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone
from knox.models import AuthToken


@pytest.fixture
def user(patient):
    return patient.user


def _login(api, email, password):
    return api.post("/api/v1/auth/token/", {"email": email, "password": password}, format="json")


def test_token_is_issued_and_stored_hashed(api, user, password):
    response = _login(api, user.email, password)
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"token", "expiry"}
    stored = AuthToken.objects.get(user=user)
    assert body["token"] not in stored.digest  # only a digest is kept
    api.credentials(HTTP_AUTHORIZATION=f"Token {body['token']}")
    assert api.get("/api/v1/me/").json()["email"] == user.email


def test_each_device_gets_its_own_token(api, user, password):
    first = _login(api, user.email, password).json()["token"]
    second = _login(api, user.email, password).json()["token"]
    assert first != second
    assert AuthToken.objects.filter(user=user).count() == 2


def test_login_is_case_insensitive_on_email(api, user, password):
    assert _login(api, user.email.upper(), password).status_code == 200


def test_wrong_password_is_400_naming_no_account(api, user):
    response = _login(api, user.email, "wrong-password")
    assert response.status_code == 400
    assert "non_field_errors" in response.json()
    assert _login(api, "nobody@example.org", "wrong-password").json() == response.json()


def test_missing_fields_are_named(api, db):
    response = api.post("/api/v1/auth/token/", {}, format="json")
    assert response.status_code == 400
    assert set(response.json()) == {"email", "password"}


def test_token_expires(api, user, password, settings):
    token = _login(api, user.email, password).json()["token"]
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    ttl = settings.REST_KNOX["TOKEN_TTL"]
    with time_machine.travel(timezone.now() + ttl - timedelta(minutes=1)):
        assert api.get("/api/v1/me/").status_code == 200
    with time_machine.travel(timezone.now() + ttl + timedelta(minutes=1)):
        assert api.get("/api/v1/me/").status_code == 401


def test_logout_revokes_only_this_token(api, user, password):
    kept = _login(api, user.email, password).json()["token"]
    revoked = _login(api, user.email, password).json()["token"]
    api.credentials(HTTP_AUTHORIZATION=f"Token {revoked}")
    assert api.post("/api/v1/auth/logout/").status_code == 204
    assert api.get("/api/v1/me/").status_code == 401
    api.credentials(HTTP_AUTHORIZATION=f"Token {kept}")
    assert api.get("/api/v1/me/").status_code == 200


def test_unauthenticated_is_401(api, db):
    assert api.get("/api/v1/me/").status_code == 401
    api.credentials(HTTP_AUTHORIZATION="Token not-a-token")
    assert api.get("/api/v1/me/").status_code == 401


def test_session_login_for_the_web_app(client, user, password):
    response = client.post("/login/", {"username": user.email, "password": password})
    assert response.status_code == 302
    assert client.get("/api/v1/me/").json()["role"] == "patient"


def test_session_writes_need_csrf(user, password):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    response = client.patch("/api/v1/me/", {"name": "X"}, content_type="application/json")
    assert response.status_code == 403


def test_expired_tokens_are_deleted_by_the_nightly_task(api, user, password, settings):
    from accounts.tasks import delete_expired_tokens

    _login(api, user.email, password)
    with time_machine.travel(timezone.now() + settings.REST_KNOX["TOKEN_TTL"] + timedelta(days=1)):
        _login(api, user.email, password)
        assert delete_expired_tokens() == 1
    assert AuthToken.objects.filter(user=user).count() == 1


def test_token_requests_cost_three_queries_for_authentication_and_role(
    api, user, password, django_assert_num_queries
):
    """Knox's own check: the token with its user, and knox's sweep of the user's expired
    tokens; then the role (the profile). The same for one token or several."""
    from django.test import RequestFactory

    from accounts.authentication import TokenAuthentication

    for tokens in (1, 3):
        while AuthToken.objects.filter(user=user).count() < tokens:
            token = _login(api, user.email, password).json()["token"]
        request = RequestFactory().get("/", HTTP_AUTHORIZATION=f"Token {token}")
        with django_assert_num_queries(3):
            authenticated, _ = TokenAuthentication().authenticate(request)
            assert authenticated.patient_profile.pk == user.patient_profile.pk


def test_tokens_beyond_the_limit_revoke_the_oldest(api, user, password, settings):
    settings.API_TOKEN_LIMIT_PER_USER = 3
    tokens = []
    for minutes in range(5):
        with time_machine.travel(timezone.now() + timedelta(minutes=minutes)):
            tokens.append(_login(api, user.email, password).json()["token"])
    assert AuthToken.objects.filter(user=user).count() == 3
    answers = []
    for token in tokens:
        api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
        answers.append(api.get("/api/v1/me/").status_code)
    assert answers == [401, 401, 200, 200, 200]


def test_a_token_issued_in_the_same_instant_as_others_is_kept(api, user, password, settings):
    settings.API_TOKEN_LIMIT_PER_USER = 2
    with time_machine.travel(timezone.now(), tick=False):
        tokens = [_login(api, user.email, password).json()["token"] for _ in range(4)]
    assert AuthToken.objects.filter(user=user).count() == 2
    api.credentials(HTTP_AUTHORIZATION=f"Token {tokens[-1]}")
    assert api.get("/api/v1/me/").status_code == 200


def test_the_token_limit_counts_per_user(api, user, password, physio, settings):
    settings.API_TOKEN_LIMIT_PER_USER = 1
    other = AuthToken.objects.create(physio.user)[1]
    _login(api, user.email, password)
    api.credentials(HTTP_AUTHORIZATION=f"Token {other}")
    assert api.get("/api/v1/me/").status_code == 200


# What an attacker might send as a token: not UTF-8, not ASCII, too short, too long, not hex,
# upper-case hex, a NUL byte (which PostgreSQL refuses in a query parameter), a huge one.
MALFORMED = [
    "\xff\xfe\xfd" + "a" * 61,
    "\xe6\xf8\xe5",
    "é" * 64,
    "abc",
    "a" * 63,
    "a" * 65,
    "g" * 64,
    "A" * 64,
    "\x00" * 64,
    "aaaa\x00" + "a" * 59,
    "a" * 200_000,
]
# Ones that start as a real token does, so a lookup by its first characters finds the row.
AFTER_A_REAL_START = ["", "0", "\x00" * 49, "\xff" * 49, "x" * 49, "a" * 50, "a" * 200_000]


def _ids(token: str) -> str:
    return f"{token[:6]!r}-{len(token)}"


@pytest.mark.parametrize("token", MALFORMED, ids=_ids)
def test_a_malformed_token_is_401(api, db, token):
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    response = api.get("/api/v1/me/")
    assert response.status_code == 401
    assert response.json()["detail"]


@pytest.mark.parametrize("rest", AFTER_A_REAL_START, ids=_ids)
def test_a_real_tokens_start_with_a_malformed_rest_is_401(api, user, password, rest):
    real = _login(api, user.email, password).json()["token"]
    api.credentials(HTTP_AUTHORIZATION=f"Token {real[:15]}{rest}")
    assert api.get("/api/v1/me/").status_code == 401


@pytest.mark.postgres
@pytest.mark.parametrize("token", MALFORMED[-3:], ids=["nuls", "nul", "huge"])
def test_a_malformed_token_is_401_on_postgresql(api, db, token):
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert api.get("/api/v1/me/").status_code == 401


def test_a_token_of_raw_bytes_is_401_over_http(live_server, transactional_db):
    """Through a real socket and the WSGI server: the header's bytes as a client sends them."""
    import socket
    from urllib.parse import urlparse

    address = urlparse(live_server.url)
    request = (
        b"GET /api/v1/me/ HTTP/1.1\r\nHost: localhost\r\n"
        b"Authorization: Token \xff\xfe\xc3\x28" + b"a" * 60 + b"\r\n"
        b"Connection: close\r\n\r\n"
    )
    with socket.create_connection((address.hostname, address.port), timeout=10) as sock:
        sock.sendall(request)
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
    status_line = answer.split(b"\r\n", 1)[0]
    assert status_line.split()[1] == b"401", answer[:500]
    assert b"Invalid token" in answer or b"Ugyldig" in answer
