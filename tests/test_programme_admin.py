"""The programme admin writes through the programme service, with its bounds: an assignment
is checked before anything is written, an item's dosage and held stage change only within
what programme_item_update allows (recorded in the patient's access log, their data version
raised), an ended programme is history, and items are neither added nor deleted there."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission

from accounts.models import AccessRecord, PatientProfile
from exercises.models import Programme, ProgrammeTemplate

from .factories import PatientFactory
from .test_admin import form_data


@pytest.fixture
def staff(client, physio, library):
    physio.user.is_staff = True
    physio.user.save()
    physio.user.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="exercises", codename__contains="programme"
        )
    )
    client.force_login(physio.user)
    return client


@pytest.fixture
def programme(physio, assign):
    return assign(PatientFactory(physio=physio))


def change_url(programme):
    return f"/admin/exercises/programme/{programme.pk}/change/"


def item_row(data, item) -> str:
    """The form prefix of `item` in the change page's posted data."""
    return next(key[: -len("-id")] for key, value in data.items() if value == [str(item.pk)])


def data_version(patient) -> int:
    return PatientProfile.objects.get(pk=patient.pk).data_version


def writes(patient) -> int:
    return AccessRecord.objects.filter(
        patient=patient, action=AccessRecord.Action.WRITE, what="programme"
    ).count()


def test_an_assignment_starting_too_long_ago_is_refused_before_anything_is_written(
    staff, physio, library
):
    patient = PatientFactory(physio=physio)
    template = ProgrammeTemplate.objects.get(slug="haelspore-standard")
    long_ago = patient.user.local_today() - timedelta(days=400)
    response = staff.post(
        "/admin/exercises/programme/add/",
        {"patient": patient.pk, "template": template.pk, "starts_on": long_ago.isoformat()},
    )
    assert response.status_code == 200
    assert "starts_on" in response.context["adminform"].form.errors
    assert not Programme.objects.filter(patient=patient).exists()


def test_an_item_is_held_only_on_a_stage_it_has(staff, programme):
    item = next(item for item in programme.items.all() if item.stages)
    version, logged = data_version(programme.patient), writes(programme.patient)
    data = form_data(staff.get(change_url(programme)))
    row = item_row(data, item)

    data[f"{row}-held_stage"] = [str(len(item.stages) + 1)]
    refused = staff.post(change_url(programme), data)
    assert refused.status_code == 200 and "errornote" in refused.text
    formset = refused.context["inline_admin_formsets"][0].formset
    assert "held_stage" in formset.errors[int(row.rsplit("-", 1)[1])]
    item.refresh_from_db()
    assert item.held_stage is None
    assert (data_version(programme.patient), writes(programme.patient)) == (version, logged)

    data[f"{row}-held_stage"] = ["1"]
    assert staff.post(change_url(programme), data).status_code == 302
    item.refresh_from_db()
    assert item.held_stage == 1
    assert data_version(programme.patient) > version
    assert writes(programme.patient) == logged + 1


def test_a_dosage_change_is_written_through_the_service(staff, programme):
    item = programme.items.exclude(sets=None).first()
    version, logged = data_version(programme.patient), writes(programme.patient)
    data = form_data(staff.get(change_url(programme)))
    data[f"{item_row(data, item)}-sets"] = [str(item.sets + 1)]
    assert staff.post(change_url(programme), data).status_code == 302
    changed = programme.items.get(pk=item.pk)
    assert changed.sets == item.sets + 1
    assert data_version(programme.patient) > version
    assert writes(programme.patient) == logged + 1
    # Nothing changed, nothing written.
    assert staff.post(change_url(programme), form_data(staff.get(change_url(programme))))
    assert writes(programme.patient) == logged + 1


def test_the_name_is_changed_through_the_service(staff, programme):
    logged = writes(programme.patient)
    data = form_data(staff.get(change_url(programme)))
    data["name"] = ["  Aftenprogram  "]
    assert staff.post(change_url(programme), data).status_code == 302
    programme.refresh_from_db()
    assert programme.name == "Aftenprogram"
    assert writes(programme.patient) == logged + 1


def test_items_are_neither_added_nor_deleted(staff, programme):
    before = sorted(programme.items.values_list("pk", "exercise_id"))
    data = form_data(staff.get(change_url(programme)))
    assert not any(key.endswith("-DELETE") for key in data)
    data["items-0-DELETE"] = ["on"]
    total = int(data["items-TOTAL_FORMS"][0])
    data["items-TOTAL_FORMS"] = [str(total + 1)]
    data[f"items-{total}-programme"] = [str(programme.pk)]
    data[f"items-{total}-exercise"] = [str(before[0][1])]
    data[f"items-{total}-sets"] = ["2"]
    staff.post(change_url(programme), data)
    assert sorted(programme.items.values_list("pk", "exercise_id")) == before


def test_an_ended_programmes_items_are_history(staff, programme, assign):
    item = programme.items.exclude(sets=None).first()
    assign(programme.patient)  # a new programme ends this one
    page = staff.get(change_url(programme))
    assert f'name="{"items-0-sets"}"' not in page.text  # shown, not editable
    data = form_data(page)
    data["items-0-sets"] = [str(item.sets + 1)]
    staff.post(change_url(programme), data)
    assert programme.items.get(pk=item.pk).sets == item.sets


def test_the_service_refuses_to_change_an_ended_programme(physio, programme, assign):
    from django.core.exceptions import ValidationError

    from exercises.models import ProgrammeItem
    from exercises.services import programme_item_update

    assign(programme.patient)
    item = ProgrammeItem.objects.select_related("programme").filter(programme=programme).first()
    with pytest.raises(ValidationError) as raised:
        programme_item_update(actor=physio.user, item=item, sets=2)
    assert raised.value.message_dict == {"item": ["Programmet er afsluttet og kan ikke ændres."]}
