"""Shared fixtures, and the rule for tests that need real PostgreSQL or Redis.

Marked tests (`@pytest.mark.postgres`, `@pytest.mark.redis`) run against the real servers.
Where a server is missing they are skipped with the reason printed in the summary, except in
CI (`CI=true`), where a missing server is a failure: CI must never pass by skipping.
"""

import os
import socket
from urllib.parse import urlparse

import pytest
from django.db import connection
from rest_framework.test import APIClient

from .factories import PASSWORD, ClinicFactory, PatientFactory, PhysioFactory, UserFactory

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
# One VAPID key for the whole run (generating one costs a few milliseconds).
VAPID_PRIVATE_KEY = "4lYU355-nrytGi1_P7Y1f8Bm_qi6BAv1uXay43u6eTc"
REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")


def _redis_reachable(url: str) -> bool:
    parsed = urlparse(url)
    try:
        with socket.create_connection((parsed.hostname, parsed.port or 6379), timeout=1) as s:
            s.sendall(b"PING\r\n")
            return s.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def _missing(reason: str) -> None:
    if IN_CI:
        pytest.fail(f"{reason} (CI=true: a missing service is a failure, never a skip)")
    pytest.skip(reason)


@pytest.fixture(autouse=True)
def _require_services(request):
    if request.node.get_closest_marker("postgres") and connection.vendor != "postgresql":
        _missing("needs PostgreSQL: set DATABASE_URL=postgres://... to run it")
    if request.node.get_closest_marker("redis") and not _redis_reachable(REDIS_URL):
        _missing(f"needs Redis: none answers at {REDIS_URL} (set REDIS_URL)")


@pytest.fixture(scope="session")
def _serial_live_server_on_sqlite():
    """On SQLite the live server shares one in-memory database between its threads, and two
    requests writing at once fail at once ("database table is locked", answered 503; a busy
    timeout does not apply to shared-cache locks). A page makes requests in parallel (Today
    reads the diary and the programme while its service worker sends the outbox; the physio's
    pages write an access record on every read), so on SQLite the live server handles one
    request at a time. (A production SQLite file in WAL mode waits for the writer instead; see
    settings.py.)"""
    from django.conf import settings

    if not settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        yield
        return
    from django.core.servers.basehttp import WSGIServer
    from django.test.testcases import LiveServerThread

    from tests.live_server_gate import IN_FLIGHT

    class SerialWSGIServer(WSGIServer):
        # Requests run in the server's own thread, which already uses the shared connection;
        # Django answers "Connection: close" when the server is not threaded.
        def __init__(self, *args, connections_override=None, **kwargs):
            super().__init__(*args, **kwargs)

        def finish_request(self, request, client_address):
            # One request (one connection) at a time, counted for the test's statements; one
            # that arrives between tests is dropped (the socket is closed unanswered).
            with IN_FLIGHT.request() as admitted:
                if admitted:
                    super().finish_request(request, client_address)

    original = LiveServerThread.server_class
    LiveServerThread.server_class = SerialWSGIServer
    yield
    LiveServerThread.server_class = original


@pytest.fixture(scope="session")
def live_server(_serial_live_server_on_sqlite, live_server):
    """pytest-django's live server, started after the set-up above. The set-up must be a
    dependency of the session fixture itself: pytest starts a session fixture before any
    narrower one a test asks for, so a package-scoped patch came too late and the server it
    meant to make serial stayed threaded (seen as 503s while Today synced its outbox)."""
    return live_server


@pytest.fixture
def redis_url() -> str:
    return REDIS_URL


@pytest.fixture(autouse=True)
def _isolated_settings(settings, tmp_path):
    # Tests must not depend on the developer's e-mail or cache set-up.
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    # Argon2 costs ~120 ms a hash by design; tests create many users. Production keeps Argon2
    # (tests/test_settings.py checks the configured hasher).
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.VAPID_PRIVATE_KEY = VAPID_PRIVATE_KEY
    settings.VAPID_CONTACT = "mailto:reminders@example.org"


@pytest.fixture(autouse=True)
def _default_language():
    # Requests activate the user's language in this thread; start every test from Danish.
    from django.utils import translation

    translation.activate("da")
    yield
    translation.activate("da")


@pytest.fixture(autouse=True)
def _fresh_cache():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def password() -> str:
    return PASSWORD


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def clinic(db):
    return ClinicFactory()


@pytest.fixture
def physio(db, clinic):
    return PhysioFactory(clinic=clinic)


@pytest.fixture
def patient(db, physio):
    return PatientFactory(physio=physio)


@pytest.fixture
def client_for(db):
    """An API client logged in (by session, through the real middleware) as the given user."""

    def make(user):
        client = APIClient()
        client.force_login(user)
        return client

    return make


__all__ = ["UserFactory"]


@pytest.fixture
def library(db):
    """The seeded exercise library. Loaded by migration, but a transactional test elsewhere
    flushes the tables, so make sure it is there (the loader is an idempotent upsert)."""
    from exercises.models import Exercise, ProgrammeTemplate, TemplateItem
    from exercises.seed import load_library

    if not ProgrammeTemplate.objects.filter(slug="haelspore-standard").exists():
        load_library(Exercise, ProgrammeTemplate, TemplateItem)


@pytest.fixture
def assign(library):
    """Assign a seeded template to a patient: assign(patient, "haelspore-standard", starts_on)."""
    from exercises.models import ProgrammeTemplate
    from exercises.services import programme_assign

    def make(patient, template="haelspore-standard", starts_on=None):
        return programme_assign(
            physio=patient.physio,
            patient=patient,
            template=ProgrammeTemplate.objects.get(slug=template),
            starts_on=starts_on or patient.user.local_today(),
        )

    return make


def verified_login(client, user):
    """Log in as someone who has also passed the second factor (a confirmed TOTP device)."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device, _ = TOTPDevice.objects.get_or_create(
        user=user, name="test", defaults={"confirmed": True}
    )
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return device


@pytest.fixture
def push_service():
    """A stand-in Web Push service on loopback (tests/push_standin.py), for the worker tests."""
    from .push_standin import StandInPushService

    with StandInPushService() as service:
        yield service
