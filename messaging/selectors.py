"""Reads for messages: a thread, unread counts, the physio's inbox, recent departures."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import Count, Max, OuterRef, Q, QuerySet, Subquery

from accounts.access import patients_visible_to
from accounts.models import PatientProfile, PhysioProfile, User
from diary.selectors import red_flagged_patient_ids

from .models import Departure, Message

DEPARTURE_SHOWN_DAYS = 30


def thread(patient: PatientProfile) -> QuerySet[Message]:
    """The patient's thread, oldest first (newest last, as a chat reads)."""
    return (
        Message.objects.filter(patient=patient)
        .select_related("author")
        .order_by("created_at", "pk")
    )


def unread_count(patient: PatientProfile, *, for_patient: bool) -> int:
    """Messages in the thread the given side has not read yet."""
    return Message.objects.filter(
        patient=patient, from_patient=not for_patient, read_at__isnull=True
    ).count()


@dataclass(frozen=True)
class InboxRow:
    patient: PatientProfile
    unread: int
    last_at: datetime
    unanswered: bool  # the last word is the patient's
    flagged: bool  # a red flag (diary.selectors)


def inbox(user: User) -> list[InboxRow]:
    """The threads of the patients `user` may see, unanswered first, then red-flagged, then
    the most recent. Two queries, whatever the number of threads."""
    last_from_patient = (
        Message.objects.filter(patient=OuterRef("pk"))
        .order_by("-created_at", "-pk")
        .values("from_patient")[:1]
    )
    patients = list(
        patients_visible_to(user)
        .filter(messages__isnull=False)
        .annotate(
            last_at=Max("messages__created_at"),
            unread=Count(
                "messages",
                filter=Q(messages__from_patient=True, messages__read_at__isnull=True),
            ),
            last_from_patient=Subquery(last_from_patient),
        )
    )
    flagged = red_flagged_patient_ids([p.pk for p in patients]) if patients else set()
    rows = [
        InboxRow(p, p.unread, p.last_at, bool(p.last_from_patient), p.pk in flagged)
        for p in patients
    ]
    rows.sort(key=lambda r: r.last_at, reverse=True)
    rows.sort(key=lambda r: (not r.unanswered, not r.flagged))
    return rows


def unanswered_patient_ids(patient_ids) -> set[int]:
    """Patients whose thread ends with a message of theirs (waiting for the clinic)."""
    last_from_patient = (
        Message.objects.filter(patient=OuterRef("pk"))
        .order_by("-created_at", "-pk")
        .values("from_patient")[:1]
    )
    return set(
        PatientProfile.objects.filter(pk__in=patient_ids)
        .annotate(last_from_patient=Subquery(last_from_patient))
        .filter(last_from_patient=True)
        .values_list("pk", flat=True)
    )


def recent_departures(physio: PhysioProfile, today: date) -> list[date]:
    """The dates on which patients in the physio's care deleted their accounts, in the last
    DEPARTURE_SHOWN_DAYS days, newest first."""
    return list(
        Departure.objects.filter(physio=physio, on__gt=today - timedelta(days=DEPARTURE_SHOWN_DAYS))
        .order_by("-on")
        .values_list("on", flat=True)
    )
