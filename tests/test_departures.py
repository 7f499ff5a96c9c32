"""Leaving is visible (issue 16, item 4): when a patient erases their account, their physio's
list shows for 30 days an anonymous line with the date, and nothing that identifies them."""

from datetime import UTC, datetime, timedelta

import time_machine
from django.urls import reverse

from messaging.models import Departure

from .conftest import verified_login
from .factories import PASSWORD, ClinicFactory, PatientFactory, PhysioFactory

ERASED_AT = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)


def _list_page(client, physio):
    client.logout()
    verified_login(client, physio.user)
    return client.get(reverse("home")).content.decode()


def test_the_physio_sees_an_anonymous_line_for_30_days(client, patient, physio):
    colleague = PhysioFactory(clinic=physio.clinic)
    stranger = PhysioFactory()
    name, email = patient.user.name, patient.user.email
    with time_machine.travel(ERASED_AT, tick=False):
        client.force_login(patient.user)
        response = client.delete(
            "/api/v1/me/", {"password": PASSWORD}, content_type="application/json"
        )
        assert response.status_code == 204
        page = _list_page(client, physio)
    # The date in the pages' one format (common.dates): in 2026, no year.
    assert "Den tirs. 10. mar. slettede en patient i dit forløb sin konto." in page
    assert name not in page and email not in page
    # Only the physio in whose care the patient was.
    for other in (colleague, stranger):
        with time_machine.travel(ERASED_AT, tick=False):
            assert "sin konto" not in _list_page(client, other)
    # Day 30 after the erasure still shows it; day 31 no longer.
    with time_machine.travel(ERASED_AT + timedelta(days=29), tick=False):
        assert "sin konto" in _list_page(client, physio)
    with time_machine.travel(ERASED_AT + timedelta(days=30), tick=False):
        assert "sin konto" not in _list_page(client, physio)


def test_the_trace_holds_the_physio_and_the_date_and_nothing_else(patient, physio):
    from privacy.services import patient_erase

    patient_erase(patient)
    fields = {field.name for field in Departure._meta.get_fields()}
    assert fields == {"id", "physio", "on"}
    assert list(Departure.objects.values_list("physio", flat=True)) == [physio.pk]


def test_a_patient_without_a_physio_leaves_no_line(db):
    from privacy.services import patient_erase

    patient = PatientFactory(physio=None, clinic=ClinicFactory())
    patient_erase(patient)
    assert not Departure.objects.exists()


def test_a_failed_erasure_leaves_no_line(client_for, patient):
    response = client_for(patient.user).delete("/api/v1/me/", {"password": "wrong"}, format="json")
    assert response.status_code == 400
    assert not Departure.objects.exists()
