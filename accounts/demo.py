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
    # The safety net that a new programme cannot postpone: week 13, a new programme since the
    # week-6 review, and the week-12 advice still shown (no outcome recorded yet).
    DemoPatient(
        "erik@demo.haelapp.dk",
        "Erik Poulsen",
        Condition.PLANTAR_FASCIITIS,
        "programme changed at week 6",
    ),
    # Both heels logged; the rule reads the worse heel of each day (the right one here).
    DemoPatient("frida@demo.haelapp.dk", "Frida Holm", Condition.PLANTAR_FASCIITIS, "both heels"),
    # Day 3 of the episode: the welcome, the week-1 lesson, a diary just begun.
    DemoPatient(
        "gry@demo.haelapp.dk", "Gry Mortensen", Condition.PLANTAR_FASCIITIS, "just started"
    ),
]
DEMO_PHYSIO = ("fysio@demo.haelapp.dk", "Mette Fysioterapeut")
DEMO_ADMIN = ("admin@demo.haelapp.dk", "Demo Admin")
# Made-up contacts (the 5555 series is not handed out to subscribers; .invalid never resolves),
# so that the advice's tel:, mailto: and booking links can be tried without reaching anyone.
DEMO_CLINIC_CONTACTS = {
    "region": "hovedstaden",
    "phone": "55 55 12 34",
    "email": "kontakt@demo-fysioterapi.invalid",
    "booking_url": "https://booking.demo-fysioterapi.invalid/",
    "answers_within": 2,
}


def _user(email: str, name: str, **extra) -> User:
    user, created = User.objects.get_or_create(email=email, defaults={"name": name, **extra})
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    return user


@transaction.atomic
def demo_accounts_create() -> dict:
    clinic, _ = Clinic.objects.get_or_create(
        slug="demo-fysioterapi", defaults={"name": "Demo Fysioterapi", **DEMO_CLINIC_CONTACTS}
    )
    # A demo clinic made before it had contacts gets them; one whose staff changed them keeps
    # theirs.
    missing = {k: v for k, v in DEMO_CLINIC_CONTACTS.items() if not getattr(clinic, k)}
    if missing:
        Clinic.objects.filter(pk=clinic.pk).update(**missing)
        for field, value in missing.items():
            setattr(clinic, field, value)
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
