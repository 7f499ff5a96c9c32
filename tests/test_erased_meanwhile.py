"""A patient may erase their account while a physio's request that has already loaded them is
still running. The request's own writes about that patient (access records) must not turn
into an error; the erased patient's data is gone, records included."""

import pytest

from accounts.audit import READ_PROGRESS, access_record
from accounts.models import AccessRecord, PatientProfile
from privacy.services import patient_erase

from .factories import PatientFactory, PhysioFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _three_loaded_then_one_erased():
    """Three patients as a physio's request loaded them; then the second erased her account."""
    physio = PhysioFactory()
    for _ in range(3):
        PatientFactory(physio=physio)
    patients = list(
        PatientProfile.objects.filter(physio=physio).select_related("user").order_by("pk")
    )
    patient_erase(patients[1])
    return physio, patients


def test_access_records_are_written_for_the_patients_still_there():
    physio, patients = _three_loaded_then_one_erased()
    assert access_record(actor=physio.user, patients=patients, what=READ_PROGRESS) == 2
    assert set(AccessRecord.objects.values_list("patient", flat=True)) == {
        patients[0].pk,
        patients[2].pk,
    }
    # Only the erased one: nothing to record, and no error either.
    assert access_record(actor=physio.user, patients=patients[1], what=READ_PROGRESS) == 0


def test_the_physio_list_answers_when_a_patient_is_erased_during_it(monkeypatch):
    from django.test import Client

    from diary import selectors

    physio = PhysioFactory()
    patients = [PatientFactory(physio=physio) for _ in range(3)]
    red_flagged = selectors.red_flagged_patient_ids

    def erase_meanwhile(patient_ids):
        # Runs after the view loaded the patients and before it writes anything about them.
        if PatientProfile.objects.filter(pk=patients[1].pk).exists():
            patient_erase(PatientProfile.objects.get(pk=patients[1].pk))
        return red_flagged(patient_ids)

    monkeypatch.setattr("progress.payload.red_flagged_patient_ids", erase_meanwhile)
    client = Client()
    client.force_login(physio.user)
    response = client.get("/api/v1/patients/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    assert len(response.json()) == 3
    assert set(AccessRecord.objects.values_list("patient", flat=True)) == {
        patients[0].pk,
        patients[2].pk,
    }
