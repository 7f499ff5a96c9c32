"""Writes for messages: sending one (and telling the other side), reading a thread, and the
trace an erased account leaves on its physio's list."""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import PatientProfile, PhysioProfile, User
from reminders.models import Notification
from reminders.services import notification_create

from .models import BODY_MAX, Departure, Message


def message_body_check(body: str) -> str:
    """The body as stored: stripped, not empty, at most BODY_MAX characters. The API's
    serializer says the same; this is for every other caller (and the constraint for all)."""
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": _("Write a message.")})
    if len(body) > BODY_MAX:
        raise ValidationError(
            {"body": _("A message has at most %(max)d characters.") % {"max": BODY_MAX}}
        )
    return body


def care_physios(patient: PatientProfile) -> list[PhysioProfile]:
    """Who is told of a patient's message: the physiotherapists in the patient's care, as
    accounts.access lets them see the patient (today the treating physio)."""
    return [patient.physio] if patient.physio_id else []


def message_send(
    *, patient: PatientProfile, author: User, body: str, now: datetime | None = None
) -> Message:
    """Store a message in the patient's thread, written by the patient or by a physio who
    may see the patient (the caller has checked that through accounts.access), and queue a
    notice for the other side.

    A notice says only that there is a new message, never what it says, and goes at most
    once a day to each recipient (the outbox's key is one row per recipient, kind and local
    date): a second message the same day adds to the thread, not to the lock screen. The
    physio's daily digest counts the messages still waiting for an answer."""
    now = now or timezone.now()
    body = message_body_check(body)
    from_patient = author.pk == patient.user_id
    with transaction.atomic():
        message = Message.objects.create(
            patient=patient, author=author, from_patient=from_patient, body=body, created_at=now
        )
        if from_patient:
            for physio in care_physios(patient):
                notification_create(physio=physio, kind=Notification.Kind.PATIENT_MESSAGE, now=now)
        else:
            notification_create(patient=patient, kind=Notification.Kind.MESSAGE, now=now)
    return message


def thread_read(*, patient: PatientProfile, reader: User, now: datetime | None = None) -> int:
    """Mark the other side's unread messages in the thread as read by `reader` (the read
    receipt the sender sees). Returns how many were marked."""
    reader_is_patient = reader.pk == patient.user_id
    return Message.objects.filter(
        patient=patient, from_patient=not reader_is_patient, read_at__isnull=True
    ).update(read_at=now or timezone.now())


def departure_record(*, patient: PatientProfile, now: datetime | None = None) -> Departure | None:
    """Before a patient's account is erased: note on their physio's list that a patient in
    their care deleted their account, with the physio's local date and nothing else."""
    if patient.physio_id is None:
        return None
    physio = patient.physio
    return Departure.objects.create(
        physio=physio, on=timezone.localdate(now or timezone.now(), physio.user.tz)
    )
