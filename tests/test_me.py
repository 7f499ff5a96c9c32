import pytest


def test_me_for_a_patient(client_for, patient):
    body = client_for(patient.user).get("/api/v1/me/").json()
    assert body == {
        "id": patient.user.pk,
        "email": patient.user.email,
        "name": patient.user.name,
        "role": "patient",
        "patient_id": patient.pk,
        "timezone": "Europe/Copenhagen",
        "language": "da",
    }


def test_me_for_a_physio(client_for, physio):
    body = client_for(physio.user).get("/api/v1/me/").json()
    assert (body["role"], body["patient_id"]) == ("physio", None)


def test_a_patients_patient_id_is_the_one_their_physio_reads_them_by(client_for, patient, physio):
    from .factories import UserFactory

    assert patient.pk != patient.user.pk  # the physio's user came first: the ids differ
    me = client_for(patient.user).get("/api/v1/me/").json()
    assert (me["id"], me["patient_id"]) == (patient.user.pk, patient.pk)
    nobody = client_for(UserFactory()).get("/api/v1/me/").json()
    assert nobody["patient_id"] is None  # neither patient nor physio
    listed = client_for(physio.user).get("/api/v1/patients/").json()
    assert [row["id"] for row in listed] == [me["patient_id"]]
    detail = client_for(physio.user).get(f"/api/v1/patients/{me['patient_id']}/")
    assert detail.status_code == 200 and detail.json()["email"] == me["email"]


def test_patient_id_is_in_the_schema_and_read_only(client_for, patient):
    schema = client_for(patient.user).get("/api/schema/", HTTP_ACCEPT="application/json").json()
    field = schema["components"]["schemas"]["Me"]["properties"]["patient_id"]
    assert field["type"] == "integer" and field["readOnly"] and field["nullable"]
    client_for(patient.user).patch("/api/v1/me/", {"patient_id": 999}, format="json")
    assert client_for(patient.user).get("/api/v1/me/").json()["patient_id"] == patient.pk


def test_patch_me(client_for, patient):
    response = client_for(patient.user).patch(
        "/api/v1/me/",
        {"name": "Nyt Navn", "timezone": "America/New_York", "language": "en"},
        format="json",
    )
    assert response.status_code == 200
    patient.user.refresh_from_db()
    assert (patient.user.name, patient.user.timezone, patient.user.language) == (
        "Nyt Navn",
        "America/New_York",
        "en",
    )


@pytest.mark.parametrize(
    ("field", "value"),
    [("timezone", "Mars/Olympus"), ("language", "de"), ("name", ""), ("timezone", "")],
)
def test_bad_values_are_named_and_nothing_changes(client_for, patient, field, value):
    response = client_for(patient.user).patch("/api/v1/me/", {field: value}, format="json")
    assert response.status_code == 400
    assert field in response.json()
    patient.user.refresh_from_db()
    assert patient.user.language == "da" and patient.user.timezone == "Europe/Copenhagen"


def test_email_and_role_cannot_be_changed(client_for, patient):
    email = patient.user.email
    client_for(patient.user).patch(
        "/api/v1/me/", {"email": "x@example.org", "role": "physio"}, format="json"
    )
    patient.user.refresh_from_db()
    assert patient.user.email == email


def test_errors_come_in_the_users_language(client_for, patient):
    client = client_for(patient.user)
    danish = client.patch("/api/v1/me/", {"language": "xx"}, format="json").json()
    patient.user.language = "en"
    patient.user.save()
    english = client.patch("/api/v1/me/", {"language": "xx"}, format="json").json()
    assert danish["language"] != english["language"]
    assert "valid choice" in english["language"][0]
