from datetime import timedelta

from django.core.management import call_command

from accounts.demo import DEMO_PASSWORD, DEMO_PATIENTS, DEMO_PHYSIO
from accounts.models import Clinic, PatientProfile, User
from diary.models import DiaryEntry


def test_demo_data_is_idempotent_and_logins_work(db, client):
    call_command("demo_data", stdout=open("/dev/null", "w"))  # noqa: SIM115
    counts = (User.objects.count(), PatientProfile.objects.count(), Clinic.objects.count())
    call_command("demo_data", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert (User.objects.count(), PatientProfile.objects.count(), Clinic.objects.count()) == counts
    assert PatientProfile.objects.count() == len(DEMO_PATIENTS)

    physio = User.objects.get(email=DEMO_PHYSIO[0])
    assert physio.physio_profile.patients.count() == len(DEMO_PATIENTS)
    for email in [DEMO_PHYSIO[0], DEMO_PATIENTS[0].email]:
        assert (
            client.post("/login/", {"username": email, "password": DEMO_PASSWORD}).status_code
            == 302
        )
        client.logout()


def test_each_demo_story_shows_its_status_advice_and_flags(db, client_for):
    """The four demo diaries tell four stories: the patient's progress says so, with the
    advice each needs, and the physio's list flags the two who need a look."""
    call_command("demo_data", stdout=open("/dev/null", "w"))  # noqa: SIM115
    expected = {
        "ane@demo.haelapp.dk": ("improving", None),
        "bo@demo.haelapp.dk": ("not_improving", "review_first"),
        "carl@demo.haelapp.dk": ("worse", "worse"),
        # Too thin a diary to judge after week 6: the review is due anyway (clinical.md).
        "dorte@demo.haelapp.dk": ("not_enough_data", "review_first"),
        # Week 13 with a new programme since week 7: the week-12 advice is still there.
        "erik@demo.haelapp.dk": ("not_improving", "review_last"),
        # The left heel improves, the right does not: the worse heel decides.
        "frida@demo.haelapp.dk": ("not_improving", "review_first"),
        "gry@demo.haelapp.dk": ("collecting", None),
    }
    for email, (status, advice) in expected.items():
        progress = client_for(User.objects.get(email=email)).get("/api/v1/progress/").json()
        assert progress["status"] == status, (email, progress)
        assert (progress["advice"] or {}).get("code") == advice, (email, progress["advice"])
        if advice:
            assert progress["advice"]["seek_care"] is True

    rows = client_for(User.objects.get(email=DEMO_PHYSIO[0])).get("/api/v1/patients/").json()
    flags = {row["email"]: (row["status"], row["flags"]) for row in rows}
    assert flags["ane@demo.haelapp.dk"] == ("improving", [])
    assert flags["bo@demo.haelapp.dk"] == ("not_improving", ["not_improving"])
    assert flags["carl@demo.haelapp.dk"] == ("worse", ["worse"])
    assert flags["dorte@demo.haelapp.dk"][0] == "not_enough_data"


def test_the_programme_changed_at_week_6_keeps_the_episode_clock(db, client_for):
    """Erik's physio recorded the week-6 review and gave a new programme from day 43: the
    programme counts its own weeks, the episode its own, and the week-12 advice stands until
    an outcome is recorded."""
    call_command("demo_data", stdout=open("/dev/null", "w"))  # noqa: SIM115
    erik = client_for(User.objects.get(email="erik@demo.haelapp.dk"))
    episode = erik.get("/api/v1/episodes/current/").json()
    programme = erik.get("/api/v1/programme/").json()
    progress = erik.get("/api/v1/progress/").json()
    assert (episode["week"], programme["week"], progress["week"]) == (13, 7, 13)
    assert [r["kind"] for r in episode["reviews"]] == ["week_6_review"]
    assert progress["advice"]["code"] == "review_last"
    # The baseline is the first week's, not the level the new programme started at.
    assert progress["baseline"] >= 5.5
    physio = client_for(User.objects.get(email=DEMO_PHYSIO[0]))
    rows = {row["email"]: row for row in physio.get("/api/v1/patients/").json()}
    assert rows["erik@demo.haelapp.dk"]["week"] == 13


def test_both_heels_are_logged_and_the_worse_decides(db, client_for):
    call_command("demo_data", stdout=open("/dev/null", "w"))  # noqa: SIM115
    frida_user = User.objects.get(email="frida@demo.haelapp.dk")
    frida = client_for(frida_user)
    assert frida.get("/api/v1/episodes/current/").json()["heels"] == ["left", "right"]
    entries = DiaryEntry.objects.filter(patient=frida_user.patient_profile)
    assert entries.count() > 40
    assert not entries.filter(morning_pain_other__isnull=True).exists()
    # The last 7 days, the current window: the left heel alone would tell a success.
    week = entries.filter(date__gt=frida_user.local_today() - timedelta(days=7))
    worse = [max(e.morning_pain, e.morning_pain_other) for e in week]
    assert sum(e.morning_pain for e in week) < sum(e.morning_pain_other for e in week)
    progress = frida.get("/api/v1/progress/").json()
    assert progress["status"] == "not_improving"
    assert progress["current"] == round(sum(worse) / len(worse), 1)


def test_the_newcomer_is_on_day_3(db, client_for):
    call_command("demo_data", stdout=open("/dev/null", "w"))  # noqa: SIM115
    gry = client_for(User.objects.get(email="gry@demo.haelapp.dk"))
    assert gry.get("/api/v1/episodes/current/").json()["week"] == 1
    assert gry.get("/api/v1/progress/").json()["status"] == "collecting"


def test_the_demo_patients_have_questionnaire_histories(db, client_for):
    """Scores that fit each story on the physio's page, an overdue one flagged, and the
    newcomer's start questionnaires waiting on Today."""
    call_command("demo_data", stdout=open("/dev/null", "w"))  # noqa: SIM115
    physio = client_for(User.objects.get(email=DEMO_PHYSIO[0]))
    rows = {r["email"]: r for r in physio.get("/api/v1/patients/").json()}

    def history(email):
        return physio.get(f"/api/v1/patients/{rows[email]['id']}/questionnaires/").json()

    ane = [q for q in history("ane@demo.haelapp.dk") if q["instrument"] == "psfs"]
    assert [q["timepoint"] for q in ane] == ["start", "week_6"]
    assert ane[1]["change"]["mean"]["improved_by_mcid"] is True
    carl = [q for q in history("carl@demo.haelapp.dk") if q["instrument"] == "psfs"]
    assert carl[1]["change"]["mean"]["worse_by_mcid"] is True
    assert "questionnaire_overdue" in rows["dorte@demo.haelapp.dk"]["flags"]
    assert "questionnaire_overdue" in rows["erik@demo.haelapp.dk"]["flags"]
    assert "questionnaire_overdue" not in rows["ane@demo.haelapp.dk"]["flags"]
    gry = client_for(User.objects.get(email="gry@demo.haelapp.dk"))
    assert 'id="questionnaire-card"' in gry.get("/").content.decode()
