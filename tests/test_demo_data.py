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
