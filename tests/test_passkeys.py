"""Passkeys (WebAuthn) as a second factor and as a log-in without password (issue 18, item 1).

Driven over HTTP as the library's browser script drives them, with a software authenticator
(tests/passkey_authenticator.py) making real keys and signatures. Registering one is adding a
second factor, so the attack of finding 1 is replayed against it first: a password-only
session cannot begin or complete it. tests/browser/test_passkeys.py does the same in Chromium
with its virtual authenticator."""

import json
import re
import time

import pytest
import time_machine
from django.contrib.staticfiles import finders
from django.core import mail
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential, WebAuthnUserHandle

from accounts.models import AccountEvent, RecoveryCode

from .conftest import verified_login
from .factories import PhysioFactory
from .passkey_authenticator import SoftAuthenticator, b64url

REGISTER_BEGIN = "/account/2fa/webauthn/registration/begin/"
REGISTER_COMPLETE = "/account/2fa/webauthn/registration/complete/"
SIGN_IN_BEGIN = "/account/2fa/webauthn/authentication/begin/"
SIGN_IN_COMPLETE = "/account/2fa/webauthn/authentication/complete/"

# The notices are e-mailed once the change is committed: let the tests really commit.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def required(settings):
    settings.REQUIRE_2FA = True


def post_json(client, url, body=None, **extra):
    data = "" if body is None else json.dumps(body)
    return client.post(url, data=data, content_type="application/json", **extra)


def password_login(client, user, password):
    response = client.post("/login/", {"username": user.email, "password": password})
    assert response.status_code == 302, response
    return response


def confirm_password(client, password):
    response = client.post("/account/2fa/password/", {"password": password, "next": "/"})
    assert response.status_code == 302, response


def register(client, authenticator):
    begin = post_json(client, REGISTER_BEGIN)
    assert begin.status_code == 200, begin.content
    return post_json(client, REGISTER_COMPLETE, authenticator.create(begin.json()))


def sign_in(client, authenticator, next_url=None, **options):
    begin = post_json(client, SIGN_IN_BEGIN)
    assert begin.status_code == 200, begin.content
    url = SIGN_IN_COMPLETE + (f"?next={next_url}" if next_url else "")
    return post_json(client, url, authenticator.get(begin.json(), **options))


def is_verified(client) -> bool:
    """The session got past the second factor: the physio's API answers."""
    return client.get("/api/v1/patients/").status_code == 200


def physio_with_passkey(password) -> tuple:
    """A physiotherapist who enrolled a passkey as their first factor, in the log-in flow."""
    physio = PhysioFactory()
    authenticator = SoftAuthenticator()
    client = Client()
    password_login(client, physio.user, password)
    assert register(client, authenticator).status_code == 200
    mail.outbox.clear()
    return physio, authenticator


# --- Registering is adding a second factor -------------------------------------------------


@pytest.fixture(params=["physio", "staff", "patient"])
def account_with_app(request, physio, patient):
    if request.param == "patient":
        user = patient.user
    else:
        user = physio.user
        user.is_staff = request.param == "staff"
        user.save()
    TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    return user


def test_password_alone_cannot_register_a_passkey(client, account_with_app, password):
    user = account_with_app
    password_login(client, user, password)
    # The page sends the session to enter a code from its app first.
    page = client.get("/account/2fa/passkey/")
    assert page.status_code == 302 and page.url.startswith("/account/2fa/verify/")
    # The attack goes to the JSON views directly: neither begins nor completes.
    begin = post_json(client, REGISTER_BEGIN)
    assert begin.status_code == 403 and begin.json()["code"] == "user_not_verified"
    forged = SoftAuthenticator().create(
        {"rp": {"id": "testserver"}, "user": {"id": "AAAA"}, "challenge": "AAAA"}
    )
    complete = post_json(client, REGISTER_COMPLETE, forged)
    assert complete.status_code == 403 and complete.json()["code"] == "user_not_verified"
    assert not WebAuthnCredential.objects.exists()
    assert not WebAuthnUserHandle.objects.exists()
    assert not AccountEvent.objects.filter(user=user).exists()
    assert mail.outbox == []
    assert not is_verified(client)


def test_a_verified_session_gives_the_password_again(client, physio, password):
    app = verified_login(client, physio.user)
    begin = post_json(client, REGISTER_BEGIN)
    assert begin.status_code == 403 and begin.json()["code"] == "password"
    assert client.get("/account/2fa/passkey/").url.startswith("/account/2fa/password/")

    confirm_password(client, password)
    page = client.get("/account/2fa/passkey/?next=/account/2fa/")
    assert page.status_code == 200 and 'id="passkey-register-button"' in page.text
    assert 'data-next="/account/2fa/"' in page.text
    done = register(client, SoftAuthenticator())
    assert done.status_code == 200, done.content
    # The first set of recovery codes comes with it, once; only their hashes are kept.
    codes = done.json()["recovery_codes"]
    assert "no-store" in done["Cache-Control"]
    assert len(codes) == 10 and all(
        re.fullmatch(r"[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}", c) for c in codes
    )
    assert RecoveryCode.objects.filter(device__user=physio.user).count() == 10
    passkey = WebAuthnCredential.objects.get(user=physio.user)
    assert passkey.name == "Adgangsnøgle" and passkey.confirmed
    # Written to the account's log and e-mailed to its address, as an app would be.
    assert AccountEvent.objects.filter(
        user=physio.user, kind="device_added", detail="Adgangsnøgle"
    ).exists()
    assert [m.to for m in mail.outbox] == [[physio.user.email]]
    # The session stays verified by the app it was verified with.
    assert client.session["otp_device_id"] == app.persistent_id
    # A second passkey comes without new codes: the first set is still good.
    confirm_password(client, password)
    again = register(client, SoftAuthenticator())
    assert again.status_code == 200 and again.json()["recovery_codes"] == []


def test_the_password_given_again_can_expire_between_begin_and_complete(
    client, physio, password, settings
):
    verified_login(client, physio.user)
    confirm_password(client, password)
    begin = post_json(client, REGISTER_BEGIN)
    assert begin.status_code == 200
    answer = SoftAuthenticator().create(begin.json())
    with time_machine.travel(time.time() + settings.OTP_REAUTH_SECONDS + 5):
        complete = post_json(client, REGISTER_COMPLETE, answer)
    assert complete.status_code == 403 and complete.json()["code"] == "password"
    assert not WebAuthnCredential.objects.exists()


def test_a_first_passkey_in_the_log_in_flow_verifies_the_session(client, physio, password):
    password_login(client, physio.user, password)
    setup = client.get("/")
    assert setup.url.startswith("/account/2fa/setup/")
    page = client.get(setup.url)
    assert "/account/2fa/passkey/?next=" in page.text  # "Add a passkey instead"
    assert client.get("/account/2fa/passkey/").status_code == 200
    done = register(client, SoftAuthenticator())
    assert done.status_code == 200 and len(done.json()["recovery_codes"]) == 10
    assert is_verified(client)
    assert client.get("/").status_code == 200


@pytest.mark.parametrize(
    "forgery",
    [{"origin": "https://haelapp.example.evil"}, {"rp_id": "example.evil"}],
    ids=["other-origin", "other-rp"],
)
def test_registration_answers_from_elsewhere_are_refused(client, physio, password, forgery):
    password_login(client, physio.user, password)
    begin = post_json(client, REGISTER_BEGIN)
    options = {**begin.json(), "rp": {"id": forgery.get("rp_id", "testserver")}}
    complete = post_json(client, REGISTER_COMPLETE, SoftAuthenticator().create(options, **forgery))
    assert complete.status_code == 422, complete.content
    assert not WebAuthnCredential.objects.exists()
    assert not is_verified(client)


# --- Signing in with a passkey, no password --------------------------------------------------


def test_a_passkey_alone_signs_in_and_reaches_the_patient_list(password):
    physio, authenticator = physio_with_passkey(password)
    client = Client()
    begin = post_json(client, SIGN_IN_BEGIN)
    # No account named, no credentials listed: the passkey says whose it is.
    assert begin.json()["allowCredentials"] == []
    assert begin.json()["userVerification"] == "required"
    done = post_json(client, SIGN_IN_COMPLETE, authenticator.get(begin.json()))
    assert done.status_code == 200 and done.json()["redirect_url"] == "/"
    assert client.session["_auth_user_id"] == str(physio.user.pk)
    assert is_verified(client)
    page = client.get("/")
    assert page.status_code == 200 and page.context["page"] == "patients"
    # Used once: the same signed answer does not sign in again.
    replay = post_json(Client(), SIGN_IN_COMPLETE, authenticator.get(begin.json()))
    assert replay.status_code == 400 and replay.json()["code"] == "invalid_state"


def test_a_passkey_sign_in_needs_the_csrf_token(password):
    """Otherwise another site could sign a visitor in to an account of its choosing."""
    _physio, authenticator = physio_with_passkey(password)
    client = Client(enforce_csrf_checks=True)
    assert post_json(client, SIGN_IN_BEGIN).status_code == 403
    page = client.get("/login/")
    token = re.search(r'"csrfToken": "([^"]+)"', page.text).group(1)
    begin = post_json(client, SIGN_IN_BEGIN, HTTP_X_CSRFTOKEN=token)
    assert begin.status_code == 200
    answer = authenticator.get(begin.json())
    assert post_json(client, SIGN_IN_COMPLETE, answer).status_code == 403
    assert "_auth_user_id" not in client.session
    assert post_json(client, SIGN_IN_COMPLETE, answer, HTTP_X_CSRFTOKEN=token).status_code == 200


def test_where_a_passkey_sign_in_goes_next(password):
    _physio, authenticator = physio_with_passkey(password)
    done = sign_in(Client(), authenticator, next_url="/invite/")
    assert done.json()["redirect_url"] == "/invite/"
    elsewhere = sign_in(Client(), authenticator, next_url="https://evil.example/")
    assert elsewhere.json()["redirect_url"] == "/"


@pytest.mark.parametrize(
    "forgery",
    [
        {"verified": False},  # no fingerprint, face or PIN
        {"origin": "https://haelapp.example.evil"},  # a look-alike site relaying the answer
        {"rp_id": "example.evil"},
    ],
    ids=["unverified", "other-origin", "other-rp"],
)
def test_a_sign_in_without_user_verification_or_from_elsewhere_is_refused(password, forgery):
    _physio, authenticator = physio_with_passkey(password)
    client = Client()
    done = sign_in(client, authenticator, **forgery)
    assert done.status_code == 422, done.content
    assert "_auth_user_id" not in client.session
    assert client.get("/").status_code == 302


def test_an_unknown_or_tampered_passkey_is_refused(password):
    _physio, authenticator = physio_with_passkey(password)
    stranger = SoftAuthenticator()
    stranger.create({"rp": {"id": "testserver"}, "user": {"id": "AAAA"}, "challenge": "AAAA"})
    client = Client()
    assert sign_in(client, stranger).status_code == 404
    begin = post_json(client, SIGN_IN_BEGIN)
    answer = authenticator.get(begin.json())
    answer["response"]["signature"] = answer["response"]["signature"][:-4] + "AAAA"
    assert post_json(client, SIGN_IN_COMPLETE, answer).status_code == 422
    assert "_auth_user_id" not in client.session


def test_a_deactivated_account_cannot_sign_in_with_its_passkey(password):
    physio, authenticator = physio_with_passkey(password)
    physio.user.is_active = False
    physio.user.save()
    client = Client()
    done = sign_in(client, authenticator)
    assert done.status_code == 403 and done.json()["code"] == "user_disabled"
    assert "_auth_user_id" not in client.session


def test_a_passkey_signs_in_while_password_guesses_lock_the_address_out(password, settings):
    settings.LOGIN_IP_FAILURE_LIMIT = 8
    physio, authenticator = physio_with_passkey(password)
    client = Client()
    # Guesses from this address: this account's password, then others' (the per-address limit).
    for email in [physio.user.email] * settings.AXES_FAILURE_LIMIT + ["a@x.dk", "b@x.dk", "c@x.dk"]:
        client.post("/login/", {"username": email, "password": "wrong-guess"})
    locked = client.post("/login/", {"username": physio.user.email, "password": password})
    assert locked.status_code == 429
    someone_else = PhysioFactory().user
    locked = client.post("/login/", {"username": someone_else.email, "password": password})
    assert locked.status_code == 429
    # The lock-out stops guessing; a passkey's signature cannot be guessed.
    assert sign_in(client, authenticator).status_code == 200
    assert is_verified(client)


def test_failed_passkey_attempts_do_not_count_as_failed_log_ins(password, settings):
    physio, authenticator = physio_with_passkey(password)
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT + 1):
        assert sign_in(client, authenticator, verified=False).status_code == 422
    password_login(client, physio.user, password)


def test_starting_passkey_sign_ins_is_throttled_per_address(settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {
            **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
            "passkey": "3/hour",
        },
    }
    client = Client()
    for _ in range(3):
        assert post_json(client, SIGN_IN_BEGIN).status_code == 200
    refused = post_json(Client(), SIGN_IN_BEGIN)  # a fresh session from the same address
    assert refused.status_code == 429 and refused.json()["code"] == "throttled"
    assert int(refused["Retry-After"]) > 0
    other_address = post_json(Client(), SIGN_IN_BEGIN, REMOTE_ADDR="192.0.2.7")
    assert other_address.status_code == 200


@pytest.mark.parametrize(
    ("body", "content_type", "status"),
    [
        ("{", "application/json", 400),
        ("[]", "application/json", 422),
        ("{}", "application/json", 422),
        ('{"id": 1, "rawId": 1, "response": []}', "application/json", 422),
        ("null", "application/json", 422),
        ("\x00", "application/json", 400),
        ("a=b", "application/x-www-form-urlencoded", 422),
    ],
)
def test_bad_input_is_a_clear_4xx(password, body, content_type, status):
    client = Client()
    assert post_json(client, SIGN_IN_BEGIN).status_code == 200
    answer = client.post(SIGN_IN_COMPLETE, data=body, content_type=content_type)
    assert answer.status_code == status and answer.json()["detail"]
    # The same into a registration that may go ahead (a first factor in the log-in flow).
    physio = PhysioFactory()
    password_login(client, physio.user, password)
    assert post_json(client, REGISTER_BEGIN).status_code == 200
    answer = client.post(REGISTER_COMPLETE, data=body, content_type=content_type)
    assert answer.status_code == status and answer.json()["detail"]
    # Completing without beginning.
    assert post_json(Client(), SIGN_IN_COMPLETE, {}).json()["code"] == "invalid_state"


# --- A passkey as the second factor ----------------------------------------------------------


def test_a_passkey_as_second_factor_after_the_password(password):
    physio, authenticator = physio_with_passkey(password)
    client = Client()
    password_login(client, physio.user, password)
    assert not is_verified(client)
    page = client.get("/account/2fa/verify/?next=/invite/")
    assert page.status_code == 200 and 'id="passkey-verification-button"' in page.text
    assert "Har du mistet din adgangsnøgle?" in page.text  # no app to take a code from
    begin = post_json(client, SIGN_IN_BEGIN)
    # Logged in: the options name this account's passkeys.
    held = [b64url(credential_id) for credential_id in authenticator.credentials]
    assert [c["id"] for c in begin.json()["allowCredentials"]] == held
    done = post_json(client, SIGN_IN_COMPLETE + "?next=/invite/", authenticator.get(begin.json()))
    assert done.status_code == 200 and done.json()["redirect_url"] == "/invite/"
    assert is_verified(client)


def test_another_persons_passkey_is_not_a_second_factor(password):
    _owner, authenticator = physio_with_passkey(password)
    other = PhysioFactory()
    TOTPDevice.objects.create(user=other.user, name="phone", confirmed=True)
    client = Client()
    password_login(client, other.user, password)
    begin = post_json(client, SIGN_IN_BEGIN)
    credential = next(iter(authenticator.credentials))
    done = post_json(
        client, SIGN_IN_COMPLETE, authenticator.get(begin.json(), credential_id=credential)
    )
    assert done.status_code == 403 and done.json()["code"] == "credential_user_mismatch"
    assert not is_verified(client)
    assert client.session["_auth_user_id"] == str(other.user.pk)


def test_the_verify_page_offers_a_passkey_only_to_who_has_one(client, physio, password):
    TOTPDevice.objects.create(user=physio.user, name="phone", confirmed=True)
    password_login(client, physio.user, password)
    page = client.get("/account/2fa/verify/")
    assert page.status_code == 200 and "passkey-verification" not in page.text


# --- Seeing and removing passkeys ------------------------------------------------------------


def test_removing_a_passkey_is_a_change_of_factor(client, password):
    physio, authenticator = physio_with_passkey(password)
    user = physio.user
    passkey = WebAuthnCredential.objects.get(user=user)
    # A password-only session: sent to confirm with a factor first; the passkey stays.
    password_login(client, user, password)
    removed = client.post(f"/account/2fa/passkey/{passkey.pk}/remove/")
    assert removed.status_code == 302 and removed.url.startswith("/account/2fa/verify/")
    assert WebAuthnCredential.objects.filter(pk=passkey.pk).exists()
    # Verified with it and the password again: listed, but the only factor cannot go.
    assert sign_in(client, authenticator).status_code == 200
    confirm_password(client, password)
    page = client.get("/account/2fa/")
    assert f"/account/2fa/passkey/{passkey.pk}/remove/" in page.text
    assert "/account/2fa/passkey/?next=/account/2fa/" in page.text  # "Add a passkey"
    last = client.post(f"/account/2fa/passkey/{passkey.pk}/remove/")
    assert last.status_code == 409
    assert WebAuthnCredential.objects.filter(pk=passkey.pk).exists()
    # With an authenticator app beside it, it goes: logged and e-mailed.
    TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    removed = client.post(f"/account/2fa/passkey/{passkey.pk}/remove/")
    assert removed.status_code == 302 and removed.url == "/account/2fa/"
    assert not WebAuthnCredential.objects.filter(pk=passkey.pk).exists()
    assert AccountEvent.objects.filter(user=user, kind="device_removed").exists()
    assert [m.to for m in mail.outbox] == [[user.email]]
    # Nor can it sign in any more.
    assert sign_in(Client(), authenticator).status_code == 404


def test_someone_elses_passkey_cannot_be_removed(client, password):
    owner, _authenticator = physio_with_passkey(password)
    passkey = WebAuthnCredential.objects.get(user=owner.user)
    intruder = PhysioFactory()
    verified_login(client, intruder.user)
    confirm_password(client, password)
    assert client.post(f"/account/2fa/passkey/{passkey.pk}/remove/").status_code == 404
    assert WebAuthnCredential.objects.filter(pk=passkey.pk).exists()


def test_erasing_an_account_erases_its_passkeys(password):
    from accounts.services import user_erase

    physio, _authenticator = physio_with_passkey(password)
    other, _ = physio_with_passkey(password)
    user_erase(user=physio.user)
    assert list(WebAuthnCredential.objects.values_list("user", flat=True)) == [other.user.pk]
    assert list(WebAuthnUserHandle.objects.values_list("user", flat=True)) == [other.user.pk]


# --- The pages -------------------------------------------------------------------------------


def test_the_login_page_offers_a_passkey_with_no_inline_script(client):
    page = client.get("/login/")
    assert page.status_code == 200
    assert 'id="passkey-verification-button"' in page.text
    for tag in re.findall(r"<script\b[^>]*>", page.text):
        # Only files of this site, and the library's settings as inert JSON data.
        assert 'src="/' in tag or 'type="application/json"' in tag, tag
    assert "script-src 'self'" in page["Content-Security-Policy"]
    # The library's script is a static file like ours (collected from its app).
    assert finders.find("django_otp_webauthn/otp_webauthn_auth.js")


def test_the_library_scripts_speak_danish(client):
    catalog = client.get("/account/2fa/webauthn/jsi18n/")
    assert catalog.status_code == 200
    # The catalogue is JSON in a script: non-ASCII letters come escaped.
    assert json.dumps("Adgangsnøglen er tilføjet.") in catalog.content.decode()
