"""The API against its own OpenAPI schema, with schemathesis: every operation, as a patient and as a
physiotherapist (knox token), with real data behind the path parameters so requests get past
the 404 and into validation and the database.

Every response goes through all of schemathesis' checks (`schemathesis run --checks all`),
positive and negative data alike, among them:

- no 5xx (`not_a_server_error`);
- a documented status answers with a body that matches the schema (`response_schema_conformance`)
  and the documented media type and headers (`content_type_conformance`,
  `response_headers_conformance`);
- a success status (2xx) is one the schema documents (`status_code_conformance`);
- data the schema allows is accepted (`positive_data_acceptance`), data it forbids is refused
  (`negative_data_rejection`): the schema says what the server enforces, so a generated client
  works. The few rules a schema cannot state (a password, an invitation code or an exercise
  that exists, today's date, at least one weekday while reminders are on) are listed in
  RULES_BEYOND_THE_SCHEMA with the field their 400 names; any other refusal fails;
- an operation that needs a log-in refuses a request without one (`ignored_auth`).

Error statuses (4xx) the schema does not document (415, 405...) are counted, not failed here;
`test_error_responses_are_documented` checks that each operation documents the ones api.md
promises (400, 401, 403, 404), and those are then checked like any other. The last test prints
how many requests were sent (FUZZ_VERBOSE=1: and the statuses seen per operation).

Besides schemathesis' own data, some examples carry request bodies that can pass validation
(real exercise and template names, the red-flag codes, "HH:MM" times; `_real_bodies`), and a few
hand-picked inputs (EDGE_CASES) are always sent, so that each operation reaches its service and
the database, not only its validation.

The schema is the one `/api/schema/` serves (`test_served_schema_is_the_one_fuzzed`), built in
process so that collection needs no database. Requests go through Django's WSGI handler
(`case.call(app=application)`). Each (role, operation) is one test in its own rolled-back
transaction; the examples of one test share it, so later examples see what earlier ones wrote.
Generation is derandomized: the same requests every run.
"""

from __future__ import annotations

import json
import os
import re
from collections import Counter, defaultdict
from datetime import timedelta

import pytest
import schemathesis
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from schemathesis.checks import not_a_server_error
from schemathesis.core import NotSet
from schemathesis.core.failures import FailureGroup
from schemathesis.specs.openapi.checks import (
    allow_header_conformance,
    content_type_conformance,
    ensure_resource_availability,
    ignored_auth,
    missing_required_header,
    negative_data_rejection,
    object_level_authorization,
    positive_data_acceptance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
    unsupported_method,
    use_after_free,
)

from haelapp.wsgi import application

from .factories import PASSWORD, PatientFactory, diary_series

# Examples per (role, operation): schema-valid data, then data that breaks the schema. An
# operation the role may not use at all answers 403 before reading anything: fewer suffice.
# FUZZ_SCALE=10 multiplies them for a longer hunt (the default keeps the module near 90 s);
# FUZZ_VERBOSE=1 prints the statuses seen per operation.
SCALE = int(os.environ.get("FUZZ_SCALE", "1"))
POSITIVE_EXAMPLES = 30 * SCALE
NEGATIVE_EXAMPLES = 15 * SCALE
FORBIDDEN_EXAMPLES = 4

SCHEMA_DICT = json.loads(
    OpenApiJsonRenderer().render(SchemaGenerator().get_schema(request=None, public=True))
)
SCHEMA = schemathesis.openapi.from_dict(SCHEMA_DICT)
# Requests, and those that checks send of their own (ignored_auth's probe without credentials),
# go to Django's WSGI app in this process, as `schemathesis.openapi.from_wsgi` would set it.
SCHEMA.app = application
OPERATIONS = [result.ok() for result in SCHEMA.get_all_operations()]
ROLES = ("patient", "physio")

# Module-level tallies, printed by the last test of the module.
REQUESTS: Counter[str] = Counter()
UNDOCUMENTED: dict[str, Counter] = defaultdict(Counter)
STATUSES: dict[str, Counter] = defaultdict(Counter)

# All of them, as `--checks all`. Those about sequences of requests (use_after_free,
# ensure_resource_availability, object_level_authorization) and about the CLI's coverage
# phase (missing_required_header, unsupported_method, allow_header_conformance) have nothing
# to say about single generated requests and pass; they are listed so none is left out.
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    negative_data_rejection,
    positive_data_acceptance,
    missing_required_header,
    unsupported_method,
    allow_header_conformance,
    use_after_free,
    ensure_resource_availability,
    ignored_auth,
    object_level_authorization,
]

# Rules the server enforces that a schema cannot state: schema-valid data these operations may
# refuse with a 400 naming one of these fields (and nothing else). Each is in the operation's
# description or the field's.
RULES_BEYOND_THE_SCHEMA = {
    # Answers checked against the instrument (item ids, ranges, required on submit), a second
    # submission, a questionnaire no longer due.
    "PUT /api/v1/questionnaires/{response_id}/": {"answers", "submit", "non_field_errors"},
    # Wrong e-mail, password or code.
    "POST /api/v1/auth/token/": {"non_field_errors"},
    # No such invitation, expired or used; a password Django's validators refuse.
    "POST /api/v1/invitations/accept/": {"code", "password"},
    # Someone already has an account with that e-mail.
    "POST /api/v1/invitations/": {"email"},
    # At most 400 days at a time, `from` not after `to`.
    "GET /api/v1/diary/": {"from"},
    "GET /api/v1/patients/{patient_id}/diary/": {"from"},
    # Today or yesterday in the patient's time zone; a device's clock not a day ahead.
    "PUT /api/v1/diary/{day}/": {"date", "recorded_at"},
    "DELETE /api/v1/diary/{day}/": {"date"},
    # ... and a session up to the item's own times a day (the schema's bound is the most any
    # item can have).
    "PUT /api/v1/completions/{day}/{item_id}/": {"date", "recorded_at", "session"},
    "DELETE /api/v1/completions/{day}/{item_id}/": {"date", "session"},
    # At least one weekday and one channel while reminders are on.
    "PUT /api/v1/reminders/": {"weekdays", "channels"},
    # The exercises and the template must exist (for this clinic); a template's name is free.
    "POST /api/v1/patients/{patient_id}/programme/": {"items", "template"},
    "POST /api/v1/programme-templates/": {"items", "slug"},
    # Stages start in week 1, in order; a stage to hold must be one the exercise has.
    "PATCH /api/v1/patients/{patient_id}/programme/items/{item_id}/": {"stage", "stages"},
    # The password again.
    "DELETE /api/v1/me/": {"password"},
    # Episodes: one open at a time, a reason for a later one, start bounds and after the last
    # close; a review once per kind on an open episode, week 12 with an outcome, week 6
    # without; a close once, not before the start nor in the future; each heel once.
    "POST /api/v1/patients/{patient_id}/episodes/": {
        "non_field_errors",
        "reason",
        "starts_on",
        "heels",
    },
    "PATCH /api/v1/patients/{patient_id}/episodes/{episode_id}/": {"heels"},
    "POST /api/v1/patients/{patient_id}/episodes/{episode_id}/reviews/": {
        "non_field_errors",
        "kind",
        "outcome",
    },
    "POST /api/v1/patients/{patient_id}/episodes/{episode_id}/close/": {
        "non_field_errors",
        "closed_on",
    },
}


def _path_params(operation) -> list[str]:
    return re.findall(r"{(\w+)}", operation.path)


def _role_may_use(role: str, operation) -> bool:
    """Which operations a role can use at all (the rest answer 403 to everything)."""
    path = operation.path
    physio_only = path.startswith(("/api/v1/patients/", "/api/v1/invitations/")) and not (
        path.startswith("/api/v1/invitations/accept/")
    )
    physio_only |= path.startswith("/api/v1/programme-templates/")
    shared = path.startswith(
        (
            "/api/v1/me/",
            "/api/v1/exercises/",
            "/api/v1/auth/",
            "/api/v1/push/public-key/",
            "/api/v1/invitations/accept/",
        )
    )
    if shared:
        return not (role == "physio" and path == "/api/v1/me/" and operation.method == "delete")
    return physio_only if role == "physio" else not physio_only


@pytest.fixture
def keep_connection():
    """The requests go through Django's real WSGI handler, which closes the database connection
    at the start and end of a request when it is in a transaction: that would end the test's
    transaction (PostgreSQL). Detach that clean-up, as Django's own test client does."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def fuzz_world(db, keep_connection, library, assign):
    from accounts.services import invitation_create
    from diary.models import CheckIn
    from exercises.models import Exercise, ProgrammeTemplate
    from lessons.models import Lesson
    from outcomes.services import questionnaires_prepare
    from reminders.models import PushSubscription
    from reminders.services import schedule_for

    patient = PatientFactory()
    physio = patient.physio
    programme = assign(patient, starts_on=patient.user.local_today() - timedelta(days=20))
    today = patient.user.local_today()
    diary_series(patient, today - timedelta(days=20), [6, 6, 5, None, 5, 4, 4, 4, 3] * 2 + [3, 3])
    checkin = CheckIn.objects.create(patient=patient, kind="onboarding", answers={})
    questionnaires = questionnaires_prepare(patient=patient)
    schedule_for(patient)
    endpoint = "https://fcm.googleapis.com/fcm/send/fuzz-endpoint"
    PushSubscription.objects.create(
        patient=patient, endpoint=endpoint, p256dh="B" + "A" * 86, auth="A" * 22
    )
    _invitation, code = invitation_create(physio=physio, email="invited@example.org", name="Ny")
    exercises = list(Exercise.objects.filter(clinic=None).values_list("slug", flat=True))
    return {
        "patient": patient,
        "physio": physio,
        "bodies": _real_bodies(
            patient=patient,
            exercises=exercises,
            templates=list(
                ProgrammeTemplate.objects.filter(clinic=None).values_list("slug", flat=True)
            ),
            invitation_code=code,
            endpoint=endpoint,
        ),
        "real": {
            "patient_id": [patient.pk],
            "item_id": list(programme.items.values_list("pk", flat=True)),
            "checkin_id": [checkin.pk],
            "response_id": [q.pk for q in questionnaires],
            "episode_id": list(patient.episodes.values_list("pk", flat=True)),
            "day": [today.isoformat(), (today - timedelta(days=1)).isoformat()],
            "slug": exercises[:3],
            "lesson": list(Lesson.objects.order_by("order").values_list("slug", flat=True)[:2]),
        },
    }


def _text(min_size=0, max_size=40):
    # What a JSON string can hold, less the NUL character every text field refuses.
    return st.text(
        st.characters(exclude_categories=("Cs",), exclude_characters="\x00"),
        min_size=min_size,
        max_size=max_size,
    )


def _real_bodies(*, patient, exercises, templates, invitation_code, endpoint) -> dict:
    """Request data that can pass validation (names that exist, codes, the house formats), so
    that some of each operation's examples reach the service and the database. Keyed by
    operation label; values are strategies for the keyword arguments of `as_strategy`. They
    are sent as schema-valid data, so they must be (positive_data_acceptance holds them to
    it)."""
    from diary.red_flags import RED_FLAGS

    today = patient.user.local_today()
    days = st.integers(-3, 3).map(lambda n: (today + timedelta(days=n)).isoformat())
    dosage = {
        "sets": st.one_of(st.none(), st.integers(1, 1000)),
        "reps": st.one_of(st.none(), st.integers(1, 1000)),
        "hold_seconds": st.one_of(st.none(), st.integers(0, 3600)),
        "times_per_day": st.one_of(st.none(), st.integers(1, 20)),
        "every_n_days": st.one_of(st.none(), st.integers(1, 28)),
        "load": _text(max_size=40),
        "notes": _text(max_size=50),
    }
    items = st.lists(
        st.fixed_dictionaries({"exercise": st.sampled_from(exercises)}, optional=dosage),
        min_size=1,
        max_size=3,
    )
    body = {
        "POST /api/v1/checkins/": st.fixed_dictionaries(
            {"answers": st.fixed_dictionaries({flag.code: st.booleans() for flag in RED_FLAGS})}
        ),
        "PUT /api/v1/reminders/": st.fixed_dictionaries(
            {
                "enabled": st.booleans(),
                "time": st.times().map(lambda t: t.strftime("%H:%M")),
                "weekdays": st.lists(st.integers(0, 6), max_size=7),
                "channels": st.lists(st.sampled_from(["push", "email"]), max_size=2),
            }
        ),
        "POST /api/v1/push-subscriptions/": st.fixed_dictionaries(
            {
                "endpoint": st.sampled_from(
                    [endpoint, "https://updates.push.services.mozilla.com/wpush/v2/x"]
                ),
                "keys": st.fixed_dictionaries(
                    {
                        "p256dh": st.from_regex(r"\AB[A-Za-z0-9_-]{86}\Z"),
                        "auth": st.from_regex(r"\A[A-Za-z0-9_-]{22}\Z"),
                    }
                ),
            }
        ),
        "POST /api/v1/patients/{patient_id}/programme/": st.one_of(
            st.fixed_dictionaries(
                {"template": st.sampled_from(templates), "starts_on": days},
            ),
            st.fixed_dictionaries(
                {
                    "name": _text(max_size=20).filter(str.strip),
                    "items": items,
                    "starts_on": days,
                }
            ),
        ),
        "POST /api/v1/programme-templates/": st.fixed_dictionaries(
            {
                "slug": st.from_regex(r"\A[a-z][a-z0-9-]{2,20}\Z"),
                "name_da": _text(max_size=30).filter(str.strip),
                "items": items,
            }
        ),
        "PATCH /api/v1/patients/{patient_id}/programme/items/{item_id}/": st.fixed_dictionaries(
            {},
            optional={
                **dosage,
                "stage": st.one_of(st.none(), st.integers(0, 5)),
                "stages": st.lists(
                    st.fixed_dictionaries(
                        {"from_week": st.integers(1, 6)}, optional={"sets": st.integers(1, 10)}
                    ),
                    min_size=1,
                    max_size=3,
                ),
            },
        ),
        "POST /api/v1/auth/token/": st.fixed_dictionaries(
            {"email": st.just(patient.user.email), "password": st.just(PASSWORD)}
        ),
        "POST /api/v1/invitations/accept/": st.fixed_dictionaries(
            {
                "code": st.just(invitation_code),
                "password": _text(min_size=1),
                "confirm_adult": st.just(True),
            },
            optional={"name": _text(max_size=40).filter(str.strip)},
        ),
        "DELETE /api/v1/me/": st.fixed_dictionaries(
            {"password": st.sampled_from([PASSWORD, "wrong password"])}
        ),
    }
    query = {
        "DELETE /api/v1/push-subscriptions/": st.fixed_dictionaries(
            {"endpoint": st.sampled_from([endpoint, endpoint + "-unknown"])}
        ),
    }
    # DELETE /me/ needs a body the schema does not describe: name the media type.
    strategies = {
        label: value.map(lambda b: {"body": b, "media_type": "application/json"})
        for label, value in body.items()
    }
    strategies |= {label: value.map(lambda q: {"query": q}) for label, value in query.items()}
    return strategies


def _strategy(operation, mode, real: dict):
    """Mostly real path parameters (to get past the 404), sometimes generated ones. Negative
    data with real path parameters needs something else to break: a body or a query."""
    names = _path_params(operation)
    generated = operation.as_strategy(generation_mode=mode)
    if not names:
        return generated
    definition = SCHEMA_DICT["paths"][operation.path][operation.method.lower()]
    has_more = "requestBody" in definition or any(
        parameter["in"] != "path" for parameter in definition.get("parameters", [])
    )
    if mode.is_negative and not has_more:
        return generated
    fixed = st.fixed_dictionaries({name: st.sampled_from(real[name]) for name in names})
    with_real = fixed.flatmap(
        lambda values: operation.as_strategy(generation_mode=mode, path_parameters=values)
    )
    return st.one_of(with_real, with_real, generated)


def _strategy_with_real_bodies(operation, mode, real: dict, bodies: dict):
    label = _label(operation)
    plain = _strategy(operation, mode, real)
    if mode.is_negative or label not in bodies:
        return plain
    names = _path_params(operation)
    fixed = st.fixed_dictionaries({name: st.sampled_from(real[name]) for name in names})
    realistic = st.tuples(fixed, bodies[label]).flatmap(
        lambda pair: operation.as_strategy(path_parameters=pair[0] or None, **pair[1])
    )
    return st.one_of(realistic, plain)


def _rule_beyond_the_schema(label: str, response) -> bool:
    fields = RULES_BEYOND_THE_SCHEMA.get(label)
    if not fields or response.status_code != 400:
        return False
    try:
        named = set(response.json())
    except ValueError:
        return False
    return bool(named) and named <= fields


def _describe(case, response) -> str:
    body = None if isinstance(case.body, NotSet) else case.body
    text = response.text[:300] if response.text else ""
    return (
        f"{case.method} {case.formatted_path} query={case.query} body={body!r:.300} -> "
        f"{response.status_code} {text!r}"
    )


EDGE_CASES = {
    "PATCH /api/v1/patients/{patient_id}/programme/items/{item_id}/": [
        {"body": {"stages": [{"sets": 3}]}},
        {"body": {"stages": [{"from_week": 1}, {"reps": 5}]}},
        {"body": {"tempo": {}}},
    ],
    "PUT /api/v1/diary/{day}/": [
        {"body": {"morning_pain": 10**400}},
        {"body": {"morning_pain": 3, "recorded_at": "9999-12-31T23:59:59Z"}},
    ],
    "PUT /api/v1/completions/{day}/{item_id}/": [{"body": {"sets_done": 2**63}}],
    "DELETE /api/v1/push-subscriptions/": [{"query": {"endpoint": "https://x\x00"}}],
    "POST /api/v1/programme-templates/": [
        {"body": {"slug": "nul", "name_da": "Nul", "items": [{"exercise": "a\x00b"}]}}
    ],
    "POST /api/v1/patients/{patient_id}/programme/": [
        {"body": {"name": "Nul", "starts_on": "2026-01-01", "items": [{"exercise": "a\x00b"}]}}
    ],
}


def _label(operation) -> str:
    return f"{operation.method.upper()} {operation.path}"


def _cases():
    for role in ROLES:
        for operation in OPERATIONS:
            yield pytest.param(role, operation, id=f"{role}-{_label(operation)}")


@pytest.mark.parametrize(("role", "operation"), list(_cases()))
def test_operation_conforms_to_its_schema(fuzz_world, role, operation):
    from knox.models import AuthToken

    user = fuzz_world[role].user
    _instance, token = AuthToken.objects.create(user)
    # Identity: the pages and answers are gzipped for a client that asks (GZipMiddleware), and
    # the WSGI client here hands the body over undecoded; the contract is about the content.
    headers = {"Authorization": f"Token {token}", "Accept-Encoding": "identity"}
    failures: list[str] = []
    usable = _role_may_use(role, operation)
    label = _label(operation)
    documented = SCHEMA_DICT["paths"][operation.path][operation.method.lower()]["responses"]

    def run(case):
        nonlocal headers
        cache.clear()  # throttles would otherwise answer 429 after a few examples
        if operation.path == "/api/v1/auth/logout/":
            headers = {
                "Authorization": f"Token {AuthToken.objects.create(user)[1]}",
                "Accept-Encoding": "identity",
            }
        response = case.call(app=application, headers=headers)
        REQUESTS[role] += 1
        STATUSES[f"{label} as {role}"][response.status_code] += 1
        answer = documented.get(str(response.status_code))
        if answer is not None and not answer.get("content") and response.content:
            failures.append(f"UndocumentedBody: {_describe(case, response)}")
        try:
            case.validate_response(response, checks=CHECKS, headers=headers)
        except FailureGroup as group:
            for failure in group.exceptions:
                kind = type(failure).__name__
                if kind == "UndefinedStatusCode" and 400 <= response.status_code < 500:
                    UNDOCUMENTED[label][response.status_code] += 1
                    continue
                if kind == "RejectedPositiveData" and _rule_beyond_the_schema(label, response):
                    continue
                failures.append(f"{kind}: {_describe(case, response)}\n    {failure.message:.600}")

    # Hand-picked inputs first: found by longer runs (FUZZ_SCALE), kept so every run sends them.
    for extra in EDGE_CASES.get(label, []) if usable else []:
        names = _path_params(operation)
        path = {name: fuzz_world["real"][name][0] for name in names} or None
        run(operation.Case(path_parameters=path, media_type="application/json", **extra))

    for mode, count in (
        (schemathesis.GenerationMode.POSITIVE, POSITIVE_EXAMPLES if usable else FORBIDDEN_EXAMPLES),
        (schemathesis.GenerationMode.NEGATIVE, NEGATIVE_EXAMPLES if usable else 0),
    ):
        if not count:
            continue
        test = given(
            case=_strategy_with_real_bodies(
                operation, mode, fuzz_world["real"], fuzz_world["bodies"]
            )
        )(
            settings(
                max_examples=count,
                deadline=None,
                derandomize=True,
                database=None,
                phases=[Phase.explicit, Phase.generate],
                suppress_health_check=list(HealthCheck),
                print_blob=False,
            )(lambda case: run(case))
        )
        try:
            test()
        except Unsatisfiable:
            # Nothing in this operation can break the schema once sent (a free-text path
            # parameter is a string whatever it holds): no negative data to send.
            assert mode.is_negative, f"no positive data could be generated for {label}"

    unique = list(dict.fromkeys(failures))
    assert not unique, f"{len(unique)} distinct failures for {label} as {role}:\n" + "\n".join(
        unique[:15]
    )


@pytest.mark.parametrize(
    "stages",
    [[{"sets": 3}], [{}], [{"from_week": 1}, {"sets": 2}]],
    ids=["no-week", "empty", "second"],
)
def test_item_stage_without_from_week_is_a_400(client_for, assign, stages):
    """The PATCH validates partially (absent fields keep their value), but a stage is only
    meaningful with the week it starts in: the answer names the stage and the field."""
    patient = PatientFactory()
    item = assign(patient).items.first()
    client = client_for(patient.physio.user)
    client.raise_request_exception = False
    response = client.patch(
        f"/api/v1/patients/{patient.pk}/programme/items/{item.pk}/",
        {"stages": stages},
        format="json",
    )
    assert response.status_code == 400, (response.status_code, response.content[:200])
    errors = response.json()["stages"]  # by position: {"0": {"from_week": ["..."]}}
    assert any("from_week" in stage for stage in errors.values()), errors


# PostgreSQL refuses a NUL character in a text parameter (psycopg raises DataError): input must
# be refused before it reaches a query, with a 400 naming the field. (Only PostgreSQL shows
# the difference; on SQLite the same requests answer 400 as well.)
NUL_REQUESTS = {
    "DELETE push-subscriptions ?endpoint=": (
        "patient",
        "DELETE",
        "/api/v1/push-subscriptions/?endpoint=%00",
        None,
        lambda errors: errors["endpoint"],
    ),
    "POST programme-templates items[].exercise": (
        "physio",
        "POST",
        "/api/v1/programme-templates/",
        {"slug": "nul", "name_da": "Nul", "items": [{"exercise": "a\x00b"}]},
        lambda errors: errors["items"]["0"]["exercise"],
    ),
    "POST patients/{id}/programme items[].exercise": (
        "physio",
        "POST",
        "/api/v1/patients/{patient_id}/programme/",
        {"name": "Nul", "starts_on": "{today}", "items": [{"exercise": "a\x00b"}]},
        lambda errors: errors["items"]["0"]["exercise"],
    ),
}


@pytest.mark.parametrize("name", list(NUL_REQUESTS))
def test_nul_character_is_a_client_error(client_for, assign, name):
    role, method, path, body, field_errors = NUL_REQUESTS[name]
    patient = PatientFactory()
    assign(patient)
    client = client_for(patient.user if role == "patient" else patient.physio.user)
    client.raise_request_exception = False
    path = path.format(patient_id=patient.pk)
    if body and "starts_on" in body:
        body = {**body, "starts_on": patient.user.local_today().isoformat()}
    response = client.generic(
        method, path, json.dumps(body) if body else "", content_type="application/json"
    )
    assert response.status_code == 400, (response.status_code, response.content[:200])
    assert field_errors(response.json()), response.json()


def test_served_schema_is_the_one_fuzzed(client, db):
    served = client.get("/api/schema/?format=json")
    assert served.status_code == 200
    assert json.loads(served.content) == SCHEMA_DICT


# What every operation can answer besides its success, per api.md's conventions.
def _expected_error_statuses(operation: dict, method: str, path: str) -> set[str]:
    statuses = set()
    if operation.get("security") != [{}]:
        statuses |= {"401", "403"}
    if "{" in path:
        statuses.add("404")
    if "requestBody" in operation or operation.get("parameters"):
        statuses.add("400")
    return statuses


def test_error_responses_are_documented():
    missing = []
    for path, operations in SCHEMA_DICT["paths"].items():
        for method, operation in operations.items():
            documented = set(operation["responses"])
            lacking = _expected_error_statuses(operation, method, path) - documented
            if lacking:
                missing.append(f"{method.upper()} {path}: {sorted(lacking)}")
    assert not missing, f"{len(missing)} operations lack error responses:\n" + "\n".join(missing)


def _json_success_schemas():
    for path, operations in SCHEMA_DICT["paths"].items():
        for method, operation in operations.items():
            for status, answer in operation["responses"].items():
                if status.startswith("2") and "application/json" in answer.get("content", {}):
                    label = f"{method.upper()} {path}"
                    schema = answer["content"]["application/json"]["schema"]
                    yield pytest.param(schema, id=f"{label} {status}")


@pytest.mark.parametrize("schema", list(_json_success_schemas()))
def test_success_responses_declare_their_fields(schema):
    """A JSON success response names its fields (a serializer or a component), rather than
    `{"type": "object", "additionalProperties": {}}`, which says nothing."""
    bare = schema.get("type") == "object" and not schema.get("properties")
    assert not bare or "$ref" in schema, schema


def test_zz_report_requests_sent(capsys):
    """Runs last in this module: how much was sent, and what the schema did not document."""
    total = sum(REQUESTS.values())
    lines = [
        f"schemathesis: {total} requests sent ({dict(REQUESTS)}) over "
        f"{len(OPERATIONS)} operations x {len(ROLES)} roles"
    ]
    reached = {label for label, statuses in STATUSES.items() if any(s < 300 for s in statuses)}
    lines.append(f"  (role, operation) pairs answered 2xx at least once: {len(reached)}")
    if os.environ.get("FUZZ_VERBOSE"):
        for label, statuses in sorted(STATUSES.items()):
            lines.append(f"  {label}: {dict(sorted(statuses.items()))}")
        for label, statuses in sorted(UNDOCUMENTED.items()):
            lines.append(f"  undocumented error statuses {label}: {dict(statuses)}")
    with capsys.disabled():
        print("\n" + "\n".join(lines))
