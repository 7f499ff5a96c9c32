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


def test_the_migration_moves_sessions_to_the_projects_backends(patient, physio, settings):
    """Sessions logged in through Django's password backend or the passkey library's own
    name accounts.backends' after 0003, and stay logged in; any other session, and an expired
    one, is left as it was; backwards, the names go back."""
    from importlib import import_module

    from django.apps import apps
    from django.contrib.auth import BACKEND_SESSION_KEY

    migration = import_module("usersessions.migrations.0003_session_backends")
    old_password = "django.contrib.auth.backends.ModelBackend"
    old_passkey = "django_otp_webauthn.backends.WebAuthnBackend"
    by_password, by_passkey = Client(), Client()
    by_password.force_login(patient.user, backend=old_password)
    by_passkey.force_login(physio.user, backend=old_passkey)
    with time_machine.travel(timezone.now() - timedelta(seconds=settings.SESSION_COOKIE_AGE + 1)):
        expired = Client()
        expired.force_login(patient.user, backend=old_password)
    anonymous = SessionStore()
    anonymous["seen"] = True
    anonymous.create()

    def backend_of(client) -> str | None:
        return SessionStore(client.cookies["sessionid"].value).load().get(BACKEND_SESSION_KEY)

    # Not among AUTHENTICATION_BACKENDS any more: logged out, until the migration runs.
    assert by_password.get("/api/v1/me/").status_code in (401, 403)
    expired_data = UserSession.objects.get(session_key=expired.cookies["sessionid"].value)
    migration.rename(apps, None)
    assert backend_of(by_password) == "accounts.backends.PasswordBackend"
    assert backend_of(by_passkey) == "accounts.backends.PasskeyBackend"
    assert by_password.get("/api/v1/me/").json()["email"] == patient.user.email
    assert by_passkey.get("/api/v1/me/").json()["email"] == physio.user.email
    assert SessionStore(anonymous.session_key).load() == {"seen": True}
    assert UserSession.objects.get(pk=expired_data.pk).session_data == expired_data.session_data

    migration.rename_back(apps, None)
    assert (backend_of(by_password), backend_of(by_passkey)) == (old_password, old_passkey)


def test_a_session_loads_its_user_with_the_profile_in_one_query(patient, physio):
    """accounts.backends: the user and their patient profile in one statement, for a
    password log-in and a passkey session alike; is_patient then asks nothing more, for a
    patient or anyone else."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from accounts.access import is_patient
    from accounts.backends import PASSKEY_BACKEND, PasswordBackend

    by_password = _login(patient.user)
    by_passkey = Client()
    by_passkey.force_login(patient.user, backend=PASSKEY_BACKEND)
    for client in (by_password, by_passkey):
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/api/v1/me/").json()["email"] == patient.user.email
        profile = [q["sql"] for q in queries if '"accounts_patientprofile"' in q["sql"]]
        assert len(profile) == 1, profile  # the user's own statement, joined
        assert 'FROM "accounts_user"' in profile[0] and "JOIN" in profile[0]

    for user, expected in ((patient.user, True), (physio.user, False)):
        loaded = PasswordBackend().get_user(user.pk)
        with CaptureQueriesContext(connection) as queries:
            assert is_patient(loaded) is expected
        assert len(queries) == 0


def test_an_inactive_or_deleted_account_is_no_sessions_user(patient, physio):
    from accounts.backends import PasskeyBackend, PasswordBackend

    client = _login(patient.user)
    patient.user.is_active = False
    patient.user.save(update_fields=["is_active"])
    assert client.get("/api/v1/me/").status_code in (401, 403)
    for backend in (PasswordBackend(), PasskeyBackend()):
        assert backend.get_user(patient.user.pk) is None
        assert backend.get_user(10**9) is None
        assert backend.get_user(physio.user.pk) == physio.user
