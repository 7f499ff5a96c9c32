"""Whether an account has a second factor (accounts.twofactor.has_second_factor): the question
the second-factor middleware asks on every request of a logged-in patient. It must answer as
django-otp's own `user_has_device` for every kind of factor, confirmed or not, and in one
query whatever the account holds."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_otp import user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from accounts.models import RecoveryCodeDevice, User
from accounts.sql import second_factor_facts
from accounts.twofactor import has_second_factor, needs_second_factor

from .conftest import verified_login
from .factories import PatientFactory, PhysioFactory

pytestmark = pytest.mark.django_db


def app(user, confirmed=True):
    TOTPDevice.objects.create(user=user, name="phone", confirmed=confirmed)


def passkey(user, confirmed=True):
    WebAuthnCredential.objects.create(
        user=user,
        name="passkey",
        confirmed=confirmed,
        credential_id=b"credential-" + str(user.pk).encode(),
        public_key=b"key",
        sign_count=0,
    )


def recovery_codes(user, confirmed=True):
    RecoveryCodeDevice.objects.create(user=user, name="codes", confirmed=confirmed)


@pytest.mark.parametrize(
    "holds",
    [
        [],
        [app],
        [passkey],
        [recovery_codes],
        [app, passkey, recovery_codes],
        [lambda u: app(u, confirmed=False)],
        [lambda u: passkey(u, confirmed=False)],
        [lambda u: recovery_codes(u, confirmed=False)],
        [lambda u: app(u, confirmed=False), passkey],
    ],
    ids=[
        "nothing",
        "app",
        "passkey",
        "recovery codes",
        "all three",
        "unconfirmed app",
        "unconfirmed passkey",
        "unconfirmed recovery codes",
        "unconfirmed app and a passkey",
    ],
)
def test_it_answers_as_django_otp_in_one_query(holds):
    user = PatientFactory().user
    other = PatientFactory().user
    app(other)  # someone else's factor is not this account's
    for add in holds:
        add(user)
    with CaptureQueriesContext(connection) as queries:
        answer = has_second_factor(user)
    assert answer is user_has_device(user)
    assert len(queries) == 1


@pytest.mark.parametrize("require", [True, False], ids=["2FA required", "2FA optional"])
@pytest.mark.parametrize("who", ["patient", "physio", "staff"])
@pytest.mark.parametrize("factor", [False, True], ids=["no factor", "a passkey"])
def test_who_needs_a_second_factor_is_the_orm_answer(settings, require, who, factor):
    """accounts/sql.py asks whether the account is a physiotherapist's in the same statement:
    it must find the profile exactly where the ORM finds it, for this account only."""
    settings.REQUIRE_2FA = require
    user = PhysioFactory().user if who == "physio" else PatientFactory().user
    if who == "staff":
        User.objects.filter(pk=user.pk).update(is_staff=True)
    PhysioFactory()  # someone else's profile is not this account's
    if factor:
        passkey(user)
    user = User.objects.get(pk=user.pk)
    facts = second_factor_facts(user.pk)
    assert facts.physio is hasattr(user, "physio_profile")
    assert facts.has_factor is user_has_device(user) is factor
    expected = (require and (user.is_staff or hasattr(user, "physio_profile"))) or factor
    assert needs_second_factor(User.objects.get(pk=user.pk)) is expected


def test_a_patient_without_a_factor_costs_one_query_a_request_not_three(client):
    """The middleware's question on a page request: one query, whichever factors exist."""
    patient = PatientFactory()
    client.force_login(patient.user)
    client.get("/settings/")  # the session and caches warm
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/settings/").status_code == 200
    device_tables = [
        q["sql"]
        for q in queries
        if "otp_totp_totpdevice" in q["sql"]
        or "webauthncredential" in q["sql"]
        or "recoverycodedevice" in q["sql"]
    ]
    assert len(device_tables) == 1, device_tables


def test_a_password_only_session_of_a_patient_with_a_factor_is_still_stopped(client):
    patient = PatientFactory()
    passkey(patient.user)
    client.force_login(patient.user)
    response = client.get("/settings/")
    assert response.status_code == 302 and response.url.startswith("/account/2fa/verify/")
    assert client.get("/api/v1/diary/").status_code == 403
    # Verified with the factor: through.
    verified_login(client, patient.user)
    assert client.get("/settings/").status_code == 200
