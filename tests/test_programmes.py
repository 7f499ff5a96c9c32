"""Assigning and adjusting programmes, and the patient's plan for today."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from exercises.models import Programme, ProgrammeItem

from .concurrency import run_concurrently
from .factories import ClinicFactory, PatientFactory, PhysioFactory

CPH = ZoneInfo("Europe/Copenhagen")


def _post_programme(client, patient, body):
    return client.post(f"/api/v1/patients/{patient.pk}/programme/", body, format="json")


def test_physio_assigns_the_standard_template_and_the_patient_sees_it(
    client_for, physio, patient, library
):
    response = _post_programme(
        client_for(physio.user),
        patient,
        {"template": "haelspore-standard", "starts_on": patient.user.local_today().isoformat()},
    )
    assert response.status_code == 201, response.content
    programme = client_for(patient.user).get("/api/v1/programme/").json()
    assert programme["name"] == "Hælspore - standard"
    assert programme["week"] == 1
    assert programme["physio"] == {"name": physio.user.name}
    by_slug = {item["exercise"]["slug"]: item for item in programme["items"]}
    fascia = by_slug["plantar-fascia-stretch"]
    assert (fascia["hold_seconds"], fascia["reps"], fascia["times_per_day"]) == (10, 10, 3)
    assert fascia["due_today"] is True and fascia["done_today"] is False
    heel = by_slug["heel-raise-high-load"]
    # Weeks 1-2: both legs, body weight (clinical.md: staged from double-leg to high-load).
    assert (heel["load"], heel["sets"], heel["reps"], heel["rest_seconds"]) == ("", 3, 15, 60)
    assert heel["tempo"] == {"up": 3, "hold": 2, "down": 3}
    assert heel["stage"]["number"] == 1 and heel["stage"]["count"] == 4
    assert by_slug["footwear-advice"]["due_today"] is False  # advice is never "due"


@pytest.mark.parametrize(
    ("weeks_ago", "load", "sets", "reps"),
    [(1, "", 3, 15), (3, "12RM", 3, 12), (5, "10RM", 4, 10), (6, "8RM", 5, 8)],
)
def test_todays_dosage_follows_the_programme_week(
    client_for, patient, assign, weeks_ago, load, sets, reps
):
    today = patient.user.local_today()
    assign(patient, starts_on=today - timedelta(weeks=weeks_ago))
    items = client_for(patient.user).get("/api/v1/programme/").json()["items"]
    heel = next(i for i in items if i["exercise"]["slug"] == "heel-raise-high-load")
    assert (heel["load"], heel["sets"], heel["reps"]) == (load, sets, reps)


def test_every_other_day_item_is_due_by_the_patients_local_date(client_for, patient, assign):
    # Started on 1 March (Copenhagen). At 23:30 UTC on 2 March it is already 3 March in
    # Copenhagen: day 3, so the every-other-day heel raise is due, although the UTC date
    # (2 March, day 2) would say it is not.
    with time_machine.travel(datetime(2026, 3, 2, 23, 30, tzinfo=ZoneInfo("UTC"))):
        assign(patient, starts_on=date(2026, 3, 1))
        items = client_for(patient.user).get("/api/v1/programme/").json()["items"]
    heel = next(i for i in items if i["exercise"]["slug"] == "heel-raise-high-load")
    assert heel["due_today"] is True


def test_reassigning_ends_the_old_programme_and_keeps_it(client_for, physio, patient, assign):
    old = assign(patient, template="haelspore-standard", starts_on=date(2026, 11, 1))
    response = _post_programme(
        client_for(physio.user),
        patient,
        {"template": "haelbursitis", "starts_on": patient.user.local_today().isoformat()},
    )
    assert response.status_code == 201
    old.refresh_from_db()
    assert old.ended_at is not None and old.ends_on == patient.user.local_today()
    assert Programme.objects.active().get(patient=patient).name == "Hælbursitis"
    assert Programme.objects.filter(patient=patient).count() == 2
    assert client_for(patient.user).get("/api/v1/programme/").json()["name"] == "Hælbursitis"


def test_assign_item_by_item(client_for, physio, patient, library):
    response = _post_programme(
        client_for(physio.user),
        patient,
        {
            "name": "Individuelt",
            "starts_on": patient.user.local_today().isoformat(),
            "items": [
                {"exercise": "heel-raise-floor-level", "sets": 2, "reps": 10},
                {"exercise": "calf-stretch-bent-knee", "notes": "Kun let stræk"},
            ],
        },
    )
    assert response.status_code == 201, response.content
    items = response.json()["items"]
    assert (items[0]["sets"], items[0]["reps"]) == (2, 10)
    assert items[1]["hold_seconds"] == 30  # the exercise's default dosage fills the rest
    assert items[1]["notes"] == "Kun let stræk"


def test_physio_adjusts_dosage_and_the_patient_sees_it_at_once(client_for, physio, patient, assign):
    programme = assign(patient)
    item = programme.items.get(exercise__slug="plantar-fascia-stretch")
    response = client_for(physio.user).patch(
        f"/api/v1/patients/{patient.pk}/programme/items/{item.pk}/",
        {"reps": 6, "hold_seconds": 15, "tempo": {"up": 2, "hold": 1, "down": 2}},
        format="json",
    )
    assert response.status_code == 200, response.content
    seen = next(
        i
        for i in client_for(patient.user).get("/api/v1/programme/").json()["items"]
        if i["id"] == item.pk
    )
    assert (seen["reps"], seen["hold_seconds"], seen["tempo"]) == (
        6,
        15,
        {"up": 2, "hold": 1, "down": 2},
    )


def test_physio_holds_and_steps_back_a_stage(client_for, physio, patient, assign):
    programme = assign(patient, starts_on=patient.user.local_today() - timedelta(weeks=7))
    item = programme.items.get(exercise__slug="heel-raise-high-load")
    url = f"/api/v1/patients/{patient.pk}/programme/items/{item.pk}/"
    client = client_for(physio.user)
    assert client.patch(url, {"stage": 3}, format="json").json()["stage"] == {
        "number": 3,
        "count": 4,
        "held": True,
        "stages": item.stages,
    }
    assert client.patch(url, {"stage": 3}, format="json").json()["load"] == "10RM"
    assert client.patch(url, {"stage": None}, format="json").json()["load"] == "8RM"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"sets": -1}, "sets"),
        ({"sets": 0}, "sets"),
        ({"reps": "many"}, "reps"),
        ({"stage": 5}, "stage"),
        ({"stage": 0}, "stage"),
        ({"every_n_days": 0}, "every_n_days"),
        ({"tempo": {"up": 3}}, "tempo"),
        ({"stages": [{"from_week": 2}]}, "stages"),
        ({"stages": [{"from_week": 1}, {"from_week": 1}]}, "stages"),
    ],
)
def test_bad_item_updates_name_the_field_and_change_nothing(
    client_for, physio, patient, assign, body, field
):
    programme = assign(patient)
    item = programme.items.get(exercise__slug="heel-raise-high-load")
    before = ProgrammeItem.objects.filter(pk=item.pk).values().get()
    response = client_for(physio.user).patch(
        f"/api/v1/patients/{patient.pk}/programme/items/{item.pk}/", body, format="json"
    )
    assert response.status_code == 400
    assert field in response.json()
    after = ProgrammeItem.objects.filter(pk=item.pk).values().get()
    assert before == after


def test_stage_on_an_exercise_without_stages_is_400(client_for, physio, patient, assign):
    item = assign(patient).items.get(exercise__slug="plantar-fascia-stretch")
    response = client_for(physio.user).patch(
        f"/api/v1/patients/{patient.pk}/programme/items/{item.pk}/", {"stage": 1}, format="json"
    )
    assert response.status_code == 400 and "stage" in response.json()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"template": "no-such-template", "starts_on": "2026-11-20"}, "template"),
        ({"starts_on": "2026-11-20", "items": [{"exercise": "no-such-exercise"}]}, "items"),
        ({"starts_on": "2026-11-20", "items": []}, "items"),
        ({"template": "haelbursitis"}, "starts_on"),
        ({"template": "haelbursitis", "starts_on": "2031-01-01"}, "starts_on"),
        ({"template": "haelbursitis", "starts_on": "not-a-date"}, "starts_on"),
        ({"starts_on": "2026-11-20", "items": [{"exercise": "ice", "sets": -2}]}, "items"),
    ],
)
def test_bad_assignments_name_the_field_and_write_nothing(
    client_for, physio, patient, library, body, field
):
    response = _post_programme(client_for(physio.user), patient, body)
    assert response.status_code == 400, response.content
    assert field in response.json()
    assert not Programme.objects.filter(patient=patient).exists()


def test_another_clinics_exercise_cannot_be_assigned(client_for, physio, patient, library):
    from exercises.models import Exercise

    Exercise.objects.create(
        slug="fremmed",
        clinic=ClinicFactory(),
        kind="strength",
        name_da="x",
        name_en="x",
        purpose_da="x",
        purpose_en="x",
        stop_if_da="x",
        stop_if_en="x",
    )
    response = _post_programme(
        client_for(physio.user),
        patient,
        {"starts_on": "2026-11-20", "items": [{"exercise": "fremmed"}]},
    )
    assert response.status_code == 400


@pytest.mark.parametrize("who", ["other_clinic", "colleague"])
def test_physio_cannot_touch_a_patient_outside_their_care(client_for, physio, patient, assign, who):
    outsider = PhysioFactory(clinic=ClinicFactory() if who == "other_clinic" else physio.clinic)
    item = assign(patient).items.first()
    client = client_for(outsider.user)
    assert (
        _post_programme(
            client, patient, {"template": "haelbursitis", "starts_on": "2026-11-20"}
        ).status_code
        == 404
    )
    response = client.patch(
        f"/api/v1/patients/{patient.pk}/programme/items/{item.pk}/", {"reps": 1}, format="json"
    )
    assert response.status_code == 404
    item.refresh_from_db()
    assert item.reps != 1


def test_item_of_another_patients_programme_is_404(client_for, physio, patient, assign):
    other = PatientFactory(physio=physio)
    assign(patient)
    foreign_item = assign(other).items.first()
    response = client_for(physio.user).patch(
        f"/api/v1/patients/{patient.pk}/programme/items/{foreign_item.pk}/",
        {"reps": 1},
        format="json",
    )
    assert response.status_code == 404


def test_patient_without_programme_gets_404(client_for, patient):
    assert client_for(patient.user).get("/api/v1/programme/").status_code == 404


def test_patients_cannot_use_physio_endpoints(client_for, patient, assign):
    item = assign(patient).items.first()
    client = client_for(patient.user)
    assert (
        _post_programme(
            client, patient, {"template": "haelbursitis", "starts_on": "2026-11-20"}
        ).status_code
        == 403
    )
    assert (
        client.patch(
            f"/api/v1/patients/{patient.pk}/programme/items/{item.pk}/", {"reps": 1}, format="json"
        ).status_code
        == 403
    )


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_assignments_leave_one_active_programme(library):
    from exercises.models import ProgrammeTemplate
    from exercises.services import programme_assign

    patient = PatientFactory()
    template = ProgrammeTemplate.objects.get(slug="haelspore-standard")
    results = run_concurrently(
        lambda n: programme_assign(
            physio=patient.physio,
            patient=patient,
            template=template,
            starts_on=patient.user.local_today(),
        ),
        3,
    )
    assert all(isinstance(r, Programme) for r in results), results
    assert Programme.objects.filter(patient=patient).count() == 3
    assert Programme.objects.active().filter(patient=patient).count() == 1


def test_template_programme_name_is_shown_in_the_patients_language(client_for, patient, assign):
    assign(patient)
    patient.user.language = "en"
    patient.user.save()
    assert client_for(patient.user).get("/api/v1/programme/").json()["name"] == (
        "Plantar heel pain - standard"
    )
