"""The second factor cannot be replaced by the password alone (issue 18, finding 1).

Each test first plays the attack from outside (the log-in form, then the set-up page and the
token API with a code from a secret the attacker made), then checks it no longer gets in."""

import re

import pytest
from django.core import mail
from django_otp.oath import TOTP, totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import AccountEvent, RecoveryCode, RecoveryCodeDevice

from .conftest import verified_login


@pytest.fixture(autouse=True)
def required(settings):
    settings.REQUIRE_2FA = True


# The notices are e-mailed once the change is committed: let the tests really commit.
pytestmark = pytest.mark.django_db(transaction=True)


def code_for(device) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def secret_on_page(page) -> str:
    return re.search(r"<code>([A-Z2-7]+=*)</code>", page.text).group(1)


def code_from_secret(secret: str) -> str:
    import base64

    return f"{TOTP(base64.b32decode(secret)).token():06d}"


def password_login(client, user, password):
    response = client.post("/login/", {"username": user.email, "password": password})
    assert response.status_code == 302
    return response


def confirm_password(client, password, next_url="/account/2fa/setup/"):
    return client.post("/account/2fa/password/", {"password": password, "next": next_url})


@pytest.fixture(params=["physio", "staff", "patient"])
def account_with_device(request, physio, patient, password):
    if request.param == "patient":
        user = patient.user
    elif request.param == "staff":
        user = physio.user
        user.is_staff = True
        user.save()
    else:
        user = physio.user
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    return user, device


def test_password_alone_cannot_enrol_a_new_factor(client, api, account_with_device, password):
    user, device = account_with_device
    password_login(client, user, password)
    # The attack: the set-up page with a password-only session.
    page = client.get("/account/2fa/setup/")
    assert page.status_code == 302 and page.url.startswith("/account/2fa/verify/")
    assert TOTPDevice.objects.filter(user=user).count() == 1  # no new secret was made
    # Posting a code from a secret of the attacker's own changes nothing either.
    attacker_secret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
    forged = client.post("/account/2fa/setup/", {"code": code_from_secret(attacker_secret)})
    assert forged.status_code == 302 and forged.url.startswith("/account/2fa/verify/")
    assert list(TOTPDevice.objects.filter(user=user)) == [device]
    # The session is still unverified: the API stays closed, and no token is issued.
    if user.role != "patient":
        assert client.get("/api/v1/patients/").status_code == 403
    token = api.post(
        "/api/v1/auth/token/",
        {"email": user.email, "password": password, "otp": code_from_secret(attacker_secret)},
        format="json",
    )
    assert token.status_code == 400 and "otp" in token.json()
    # Nor can the password-only session see or change the factors in any other way.
    assert client.get("/account/2fa/").url.startswith("/account/2fa/verify/")
    assert client.get("/account/2fa/recovery/").url.startswith("/account/2fa/verify/")
    removed = client.post(f"/account/2fa/{device.pk}/remove/")
    assert removed.url.startswith("/account/2fa/verify/")
    assert TOTPDevice.objects.filter(pk=device.pk).exists()
    assert not AccountEvent.objects.filter(user=user).exists()
    assert mail.outbox == []


def test_a_verified_session_still_needs_the_password_again(client, physio, password):
    device = verified_login(client, physio.user)
    page = client.get("/account/2fa/setup/")
    assert page.status_code == 302 and page.url.startswith("/account/2fa/password/")
    wrong = confirm_password(client, "not-the-password")
    assert wrong.status_code == 200 and "error" in wrong.text
    assert client.get("/account/2fa/setup/").url.startswith("/account/2fa/password/")
    assert confirm_password(client, password).url == "/account/2fa/setup/"
    page = client.get("/account/2fa/setup/")
    assert page.status_code == 200 and "<svg" in page.text
    done = client.post("/account/2fa/setup/", {"code": code_from_secret(secret_on_page(page))})
    assert done.status_code == 200 and "recovery" in done.text.lower()
    assert TOTPDevice.objects.filter(user=physio.user, confirmed=True).count() == 2
    assert TOTPDevice.objects.filter(pk=device.pk).exists()
    # Written to the account's log and e-mailed to its address.
    kinds = set(AccountEvent.objects.filter(user=physio.user).values_list("kind", flat=True))
    assert {"device_added", "recovery_issued"} <= kinds
    assert [m.to for m in mail.outbox] == [[physio.user.email]]
    assert "to-trinsbekræftelse" in mail.outbox[0].subject  # in the user's language (Danish)


def test_replacing_removes_the_old_app(client, physio, password):
    old = verified_login(client, physio.user)
    confirm_password(client, password)
    page = client.get(f"/account/2fa/setup/?replace={old.pk}")
    assert page.status_code == 200
    code = code_from_secret(secret_on_page(page))
    done = client.post("/account/2fa/setup/", {"code": code, "replace": str(old.pk), "next": "/"})
    assert done.status_code in (200, 302)
    assert not TOTPDevice.objects.filter(pk=old.pk).exists()
    assert TOTPDevice.objects.filter(user=physio.user, confirmed=True).count() == 1
    kinds = list(AccountEvent.objects.filter(user=physio.user).values_list("kind", flat=True))
    assert "device_added" in kinds and "device_removed" in kinds
    assert len(mail.outbox) == 2
    # The session is verified with the new app and keeps working.
    assert client.get("/api/v1/patients/").status_code == 200


def test_a_physio_cannot_remove_the_last_factor(client, physio, password):
    device = verified_login(client, physio.user)
    confirm_password(client, password, next_url="/account/2fa/")
    response = client.post(f"/account/2fa/{device.pk}/remove/")
    assert response.status_code == 409
    assert TOTPDevice.objects.filter(pk=device.pk).exists()


def test_a_patient_turns_it_on_with_the_password_and_off_again(client, patient, password):
    password_login(client, patient.user, password)
    # Opting in from a session of a patient needs the password again too.
    assert client.get("/account/2fa/setup/").url.startswith("/account/2fa/password/")
    confirm_password(client, password)
    page = client.get("/account/2fa/setup/")
    code = code_from_secret(secret_on_page(page))
    codes_page = client.post("/account/2fa/setup/", {"code": code})
    codes = re.findall(r"<code>([A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4})</code>", codes_page.text)
    assert len(codes) == 10
    device = TOTPDevice.objects.get(user=patient.user, confirmed=True)
    removed = client.post(f"/account/2fa/{device.pk}/remove/")
    assert removed.status_code == 302
    assert not TOTPDevice.objects.filter(user=patient.user).exists()
    assert not RecoveryCodeDevice.objects.filter(user=patient.user).exists()
    assert "device_removed" in AccountEvent.objects.filter(user=patient.user).values_list(
        "kind", flat=True
    )


def test_recovery_codes_are_hashed_and_work_once(client, api, physio, password):
    from accounts.twofactor import recovery_codes_issue

    TOTPDevice.objects.create(user=physio.user, name="phone", confirmed=True)
    codes = recovery_codes_issue(user=physio.user)
    stored = list(RecoveryCode.objects.values_list("code_hash", flat=True))
    assert len(stored) == 10 and not set(codes) & set(stored)
    assert all(code.replace("-", "") not in h for code in codes for h in stored)
    password_login(client, physio.user, password)
    assert client.post("/account/2fa/verify/", {"code": codes[0].lower()}).status_code == 302
    assert client.get("/api/v1/patients/").status_code == 200
    assert RecoveryCode.objects.count() == 9
    assert AccountEvent.objects.filter(user=physio.user, kind="recovery_used").exists()
    assert mail.outbox and mail.outbox[-1].to == [physio.user.email]
    # The same code a second time: refused, on the web and on the API.
    client.logout()
    password_login(client, physio.user, password)
    again = client.post("/account/2fa/verify/", {"code": codes[0]})
    assert again.status_code == 200
    token = api.post(
        "/api/v1/auth/token/",
        {"email": physio.user.email, "password": password, "otp": codes[0]},
        format="json",
    )
    assert token.status_code == 400
    RecoveryCodeDevice.objects.update(throttling_failure_count=0)
    token = api.post(
        "/api/v1/auth/token/",
        {"email": physio.user.email, "password": password, "otp": codes[1]},
        format="json",
    )
    assert token.status_code == 200


def test_new_recovery_codes_need_verification_and_password(client, physio, password):
    from accounts.twofactor import recovery_codes_issue

    verified_login(client, physio.user)
    old = recovery_codes_issue(user=physio.user)
    assert client.post("/account/2fa/recovery/").url.startswith("/account/2fa/password/")
    confirm_password(client, password, next_url="/account/2fa/recovery/")
    page = client.post("/account/2fa/recovery/")
    new = re.findall(r"<code>([A-Z0-9-]{14})</code>", page.text)
    assert len(new) == 10 and not set(new) & set(old)
    assert RecoveryCode.objects.filter(device__user=physio.user).count() == 10


def test_manage_page_lists_factors_and_events(client, physio, password):
    verified_login(client, physio.user)
    page = client.get("/account/2fa/")
    assert page.status_code == 200 and "test" in page.text
