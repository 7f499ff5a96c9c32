"""Demo accounts for the quick start. Idempotent: running it twice changes nothing."""

from dataclasses import dataclass

from django.db import transaction

from .models import Clinic, Condition, PatientProfile, PhysioProfile, User

DEMO_PASSWORD = "haelapp-demo-2026"  # noqa: S105 - a published demo login, never for real data


@dataclass(frozen=True)
class DemoPatient:
    email: str
    name: str
    condition: str
    story: str  # what the later demo series show for this patient


DEMO_PATIENTS = [
    DemoPatient("ane@demo.haelapp.dk", "Ane Hansen", Condition.PLANTAR_FASCIITIS, "improving"),
    DemoPatient("bo@demo.haelapp.dk", "Bo Nielsen", Condition.HEEL_BURSITIS, "not improving"),
    DemoPatient("carl@demo.haelapp.dk", "Carl Jensen", Condition.FAT_PAD, "getting worse"),
    DemoPatient("dorte@demo.haelapp.dk", "Dorte Larsen", Condition.UNKNOWN, "gaps in the diary"),
]
DEMO_PHYSIO = ("fysio@demo.haelapp.dk", "Mette Fysioterapeut")
DEMO_ADMIN = ("admin@demo.haelapp.dk", "Demo Admin")


def _user(email: str, name: str, **extra) -> User:
    user, created = User.objects.get_or_create(email=email, defaults={"name": name, **extra})
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    return user


@transaction.atomic
def demo_accounts_create() -> dict:
    clinic, _ = Clinic.objects.get_or_create(
        slug="demo-fysioterapi", defaults={"name": "Demo Fysioterapi"}
    )
    _user(*DEMO_ADMIN, is_staff=True, is_superuser=True)
    physio_user = _user(*DEMO_PHYSIO, is_staff=True)
    physio, _ = PhysioProfile.objects.get_or_create(user=physio_user, defaults={"clinic": clinic})
    patients = []
    for demo in DEMO_PATIENTS:
        user = _user(demo.email, demo.name)
        profile, _ = PatientProfile.objects.get_or_create(
            user=user, defaults={"clinic": clinic, "physio": physio, "condition": demo.condition}
        )
        patients.append((demo, profile))
    return {"clinic": clinic, "physio": physio, "patients": patients}
