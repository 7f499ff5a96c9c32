"""The access log: every read or change of a patient's health data by someone other than the
patient is recorded here, and the patient can see the records (GDPR accountability)."""

from collections.abc import Iterable

from .models import AccessRecord, PatientProfile, User

# What can be read or changed; the keys are stored, the labels shown (see web and API).
READ_DIARY = "diary"
READ_PROGRESS = "progress"
READ_CHECKINS = "checkins"
READ_PROGRAMME = "programme"
READ_PROFILE = "profile"
WROTE_PROGRAMME = "programme"


def access_record(
    *,
    actor: User,
    patients: Iterable[PatientProfile] | PatientProfile,
    what: str,
    action: str = AccessRecord.Action.READ,
) -> int:
    """Record that `actor` read (or changed) `what` of each patient. A patient's own access
    is not recorded. Returns the number of records written (one query for many patients)."""
    if isinstance(patients, PatientProfile):
        patients = [patients]
    rows = [
        AccessRecord(
            patient_id=patient.pk,
            actor=actor,
            actor_name=actor.name or actor.email,
            actor_role=actor.role,
            action=action,
            what=what,
        )
        for patient in patients
        if patient.user_id != actor.pk
    ]
    AccessRecord.objects.bulk_create(rows)
    return len(rows)
