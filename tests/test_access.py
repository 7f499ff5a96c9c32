"""The who-sees-whom rule as a matrix: every kind of viewer against every kind of patient."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from accounts.access import can_see_patient, get_visible_patient, patients_visible_to

from .factories import ClinicFactory, PatientFactory, PhysioFactory, UserFactory


@pytest.fixture
def world(db):
    clinic_x, clinic_y = ClinicFactory(), ClinicFactory()
    physio_x = PhysioFactory(clinic=clinic_x)
    colleague_x = PhysioFactory(clinic=clinic_x)
    physio_y = PhysioFactory(clinic=clinic_y)
    return {
        "clinic_x": clinic_x,
        "physio_x": physio_x,
        "colleague_x": colleague_x,
        "physio_y": physio_y,
        "patient_a": PatientFactory(physio=physio_x),
        "patient_b": PatientFactory(physio=physio_x),
        "colleagues_patient": PatientFactory(physio=colleague_x),
        "patient_y": PatientFactory(physio=physio_y),
        "staff": UserFactory(is_staff=True),
    }


VIEWERS = ["patient_a", "patient_b", "physio_x", "colleague_x", "physio_y", "staff", "anonymous"]
PATIENTS = ["patient_a", "patient_b", "colleagues_patient", "patient_y"]

# Who may see whom; anything not listed is forbidden.
ALLOWED = {
    ("patient_a", "patient_a"),
    ("patient_b", "patient_b"),
    ("physio_x", "patient_a"),
    ("physio_x", "patient_b"),
    ("colleague_x", "colleagues_patient"),
    ("physio_y", "patient_y"),
}


def _user(world, viewer):
    if viewer == "anonymous":
        return AnonymousUser()
    obj = world[viewer]
    return obj if viewer == "staff" else obj.user


@pytest.mark.parametrize("viewer", VIEWERS)
@pytest.mark.parametrize("target", PATIENTS)
def test_visibility_matrix(world, viewer, target):
    user = _user(world, viewer)
    patient = world[target]
    expected = (viewer, target) in ALLOWED

    assert can_see_patient(user, patient) is expected
    if expected:
        assert get_visible_patient(user, patient.pk) == patient
    else:
        with pytest.raises(Http404):
            get_visible_patient(user, patient.pk)


@pytest.mark.parametrize("viewer", VIEWERS)
def test_each_viewer_sees_exactly_their_patients(world, viewer):
    visible = set(patients_visible_to(_user(world, viewer)).values_list("pk", flat=True))
    expected = {world[target].pk for (who, target) in ALLOWED if who == viewer}
    assert visible == expected


def test_patient_moved_to_another_clinic_leaves_the_old_physios_view(world):
    patient = world["patient_a"]
    physio_x = world["physio_x"].user
    patient.clinic = ClinicFactory()
    patient.save()
    assert not can_see_patient(physio_x, patient)


def test_inactive_physio_sees_nobody(world):
    user = world["physio_x"].user
    user.is_active = False
    user.save()
    assert not patients_visible_to(user).exists()


@pytest.mark.parametrize("bad_id", ["abc", None, "1; DROP TABLE", 10**12])
def test_malformed_or_unknown_ids_are_404(world, bad_id):
    with pytest.raises(Http404):
        get_visible_patient(world["physio_x"].user, bad_id)
