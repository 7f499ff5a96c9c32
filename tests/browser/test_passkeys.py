"""Passkeys in Chromium, with its virtual authenticator (the WebAuthn domain of the DevTools
protocol) standing in for a phone's fingerprint reader: a physiotherapist adds a passkey and
then signs in with it alone, and another uses one as the second factor after the password.

The live server is http://localhost:<port>, a secure context where WebAuthn works; the
passkeys are bound to "localhost", the host the page came from (accounts.passkeys)."""

import pytest
from django_otp.oath import totp

from .conftest import watch

pytestmark = pytest.mark.browser

WIDE = {"width": 1280, "height": 900}


@pytest.fixture(autouse=True)
def required(settings):
    # As in production: physiotherapists must have a second factor.
    settings.REQUIRE_2FA = True


def with_authenticator(context, errors):
    """A page whose browser has a platform authenticator that holds passkeys (discoverable
    credentials) and verifies its user (a fingerprint that always matches)."""
    page = watch(context.new_page(), errors)
    cdp = context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    added = cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
            }
        },
    )
    return page, lambda: cdp.send(
        "WebAuthn.getCredentials", {"authenticatorId": added["authenticatorId"]}
    )["credentials"]


def password_log_in(page, email, password):
    page.goto("/login/")
    page.fill("#id_username", email)
    page.fill("#id_password", password)
    with page.expect_navigation():
        page.click("main button[type=submit]")


def log_out(page):
    with page.expect_navigation():
        page.click(".logout-form button")
    assert page.url.endswith("/login/")


def sees_patient_list(page):
    page.wait_for_selector("#patients tbody tr")
    assert "Ane Hansen" in page.locator("#patients tbody").inner_text()


def test_a_physio_adds_a_passkey_and_logs_in_with_it_alone(new_context, people, page_errors):
    from django_otp.plugins.otp_totp.models import TOTPDevice
    from django_otp_webauthn.models import WebAuthnCredential

    physio = people["physio"].user
    app = TOTPDevice.objects.create(user=physio, name="phone", confirmed=True)
    page, held = with_authenticator(new_context(viewport=WIDE), page_errors)

    # Password, then the code from the app: the session is verified.
    password_log_in(page, physio.email, people["password"])
    assert "/account/2fa/verify/" in page.url
    page.fill("#id_code", f"{totp(app.bin_key, step=app.step, t0=app.t0, digits=app.digits):06d}")
    with page.expect_navigation():
        page.click("main button[type=submit]")
    sees_patient_list(page)

    # Adding a passkey asks for the password again first.
    page.goto("/account/2fa/")
    with page.expect_navigation():
        page.click("a[href^='/account/2fa/passkey/']")
    assert "/account/2fa/password/" in page.url
    page.fill("#id_password", people["password"])
    with page.expect_navigation():
        page.click("main button[type=submit]")
    assert "/account/2fa/passkey/" in page.url
    page.click("#passkey-register-button")
    # The account had no recovery codes yet: they come with it, shown once.
    page.wait_for_selector("#passkey-codes:not([hidden])")
    assert page.locator("#passkey-code-list code").count() == 10
    with page.expect_navigation():
        page.click("#passkey-codes-done")
    assert page.url.endswith("/account/2fa/")
    assert "Adgangsnøgle" in page.locator(".device-list").inner_text()
    assert WebAuthnCredential.objects.filter(user=physio).count() == 1
    credentials = held()
    assert len(credentials) == 1 and credentials[0]["isResidentCredential"]

    # Logged out, the passkey alone logs in: no e-mail, no password, no code.
    log_out(page)
    page.wait_for_selector("#passkey-verification-button")
    with page.expect_navigation():
        page.click("#passkey-verification-button")
    sees_patient_list(page)
    page.goto("/account/2fa/")  # a verified session: the factors page opens
    assert "Adgangsnøgle" in page.locator(".device-list").inner_text()
    assert page_errors == []


def test_a_passkey_as_the_second_factor_after_the_password(new_context, people, page_errors):
    physio = people["physio"].user
    page, held = with_authenticator(new_context(viewport=WIDE), page_errors)

    # No factor yet: the log-in flow asks for one, and a passkey can be it.
    password_log_in(page, physio.email, people["password"])
    assert "/account/2fa/setup/" in page.url
    with page.expect_navigation():
        page.click("a[href^='/account/2fa/passkey/']")
    page.click("#passkey-register-button")
    page.wait_for_selector("#passkey-codes:not([hidden])")
    with page.expect_navigation():
        page.click("#passkey-codes-done")
    sees_patient_list(page)
    assert len(held()) == 1

    # Next time: the password, then the passkey instead of a code.
    log_out(page)
    password_log_in(page, physio.email, people["password"])
    assert "/account/2fa/verify/" in page.url
    with page.expect_navigation():
        page.click("#passkey-verification-button")
    sees_patient_list(page)
    assert page_errors == []
