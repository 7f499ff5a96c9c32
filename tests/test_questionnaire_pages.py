"""The outcome questionnaires in the pages (issue 15): the Today card when one is due, the
form answered over several visits and sent once, read-only afterwards; the physio's page with
the scores and their change; the list's overdue flag and the digest's count."""

from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.urls import reverse

from outcomes.models import QuestionnaireResponse
from outcomes.services import questionnaire_save, questionnaires_prepare

from .conftest import verified_login

START = date(2026, 3, 2)


def at(day: int, hour: int = 10):
    """Day `day` of the episode (day 1 = START), mid-morning in Copenhagen."""
    moment = datetime.combine(START + timedelta(days=day - 1), datetime.min.time(), tzinfo=UTC)
    return time_machine.travel(moment + timedelta(hours=hour - 1), tick=False)


@pytest.fixture
def started(patient, assign):
    patient.user.language = "da"
    patient.user.save(update_fields=["language"])
    with at(1):
        assign(patient, starts_on=START)
        questionnaires_prepare(patient=patient)  # as Today or the reminder task does
    return patient


def _response(patient, code, timepoint="start"):
    return QuestionnaireResponse.objects.get(patient=patient, instrument=code, timepoint=timepoint)


def test_today_shows_the_card_and_the_list_leads_to_the_forms(started, client):
    client.force_login(started.user)
    with at(1):
        today = client.get(reverse("home")).content.decode()
        assert 'id="questionnaire-card"' in today
        assert "3 korte spørgeskemaer venter på dine svar" in today
        page = client.get(reverse("questionnaires")).content.decode()
    for code in ("psfs", "ffi", "pass"):
        assert reverse("questionnaire", args=[_response(started, code).pk]) in page
    with at(1):
        form = client.get(reverse("questionnaire", args=[_response(started, "pass").pk]))
    text = form.content.decode()
    assert "no-store" in form["Cache-Control"]  # answers are health data
    # The wording is the project's own: said so on the page.
    assert 'id="not-validated"' in text


def test_a_draft_over_two_visits_then_sent_once_and_read_only(started, client):
    client.force_login(started.user)
    psfs = _response(started, "psfs")
    url = reverse("questionnaire", args=[psfs.pk])
    with at(1):
        assert client.post(url, {"activity_1": "Gå tur med hunden", "save": ""}).status_code == 302
    with at(2):
        page = client.get(url).content.decode()
        assert 'value="Gå tur med hunden"' in page
        # Sending without the rating: refused, the question named, nothing sent.
        refused = client.post(url, {"activity_1": "Gå tur med hunden", "submit": "1"})
        assert refused.status_code == 400
        assert 'id="q-rating_1-error"' in refused.content.decode()
        psfs.refresh_from_db()
        assert psfs.submitted_at is None
        sent = client.post(url, {"activity_1": "Gå tur med hunden", "rating_1": "4", "submit": "1"})
        assert sent.status_code == 302 and sent["Location"] == reverse("questionnaires")
    psfs.refresh_from_db()
    assert psfs.submitted_at is not None and psfs.scores["mean"] == 4
    assert psfs.answers == {"activity_1": "Gå tur med hunden", "rating_1": 4}
    with at(3):
        again = client.post(url, {"activity_1": "Noget andet", "rating_1": "9", "submit": "1"})
        assert again.status_code == 200  # read-only now: shown, not changed
        assert "kan ikke længere ændre dem" in again.content.decode()
        assert 'name="submit"' not in again.content.decode()
    psfs.refresh_from_db()
    assert psfs.answers["rating_1"] == 4


def test_bad_values_are_named_and_nothing_is_written(started, client):
    client.force_login(started.user)
    ffi = _response(started, "ffi")
    url = reverse("questionnaire", args=[ffi.pk])
    with at(1):
        response = client.post(url, {"pain_worst": "11", "pain_first_steps": "x", "save": ""})
    assert response.status_code == 400
    body = response.content.decode()
    assert 'id="q-pain_worst-error"' in body and 'id="q-pain_first_steps-error"' in body
    ffi.refresh_from_db()
    assert ffi.answers == {}


def test_another_patients_questionnaire_is_not_found(started, client, physio):
    from .factories import PatientFactory

    other = PatientFactory(physio=physio)
    client.force_login(other.user)
    with at(1):
        url = reverse("questionnaire", args=[_response(started, "pass").pk])
        assert client.get(url).status_code == 404
        assert client.post(url, {"acceptable": "true", "submit": "1"}).status_code == 404
    assert _response(started, "pass").submitted_at is None


def _answer_psfs(patient, day, rating, timepoint):
    with at(day):
        questionnaires_prepare(patient=patient)
        answers = {"rating_1": rating}
        if timepoint == "start":
            answers["activity_1"] = "Gå"
        questionnaire_save(
            response=_response(patient, "psfs", timepoint), answers=answers, submit=True
        )


def test_the_physio_sees_scores_and_the_change_against_the_mcid(started, physio, client):
    _answer_psfs(started, 1, 3, "start")
    _answer_psfs(started, 42, 6, "week_6")
    verified_login(client, physio.user)
    with at(43):
        page = client.get(reverse("patient", args=[started.pk])).content.decode()
    section = page.split('id="pt-questionnaires"', 1)[1].split("</section>", 1)[0]
    assert "gennemsnit 6,0 af 10" in section
    assert "gennemsnit +3,0 (bedre med mindst MCID)" in section
    assert "første svar" in section
    from accounts.models import AccessRecord

    assert AccessRecord.objects.filter(patient=started, what="questionnaires").exists()


def test_overdue_is_flagged_in_the_list_and_counted_in_the_digest(started, physio, client_for):
    def flags(day):
        with at(day):
            (row,) = client_for(physio.user).get("/api/v1/patients/").json()
        return row["flags"]

    assert flags(1)[-1] == "questionnaire_due"  # waiting since today
    assert flags(7)[-1] == "questionnaire_due"  # 6 days after it fell due
    assert flags(8)[-1] == "questionnaire_overdue"  # 7 days
    assert "questionnaire_due" not in flags(8)
    with at(8):
        from reminders.digest import digest_counts

        assert digest_counts(physio)[5] == 1
    for code in ("psfs", "ffi", "pass"):
        _response(started, code).delete()
    assert not {"questionnaire_due", "questionnaire_overdue"} & set(flags(8))


def test_today_makes_the_due_rows_once_and_then_only_reads(patient, assign, client):
    """Today makes the rows of the questionnaires that fell due; opened again, it writes
    nothing (most page views of a day): no INSERT, no write transaction."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(patient.user)
    with at(1):
        assign(patient, starts_on=START)
        with CaptureQueriesContext(connection) as first:
            assert client.get(reverse("home")).status_code == 200
        made = set(
            QuestionnaireResponse.objects.filter(patient=patient).values_list(
                "instrument", "timepoint"
            )
        )
        assert made == {("psfs", "start"), ("ffi", "start"), ("pass", "start")}
        assert any(q["sql"].startswith("INSERT") for q in first.captured_queries)
        with CaptureQueriesContext(connection) as again:
            assert client.get(reverse("home")).status_code == 200
    writes = [q["sql"] for q in again.captured_queries if not q["sql"].startswith("SELECT")]
    assert not any("outcomes_questionnaireresponse" in sql for sql in writes), writes
    assert QuestionnaireResponse.objects.filter(patient=patient).count() == 3
