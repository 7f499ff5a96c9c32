from django.core.management import call_command

from accounts.demo import DEMO_PASSWORD, DEMO_PATIENTS, DEMO_PHYSIO
from accounts.models import Clinic, PatientProfile, User


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
