"""Export and erasure of everything the service holds about a patient."""

from __future__ import annotations

import csv
import io

from django.db import transaction
from django.utils import timezone

from accounts.models import AccessRecord, PatientProfile
from accounts.services import user_erase
from care.models import Episode, FollowUp
from diary.models import CheckIn, DiaryEntry
from exercises.models import Completion, Programme, ProgrammeChange
from lessons.models import LessonPin, LessonRead
from messaging.models import Message
from messaging.services import departure_record
from outcomes.models import QuestionnaireResponse
from progress.models import AssessmentSettings
from reminders.models import Notification, PushSubscription, ReminderSchedule

EXPORT_VERSION = 1


def _dosage(item) -> dict:
    fields = item.dosage_dict()
    return {key: value for key, value in fields.items() if value not in (None, "", [])}


def patient_export(patient: PatientProfile) -> dict:
    """All of the patient's data as one JSON-ready document (art. 15 and 20)."""
    user = patient.user
    settings_row = AssessmentSettings.objects.filter(patient=patient).first()
    schedule = ReminderSchedule.objects.filter(patient=patient).first()
    programmes = Programme.objects.filter(patient=patient).prefetch_related("items__exercise")
    return {
        "format": "haelapp-export",
        "version": EXPORT_VERSION,
        "exported_at": timezone.now().isoformat(),
        "profile": {
            "email": user.email,
            "name": user.name,
            "language": user.language,
            "timezone": user.timezone,
            "joined": user.date_joined.isoformat(),
            "condition": patient.condition,
            "clinic": patient.clinic.name,
            "physiotherapist": patient.physio.user.name if patient.physio else None,
            "baseline_override": settings_row.baseline_override if settings_row else None,
            "review_weeks": settings_row.review_weeks if settings_row else None,
        },
        "programmes": [
            {
                "name": programme.name,
                "starts_on": programme.starts_on.isoformat(),
                "ends_on": programme.ends_on.isoformat() if programme.ends_on else None,
                "items": [
                    {"exercise": item.exercise.slug, "held_stage": item.held_stage, **_dosage(item)}
                    for item in programme.items.all()
                ],
            }
            for programme in programmes
        ],
        "episodes": [
            {
                "starts_on": episode.starts_on.isoformat(),
                "condition": episode.condition,
                "heels": episode.heels,
                "physiotherapist": episode.physio.user.name if episode.physio else None,
                "reason": episode.reason,
                "reviews": [
                    {
                        "kind": review.kind,
                        "outcome": review.outcome or None,
                        "note": review.note,
                        "recorded_on": review.recorded_on.isoformat(),
                    }
                    for review in episode.reviews.all()
                ],
                "closed_on": episode.closed_on.isoformat() if episode.closed_on else None,
                "outcome": episode.outcome or None,
                "close_note": episode.close_note,
            }
            for episode in Episode.objects.filter(patient=patient)
            .select_related("physio__user")
            .prefetch_related("reviews")
            .order_by("starts_on", "pk")
        ],
        "completions": [
            {
                "date": c.date.isoformat(),
                "exercise": c.item.exercise.slug,
                "session": c.session,
                "sets_done": c.sets_done,
                "recorded_at": c.recorded_at.isoformat(),
            }
            for c in Completion.objects.filter(patient=patient)
            .select_related("item__exercise")
            .order_by("date", "pk")
        ],
        "diary": [
            {
                "date": e.date.isoformat(),
                "morning_pain": e.morning_pain,
                "morning_pain_other": e.morning_pain_other,
                "note": e.note,
                "recorded_at": e.recorded_at.isoformat(),
            }
            for e in DiaryEntry.objects.filter(patient=patient).order_by("date")
        ],
        "checkins": [
            {
                "answered_at": c.created_at.isoformat(),
                "kind": c.kind,
                "answers": c.answers,
                "acknowledged_at": c.acknowledged_at.isoformat() if c.acknowledged_at else None,
            }
            for c in CheckIn.objects.filter(patient=patient).order_by("created_at")
        ],
        "reminders": {
            "enabled": schedule.enabled,
            "time": schedule.local_time.strftime("%H:%M"),
            "weekdays": schedule.weekdays,
            "channels": schedule.channels,
        }
        if schedule
        else None,
        "push_devices": PushSubscription.objects.filter(patient=patient).count(),
        "notifications": [
            {
                "kind": n.kind,
                "date": n.local_date.isoformat(),
                "status": n.status,
                "channel": n.channel,
                "sent_at": n.sent_at.isoformat() if n.sent_at else None,
            }
            for n in Notification.objects.filter(patient=patient).order_by("local_date", "pk")
        ],
        # The care loop: the thread with the clinic, as written (text, never markup).
        "messages": [
            {
                "sent_at": m.created_at.isoformat(),
                "sender": "patient" if m.from_patient else "clinic",
                "author": m.author.name if m.author else None,
                "body": m.body,
                "read_at": m.read_at.isoformat() if m.read_at else None,
            }
            for m in Message.objects.filter(patient=patient)
            .select_related("author")
            .order_by("created_at", "pk")
        ],
        "programme_changes": [
            {
                "at": c.created_at.isoformat(),
                "what": c.what,
                "exercise": c.exercise.slug if c.exercise else None,
                "seen_at": c.seen_at.isoformat() if c.seen_at else None,
            }
            for c in ProgrammeChange.objects.filter(patient=patient)
            .select_related("exercise")
            .order_by("created_at", "pk")
        ],
        "lessons": _lessons_export(patient),
        "questionnaires": [
            {
                "instrument": r.instrument,
                "instrument_version": r.instrument_version,
                "language": r.language,
                "timepoint": r.timepoint,
                "due_on": r.due_on.isoformat(),
                "answers": r.answers,
                "scores": r.scores,
                "submitted_at": r.submitted_at.isoformat() if r.submitted_at else None,
            }
            for r in QuestionnaireResponse.objects.filter(patient=patient).order_by("due_on", "pk")
        ],
        "follow_ups": [
            {
                "week": f.week,
                "morning_pain": f.morning_pain,
                "global_change": f.global_change,
                "answered_at": f.answered_at.isoformat(),
            }
            for f in FollowUp.objects.filter(episode__patient=patient).order_by("answered_at")
        ],
        "access_log": [
            {
                "at": r.at.isoformat(),
                "who": r.actor_name,
                "role": r.actor_role,
                "action": r.action,
                "what": r.what,
            }
            for r in AccessRecord.objects.filter(patient=patient).order_by("at", "pk")
        ],
    }


def _lessons_export(patient: PatientProfile) -> dict:
    """What the patient read (and which version) and what their physio pinned for them."""
    return {
        "read": [
            {"lesson": r.lesson.slug, "version": r.version, "read_at": r.read_at.isoformat()}
            for r in LessonRead.objects.filter(patient=patient)
            .select_related("lesson")
            .order_by("read_at", "pk")
        ],
        "pinned": [
            {"lesson": p.lesson.slug, "pinned_at": p.pinned_at.isoformat()}
            for p in LessonPin.objects.filter(patient=patient)
            .select_related("lesson")
            .order_by("pinned_at", "pk")
        ],
    }


def diary_csv(patient: PatientProfile) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    # morning_pain_other: the right heel for a patient with both heels (morning_pain the
    # left), empty otherwise.
    writer.writerow(["date", "morning_pain", "morning_pain_other", "note", "recorded_at"])
    for entry in DiaryEntry.objects.filter(patient=patient).order_by("date"):
        # A note starting with = + - @ would run as a formula in a spreadsheet.
        note = "'" + entry.note if entry.note[:1] in ("=", "+", "-", "@") else entry.note
        writer.writerow(
            [
                entry.date.isoformat(),
                entry.morning_pain,
                "" if entry.morning_pain_other is None else entry.morning_pain_other,
                note,
                entry.recorded_at.isoformat(),
            ]
        )
    return buffer.getvalue()


def patient_erase(patient: PatientProfile) -> None:
    """Erase the account and its health data (art. 17). The clinic keeps nothing that
    identifies the patient: the diary, programmes, completions, check-ins, reminders,
    notifications, the access log, the invitation, sessions, tokens and log-in records go
    with the account (accounts.services.user_erase; README, "What erasure keeps").

    What stays is one anonymous line on the treating physio's list for 30 days, "a patient in
    your care deleted their account on <date>" (messaging.services.departure_record): the
    physio and the date, so the physio understands why someone vanished."""
    with transaction.atomic():
        departure_record(patient=patient)
        user_erase(user=patient.user)
