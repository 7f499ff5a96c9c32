"""Programme changes reach the patient: one notification through the outbox.

The physio's writes note each change (exercises.services.programme_changes_record); each beat
tick (reminders.services.reminders_tick) claims the changes not yet notified, patient by
patient with a conditional update (two beats cannot both claim a row), and queues one
`programme_changed` notification for the patient's local today. The outbox's key
(notification_once_per_day) makes a second one that day impossible: a physio who adjusts
five exercises in a row sends one notification. Its text names nothing of the change
(reminders.messages); the notice on Today says what changed. A change the patient has already
seen in the app, or of an inactive account, is claimed without a notification.
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from accounts.models import PatientProfile
from exercises.models import ProgrammeChange

from .models import Notification
from .services import notification_create

# Patients handled per tick; the rest wait a minute (a physio changes a few a minute).
BATCH = 500


def programme_changes_notify(now: datetime | None = None) -> int:
    """Returns how many notifications were queued."""
    now = now or timezone.now()
    patient_ids = set(
        ProgrammeChange.objects.filter(notified_at__isnull=True).values_list(
            "patient_id", flat=True
        )[:BATCH]
    )
    if not patient_ids:
        return 0
    patients = PatientProfile.objects.select_related("user").in_bulk(patient_ids)
    queued = 0
    for patient_id in sorted(patient_ids):
        pending = ProgrammeChange.objects.filter(patient_id=patient_id, notified_at__isnull=True)
        with transaction.atomic():
            unseen = pending.filter(seen_at__isnull=True).update(notified_at=now)
            pending.update(notified_at=now)
            patient = patients.get(patient_id)
            if unseen and patient is not None and patient.user.is_active:
                created = notification_create(
                    patient=patient, kind=Notification.Kind.PROGRAMME_CHANGED, now=now
                )
                queued += created is not None
    return queued
