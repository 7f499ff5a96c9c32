"""The questionnaire API (api.md): due on the episode's clock, drafts, one submission, errors
naming the item, another's questionnaire 404, the physio's access-logged history."""

from datetime import UTC, date, datetime

import pytest
import time_machine

from accounts.models import AccessRecord
from outcomes.instruments import FFI
from outcomes.models import QuestionnaireResponse

from .factories import PatientFactory, PhysioFactory

START = date(2026, 3, 2)


def at(day: date):
    """Noon in Copenhagen on that date."""
    return time_machine.travel(
        datetime(day.year, day.month, day.day, 11, 0, tzinfo=UTC), tick=False
    )


@pytest.fixture
def started(patient, assign):
    """A patient whose episode (first programme) started on START."""
    with at(START):
        assign(patient, starts_on=START)
    return patient


def due(client):
    response = client.get("/api/v1/questionnaires/due/")
    assert response.status_code == 200, response.content
    return {q["instrument"]: q for q in response.json()}


def ffi_answers(value=5):
    return {item.id: value for item in FFI.items}


def test_due_at_start_without_the_global_rating(started, client_for):
    client = client_for(started.user)
    with at(START):
        questionnaires = due(client)
    assert set(questionnaires) == {"psfs", "ffi", "pass"}
    assert questionnaires["ffi"]["due_on"] == "2026-03-02"
    assert questionnaires["ffi"]["validated_translation"] is False
    assert len(questionnaires["ffi"]["items"]) == 18
    # Asking again makes no second row.
    with at(START):
        due(client)
    assert QuestionnaireResponse.objects.filter(patient=started).count() == 3


def test_nothing_due_before_the_episode_or_without_one(patient, client_for, assign):
    client = client_for(patient.user)
    with at(START):
        assert due(client) == {}
        assign(patient, starts_on=date(2026, 3, 5))
        assert due(client) == {}


def test_week_6_on_the_episode_clock(started, client_for):
    client = client_for(started.user)
    with at(date(2026, 4, 11)):  # day 41: still the start questionnaire
        assert set(due(client)) == {"psfs", "ffi", "pass"}
        assert {q["timepoint"] for q in due(client).values()} == {"start"}
    with at(date(2026, 4, 12)):  # day 42: week 6, with the global rating
        questionnaires = due(client)
    assert set(questionnaires) == {"psfs", "ffi", "pass", "groc"}
    assert {q["timepoint"] for q in questionnaires.values()} == {"week_6"}


def test_draft_then_submit_then_read_only(started, client_for):
    client = client_for(started.user)
    with at(START):
        ffi = due(client)["ffi"]
        url = f"/api/v1/questionnaires/{ffi['id']}/"
        draft = client.put(url, {"answers": {"pain_worst": 7}, "submit": False}, format="json")
        assert draft.status_code == 200
        assert draft.json()["scores"] is None
        assert due(client)["ffi"]["answers"] == {"pain_worst": 7}
        sent = client.put(url, {"answers": ffi_answers(5), "submit": True}, format="json")
        assert sent.status_code == 200, sent.content
        # Every item 5: 45 / 90 x 100 = 50.0 on both subscales.
        assert sent.json()["scores"]["pain"] == 50.0
        assert sent.json()["scores"]["disability"] == 50.0
        assert "ffi" not in due(client)
        again = client.put(url, {"answers": ffi_answers(1), "submit": True}, format="json")
    assert again.status_code == 400
    assert "submit" in again.json()
    row = QuestionnaireResponse.objects.get(pk=ffi["id"])
    assert row.scores["pain"] == 50.0 and row.answers["pain_worst"] == 5


def test_bad_input_names_the_item_and_writes_nothing(started, client_for):
    client = client_for(started.user)
    with at(START):
        ffi = due(client)["ffi"]
        url = f"/api/v1/questionnaires/{ffi['id']}/"
        answers = ffi_answers(5)
        answers["dis_tiptoe"] = 12
        del answers["pain_end_of_day"]
        response = client.put(url, {"answers": answers, "submit": True}, format="json")
        assert response.status_code == 400
        assert set(response.json()["answers"]) == {"dis_tiptoe", "pain_end_of_day"}
        for body in ({"answers": "x"}, {"answers": {}, "submit": "yes"}, {}):
            assert client.put(url, body, format="json").status_code == 400
    row = QuestionnaireResponse.objects.get(pk=ffi["id"])
    assert row.answers == {} and row.submitted_at is None


def test_psfs_activities_stay_the_same_later(started, client_for):
    client = client_for(started.user)
    with at(START):
        psfs = due(client)["psfs"]
        body = {"answers": {"activity_1": "Gå med hunden", "rating_1": 3}, "submit": True}
        assert (
            client.put(f"/api/v1/questionnaires/{psfs['id']}/", body, format="json").json()[
                "scores"
            ]["mean"]
            == 3.0
        )
    with at(date(2026, 4, 12)):
        later = due(client)["psfs"]
        assert [i["id"] for i in later["items"]] == ["activity_1", "rating_1"]
        assert later["answers"]["activity_1"] == "Gå med hunden"
        url = f"/api/v1/questionnaires/{later['id']}/"
        renamed = {"answers": {"activity_1": "Løbe", "rating_1": 6}, "submit": True}
        assert client.put(url, renamed, format="json").status_code == 400
        sent = client.put(url, {"answers": {"rating_1": 6}, "submit": True}, format="json")
        assert sent.status_code == 200
        assert sent.json()["answers"]["activity_1"] == "Gå med hunden"


def test_not_due_any_more_is_refused(started, client_for):
    client = client_for(started.user)
    with at(START):
        ffi = due(client)["ffi"]
    with at(date(2026, 4, 12)):  # the start questionnaire's window has passed
        response = client.put(
            f"/api/v1/questionnaires/{ffi['id']}/",
            {"answers": ffi_answers(), "submit": True},
            format="json",
        )
    assert response.status_code == 400


def test_another_patients_questionnaire_is_404(started, client_for, api):
    with at(START):
        ffi = due(client_for(started.user))["ffi"]
        other = client_for(PatientFactory(physio=started.physio).user)
        url = f"/api/v1/questionnaires/{ffi['id']}/"
        assert other.get(url).status_code == 404
        body = {"answers": ffi_answers(), "submit": True}
        assert other.put(url, body, format="json").status_code == 404
        assert api.put(url, body, format="json").status_code in (401, 403)
        assert api.get("/api/v1/questionnaires/due/").status_code in (401, 403)
    assert not QuestionnaireResponse.objects.get(pk=ffi["id"]).submitted


def _answer_all(client, values):
    questionnaires = due(client)
    for code, answers in values.items():
        q = questionnaires[code]
        response = client.put(
            f"/api/v1/questionnaires/{q['id']}/",
            {"answers": answers, "submit": True},
            format="json",
        )
        assert response.status_code == 200, response.content


def test_physio_sees_history_with_change_and_mcid(started, client_for):
    patient_client = client_for(started.user)
    with at(START):
        _answer_all(patient_client, {"ffi": ffi_answers(6), "pass": {"acceptable": False}})
    with at(date(2026, 4, 12)):
        _answer_all(patient_client, {"ffi": ffi_answers(4), "groc": {"change": 2}})
        physio = client_for(started.physio.user)
        response = physio.get(f"/api/v1/patients/{started.pk}/questionnaires/")
    assert response.status_code == 200
    rows = response.json()
    ffi = [r for r in rows if r["instrument"] == "ffi"]
    assert [r["timepoint"] for r in ffi] == ["start", "week_6"]
    assert ffi[0]["is_baseline"] is True
    # 60.0 -> 40.0: -20 points, past the MCIDs of 12 (pain) and 7 (disability).
    assert ffi[1]["change"]["pain"]["change"] == -20.0
    assert ffi[1]["change"]["pain"]["improved_by_mcid"] is True
    assert ffi[1]["validated_translation"] is False
    assert AccessRecord.objects.filter(patient=started, what="questionnaires").exists()


def test_other_physios_get_404(started, client_for):
    colleague = PhysioFactory(clinic=started.clinic)
    other = PhysioFactory()
    url = f"/api/v1/patients/{started.pk}/questionnaires/"
    assert client_for(colleague.user).get(url).status_code == 404
    assert client_for(other.user).get(url).status_code == 404
    assert client_for(started.user).get(url).status_code == 403
    assert not AccessRecord.objects.filter(patient=started, what="questionnaires").exists()


def test_reminder_on_the_due_day_once_without_answers(started):
    from outcomes.tasks import questionnaire_reminders
    from reminders.messages import push_texts
    from reminders.models import Notification

    with at(START):
        assert questionnaire_reminders() == 1
        assert questionnaire_reminders() == 0  # once a day
    with at(date(2026, 3, 3)):  # the day after: nothing new falls due
        assert questionnaire_reminders() == 0
    with at(date(2026, 3, 9)):  # overdue day, still not sent: reminded again
        assert questionnaire_reminders() == 1
    notes = Notification.objects.filter(patient=started, kind="questionnaire_due")
    assert notes.count() == 2
    title, body, page = push_texts("questionnaire_due", "en")
    assert page == "/questionnaires/" and not any(ch.isdigit() for ch in title + body)
