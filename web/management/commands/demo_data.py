from django.core.management.base import BaseCommand

from accounts.demo import DEMO_ADMIN, DEMO_PASSWORD, DEMO_PHYSIO, demo_accounts_create
from diary.demo import demo_diary_create
from exercises.demo import demo_programmes_create
from exercises.models import Programme

# How faithfully each demo story does its exercises.
COMPLETION_RATES = {
    "improving": 0.85,
    "not improving": 0.7,
    "getting worse": 0.6,
    "gaps in the diary": 0.35,
}


class Command(BaseCommand):
    help = "Create the demo clinic, physiotherapist and patients. Safe to run more than once."

    def handle(self, *args, **options):
        demo = demo_accounts_create()
        demo_programmes_create(
            demo["physio"],
            [profile for _, profile in demo["patients"]],
            {profile.pk: COMPLETION_RATES[d.story] for d, profile in demo["patients"]},
        )
        for demo_patient, profile in demo["patients"]:
            programme = Programme.objects.active().get(patient=profile)
            demo_diary_create(profile, programme.starts_on, demo_patient.story)
        self.stdout.write(self.style.SUCCESS(f"Demo clinic: {demo['clinic'].name}"))
        self.stdout.write(f"  password for every demo login: {DEMO_PASSWORD}")
        self.stdout.write(f"  physiotherapist: {DEMO_PHYSIO[0]}")
        for demo_patient, _profile in demo["patients"]:
            self.stdout.write(f"  patient ({demo_patient.story}): {demo_patient.email}")
        self.stdout.write(f"  administrator: {DEMO_ADMIN[0]}")
