"""Web sessions stored with their user (usersessions): found by user without decoding every
session, gone with the user, and everything that rides on the session still works."""

from datetime import timedelta

import time_machine
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone

from usersessions.backend import SessionStore
from usersessions.models import UserSession
from usersessions.services import user_sessions_end

from .factories import PASSWORD


def _login(user, **client_options) -> Client:
    client = Client(**client_options)
    response = client.post("/login/", {"username": user.email, "password": PASSWORD})
    assert response.status_code == 302
    return client


def test_a_log_in_stores_the_user_beside_the_session(patient):
    client = _login(patient.user)
    row = UserSession.objects.get(session_key=client.cookies["sessionid"].value)
    assert row.user_id == patient.user.pk
    assert row.get_decoded()["_auth_user_id"] == str(patient.user.pk)
    assert not Session.objects.exists()  # Django's own table is not used any more


def test_a_session_without_a_user_has_none(db):
    store = SessionStore()
    store["seen"] = True
    store.create()
    assert UserSession.objects.get(session_key=store.session_key).user_id is None


def test_log_in_with_csrf_then_log_out_deletes_the_row(patient):
    client = Client(enforce_csrf_checks=True)
    client.get("/login/")
    csrf = client.cookies["csrftoken"].value
    response = client.post(
        "/login/",
        {"username": patient.user.email, "password": PASSWORD, "csrfmiddlewaretoken": csrf},
    )
    assert response.status_code == 302
    assert client.get("/api/v1/me/").status_code == 200
    csrf = client.cookies["csrftoken"].value
    refused = client.patch("/api/v1/me/", {"name": "X"}, content_type="application/json")
    assert refused.status_code == 403
    changed = client.patch(
        "/api/v1/me/", {"name": "Y"}, content_type="application/json", HTTP_X_CSRFTOKEN=csrf
    )
    assert changed.status_code == 200
    assert UserSession.objects.filter(user=patient.user).count() == 1
    client.post("/logout/", {"csrfmiddlewaretoken": csrf})
    assert not UserSession.objects.filter(user=patient.user).exists()
    assert client.get("/api/v1/me/").status_code == 401


def test_ending_a_users_sessions_keeps_the_one_asked_for(patient, physio):
    kept, ended = _login(patient.user), _login(patient.user)
    someone_else = _login(physio.user)
    key = kept.cookies["sessionid"].value
    assert user_sessions_end(user_id=patient.user.pk, keep_session_key=key) == 1
    assert kept.get("/api/v1/me/").status_code == 200
    assert ended.get("/api/v1/me/").status_code == 401
    assert someone_else.get("/api/v1/me/").status_code == 200


def test_deleting_a_user_deletes_their_sessions(patient, physio):
    _login(patient.user)
    _login(physio.user)
    patient.user.delete()
    assert list(UserSession.objects.values_list("user_id", flat=True)) == [physio.user.pk]


def test_the_nightly_task_deletes_expired_sessions(patient, settings):
    from usersessions.tasks import delete_expired_sessions

    _login(patient.user)
    later = timezone.now() + timedelta(seconds=settings.SESSION_COOKIE_AGE + 60)
    with time_machine.travel(later):
        _login(patient.user)
        delete_expired_sessions()
    assert UserSession.objects.filter(user=patient.user).count() == 1


def test_the_migration_moves_live_sessions_with_their_user(patient, physio, settings):
    """Switching the engine logs nobody out: live rows of Django's table move here, with the
    user read from their data; expired ones are dropped, and the old table is left empty."""
    from importlib import import_module

    from django.apps import apps
    from django.contrib.sessions.backends.db import SessionStore as DjangoStore

    settings.SESSION_ENGINE = "django.contrib.sessions.backends.db"
    before = _login(patient.user)
    with time_machine.travel(timezone.now() - timedelta(seconds=settings.SESSION_COOKIE_AGE + 1)):
        _login(physio.user)  # expired by now
    anonymous = DjangoStore()
    anonymous["seen"] = True
    anonymous.create()
    assert Session.objects.count() == 3 and not UserSession.objects.exists()

    move = import_module("usersessions.migrations.0002_move_django_sessions").move
    move(apps, None)
    settings.SESSION_ENGINE = "usersessions.backend"

    assert not Session.objects.exists()
    moved = dict(UserSession.objects.values_list("session_key", "user_id"))
    key = before.cookies["sessionid"].value
    assert moved == {key: patient.user.pk, anonymous.session_key: None}
    after = Client()
    after.cookies["sessionid"] = key
    assert after.get("/api/v1/me/").json()["email"] == patient.user.email  # still logged in
