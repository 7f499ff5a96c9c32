"""Progress, advice, check-ins and the physio's flags through the API, on hand-made series."""

from datetime import timedelta

import pytest

from accounts.models import AccessRecord
from diary.red_flags import RED_FLAGS
from progress.models import AssessmentSettings

from .factories import PatientFactory, diary_series

ALL_NO = {flag.code: False for flag in RED_FLAGS}


def start_days_ago(patient, assign, days):
    today = patient.user.local_today()
    start = today - timedelta(days=days - 1)  # today is day `days`
    assign(patient, starts_on=start)
    return start


def test_improving_patient(client_for, patient, assign):
    start = start_days_ago(patient, assign, 21)
    diary_series(patient, start, [6] * 7 + [5] * 7 + [3] * 7)
    body = client_for(patient.user).get("/api/v1/progress/").json()
    assert (body["status"], body["week"], body["baseline"], body["current"]) == (
        "improving",
        3,
        6,
        3,
    )
    assert (body["change_points"], body["change_percent"]) == (-3, -50)
    assert body["advice"] is None  # keep-going advice only after the last review week
    assert body["review_weeks"] == [6, 12]
    assert len(body["series"]) == 21 and body["series"][-1]["mean_7d"] == 3


def test_not_improving_after_week_six_advises_a_review(client_for, patient, assign):
    start = start_days_ago(patient, assign, 43)
    diary_series(patient, start, [6] * 43)
    advice = client_for(patient.user).get("/api/v1/progress/").json()["advice"]
    assert advice["code"] == "review_first" and advice["seek_care"] is True
    assert advice["urgency"] == "review" and advice["title"]


def test_worse_advises_contacting_the_physio(client_for, patient, assign):
    start = start_days_ago(patient, assign, 28)
    diary_series(patient, start, [4] * 14 + [7] * 14)
    body = client_for(patient.user).get("/api/v1/progress/").json()
    assert body["status"] == "worse"
    assert body["advice"]["code"] == "worse" and body["advice"]["urgency"] == "soon"


def test_gaps_are_not_enough_data(client_for, patient, assign):
    start = start_days_ago(patient, assign, 21)
    diary_series(patient, start, [6] * 14 + [3, None, None, 3, None, None, 3])
    body = client_for(patient.user).get("/api/v1/progress/").json()
    assert body["status"] == "not_enough_data" and body["advice"] is None


def test_physio_baseline_override_and_review_weeks(client_for, physio, patient, assign):
    start = start_days_ago(patient, assign, 29)
    diary_series(patient, start, [None] * 7 + [5] * 22)
    client = client_for(physio.user)
    response = client.patch(
        f"/api/v1/patients/{patient.pk}/",
        {"baseline_override": 8, "review_weeks": [4, 8]},
        format="json",
    )
    assert response.status_code == 200, response.content
    body = client_for(patient.user).get("/api/v1/progress/").json()
    assert (body["baseline"], body["baseline_source"], body["review_weeks"]) == (
        8,
        "override",
        [4, 8],
    )
    assert body["status"] == "improving"
    write = AccessRecord.objects.get(action="write", what="assessment_settings")
    assert (write.actor, write.patient, write.what) == (physio.user, patient, "assessment_settings")


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"baseline_override": 11}, "baseline_override"),
        ({"baseline_override": "high"}, "baseline_override"),
        ({"review_weeks": [0]}, "review_weeks"),
        ({"review_weeks": []}, "review_weeks"),
    ],
)
def test_bad_patient_settings_are_400(client_for, physio, patient, body, field):
    response = client_for(physio.user).patch(f"/api/v1/patients/{patient.pk}/", body, format="json")
    assert response.status_code == 400 and field in response.json()
    assert not AccessRecord.objects.exists()


def test_review_weeks_and_baseline_are_put_in_order_and_rounded(client_for, physio, patient):
    """Any list of weeks and any number in range the schema allows is accepted: the weeks are
    stored in order, each once, and the baseline to one decimal."""
    response = client_for(physio.user).patch(
        f"/api/v1/patients/{patient.pk}/",
        {"review_weeks": [12, 6, 12], "baseline_override": 4.25},
        format="json",
    )
    assert response.status_code == 200, response.content
    settings = AssessmentSettings.objects.get(patient=patient)
    assert (settings.review_weeks, str(settings.baseline_override)) == ([6, 12], "4.3")


def test_checkin_all_no_gives_no_advice(client_for, patient):
    response = client_for(patient.user).post(
        "/api/v1/checkins/", {"answers": ALL_NO}, format="json"
    )
    assert response.status_code == 201 and response.json()["advice"] is None


def test_red_flag_advice_overrides_until_acknowledged(client_for, physio, patient, assign):
    start = start_days_ago(patient, assign, 21)
    diary_series(patient, start, [6] * 7 + [5] * 7 + [3] * 7)
    client = client_for(patient.user)
    answers = ALL_NO | {"new_numbness": True, "sudden_pop": True}
    created = client.post("/api/v1/checkins/", {"answers": answers}, format="json").json()
    assert created["advice"]["urgency"] == "same_day"
    assert created["advice"]["flags"][0] == "sudden_pop"
    advice = client.get("/api/v1/progress/").json()["advice"]
    assert advice["urgency"] == "same_day" and advice["checkin_id"] == created["id"]
    rows = client_for(physio.user).get("/api/v1/patients/").json()
    assert "red_flag" in rows[0]["flags"]

    assert client.post(f"/api/v1/checkins/{created['id']}/acknowledge/").status_code == 200
    assert client.get("/api/v1/progress/").json()["advice"] is None
    # Still flagged for the physio for the week after the answer.
    assert "red_flag" in client_for(physio.user).get("/api/v1/patients/").json()[0]["flags"]


@pytest.mark.parametrize(
    "answers",
    [{}, {"not_a_flag": True}, ALL_NO | {"sudden_pop": "maybe"}, "yes", {"sudden_pop": True}],
)
def test_bad_checkins_are_400(client_for, patient, answers):
    response = client_for(patient.user).post(
        "/api/v1/checkins/", {"answers": answers}, format="json"
    )
    assert response.status_code == 400 and "answers" in response.json()


def test_onboarding_then_weekly(client_for, patient):
    client = client_for(patient.user)
    assert client.get("/api/v1/progress/").json()["checkin_due"] is True
    client.post("/api/v1/checkins/", {"answers": ALL_NO}, format="json")
    client.post("/api/v1/checkins/", {"answers": ALL_NO}, format="json")
    kinds = [c["kind"] for c in client.get("/api/v1/checkins/").json()]
    assert kinds == ["weekly", "onboarding"]
    assert client.get("/api/v1/progress/").json()["checkin_due"] is False


def test_physio_list_shows_status_flags_and_filters(client_for, physio, assign):
    improving, worse, silent = (PatientFactory(physio=physio) for _ in range(3))
    for patient, pains in (
        (improving, [6] * 7 + [5] * 7 + [3] * 7),
        (worse, [4] * 7 + [7] * 14),
        (silent, [5] * 14 + [None] * 7),
    ):
        diary_series(patient, start_days_ago(patient, assign, 21), pains)
    client = client_for(physio.user)
    rows = {row["id"]: row for row in client.get("/api/v1/patients/").json()}
    assert rows[improving.pk]["status"] == "improving" and rows[improving.pk]["flags"] == []
    assert rows[worse.pk]["flags"] == ["worse"]
    assert rows[silent.pk]["status"] == "not_enough_data"
    assert rows[silent.pk]["flags"] == ["no_entries"]
    assert (
        rows[silent.pk]["last_entry_on"]
        == (silent.user.local_today() - timedelta(days=7)).isoformat()
    )
    assert rows[improving.pk]["current"] == 3 and rows[improving.pk]["baseline"] == 6
    assert [r["id"] for r in client.get("/api/v1/patients/?status=worse").json()] == [worse.pk]
    assert [r["id"] for r in client.get("/api/v1/patients/?flag=no_entries").json()] == [silent.pk]
    assert client.get("/api/v1/patients/?flag=bogus").status_code == 400
    # Listing shows progress: one read record per patient shown.
    assert AccessRecord.objects.filter(what="progress").count() == 3 + 1 + 1


def test_physio_detail_and_chart_are_logged(client_for, physio, patient, assign):
    start_days_ago(patient, assign, 10)
    client = client_for(physio.user)
    body = client.get(f"/api/v1/patients/{patient.pk}/").json()
    assert body["programme"]["name"] == "Hælspore - standard"
    assert body["progress"]["status"] == "collecting" or body["progress"]["status"]
    chart = client.get(f"/api/v1/patients/{patient.pk}/progress/chart.svg")
    assert chart.status_code == 200 and chart["Content-Type"].startswith("image/svg+xml")
    whats = set(AccessRecord.objects.values_list("what", flat=True))
    assert {"profile", "progress", "checkins"} <= whats


def test_patient_chart(client_for, patient, assign):
    start = start_days_ago(patient, assign, 21)
    diary_series(patient, start, [6] * 7 + [5] * 7 + [3] * 7)
    response = client_for(patient.user).get("/api/v1/progress/chart.svg")
    assert response.status_code == 200
    svg = response.content.decode()
    assert "<script" not in svg and "<title" in svg and "<desc" in svg
    # Kept by the browser only to ask again with its ETag (tests/test_chart_cache.py).
    assert response["Cache-Control"] == "private, no-cache" and response["ETag"]


# --- the rule on the episode clock (issue 13) -------------------------------------------------


def _record(patient, kind, outcome=None):
    from care.selectors import current_episode
    from care.services import episode_review_record

    episode_review_record(
        actor=patient.physio.user, episode=current_episode(patient), kind=kind, outcome=outcome
    )


def test_a_programme_replaced_at_week_6_leaves_day_1_the_baseline_and_the_week_12_advice(
    client_for, patient, assign
):
    start = start_days_ago(patient, assign, 85)  # today is day 85: week 12 is over
    diary_series(patient, start, [6] * 85)
    before = client_for(patient.user).get("/api/v1/progress/").json()
    assign(patient, starts_on=start + timedelta(days=42))  # a new programme from day 43
    body = client_for(patient.user).get("/api/v1/progress/").json()
    assert body["episode_start"] == start.isoformat()
    assert (body["week"], body["baseline"], body["status"]) == (13, 6, "not_improving")
    assert body["advice"]["code"] == "review_last"
    assert {k: before[k] for k in ("week", "baseline", "advice")} == {
        k: body[k] for k in ("week", "baseline", "advice")
    }
    assert body["programme_changes"] == [
        {
            "date": (start + timedelta(days=42)).isoformat(),
            "name": body["programme_changes"][0]["name"],
        }
    ]


def test_the_week_12_advice_stays_until_the_physio_records_an_outcome(client_for, patient, assign):
    start = start_days_ago(patient, assign, 90)
    diary_series(patient, start, [6] * 90)
    client = client_for(patient.user)
    _record(patient, "week_6_review")
    assert client.get("/api/v1/progress/").json()["advice"]["code"] == "review_last"
    _record(patient, "week_12_outcome", "declined")
    assert client.get("/api/v1/progress/").json()["advice"] is None


def test_the_week_6_review_ends_when_recorded(client_for, patient, assign):
    start = start_days_ago(patient, assign, 50)
    diary_series(patient, start, [6] * 50)
    client = client_for(patient.user)
    assert client.get("/api/v1/progress/").json()["advice"]["code"] == "review_first"
    _record(patient, "week_6_review")
    assert client.get("/api/v1/progress/").json()["advice"] is None


def test_thin_data_at_week_12_still_advises_the_re_assessment(client_for, patient, assign):
    start = start_days_ago(patient, assign, 90)
    diary_series(patient, start, [6] * 80)  # then ten silent days
    body = client_for(patient.user).get("/api/v1/progress/").json()
    assert body["status"] == "not_enough_data"
    assert body["advice"]["code"] == "review_last" and body["advice"]["seek_care"]


def test_load_too_high_after_the_programmes_stage_step_up(client_for, patient, assign):
    # The standard programme's heel raise steps up at week 3 (day 15).
    start = start_days_ago(patient, assign, 16)
    diary_series(patient, start, [6] * 7 + [3] * 7 + [5, 5])
    body = client_for(patient.user).get("/api/v1/progress/").json()
    assert body["advice"]["code"] == "load_too_high"
    assert (body["advice"]["urgency"], body["advice"]["seek_care"]) == ("review", True)
    # Holding the item on its stage (the physio's answer) removes the step-up and the prompt.
    from exercises.models import ProgrammeItem

    ProgrammeItem.objects.filter(programme__patient=patient).exclude(stages=[]).update(held_stage=1)
    from accounts.services import patient_data_changed

    patient_data_changed(patients=patient)
    assert client_for(patient.user).get("/api/v1/progress/").json()["advice"] is None


def test_both_heels_the_worse_heel_counts_and_the_series_keeps_both(client_for, patient, assign):
    from diary.models import DiaryEntry

    start = start_days_ago(patient, assign, 21)
    diary_series(patient, start, [6] * 7 + [3] * 14)  # the left heel improves
    DiaryEntry.objects.filter(patient=patient).update(morning_pain_other=6)  # the right not
    body = client_for(patient.user).get("/api/v1/progress/").json()
    assert (body["baseline"], body["current"], body["status"]) == (6, 6, "not_improving")
    assert body["series"][-1]["morning_pain"] == 3
    assert body["series"][-1]["morning_pain_other"] == 6
