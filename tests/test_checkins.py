"""Check-ins since issue 13: the new codes, diabetes as background, old answers kept readable,
and which answers pause what."""

import importlib

import pytest
from django.apps import apps

from diary.models import CheckIn
from diary.red_flags import RED_FLAGS
from diary.selectors import exercises_paused_patient_ids

from .factories import PatientFactory

ALL_NO = {flag.code: False for flag in RED_FLAGS}


def post(client, body):
    return client.post("/api/v1/checkins/", body, format="json")


# --- the API takes the new codes and refuses the old ones ------------------------------------


def test_the_new_codes_are_accepted(client_for, patient):
    response = post(client_for(patient.user), {"answers": ALL_NO | {"calf_swollen_red": True}})
    assert response.status_code == 201
    assert response.json()["advice"]["urgency"] == "same_day"
    assert response.json()["advice"]["flags"] == ["calf_swollen_red"]


@pytest.mark.parametrize("code", ["numbness_tingling", "diabetes"])
def test_an_old_code_is_a_400_naming_it_and_nothing_is_written(client_for, patient, code):
    answers = {k: v for k, v in ALL_NO.items() if k != "new_numbness"} | {code: False}
    response = post(client_for(patient.user), {"answers": answers})
    assert response.status_code == 400
    assert code in str(response.json()["answers"])
    assert not CheckIn.objects.exists()


def test_a_missing_new_code_is_a_400_naming_it(client_for, patient):
    answers = {k: v for k, v in ALL_NO.items() if k != "calf_swollen_red"}
    response = post(client_for(patient.user), {"answers": answers})
    assert response.status_code == 400 and "calf_swollen_red" in str(response.json())


@pytest.mark.parametrize("value", ["yes", 1, None])
def test_has_diabetes_must_be_a_bool(client_for, patient, value):
    response = post(client_for(patient.user), {"answers": ALL_NO, "has_diabetes": value})
    assert response.status_code == 400 and "has_diabetes" in response.json()
    patient.refresh_from_db()
    assert patient.has_diabetes is None and not CheckIn.objects.exists()


# --- diabetes: background, once ---------------------------------------------------------------


def test_diabetes_is_stored_on_the_profile_and_flags_nothing(client_for, patient):
    client = client_for(patient.user)
    response = post(client, {"answers": ALL_NO, "has_diabetes": True})
    assert response.status_code == 201 and response.json()["advice"] is None
    patient.refresh_from_db()
    assert patient.has_diabetes is True
    checkin = CheckIn.objects.get()
    assert (checkin.red_flags, checkin.urgency, checkin.kind) == ([], "none", "onboarding")
    assert exercises_paused_patient_ids([patient.pk]) == set()
    assert "red_flag" not in str(client.get("/api/v1/progress/").json()["advice"])


def test_with_diabetes_the_wound_question_is_asked_first(client_for, patient):
    client = client_for(patient.user)
    before = [q["code"] for q in client.get("/api/v1/checkins/questions/").json()]
    assert before == [flag.code for flag in RED_FLAGS]
    post(client, {"answers": ALL_NO, "has_diabetes": True})
    after = client.get("/api/v1/checkins/questions/").json()
    assert after[0]["code"] == "diabetes_wound"
    assert "diabetes" not in after[0]["question"].lower()
    assert sorted(q["code"] for q in after) == sorted(before)


def test_with_diabetes_the_advice_adds_foot_care(client_for, patient):
    patient.has_diabetes = True
    patient.save()
    client = client_for(patient.user)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    patient.user.language = "en"
    patient.user.save()
    advice = post(client, {"answers": ALL_NO | {"night_or_rest_pain": True}}).json()["advice"]
    assert "As you have diabetes" in advice["text"]
    assert "As you have diabetes" in client.get("/api/v1/progress/").json()["advice"]["text"]


def test_a_later_check_in_without_the_background_answer_keeps_it(client_for, patient):
    client = client_for(patient.user)
    post(client, {"answers": ALL_NO, "has_diabetes": True})
    post(client, {"answers": ALL_NO})
    patient.refresh_from_db()
    assert patient.has_diabetes is True


# --- what pauses ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("urgency", "paused"), [("same_day", True), ("soon", True), ("review", False), ("none", False)]
)
def test_only_same_day_and_soon_pause_the_exercises(patient, urgency, paused):
    CheckIn.objects.create(patient=patient, kind="weekly", answers={}, urgency=urgency)
    assert (patient.pk in exercises_paused_patient_ids([patient.pk])) is paused


def test_an_acknowledged_flag_pauses_nothing(client_for, patient):
    client = client_for(patient.user)
    created = post(client, {"answers": ALL_NO | {"sudden_pop": True}}).json()
    assert exercises_paused_patient_ids([patient.pk]) == {patient.pk}
    client.post(f"/api/v1/checkins/{created['id']}/acknowledge/")
    assert exercises_paused_patient_ids([patient.pk]) == set()


# --- old answers stay readable ----------------------------------------------------------------


def test_old_check_ins_show_their_old_words_to_patient_and_physio(client_for, patient, physio):
    CheckIn.objects.create(
        patient=patient,
        kind="onboarding",
        answers={"numbness_tingling": True, "diabetes": True, "sudden_pop": False},
        red_flags=["numbness_tingling"],
        urgency="soon",
    )
    for user in (patient.user, physio.user):
        client = client_for(user)
        client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
        user.language = "en"
        user.save()
        url = (
            "/api/v1/checkins/"
            if user == patient.user
            else f"/api/v1/patients/{patient.pk}/checkins/"
        )
        body = client.get(url).json()[0]
        assert body["answers"]["numbness_tingling"] is True
        assert "burning" in body["questions"]["numbness_tingling"]
        assert body["questions"]["diabetes"] == "Do you have diabetes?"
        assert body["questions"]["sudden_pop"].startswith("Did you suddenly feel a pop")


def test_an_open_old_numbness_answer_still_shows_its_advice(client_for, patient):
    CheckIn.objects.create(
        patient=patient,
        kind="weekly",
        answers={"numbness_tingling": True},
        red_flags=["numbness_tingling"],
        urgency="soon",
    )
    advice = client_for(patient.user).get("/api/v1/progress/").json()["advice"]
    assert (advice["code"], advice["urgency"]) == ("red_flag_soon", "soon")


# --- the data migration -----------------------------------------------------------------------


def recount():
    migration = importlib.import_module("diary.migrations.0003_red_flags_issue_13")
    migration.recount(apps, None)


def test_migration_drops_diabetes_as_a_flag_and_keeps_the_rest(patient):
    other = PatientFactory(physio=patient.physio)
    diabetes_only = CheckIn.objects.create(
        patient=patient,
        kind="onboarding",
        answers={"diabetes": True, "sudden_pop": False},
        red_flags=["diabetes"],
        urgency="review",
    )
    mixed = CheckIn.objects.create(
        patient=patient,
        kind="weekly",
        answers={"diabetes": True, "numbness_tingling": True, "sudden_pop": True},
        red_flags=["sudden_pop", "numbness_tingling", "diabetes"],
        urgency="same_day",
    )
    old_numbness = CheckIn.objects.create(
        patient=other,
        kind="onboarding",
        answers={"diabetes": False, "numbness_tingling": True},
        red_flags=["numbness_tingling"],
        urgency="soon",
    )
    recount()
    for checkin in (diabetes_only, mixed, old_numbness):
        checkin.refresh_from_db()
    assert (diabetes_only.red_flags, diabetes_only.urgency) == ([], "none")
    assert diabetes_only.answers == {"diabetes": True, "sudden_pop": False}  # history kept
    assert (mixed.red_flags, mixed.urgency) == (["sudden_pop", "numbness_tingling"], "same_day")
    assert (old_numbness.red_flags, old_numbness.urgency) == (["numbness_tingling"], "soon")
    patient.refresh_from_db()
    other.refresh_from_db()
    assert (patient.has_diabetes, other.has_diabetes) == (True, False)
    recount()  # twice changes nothing
    mixed.refresh_from_db()
    assert mixed.red_flags == ["sudden_pop", "numbness_tingling"]


def test_migration_takes_the_latest_diabetes_answer_and_keeps_a_profile_answer(patient):
    for value in (True, False):
        CheckIn.objects.create(
            patient=patient, kind="weekly", answers={"diabetes": value}, urgency="none"
        )
    answered = PatientFactory(physio=patient.physio, has_diabetes=True)
    CheckIn.objects.create(patient=answered, kind="weekly", answers={"diabetes": False})
    recount()
    patient.refresh_from_db()
    answered.refresh_from_db()
    assert (patient.has_diabetes, answered.has_diabetes) == (False, True)
