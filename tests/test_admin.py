"""The admin is usable by clinic staff and shows them only what the app would."""

import pytest

from .factories import PatientFactory, PhysioFactory


@pytest.fixture
def staff_physio(physio):
    physio.user.is_staff = True
    physio.user.is_superuser = True  # all model permissions; scoping must still apply
    physio.user.save()
    return physio


def test_admin_pages_load_for_clinic_staff(client, staff_physio, patient):
    staff_physio.user.is_superuser = False
    staff_physio.user.save()
    client.force_login(staff_physio.user)
    assert client.get("/admin/").status_code == 200


def test_patient_list_in_admin_is_scoped_for_non_superusers(client, physio, patient):
    from django.contrib.auth.models import Permission

    user = physio.user
    user.is_staff = True
    user.save()
    user.user_permissions.add(*Permission.objects.filter(codename__endswith="patientprofile"))
    other = PatientFactory(physio=PhysioFactory(clinic=physio.clinic))
    client.force_login(user)
    page = client.get("/admin/accounts/patientprofile/")
    assert page.status_code == 200
    assert patient.user.name in page.text
    assert other.user.name not in page.text
    assert client.get(f"/admin/accounts/patientprofile/{other.pk}/change/").status_code == 302


def test_physio_invites_from_the_admin(client, physio):
    from django.contrib.auth.models import Permission

    from accounts.models import Invitation

    user = physio.user
    user.is_staff = True
    user.save()
    user.user_permissions.add(*Permission.objects.filter(codename__endswith="invitation"))
    client.force_login(user)
    response = client.post(
        "/admin/accounts/invitation/add/",
        {"email": "ny@example.org", "name": "Ny", "condition": "fat_pad"},
        follow=True,
    )
    assert response.status_code == 200
    invitation = Invitation.objects.get()
    assert (invitation.invited_by, invitation.clinic) == (physio, physio.clinic)
    assert "/join/" in response.text
