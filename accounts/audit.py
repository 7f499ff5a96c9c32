"""The access log: every read or change of a patient's health data by someone other than the
patient is recorded here, and the patient can see the records (GDPR accountability)."""

from collections.abc import Iterable

from django.utils import timezone

from . import sql
from .models import AccessRecord, AccountEvent, PatientProfile, User
from .services import for_patients_still_there

# What can be read or changed; the keys are stored, the labels shown (see web and API).
READ_DIARY = "diary"
READ_PROGRESS = "progress"
READ_CHECKINS = "checkins"
READ_PROFILE = "profile"
READ_QUESTIONNAIRES = "questionnaires"
READ_MESSAGES = "messages"
# The lessons a patient has read and the ones pinned for them (lessons app).
LESSONS = "lessons"
WROTE_PROGRAMME = "programme"
# The episode of care: opened, closed, its heels, a review or outcome recorded (care app).
EPISODE = "episode"


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
    patient_ids = [patient.pk for patient in patients if patient.user_id != actor.pk]
    if not patient_ids:
        return 0
    record = {
        "actor_id": actor.pk,
        "actor_name": actor.name or actor.email,
        "actor_role": actor.role,
        "action": action,
        "what": what,
        "at": timezone.now(),
    }
    return for_patients_still_there(
        lambda ids: sql.access_records_insert(patient_ids=ids, **record), patient_ids
    )


def account_event_record(
    *, user: User, kind: str, actor: User | None = None, detail: str = ""
) -> AccountEvent:
    """Write one line of `user`'s own security log (see `AccountEvent`). `actor` is who did
    it when that is not the account holder (clinic staff in the admin)."""
    actor = actor or user
    return AccountEvent.objects.create(
        user=user,
        kind=kind,
        detail=detail[:200],
        actor=actor,
        actor_name=actor.name or actor.email,
    )
