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


def test_token_requests_cost_one_query_for_authentication(
    api, user, password, django_assert_num_queries
):
    from django.test import RequestFactory

    from accounts.authentication import TokenAuthentication

    token = _login(api, user.email, password).json()["token"]
    request = RequestFactory().get("/", HTTP_AUTHORIZATION=f"Token {token}")
    with django_assert_num_queries(1):
        authenticated, _ = TokenAuthentication().authenticate(request)
        assert authenticated.patient_profile.pk == user.patient_profile.pk
