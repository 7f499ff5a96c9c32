"""Second factor for physiotherapists and staff (TOTP), on every login path."""

import re

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from .conftest import verified_login


@pytest.fixture(autouse=True)
def required(settings):
    settings.REQUIRE_2FA = True


def code_for(device) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def login(client, user, password):
    return client.post("/login/", {"username": user.email, "password": password})


def test_physio_without_device_must_set_one_up(client, physio, password):
    login(client, physio.user, password)
    response = client.get("/api/v1/patients/")
    assert response.status_code == 403
    page = client.get("/", follow=True)
    assert page.redirect_chain[-1][0].startswith("/account/2fa/setup/")
    assert "<svg" in page.text  # the QR code, drawn on the server
    device = TOTPDevice.objects.get(user=physio.user, confirmed=False)
    wrong = client.post("/account/2fa/setup/", {"code": "000000", "next": "/"})
    assert wrong.status_code == 200 and not TOTPDevice.objects.filter(confirmed=True).exists()
    device.refresh_from_db()
    assert device.throttling_failure_count == 1  # django-otp slows down guessing
    device.throttle_reset()
    done = client.post("/account/2fa/setup/", {"code": code_for(device), "next": "/"})
    assert done.status_code == 200 and 'href="/"' in done.text  # the recovery codes, once
    assert client.get("/api/v1/patients/").status_code == 200


def test_physio_with_device_enters_a_code(client, physio, password):
    device = TOTPDevice.objects.create(user=physio.user, name="phone", confirmed=True)
    login(client, physio.user, password)
    page = client.get("/api/v1/patients/")
    assert page.status_code == 403
    assert client.get("/").url.startswith("/account/2fa/verify/")
    bad = client.post("/account/2fa/verify/", {"code": "123456"})
    assert "not right" in bad.text or bad.status_code == 200
    assert client.get("/api/v1/patients/").status_code == 403
    device.refresh_from_db()
    device.throttling_failure_count = 0
    device.save()
    assert client.post("/account/2fa/verify/", {"code": code_for(device)}).status_code == 302
    assert client.get("/api/v1/patients/").status_code == 200


def test_admin_requires_the_second_factor(client, physio, password):
    physio.user.is_staff = True
    physio.user.save()
    TOTPDevice.objects.create(user=physio.user, name="phone", confirmed=True)
    login(client, physio.user, password)
    assert client.get("/admin/").url.startswith("/account/2fa/verify/")


def test_token_for_a_physio_needs_a_code(api, physio, password):
    body = {"email": physio.user.email, "password": password}
    no_device = api.post("/api/v1/auth/token/", body, format="json")
    assert no_device.status_code == 400 and "otp" in no_device.json()
    device = TOTPDevice.objects.create(user=physio.user, name="phone", confirmed=True)
    assert api.post("/api/v1/auth/token/", body, format="json").status_code == 400
    response = api.post("/api/v1/auth/token/", body | {"otp": code_for(device)}, format="json")
    assert response.status_code == 200
    api.credentials(HTTP_AUTHORIZATION=f"Token {response.json()['token']}")
    assert api.get("/api/v1/patients/").status_code == 200


def test_patients_need_no_code_unless_they_turn_it_on(client, api, patient, password):
    login(client, patient.user, password)
    assert client.get("/api/v1/me/").status_code == 200
    TOTPDevice.objects.create(user=patient.user, name="phone", confirmed=True)
    body = {"email": patient.user.email, "password": password}
    assert api.post("/api/v1/auth/token/", body, format="json").status_code == 400


def test_verified_helper_logs_in_fully(client, physio):
    verified_login(client, physio.user)
    assert client.get("/api/v1/patients/").status_code == 200


def test_next_cannot_redirect_off_site(client, physio, password):
    device = TOTPDevice.objects.create(user=physio.user, name="phone", confirmed=True)
    login(client, physio.user, password)
    response = client.post(
        "/account/2fa/verify/", {"code": code_for(device), "next": "https://evil.example/"}
    )
    assert response.status_code == 302 and not re.match(r"https?://", response.url)
