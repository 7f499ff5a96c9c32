"""The daily questionnaire reminder (Celery beat, haelapp.settings CELERY_BEAT_SCHEDULE).

For every patient in an episode: make the rows of what falls due today (the same idempotent
service the API calls), and queue one `questionnaire_due` notification on the day a timepoint
falls due and again on its overdue day, if it is still not sent. The outbox's unique
(patient, kind, local date) key makes a second run on the same day queue nothing. The
notification says only that a questionnaire is waiting (reminders.messages)."""

from datetime import timedelta

from celery import shared_task

from accounts.models import PatientProfile

from .schedule import OVERDUE_AFTER_DAYS
from .services import questionnaires_prepare


def questionnaire_reminders() -> int:
    from reminders.models import Notification
    from reminders.services import notification_create

    queued = 0
    # Patients with a programme are the ones with an episode (the first programme opens it).
    patients = PatientProfile.objects.filter(programmes__isnull=False).distinct()
    for patient in patients.select_related("user").iterator(chunk_size=500):
        today = patient.user.local_today()
        remind_on = {today, today - timedelta(days=OVERDUE_AFTER_DAYS)}
        waiting = questionnaires_prepare(patient=patient, today=today)
        if any(response.due_on in remind_on for response in waiting):
            kind = Notification.Kind.QUESTIONNAIRE_DUE
            queued += notification_create(patient=patient, kind=kind) is not None
    return queued


@shared_task(name="outcomes.questionnaire_reminders", ignore_result=True)
def questionnaire_reminders_task() -> int:
    return questionnaire_reminders()
