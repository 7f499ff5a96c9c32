"""A password change or reset ends the account's other sessions and every API token
(issue 18, item 3). Before, tokens lived on for their 30 days whatever happened to the
password, and the sessions' rows stayed."""

import re

import pytest
from django.core import mail
from django.test import Client
from knox.models import AuthToken
from rest_framework.test import APIClient

from accounts.models import AccountEvent
from usersessions.models import UserSession

from .conftest import verified_login
from .factories import PASSWORD

NEW_PASSWORD = "a-new-and-long-passphrase-42"


def _web_login(user) -> Client:
    client = Client()
    response = client.post("/login/", {"username": user.email, "password": PASSWORD})
    assert response.status_code == 302
    return client


def _token_client(user) -> APIClient:
    api = APIClient()
    response = api.post(
        "/api/v1/auth/token/", {"email": user.email, "password": PASSWORD}, format="json"
    )
    api.credentials(HTTP_AUTHORIZATION=f"Token {response.json()['token']}")
    return api


def _me(client) -> int:
    return client.get("/api/v1/me/").status_code


def _kinds(user) -> list[str]:
    return list(AccountEvent.objects.filter(user=user).values_list("kind", flat=True))


def _reset_by_email(email: str, password: str) -> Client:
    someone = Client()
    assert someone.post("/password-reset/", {"email": email}).status_code == 302
    link = re.search(r"https?://[^/\s]+(/password-reset/\S+/)", mail.outbox[-1].body)[1]
    form = someone.get(link)  # Django swaps the link's token for a session marker
    assert form.status_code == 302
    response = someone.post(
        form["Location"], {"new_password1": password, "new_password2": password}
    )
    assert response.status_code == 302, response.content[:2000]
    assert response["Location"] == "/password-reset/done/"
    return someone


def test_a_password_reset_ends_every_session_and_token(patient):
    user = patient.user
    phone, laptop = _web_login(user), _web_login(user)
    app = _token_client(user)
    assert _me(phone) == _me(laptop) == _me(app) == 200
    assert UserSession.objects.filter(user=user).count() == 2

    _reset_by_email(user.email, NEW_PASSWORD)

    assert _me(app) == 401  # the attack: a token outliving the password
    assert not AuthToken.objects.filter(user=user).exists()
    assert _me(phone) == _me(laptop) == 401
    assert not UserSession.objects.filter(user=user).exists()
    assert set(_kinds(user)) == {"password_changed", "sessions_revoked"}
    old = {"email": user.email, "password": PASSWORD}
    assert APIClient().post("/api/v1/auth/token/", old, format="json").status_code == 400
    fresh = Client()
    assert (
        fresh.post("/login/", {"username": user.email, "password": NEW_PASSWORD}).status_code == 302
    )


def test_a_reset_ends_the_sessions_of_that_account_only(patient, physio):
    other = _web_login(physio.user)
    other_app = _token_client(physio.user)
    _reset_by_email(patient.user.email, NEW_PASSWORD)
    assert _me(other) == _me(other_app) == 200


def test_a_password_change_in_the_admin_keeps_this_session_only(physio, settings):
    settings.REQUIRE_2FA = True
    user = physio.user
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    here, there = Client(), Client()
    verified_login(here, user)
    verified_login(there, user)
    _instance, token = AuthToken.objects.create(user)
    app = APIClient()
    app.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert _me(app) == 200

    response = here.post(
        "/admin/password_change/",
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert response["Location"] == "/admin/password_change/done/"

    assert here.get("/admin/").status_code == 200  # still logged in, second factor and all
    assert _me(here) == 200
    assert there.get("/admin/").status_code == 302
    assert _me(there) == 401
    assert _me(app) == 401
    assert list(UserSession.objects.filter(user=user).values_list("session_key", flat=True)) == [
        here.cookies["sessionid"].value
    ]
    assert set(_kinds(user)) == {"password_changed", "sessions_revoked"}


def test_a_refused_password_change_ends_nothing(physio):
    user = physio.user
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    here, there = Client(), Client()
    verified_login(here, user)
    verified_login(there, user)
    app = APIClient()
    app.credentials(HTTP_AUTHORIZATION=f"Token {AuthToken.objects.create(user)[1]}")
    response = here.post(
        "/admin/password_change/",
        {"old_password": "wrong", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 200  # the form again, with its error
    assert _me(there) == _me(app) == 200
    assert UserSession.objects.filter(user=user).count() == 2
    assert _kinds(user) == []


@pytest.mark.parametrize("others", [False, True])
def test_sessions_revoked_is_logged_only_when_something_ended(patient, others):
    from accounts.services import user_password_changed

    if others:
        _web_login(patient.user)
    user_password_changed(user=patient.user)
    expected = {"password_changed", "sessions_revoked"} if others else {"password_changed"}
    assert set(_kinds(patient.user)) == expected
