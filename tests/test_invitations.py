from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from accounts.models import Invitation, PatientProfile, User, hash_invitation_code
from accounts.services import InvitationInvalid, invitation_accept, invitation_create

from .concurrency import run_concurrently

NEW_PASSWORD = "a-long-enough-secret-42"


@pytest.fixture
def invite(physio):
    def make(**kwargs):
        fields = {"email": "new.patient@example.org", "name": "Ny Patient"} | kwargs
        return invitation_create(physio=physio, **fields)

    return make


def test_physio_invites_through_the_api_and_the_patient_joins(
    api, client_for, physio, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(physio.user).post(
            "/api/v1/invitations/",
            {"email": "Ny.Patient@Example.org", "name": "Ny Patient", "condition": "heel_bursitis"},
            format="json",
        )
    assert response.status_code == 201, response.content
    body = response.json()
    assert set(body) == {"id", "code", "url", "expires_at"}
    assert body["url"].endswith(f"/join/{body['code']}/")
    # The answer carries the secret link: no cache may keep it.
    assert "no-store" in response["Cache-Control"]
    # The e-mail carries the link; the database holds only the code's hash.
    assert len(mail.outbox) == 1 and body["url"] in mail.outbox[0].body
    invitation = Invitation.objects.get(pk=body["id"])
    assert invitation.code_hash == hash_invitation_code(body["code"])
    assert body["code"] not in invitation.code_hash

    joined = api.post(
        "/api/v1/invitations/accept/",
        {"code": body["code"], "password": NEW_PASSWORD, "confirm_adult": True},
        format="json",
    )
    assert joined.status_code == 201, joined.content
    user = User.objects.get(email="ny.patient@example.org")
    assert user.check_password(NEW_PASSWORD)
    profile = user.patient_profile
    assert (profile.physio, profile.clinic, profile.condition) == (
        physio,
        physio.clinic,
        "heel_bursitis",
    )


def test_code_is_single_use(invite):
    _, code = invite()
    invitation_accept(code=code, password=NEW_PASSWORD)
    with pytest.raises(InvitationInvalid):
        invitation_accept(code=code, password=NEW_PASSWORD)
    assert PatientProfile.objects.count() == 1


def test_expired_code_is_refused(invite, settings):
    _, code = invite()
    with (
        time_machine.travel(
            timezone.now() + timedelta(days=settings.INVITATION_VALID_DAYS, seconds=1)
        ),
        pytest.raises(InvitationInvalid),
    ):
        invitation_accept(code=code, password=NEW_PASSWORD)
    assert not User.objects.filter(email="new.patient@example.org").exists()


def test_code_still_works_just_before_expiry(invite, settings):
    _, code = invite()
    with time_machine.travel(
        timezone.now() + timedelta(days=settings.INVITATION_VALID_DAYS, seconds=-60)
    ):
        assert invitation_accept(code=code, password=NEW_PASSWORD).patient_profile


@pytest.mark.parametrize("forged", ["", "x", "A" * 43, "A" * 5000])
def test_forged_codes_are_refused(invite, api, forged):
    invite()
    response = api.post(
        "/api/v1/invitations/accept/",
        {"code": forged, "password": NEW_PASSWORD, "confirm_adult": True},
        format="json",
    )
    assert response.status_code == 400
    assert "code" in response.json()
    assert PatientProfile.objects.count() == 0


def test_weak_password_is_refused_and_nothing_is_written(invite, api):
    _, code = invite()
    response = api.post(
        "/api/v1/invitations/accept/",
        {"code": code, "password": "12345", "confirm_adult": True},
        format="json",
    )
    assert response.status_code == 400
    assert "password" in response.json()
    assert not User.objects.filter(email="new.patient@example.org").exists()
    assert Invitation.objects.get().status == "open"


def test_minors_are_refused(invite, api):
    _, code = invite()
    response = api.post(
        "/api/v1/invitations/accept/",
        {"code": code, "password": NEW_PASSWORD, "confirm_adult": False},
        format="json",
    )
    assert response.status_code == 400 and "confirm_adult" in response.json()


def test_existing_email_cannot_be_invited(client_for, physio, patient):
    response = client_for(physio.user).post(
        "/api/v1/invitations/",
        {"email": patient.user.email.upper(), "name": "X"},
        format="json",
    )
    assert response.status_code == 400 and "email" in response.json()


def test_patients_cannot_invite(client_for, patient):
    response = client_for(patient.user).post(
        "/api/v1/invitations/", {"email": "a@example.org", "name": "A"}, format="json"
    )
    assert response.status_code == 403


def test_join_page_sets_password_and_logs_in(client, invite):
    _, code = invite()
    page = client.get(f"/join/{code}/")
    assert page.status_code == 200
    response = client.post(
        f"/join/{code}/",
        {
            "name": "Ny Patient",
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
            "confirm_adult": "on",
        },
    )
    assert response.status_code == 302
    assert client.get("/api/v1/me/").json()["role"] == "patient"
    # The link is now spent.
    assert client.get(f"/join/{code}/").status_code == 404


def test_join_page_for_an_unknown_code_is_404(client, db):
    assert client.get("/join/not-a-real-code/").status_code == 404


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_acceptance_creates_one_account(physio):
    """Two devices opening the same link at once: one account, the other gets 'invalid'."""
    _, code = invitation_create(physio=physio, email="race@example.org", name="Race")
    results = run_concurrently(lambda n: invitation_accept(code=code, password=NEW_PASSWORD), 2)
    assert sorted(type(r).__name__ for r in results) == ["InvitationInvalid", "User"]
    assert User.objects.filter(email="race@example.org").count() == 1
