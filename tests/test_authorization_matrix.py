"""Every URL pattern of the URL conf, for every kind of caller, with every method it takes.

The URL conf is walked (through every include), so a new endpoint cannot be forgotten: a URL
name without a row in EXPECTED fails `test_every_url_pattern_has_an_expectation`, and so does a
method an API view implements that its row does not list. Path parameters are filled with
objects that belong to patient A (A's id, A's programme item, A's check-in, A's diary date, an
exercise of A's clinic, an invitation, an unsubscribe link, a password-reset link), so every row
shows who may reach A's data and how the others are turned away.

The rules the table encodes (see accounts/access.py and web/decorators.py):

- API: anonymous 401; a role that may not use an endpoint at all 403 (IsPatient / IsPhysio);
  somebody else's object 404, never 403, so its existence is not revealed.
- Pages: anonymous is sent to log in (302); another role's page 404; another person's object 404.
- Writes are sent with an empty body (`{}` for the API, an empty form for pages). Whenever the
  answer refuses (4xx, or a redirect to log in), the database must be exactly as before: every
  row of every table except sessions is compared.

Each request runs in a savepoint that is rolled back afterwards, so an allowed write (a patient
deleting today's entry, a logout) cannot change what the next request sees.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from http.cookies import SimpleCookie

import pytest
from django.apps import apps
from django.contrib.auth.tokens import default_token_generator
from django.core.cache import cache
from django.db import connection, transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from .conftest import verified_login
from .factories import ClinicFactory, ExerciseFactory, PatientFactory, PhysioFactory, UserFactory

ROLES = ("anon", "patient_a", "patient_b", "physio_care", "colleague", "other_clinic", "staff")

# One status per role, in the order of ROLES:
#        anon  pat_A pat_B care  coll. other staff
PATIENT_ONLY = (401, 200, 200, 403, 403, 403, 403)
PHYSIO_ONLY = (401, 403, 403, 200, 200, 200, 403)
ANY_USER = (401, 200, 200, 200, 200, 200, 200)
EVERYONE = (200,) * 7
# A physio endpoint about patient A: only A's own physio gets through; other physios 404.
ABOUT_A = (401, 403, 403, 200, 404, 404, 403)
# A patient endpoint on A's own object: patient B gets 404.
A_OWN = (401, 200, 404, 403, 403, 403, 403)
NOT_ALLOWED_PATIENT = (401, 405, 405, 403, 403, 403, 403)
NOT_ALLOWED_PHYSIO = (401, 403, 403, 405, 405, 405, 403)
NOT_ALLOWED_ANY_USER = (401, 405, 405, 405, 405, 405, 405)
NOT_ALLOWED = (405,) * 7
# Pages
PAGE_ANY_USER = (302, 200, 200, 200, 200, 200, 200)
PAGE_PATIENT = (302, 200, 200, 404, 404, 404, 404)
PAGE_PHYSIO = (302, 404, 404, 200, 200, 200, 404)

# URL name -> method -> statuses per role. HEAD is checked wherever GET is, and expects what
# GET does unless the row says otherwise.
EXPECTED: dict[str, dict[str, tuple[int, ...]]] = {
    # --- operations ---
    # HEAD as GET (probes use it); other methods refused.
    "healthz": {"GET": EVERYONE, "POST": NOT_ALLOWED},
    # The signed token is the authorisation, whoever opens the link.
    "reminders-unsubscribe": {"GET": EVERYONE, "POST": EVERYONE},
    "admin:index": {"GET": (302, 302, 302, 302, 302, 302, 200)},
    "otp-verify": {"GET": PAGE_ANY_USER, "POST": PAGE_ANY_USER},
    # Adding, replacing or removing a factor: everyone is first asked for the password again
    # (tests/test_second_factor_enrolment.py follows each step).
    "otp-setup": {"GET": (302,) * 7, "POST": (302,) * 7},
    "otp-manage": {"GET": PAGE_ANY_USER},
    "otp-password": {"GET": PAGE_ANY_USER, "POST": PAGE_ANY_USER},
    "otp-recovery": {"GET": (302,) * 7, "POST": (302,) * 7},
    "otp-remove": {"GET": NOT_ALLOWED, "POST": (302,) * 7},
    "otp-passkey-add": {"GET": (302,) * 7},
    "otp-passkey-remove": {"GET": NOT_ALLOWED, "POST": (302,) * 7},
    # Passkeys (tests/test_passkeys.py): registering is refused (403, JSON) until the password
    # is given again; anyone may start a passkey log-in, and completing one needs its start.
    "otp_webauthn:credential-registration-begin": {"GET": (403,) * 7, "POST": (403,) * 7},
    "otp_webauthn:credential-registration-complete": {"GET": (403,) * 7, "POST": (403,) * 7},
    "otp_webauthn:credential-authentication-begin": {"GET": NOT_ALLOWED, "POST": EVERYONE},
    "otp_webauthn:credential-authentication-complete": {
        "GET": NOT_ALLOWED,
        "POST": (400,) * 7,
    },
    "otp_webauthn:js-i18n-catalog": {"GET": EVERYONE},
    # --- API: accounts and privacy ---
    "api-token": {"GET": NOT_ALLOWED, "POST": (400,) * 7},
    "api-logout": {"GET": NOT_ALLOWED_ANY_USER, "POST": (401, 204, 204, 204, 204, 204, 204)},
    "api-invitations": {"GET": PHYSIO_ONLY, "POST": (401, 403, 403, 400, 400, 400, 403)},
    "api-invitation-accept": {"GET": NOT_ALLOWED, "POST": (400,) * 7},
    "api-access-log": {"GET": PATIENT_ONLY},
    # Patients and physios read their own clinic's contacts; staff without a profile have none.
    "api-clinic": {
        "GET": (401, 200, 200, 200, 200, 200, 403),
        "POST": (401, 405, 405, 405, 405, 405, 403),
    },
    "api-me": {
        "GET": ANY_USER,
        "PATCH": ANY_USER,
        "DELETE": (401, 400, 400, 403, 403, 403, 403),
    },
    "api-export": {"GET": PATIENT_ONLY},
    # --- API: exercises ---
    "api-exercises": {"GET": ANY_USER},
    # An exercise of A's clinic: unknown to another clinic and to staff (no clinic).
    "api-exercise": {"GET": (401, 200, 200, 200, 200, 404, 404)},
    "api-templates": {"GET": PHYSIO_ONLY, "POST": (401, 403, 403, 400, 400, 400, 403)},
    # Patient B has no programme.
    "api-programme": {"GET": A_OWN},
    "api-completion": {
        "GET": NOT_ALLOWED_PATIENT,
        "PUT": A_OWN,  # an empty body means one set done: a valid write
        "DELETE": (401, 204, 404, 403, 403, 403, 403),
    },
    "api-patient-programme": {
        "GET": NOT_ALLOWED_PHYSIO,
        "POST": (401, 403, 403, 400, 404, 404, 403),
    },
    "api-patient-programme-item": {"GET": NOT_ALLOWED_PHYSIO, "PATCH": ABOUT_A},
    # --- API: diary ---
    "api-diary": {"GET": PATIENT_ONLY},
    # Today: A has an entry, B has none. The date is the caller's own, so B's DELETE is of B's
    # own (absent) entry.
    "api-diary-entry": {
        "GET": A_OWN,
        "PUT": (401, 400, 400, 403, 403, 403, 403),
        "DELETE": (401, 204, 204, 403, 403, 403, 403),
    },
    "api-checkins": {"GET": PATIENT_ONLY, "POST": (401, 400, 400, 403, 403, 403, 403)},
    "api-checkin-questions": {"GET": PATIENT_ONLY},
    "api-checkin-acknowledge": {"GET": NOT_ALLOWED_PATIENT, "POST": A_OWN},
    "api-patient-diary": {"GET": ABOUT_A},
    "api-patient-checkins": {"GET": ABOUT_A},
    # Questionnaires (outcomes): an empty PUT is a 400 for A (no answers), 404 for B.
    "api-questionnaires-due": {"GET": PATIENT_ONLY},
    "api-questionnaire": {"GET": A_OWN, "PUT": (401, 400, 404, 403, 403, 403, 403)},
    "api-patient-questionnaires": {"GET": ABOUT_A},
    # Episodes of care: A has one (from the programme), B none. An empty body is a 400 for
    # A's own physio (a required field missing); another physio's 404 comes first.
    "api-episode-current": {"GET": A_OWN},
    "api-patient-episodes": {"GET": ABOUT_A, "POST": (401, 403, 403, 400, 404, 404, 403)},
    "api-patient-episode": {
        "GET": NOT_ALLOWED_PHYSIO,
        "PATCH": (401, 403, 403, 400, 404, 404, 403),
    },
    "api-patient-episode-reviews": {
        "GET": NOT_ALLOWED_PHYSIO,
        "POST": (401, 403, 403, 400, 404, 404, 403),
    },
    "api-patient-episode-close": {
        "GET": NOT_ALLOWED_PHYSIO,
        "POST": (401, 403, 403, 400, 404, 404, 403),
    },
    # --- API: progress ---
    "api-progress": {"GET": PATIENT_ONLY},
    "api-progress-chart": {"GET": PATIENT_ONLY},
    "api-patients": {"GET": PHYSIO_ONLY},
    "api-patient": {"GET": ABOUT_A, "PATCH": ABOUT_A},
    "api-patient-progress": {"GET": ABOUT_A},
    "api-patient-chart": {"GET": ABOUT_A},
    # The clinician report and the FHIR export; patient B has no episode (404).
    "api-episode-report": {"GET": A_OWN},
    "api-patient-report": {"GET": ABOUT_A},
    "api-patient-fhir": {"GET": ABOUT_A},
    # --- API: reminders ---
    "api-reminders": {"GET": PATIENT_ONLY, "PUT": (401, 400, 400, 403, 403, 403, 403)},
    "api-push-subscriptions": {
        "GET": NOT_ALLOWED_PATIENT,
        "POST": (401, 400, 400, 403, 403, 403, 403),
        "DELETE": (401, 400, 400, 403, 403, 403, 403),  # no ?endpoint=
    },
    "api-push-public-key": {"GET": ANY_USER},
    "api-patient-nudge": {"GET": NOT_ALLOWED_PHYSIO, "POST": (401, 403, 403, 201, 404, 404, 403)},
    # --- API: lessons (the week-1 lesson: unlocked for both patients) ---
    "api-lessons": {"GET": PATIENT_ONLY},
    "api-lesson": {"GET": PATIENT_ONLY},
    "api-patient-lessons": {"GET": ABOUT_A},
    "api-patient-lesson-pin": {
        "GET": NOT_ALLOWED_PHYSIO,
        "POST": (401, 403, 403, 201, 404, 404, 403),
        "DELETE": (401, 403, 403, 204, 404, 404, 403),
    },
    # --- API: messages (an empty body is a 400 for whoever may write) ---
    "api-messages": {"GET": PATIENT_ONLY, "POST": (401, 400, 400, 403, 403, 403, 403)},
    "api-patient-messages": {"GET": ABOUT_A, "POST": (401, 403, 403, 400, 404, 404, 403)},
    "api-inbox": {"GET": PHYSIO_ONLY},
    # --- API description (public) ---
    "api-schema": {"GET": EVERYONE},
    "api-docs": {"GET": EVERYONE},
    # --- pages ---
    "home": {"GET": PAGE_ANY_USER},
    "progress": {"GET": PAGE_PATIENT},
    "programme": {"GET": PAGE_PATIENT},
    "guide": {"GET": PAGE_PATIENT},
    # Dismissing the programme notice: the patient's own form, back to Today.
    "programme-notice-seen": {
        "GET": (302, 405, 405, 404, 404, 404, 404),
        "POST": (302, 302, 302, 404, 404, 404, 404),
    },
    # Dismissing the welcome card on Today: the patient's own form, back to Today.
    "welcome-seen": {
        "GET": (302, 405, 405, 404, 404, 404, 404),
        "POST": (302, 302, 302, 404, 404, 404, 404),
    },
    "checkin": {"GET": PAGE_PATIENT},
    "my-data": {"GET": PAGE_PATIENT},
    "delete-account": {"GET": PAGE_PATIENT},
    "patient": {"GET": (302, 404, 404, 200, 404, 404, 404)},
    # POST: an invitation's QR code; without a code of their own, physios get a 400 naming it.
    "invite": {"GET": PAGE_PHYSIO, "POST": (302, 404, 404, 400, 400, 400, 404)},
    # Message pages: an empty form is shown again with its error (400).
    "messages": {"GET": PAGE_PATIENT, "POST": (302, 400, 400, 404, 404, 404, 404)},
    "inbox": {"GET": PAGE_PHYSIO},
    "patient-messages": {
        "GET": (302, 404, 404, 200, 404, 404, 404),
        "POST": (302, 404, 404, 400, 404, 404, 404),
    },
    "lessons": {"GET": PAGE_PATIENT},
    # Outcome questionnaires: A's own (B's 404); an empty form saves an empty draft.
    "questionnaires": {"GET": PAGE_PATIENT},
    "questionnaire": {
        "GET": (302, 200, 404, 404, 404, 404, 404),
        "POST": (302, 302, 404, 404, 404, 404, 404),
    },
    # No follow-up is open in this world (A's episode is open, not closed as recovered 26
    # weeks ago): 404 for everyone logged in. tests/test_follow_ups.py opens one and shows
    # that only its patient may answer it.
    "follow-up": {"GET": (302,) + (404,) * 6, "POST": (302,) + (404,) * 6},
    "lesson": {"GET": PAGE_PATIENT},
    # POST only; an empty form (no `pinned`) is refused with a 400 by A's own physio.
    "patient-lesson-pin": {"GET": NOT_ALLOWED, "POST": (302, 404, 404, 400, 404, 404, 404)},
    # The episode forms on the patient page: POST only; A's own physio goes back to the page,
    # where an empty form is shown again with its errors (the week-6 review needs nothing but
    # the button: its note is optional).
    "patient-episode-open": {"GET": NOT_ALLOWED, "POST": (302, 404, 404, 302, 404, 404, 404)},
    "patient-episode-heels": {"GET": NOT_ALLOWED, "POST": (302, 404, 404, 302, 404, 404, 404)},
    "patient-episode-review": {"GET": NOT_ALLOWED, "POST": (302, 404, 404, 302, 404, 404, 404)},
    "patient-episode-close": {"GET": NOT_ALLOWED, "POST": (302, 404, 404, 302, 404, 404, 404)},
    "settings": {"GET": PAGE_ANY_USER},
    "about": {"GET": EVERYONE},
    "language": {"GET": NOT_ALLOWED, "POST": (302,) * 7},
    "goodbye": {"GET": EVERYONE},
    "login": {
        "GET": (200, 302, 302, 302, 302, 302, 302),
        "POST": (200, 302, 302, 302, 302, 302, 302),
    },
    "logout": {"GET": NOT_ALLOWED, "POST": (302,) * 7},
    "join": {"GET": EVERYONE, "POST": EVERYONE},  # an empty form is shown again with errors
    "password_reset": {"GET": EVERYONE, "POST": EVERYONE},
    "password_reset_done": {"GET": EVERYONE},
    # A valid link for A: the token moves to the session and the browser is redirected.
    "password_reset_confirm": {"GET": (302,) * 7, "POST": (302,) * 7},
    "password_reset_complete": {"GET": EVERYONE},
    "manifest": {"GET": EVERYONE},
    "service-worker": {"GET": EVERYONE},
    "offline": {"GET": EVERYONE},
    "programme-json": {"GET": PAGE_PATIENT},
}

WRITE_METHODS = ("POST", "PUT", "PATCH", "DELETE")
# Admin internals are Django's own; only the admin's front door is checked here.
SKIPPED_NAMESPACES = {"admin"}
CHECKED_IN_SKIPPED_NAMESPACES = {"admin:index"}


@dataclass(frozen=True)
class Route:
    name: str  # qualified, "namespace:name"
    pattern: str
    params: tuple[str, ...]
    view: object


def routes() -> list[Route]:
    """Every URL pattern of the URL conf, through every include."""
    found: list[Route] = []

    def walk(patterns, prefix: str, namespaces: tuple[str, ...]):
        for entry in patterns:
            if isinstance(entry, URLResolver):
                inner = (*namespaces, entry.namespace) if entry.namespace else namespaces
                walk(entry.url_patterns, prefix + str(entry.pattern), inner)
            elif isinstance(entry, URLPattern):
                name = ":".join([*namespaces, entry.name or ""])
                skipped = namespaces and namespaces[0] in SKIPPED_NAMESPACES
                if skipped and name not in CHECKED_IN_SKIPPED_NAMESPACES:
                    continue
                found.append(
                    Route(
                        name=name,
                        pattern=prefix + str(entry.pattern),
                        params=tuple(entry.pattern.converters),
                        view=entry.callback,
                    )
                )

    walk(get_resolver().url_patterns, "/", ())
    return found


def implemented_methods(view) -> set[str] | None:
    """The write methods a class-based view implements (None for function views)."""
    view_class = getattr(view, "cls", None)  # DRF views; Django's form views also "take" PUT
    if view_class is None:
        return None
    return {m.upper() for m in ("post", "put", "patch", "delete") if hasattr(view_class, m)}


def test_every_url_pattern_has_an_expectation():
    problems = []
    seen = set()
    for route in routes():
        seen.add(route.name)
        if not route.name or route.name.endswith(":"):
            problems.append(f"{route.pattern}: give the URL pattern a name")
            continue
        row = EXPECTED.get(route.name)
        if row is None:
            problems.append(
                f"{route.name!r} ({route.pattern}) has no expectation: add a row to EXPECTED "
                "in tests/test_authorization_matrix.py saying which role gets which status"
            )
            continue
        for method, statuses in row.items():
            if len(statuses) != len(ROLES):
                problems.append(f"{route.name} {method}: {len(statuses)} statuses for 7 roles")
        implemented = implemented_methods(route.view)
        if implemented is not None:
            missing = implemented - set(row)
            if missing:
                problems.append(
                    f"{route.name}: the view implements {sorted(missing)} but EXPECTED does not "
                    "say who may use it"
                )
    stale = set(EXPECTED) - seen
    if stale:
        problems.append(f"EXPECTED has rows for URL names that no longer exist: {sorted(stale)}")
    assert not problems, "\n".join(problems)


# --- the world --------------------------------------------------------------------------------


@pytest.fixture
def world(db, library, assign, settings):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from accounts.services import invitation_create
    from diary.models import CheckIn, DiaryEntry
    from lessons.models import Lesson
    from lessons.sync import lessons_load
    from outcomes.models import QuestionnaireResponse
    from reminders.messages import unsubscribe_token
    from reminders.services import schedule_for

    # As in production: physiotherapists and staff have passed the second factor.
    settings.REQUIRE_2FA = True
    clinic_x, clinic_y = ClinicFactory(), ClinicFactory()
    physio_care = PhysioFactory(clinic=clinic_x)
    colleague = PhysioFactory(clinic=clinic_x)
    other_clinic = PhysioFactory(clinic=clinic_y)
    patient_a = PatientFactory(physio=physio_care)
    patient_b = PatientFactory(physio=colleague)
    staff = UserFactory(is_staff=True, is_superuser=False)

    programme = assign(patient_a)
    item = programme.items.order_by("pk").first()
    today = patient_a.user.local_today()
    DiaryEntry.objects.create(
        patient=patient_a, date=today, morning_pain=4, recorded_at="2026-01-01T06:00:00Z"
    )
    checkin = CheckIn.objects.create(patient=patient_a, kind="onboarding", answers={})
    questionnaire = QuestionnaireResponse.objects.create(
        patient=patient_a,
        episode_starts_on=today,
        instrument="pass",
        instrument_version="1",
        timepoint="start",
        due_on=today,
    )
    schedule_for(patient_a)
    schedule_for(patient_b)
    exercise = ExerciseFactory(clinic=clinic_x)
    lessons_load(Lesson)  # stored by migration; a transactional test elsewhere flushes them
    _invitation, code = invitation_create(
        physio=physio_care, email="new.patient@example.org", name="New Patient"
    )
    users = {
        "patient_a": patient_a.user,
        "patient_b": patient_b.user,
        "physio_care": physio_care.user,
        "colleague": colleague.user,
        "other_clinic": other_clinic.user,
        "staff": staff,
    }
    cookies = {"anon": SimpleCookie()}
    for role, user in users.items():
        client = Client()
        if role.startswith("patient"):
            client.force_login(user)
        else:
            verified_login(client, user)
        cookies[role] = SimpleCookie(client.cookies.output(header="", sep="\n"))

    params = {
        "patient_id": patient_a.pk,
        "item_id": item.pk,
        "checkin_id": checkin.pk,
        "response_id": questionnaire.pk,
        "day": today.isoformat(),
        "slug": exercise.slug,
        "lesson": "what-is-happening",
        "episode_id": patient_a.episodes.get().pk,
        "kind": "week_6_review",
        "week": 26,
        "code": code,
        "uidb64": urlsafe_base64_encode(force_bytes(patient_a.user.pk)),
        "device_id": TOTPDevice.objects.get(user=physio_care.user).pk,
    }
    tokens = {
        "reminders-unsubscribe": unsubscribe_token(patient_a.pk),
        "password_reset_confirm": default_token_generator.make_token(patient_a.user),
    }
    return {
        "cookies": cookies,
        "params": params,
        "tokens": tokens,
        "users": {"patient_a": patient_a.user, "physio_care": physio_care.user},
    }


def url_for(route: Route, world) -> str:
    kwargs = {}
    for param in route.params:
        if param == "token":
            kwargs[param] = world["tokens"][route.name]
        else:
            kwargs[param] = world["params"][param]
    return reverse(route.name, kwargs=kwargs)


# Django's own session table, and the one the session engine uses (usersessions).
SESSION_MODELS = {"sessions.Session", "usersessions.UserSession"}


def database_fingerprint() -> dict[str, str]:
    """A digest of every row of every table but sessions, per table (raw SQL: it runs a few
    hundred times)."""
    digests = {}
    with connection.cursor() as cursor:
        for model in apps.get_models(include_auto_created=True):
            meta = model._meta
            if meta.proxy or not meta.managed or meta.label in SESSION_MODELS:
                continue
            table = connection.ops.quote_name(meta.db_table)
            cursor.execute(f"SELECT * FROM {table} ORDER BY 1")  # noqa: S608 - our table names
            digests[meta.label] = hashlib.sha256(repr(cursor.fetchall()).encode()).hexdigest()
    return digests


def send(client: Client, method: str, url: str):
    is_api = url.startswith("/api/")
    if method in ("GET", "HEAD"):
        return client.generic(method, url)
    if is_api:
        return client.generic(method, url, b"{}", content_type="application/json")
    return client.generic(method, url, b"", content_type="application/x-www-form-urlencoded")


def _refused(response) -> bool:
    """An error, or being sent to log in first (`?next=`, unlike the redirect after logging
    out): either way nothing may have been written."""
    if response.status_code >= 400:
        return True
    location = response.get("Location", "")
    to_login = location.startswith((reverse("login"), reverse("admin:login")))
    return response.status_code == 302 and to_login and "next=" in location


def test_every_url_for_every_role(world, capsys):
    mismatches, unexpected_writes = [], []
    checked = 0
    all_routes = routes()
    for route in all_routes:
        row = EXPECTED.get(route.name)
        if row is None:
            mismatches.append(f"{route.name}: no expectation (see the other test)")
            continue
        url = url_for(route, world)
        methods = dict(row)
        if "GET" in methods:
            methods.setdefault("HEAD", methods["GET"])
        for method, statuses in methods.items():
            for role, expected in zip(ROLES, statuses, strict=True):
                checked += 1
                client = Client(raise_request_exception=False)
                client.cookies = SimpleCookie(world["cookies"][role].output(header="", sep="\n"))
                cache.clear()  # throttles count per test run, not per request
                savepoint = transaction.savepoint()
                try:
                    before = database_fingerprint() if method in WRITE_METHODS else None
                    response = send(client, method, url)
                    changed = []
                    if before is not None and _refused(response):
                        after = database_fingerprint()
                        changed = [label for label in before if before[label] != after[label]]
                finally:
                    connection.needs_rollback = False  # a failed query is undone right here
                    transaction.savepoint_rollback(savepoint)
                if response.status_code != expected:
                    location = response.get("Location", "")
                    mismatches.append(
                        f"{method} {url} as {role}: {response.status_code} {location}"
                        f"(expected {expected})"
                    )
                if changed:
                    unexpected_writes.append(
                        f"{method} {url} as {role} answered {response.status_code} but changed "
                        f"{changed}"
                    )
                if response.status_code >= 500:
                    mismatches.append(f"{method} {url} as {role}: server error")
    with capsys.disabled():
        print(
            f"\nauthorization matrix: {len(all_routes)} URL patterns x {len(ROLES)} roles, "
            f"{checked} (URL, role, method) requests checked"
        )
    assert not mismatches, "\n".join(mismatches)
    assert not unexpected_writes, "\n".join(unexpected_writes)


@pytest.mark.parametrize("role", ["patient_a", "physio_care"])
def test_a_password_only_session_reaches_nothing_behind_the_second_factor(world, role):
    """An account with a second factor, logged in with the password only (a stolen password):
    every URL that is not public answers "enter your code" (a page sends to the code page, the
    API 403s) and writes nothing; the code page, log-out and the public pages stay reachable.
    Patient A turns an authenticator app on for this; the physio always has one."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from accounts.twofactor import EXEMPT_PREFIXES

    user = world["users"][role]
    TOTPDevice.objects.get_or_create(user=user, name="phone", defaults={"confirmed": True})
    client = Client(raise_request_exception=False)
    client.force_login(user)  # the password step only: the session is not verified
    verify = reverse("otp-verify")
    problems, checked = [], 0
    for route in routes():
        row = EXPECTED.get(route.name, {})
        url = url_for(route, world)
        if url.startswith(EXEMPT_PREFIXES) or route.name.startswith("admin:"):
            continue
        for method, statuses in row.items():
            if statuses[0] not in (302, 401):
                continue  # public (anonymous callers get through): nothing to protect
            checked += 1
            cache.clear()
            savepoint = transaction.savepoint()
            try:
                before = database_fingerprint() if method in WRITE_METHODS else None
                response = send(client, method, url)
                after = database_fingerprint() if before is not None else None
            finally:
                connection.needs_rollback = False
                transaction.savepoint_rollback(savepoint)
            location = response.get("Location", "")
            if url.startswith("/api/"):
                refused = response.status_code in (401, 403)
            else:
                refused = response.status_code == 302 and location.startswith(verify)
            if not refused:
                problems.append(f"{method} {url}: {response.status_code} {location}")
            if before != after:
                changed = [label for label in before if before[label] != after[label]]
                problems.append(f"{method} {url} wrote {changed}")
    assert checked > 100
    assert not problems, "\n".join(problems)


def test_login_redirects_keep_the_page_asked_for(world):
    """Anonymous callers of pages are sent to log in (not shown an error), with `next`."""
    client = Client()
    response = client.get("/progress/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert "next=/progress/" in response["Location"]


ABOUT_A_PATHS = [
    "/api/v1/patients/{id}/",
    "/api/v1/patients/{id}/diary/",
    "/api/v1/patients/{id}/checkins/",
    "/api/v1/patients/{id}/progress/",
    "/api/v1/patients/{id}/progress/chart.svg",
    "/patients/{id}/",
]


@pytest.mark.parametrize("role", ["colleague", "other_clinic"])
def test_another_physios_patient_looks_exactly_like_no_patient(world, role):
    """The 404 for a patient in someone else's care is the 404 for an id nobody has: nothing
    tells a physio that the patient exists."""
    missing_id = world["params"]["patient_id"] + 10_000
    client = Client()
    client.cookies = SimpleCookie(world["cookies"][role].output(header="", sep="\n"))
    for path in ABOUT_A_PATHS:
        someone_elses = client.get(path.format(id=world["params"]["patient_id"]))
        nobodys = client.get(path.format(id=missing_id))
        assert someone_elses.status_code == nobodys.status_code == 404, path
        assert someone_elses.content == nobodys.content, path


# --- the admin --------------------------------------------------------------------------------
#
# Every named URL of the admin, for callers who may reach the admin and those who may not. The
# objects in the URLs belong to clinic X: the colleague is clinic staff there (and patient A
# is not in their care), the other clinic's physio and a member of staff with no clinic are
# staff too, and all three hold every model permission there is, in one group: the most a
# clinic could ever be given. Only the superuser may see the libraries' admins (groups, API
# tokens, log-in attempts, authenticator devices), and nobody reads an authenticator's secret.

ADMIN_ROLES = (
    "anon",
    "patient_a",
    "physio_care",
    "colleague",
    "other_clinic",
    "staff",
    "superuser",
)
# Not staff: sent to the admin's log-in page.
_OUT = (302, 302, 302)
STAFF_ALL = (*_OUT, 200, 200, 200, 200)
CLINIC_X = (*_OUT, 200, 404, 404, 200)  # a row of clinic X that clinic X's staff manage
ABOUT_A = (*_OUT, 404, 404, 404, 200)  # patient A's: only A's own physio (and superusers)
SUPERUSER_ONLY = (*_OUT, 403, 403, 403, 200)
NOBODY = (*_OUT, 403, 403, 403, 403)
ONLY_SUPERUSER_ADDS = (*_OUT, 403, 403, 403, 200)
PHYSIOS_ADD = (*_OUT, 200, 200, 403, 403)  # what only a physiotherapist does (invite, assign)
CLINIC_STAFF_ADD = (*_OUT, 200, 200, 403, 200)  # a clinic's own row, or a superuser's


def _model_rows(label, *, listing, obj, delete, add, change_post=None, delete_post=None):
    """The rows of one model's admin URLs: changelist, add, change, delete, history."""
    prefix = "admin:" + label.replace(".", "_").lower()
    return {
        f"{prefix}_changelist": {"GET": listing},
        f"{prefix}_add": {"GET": add, "POST": add},
        f"{prefix}_change": {"GET": obj, "POST": change_post or obj},
        f"{prefix}_delete": {"GET": delete, "POST": delete_post or delete},
        f"{prefix}_history": {"GET": obj},
    }


ADMIN_EXPECTED: dict[str, dict[str, tuple[int, ...]]] = {
    "admin:index": {"GET": STAFF_ALL},
    "admin:app_list": {"GET": STAFF_ALL},
    # Logged-in non-staff get the form again ("not authorised for this page"); staff go in.
    "admin:login": {"GET": (200, 200, 200, 302, 302, 302, 302), "POST": (200,) * 7},
    # Those not logged in to the admin are sent to it; staff leave by POST, to the log-in page.
    "admin:logout": {"GET": (*_OUT, 405, 405, 405, 405), "POST": (302,) * 7},
    "admin:password_change": {"GET": STAFF_ALL, "POST": STAFF_ALL},
    "admin:password_change_done": {"GET": STAFF_ALL},
    "admin:jsi18n": {"GET": STAFF_ALL},
    "admin:autocomplete": {"GET": (*_OUT, 403, 403, 403, 403)},  # no field named
    # Patient A's profile has no page outside the admin.
    "admin:view_on_site": {"GET": (*_OUT, 404, 404, 404, 404)},
    # Another person's password is set by superusers only; clinic staff send a reset link.
    "admin:auth_user_password_change": {"GET": (*CLINIC_X[:3], 403, 404, 404, 200)}
    | {"POST": (*CLINIC_X[:3], 403, 404, 404, 200)},
    # The secret of an authenticator: shown to nobody (OTP_ADMIN_HIDE_SENSITIVE_DATA).
    "admin:otp_totp_totpdevice_config": {"GET": NOBODY},
    "admin:otp_totp_totpdevice_qrcode": {"GET": NOBODY},
    # physio_care's account: the colleague's colleague.
    **_model_rows(
        "accounts.user",
        listing=STAFF_ALL,
        obj=CLINIC_X,
        delete=CLINIC_X,  # a physio's account: erased by their clinic's staff (confirm page)
        add=(*CLINIC_STAFF_ADD[:5], 403, 200),
    ),
    **_model_rows(
        "accounts.clinic",
        listing=STAFF_ALL,
        obj=CLINIC_X,
        delete=(*_OUT, 403, 404, 404, 200),
        add=ONLY_SUPERUSER_ADDS,
    ),
    # physio_care's profile: nothing in it is the colleague's to change, so their (empty)
    # submission saves nothing and returns to the list.
    **_model_rows(
        "accounts.physioprofile",
        listing=STAFF_ALL,
        obj=CLINIC_X,
        change_post=(*_OUT, 302, 404, 404, 200),
        delete=(*_OUT, 403, 404, 404, 200),
        add=ONLY_SUPERUSER_ADDS,
    ),
    **_model_rows(
        "accounts.patientprofile",
        listing=STAFF_ALL,
        obj=ABOUT_A,
        delete=ABOUT_A,
        add=ONLY_SUPERUSER_ADDS,
    ),
    # Invitations are shown, never changed.
    **_model_rows(
        "accounts.invitation",
        listing=STAFF_ALL,
        obj=CLINIC_X,
        change_post=(*_OUT, 403, 404, 404, 403),
        delete=CLINIC_X,
        add=PHYSIOS_ADD,
    ),
    # The access log: read-only, even to superusers.
    **_model_rows(
        "accounts.accessrecord",
        listing=STAFF_ALL,
        obj=ABOUT_A,
        change_post=(*_OUT, 404, 404, 404, 403),
        delete=(*_OUT, 404, 404, 404, 403),
        add=NOBODY,
    ),
    **_model_rows(
        "exercises.exercise",
        listing=STAFF_ALL,
        obj=CLINIC_X,
        delete=CLINIC_X,
        add=CLINIC_STAFF_ADD,
    ),
    **_model_rows(
        "exercises.programmetemplate",
        listing=STAFF_ALL,
        obj=CLINIC_X,
        delete=CLINIC_X,
        add=CLINIC_STAFF_ADD,
    ),
    **_model_rows(
        "exercises.programme", listing=STAFF_ALL, obj=ABOUT_A, delete=ABOUT_A, add=PHYSIOS_ADD
    ),
    # Episodes: read-only, even to superusers (they change through the physio's services).
    **_model_rows(
        "care.episode",
        listing=STAFF_ALL,
        obj=ABOUT_A,
        change_post=(*_OUT, 404, 404, 404, 403),
        delete=(*_OUT, 404, 404, 404, 403),
        add=NOBODY,
    ),
    # Lessons: text from the repository, read by all staff, changed by nobody here.
    **_model_rows(
        "lessons.lesson",
        listing=STAFF_ALL,
        obj=STAFF_ALL,
        change_post=(*_OUT, 403, 403, 403, 403),
        delete=NOBODY,
        add=NOBODY,
    ),
    # A lesson hidden for clinic X: clinic X's staff (and superusers) manage it.
    **_model_rows(
        "lessons.cliniclessonhidden",
        listing=STAFF_ALL,
        obj=CLINIC_X,
        change_post=(*_OUT, 403, 404, 404, 403),  # hidden or shown, never edited
        delete=CLINIC_X,
        add=CLINIC_STAFF_ADD,
    ),
    **_model_rows(
        "auth.group",
        listing=SUPERUSER_ONLY,
        obj=SUPERUSER_ONLY,
        delete=SUPERUSER_ONLY,
        add=SUPERUSER_ONLY,
    ),
    **_model_rows(
        "knox.authtoken",
        listing=SUPERUSER_ONLY,
        obj=SUPERUSER_ONLY,
        delete=SUPERUSER_ONLY,
        add=SUPERUSER_ONLY,
    ),
    **_model_rows(
        "otp_totp.totpdevice",
        listing=SUPERUSER_ONLY,
        obj=SUPERUSER_ONLY,
        delete=SUPERUSER_ONLY,
        add=SUPERUSER_ONLY,
    ),
    **{
        name: row
        for model in ("accessattempt", "accesslog", "accessfailurelog")
        for name, row in _model_rows(
            f"axes.{model}",
            listing=SUPERUSER_ONLY,
            obj=SUPERUSER_ONLY,
            # Every field is read-only: the superuser's empty form saves nothing.
            change_post=(*_OUT, 403, 403, 403, 302),
            delete=SUPERUSER_ONLY,
            add=NOBODY,  # axes writes these itself
        ).items()
    },
}


def admin_routes() -> list[Route]:
    """Every named URL of the admin (the unnamed ones redirect to the named)."""
    found: list[Route] = []

    def walk(patterns, prefix: str, namespaces: tuple[str, ...]):
        for entry in patterns:
            if isinstance(entry, URLResolver):
                inner = (*namespaces, entry.namespace) if entry.namespace else namespaces
                walk(entry.url_patterns, prefix + str(entry.pattern), inner)
            elif namespaces[:1] == ("admin",) and entry.name:
                params = tuple(entry.pattern.converters) or tuple(entry.pattern.regex.groupindex)
                found.append(
                    Route(
                        name=":".join([*namespaces, entry.name]),
                        pattern=prefix + str(entry.pattern),
                        params=params,
                        view=entry.callback,
                    )
                )

    walk(get_resolver().url_patterns, "/", ())
    return found


def test_every_admin_url_has_an_expectation():
    names = {route.name for route in admin_routes()}
    missing = sorted(names - set(ADMIN_EXPECTED))
    stale = sorted(set(ADMIN_EXPECTED) - names)
    assert not missing, f"add rows to ADMIN_EXPECTED for: {missing}"
    assert not stale, f"ADMIN_EXPECTED has rows for URL names that no longer exist: {stale}"
    for name, row in ADMIN_EXPECTED.items():
        for method, statuses in row.items():
            assert len(statuses) == len(ADMIN_ROLES), (name, method)


@pytest.fixture
def admin_world(world):
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog
    from django.contrib.auth.models import Group, Permission
    from django.contrib.contenttypes.models import ContentType
    from django_otp.plugins.otp_totp.models import TOTPDevice
    from knox.models import AuthToken

    from accounts.models import AccessRecord, Invitation, PatientProfile, PhysioProfile, User
    from exercises.models import Exercise, ProgrammeTemplate
    from lessons.models import ClinicLessonHidden, Lesson

    patient_a = PatientProfile.objects.get(pk=world["params"]["patient_id"])
    physio_care = patient_a.physio
    clinic_x = physio_care.clinic
    colleague = PhysioProfile.objects.filter(clinic=clinic_x).exclude(pk=physio_care.pk).get()
    other_clinic = PhysioProfile.objects.exclude(clinic=clinic_x).get()
    staff = User.objects.get(is_staff=True, is_superuser=False)
    group = Group.objects.create(name="Clinic staff")
    group.permissions.set(Permission.objects.all())
    for user in (colleague.user, other_clinic.user, staff):
        user.is_staff = True
        user.save(update_fields=["is_staff"])
        user.groups.add(group)
    superuser = UserFactory(is_staff=True, is_superuser=True)
    client = Client()
    verified_login(client, superuser)
    cookies = {**world["cookies"], "superuser": SimpleCookie(client.cookies.output(header=""))}

    if not AccessRecord.objects.filter(patient=patient_a).exists():
        AccessRecord.objects.create(
            patient=patient_a, actor=physio_care.user, actor_role="physio", what="diary"
        )
    template = ProgrammeTemplate.objects.create(
        slug="clinic-x-template", name_da="X", name_en="X", clinic=clinic_x
    )
    token, _ = AuthToken.objects.create(user=patient_a.user)
    lesson = Lesson.objects.order_by("order").first()
    attempt = {"username": "a@example.org", "ip_address": "192.0.2.1", "user_agent": "x"}
    device = TOTPDevice.objects.get(user=physio_care.user)
    objects = {
        "accounts.user": physio_care.user.pk,
        "accounts.clinic": clinic_x.pk,
        "accounts.physioprofile": physio_care.pk,
        "accounts.patientprofile": patient_a.pk,
        "accounts.invitation": Invitation.objects.get(invited_by=physio_care).pk,
        "accounts.accessrecord": AccessRecord.objects.filter(patient=patient_a).first().pk,
        "exercises.exercise": Exercise.objects.get(slug=world["params"]["slug"]).pk,
        "exercises.programmetemplate": template.pk,
        "exercises.programme": patient_a.programmes.get().pk,
        "care.episode": patient_a.episodes.get().pk,
        "lessons.lesson": lesson.pk,
        "lessons.cliniclessonhidden": ClinicLessonHidden.objects.create(
            clinic=clinic_x, lesson=Lesson.objects.exclude(pk=lesson.pk).first()
        ).pk,
        "auth.group": group.pk,
        "knox.authtoken": token.pk,
        "otp_totp.totpdevice": device.pk,
        "axes.accessattempt": AccessAttempt.objects.create(failures_since_start=1, **attempt).pk,
        "axes.accesslog": AccessLog.objects.create(**attempt).pk,
        "axes.accessfailurelog": AccessFailureLog.objects.create(**attempt).pk,
    }
    params = {
        "id": physio_care.user.pk,
        "pk": device.pk,
        "app_label": "accounts",
        "content_type_id": ContentType.objects.get_for_model(PatientProfile).pk,
        "object_id": patient_a.pk,
    }
    return {"cookies": cookies, "objects": objects, "params": params}


def admin_url_for(route: Route, admin_world) -> str:
    kwargs = {param: admin_world["params"][param] for param in route.params}
    model_url = route.name.rsplit("_", 1)[-1] in ("change", "delete", "history")
    if "object_id" in kwargs and model_url and route.name != "admin:view_on_site":
        model = route.pattern.split("/")[2:4]  # /admin/<app>/<model>/...
        kwargs["object_id"] = admin_world["objects"][".".join(model)]
    return reverse(route.name, kwargs=kwargs)


def test_every_admin_url_for_every_role(admin_world, capsys):
    """As the main matrix, for the admin: the expected status per role, and a refused write
    (an error, or being sent to log in) leaves every row of every table as it was."""
    mismatches, unexpected_writes = [], []
    checked = 0
    routes_ = admin_routes()
    for route in routes_:
        row = ADMIN_EXPECTED.get(route.name)
        if row is None:
            mismatches.append(f"{route.name}: no expectation (see the other test)")
            continue
        url = admin_url_for(route, admin_world)
        for method, statuses in row.items():
            for role, expected in zip(ADMIN_ROLES, statuses, strict=True):
                checked += 1
                client = Client(raise_request_exception=False)
                client.cookies = SimpleCookie(
                    admin_world["cookies"][role].output(header="", sep="\n")
                )
                cache.clear()
                savepoint = transaction.savepoint()
                try:
                    before = database_fingerprint() if method in WRITE_METHODS else None
                    response = send(client, method, url)
                    changed = []
                    if before is not None and _refused(response):
                        after = database_fingerprint()
                        changed = [label for label in before if before[label] != after[label]]
                finally:
                    connection.needs_rollback = False
                    transaction.savepoint_rollback(savepoint)
                if response.status_code != expected:
                    location = response.get("Location", "")
                    mismatches.append(
                        f"{method} {url} as {role}: {response.status_code} {location} "
                        f"(expected {expected})"
                    )
                if changed:
                    unexpected_writes.append(
                        f"{method} {url} as {role} answered {response.status_code} but changed "
                        f"{changed}"
                    )
    with capsys.disabled():
        print(
            f"\nadmin matrix: {len(routes_)} admin URLs x {len(ADMIN_ROLES)} roles, "
            f"{checked} (URL, role, method) requests checked"
        )
    assert not mismatches, "\n".join(mismatches)
    assert not unexpected_writes, "\n".join(unexpected_writes)
