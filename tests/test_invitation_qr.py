"""The invitation's join link as a QR code (issue 17, item 7): POST the code to /invite/ and the
physio who made the invitation gets an SVG of exactly that link; nobody else gets anything, and
no cache keeps it (the link is a secret until it is used)."""

import re
from datetime import timedelta

import pytest
import segno
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.services import invitation_create, invitation_url

from .conftest import verified_login
from .factories import ClinicFactory, PatientFactory, PhysioFactory

pytestmark = pytest.mark.django_db


def dark_modules(svg: str) -> set[tuple[int, int]]:
    """The dark modules (column, row) an SVG drawn by segno paints: its path is a pen that
    moves (`M`, `m`) and draws horizontal runs one module high (`h`) along each row's middle."""
    paths = re.findall(r'<path stroke="#000" d="([^"]+)"', svg)
    assert len(paths) == 1, svg[:200]
    x = y = 0.0
    dark = set()
    for command, numbers in re.findall(r"([MmHh])([-\d. ]+)", paths[0]):
        values = [float(n) for n in numbers.split()]
        if command == "M":
            x, y = values
        elif command == "m":
            x, y = x + values[0], y + values[1]
        elif command == "h":
            dark |= {(int(x) + i, int(y)) for i in range(int(values[0]))}
            x += values[0]
        else:
            raise AssertionError(f"unexpected path command {command}")
    return dark


def expected_modules(url: str, border: int = 4) -> set[tuple[int, int]]:
    """The dark modules of the QR code segno makes for `url` (error correction M), shifted by
    the quiet zone."""
    matrix = segno.make(url, error="m", micro=False).matrix
    return {
        (col + border, row + border)
        for row, line in enumerate(matrix)
        for col, bit in enumerate(line)
        if bit
    }


@pytest.fixture
def two_factor(settings):
    settings.REQUIRE_2FA = True  # as in production: physios have passed their second factor


def logged_in(user, verified=True) -> Client:
    client = Client()
    if verified:
        verify_session = verified_login(client, user)
        assert verify_session
    else:
        client.force_login(user)
    return client


def test_the_inviting_physio_gets_exactly_the_join_link_as_a_qr_code(two_factor, physio):
    _invitation, code = invitation_create(physio=physio, email="ny@example.org", name="Ny")
    response = logged_in(physio.user).post(reverse("invite"), {"code": code})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("image/svg+xml")
    # The link is a secret: never stored by the browser's or a proxy's cache.
    assert "no-store" in response["Cache-Control"]
    svg = response.content.decode()
    assert svg.startswith('<svg xmlns="http://www.w3.org/2000/svg"')
    assert "<script" not in svg
    # Sized by its box on the page, not by the SVG: a viewBox, no width or height.
    assert "viewBox=" in svg and " width=" not in svg.split(">")[0]

    url = invitation_url(code)
    assert url.endswith(f"/join/{code}/")
    drawn = dark_modules(svg)
    assert drawn == expected_modules(url)
    # A link one character off is another picture: the comparison can tell them apart.
    assert drawn != expected_modules(url[:-2] + "x/")
    # The quiet zone is there (white background, nothing dark in the four-module border).
    size = segno.make(url, error="m", micro=False).symbol_size(border=4)[0]
    assert f'viewBox="0 0 {size} {size}"' in svg
    assert all(4 <= x < size - 4 and 4 <= y < size - 4 for x, y in drawn)


def test_nobody_else_gets_the_qr_code(two_factor, physio, clinic):
    _invitation, code = invitation_create(physio=physio, email="ny@example.org", name="Ny")
    url = reverse("invite")
    other_clinic = PhysioFactory(clinic=ClinicFactory())
    colleague = PhysioFactory(clinic=clinic)
    patient = PatientFactory(physio=physio)

    for who in (other_clinic.user, colleague.user):
        response = logged_in(who).post(url, {"code": code})
        assert response.status_code == 404, who
        assert b"<svg" not in response.content
    # A patient has no physio pages at all (404, like the API's other role).
    response = Client()
    response.force_login(patient.user)
    answer = response.post(url, {"code": code})
    assert answer.status_code == 404 and b"<svg" not in answer.content
    # Anonymous: sent to log in.
    answer = Client().post(url, {"code": code})
    assert answer.status_code == 302 and answer["Location"].startswith(reverse("login"))
    # The inviting physio's own account, with the password only (a stolen password): sent
    # to enter the code from the authenticator app first.
    from django_otp.plugins.otp_totp.models import TOTPDevice

    TOTPDevice.objects.create(user=physio.user, name="phone", confirmed=True)
    answer = logged_in(physio.user, verified=False).post(url, {"code": code})
    assert answer.status_code == 302
    assert answer["Location"].startswith(reverse("otp-verify"))
    assert b"<svg" not in answer.content


def test_only_an_open_invitation_has_a_qr_code(two_factor, physio):
    client = logged_in(physio.user)
    url = reverse("invite")
    used, used_code = invitation_create(physio=physio, email="a@example.org", name="A")
    used.accepted_at = timezone.now()
    used.save()
    revoked, revoked_code = invitation_create(physio=physio, email="b@example.org", name="B")
    revoked.revoked_at = timezone.now()
    revoked.save()
    expired, expired_code = invitation_create(physio=physio, email="c@example.org", name="C")
    expired.created_at = timezone.now() - timedelta(days=30)
    expired.expires_at = timezone.now() - timedelta(days=1)
    expired.save()
    for code in (used_code, revoked_code, expired_code, "not-a-code", "x" * 300):
        assert client.post(url, {"code": code}).status_code == 404, code


def test_a_missing_code_is_a_400_naming_the_field(two_factor, physio):
    client = logged_in(physio.user)
    for body in ({}, {"code": "  "}):
        response = client.post(reverse("invite"), body)
        assert response.status_code == 400
        assert b"code" in response.content


def test_the_page_itself_still_answers_and_other_methods_are_refused(two_factor, physio):
    client = logged_in(physio.user)
    page = client.get(reverse("invite"))
    assert page.status_code == 200
    assert "no-store" in page["Cache-Control"]
    assert client.put(reverse("invite")).status_code == 405
