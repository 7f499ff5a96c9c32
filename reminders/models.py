from datetime import time

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import PatientProfile, PhysioProfile

ALL_WEEKDAYS = [0, 1, 2, 3, 4, 5, 6]
CHANNELS = ("push", "email")


def default_weekdays():
    return list(ALL_WEEKDAYS)


def default_channels():
    return ["push", "email"]


class ReminderSchedule(models.Model):
    """When a patient wants the daily reminder, in their own local time.

    `next_due_at` is the next occurrence in UTC, kept current by reminders.services so that
    the beat tick finds due rows with one indexed range scan.
    """

    patient = models.OneToOneField(
        PatientProfile, on_delete=models.CASCADE, related_name="reminder_schedule"
    )
    enabled = models.BooleanField(_("enabled"), default=True)
    local_time = models.TimeField(_("local time"), default=time(7, 30))
    weekdays = models.JSONField(_("weekdays"), default=default_weekdays)
    # "push" and/or "email"; with both, push is used when the patient has a subscription and
    # e-mail otherwise.
    channels = models.JSONField(_("channels"), default=default_channels)
    next_due_at = models.DateTimeField(_("next due at"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("reminder schedule")
        verbose_name_plural = _("reminder schedules")
        indexes = [
            models.Index(
                fields=["next_due_at"],
                condition=Q(enabled=True),
                name="reminder_due_enabled",
            )
        ]

    def __str__(self):
        return f"{self.patient} {self.local_time:%H:%M}"


class PushSubscription(models.Model):
    """A browser's push subscription; a patient can have several devices."""

    patient = models.ForeignKey(
        PatientProfile, on_delete=models.CASCADE, related_name="push_subscriptions"
    )
    endpoint = models.URLField(max_length=1000, unique=True)
    p256dh = models.CharField(max_length=200)
    auth = models.CharField(max_length=100)
    created_at = models.DateTimeField(auto_now_add=True)
    last_success_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("push subscription")
        verbose_name_plural = _("push subscriptions")

    def __str__(self):
        return f"{self.patient} {self.endpoint[:40]}"


class Notification(models.Model):
    """The outbox: one row per (patient, kind, local date). The unique key, not the broker,
    is what makes a second send impossible; the status is what makes a lost one visible.

    A row is for a patient or, for the care loop's notices to staff (the daily digest, a new
    message from a patient), for a physiotherapist: one outbox, one sender, one retry policy,
    with the same once-a-day key per physio. A physio has no push subscription: e-mail."""

    class Kind(models.TextChoices):
        DAILY_REMINDER = "daily_reminder", _("daily reminder")
        WEEKLY_CHECKIN = "weekly_checkin", _("weekly check-in")
        ADVICE = "advice", _("advice")
        NUDGE = "nudge", _("nudge from the physiotherapist")
        # The care loop (messaging): a new message, to a patient or to a physio; a programme
        # change, to the patient; the physio's daily digest. None of them carries content.
        MESSAGE = "message", _("new message from the clinic")
        PATIENT_MESSAGE = "patient_message", _("new message from a patient")
        PROGRAMME_CHANGED = "programme_changed", _("programme changed")
        DIGEST = "digest", _("physiotherapist's daily digest")
        # Outcome questionnaires (outcomes.tasks): one is due; never which, nor any answer.
        QUESTIONNAIRE_DUE = "questionnaire_due", _("questionnaire due")
        # The 26- and 52-week follow-up after a recovered close (reminders.follow_ups); the
        # row's `detail` is the week, its local date the due date. No value in the text.
        FOLLOW_UP = "follow_up", _("follow-up after recovery")

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        SENDING = "sending", _("sending")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed")
        SKIPPED = "skipped", _("skipped")

    patient = models.ForeignKey(
        PatientProfile,
        on_delete=models.CASCADE,
        related_name="notifications",
        null=True,
        blank=True,
    )
    physio = models.ForeignKey(
        PhysioProfile,
        on_delete=models.CASCADE,
        related_name="notifications",
        null=True,
        blank=True,
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    local_date = models.DateField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    channel = models.CharField(max_length=10, blank=True)
    # For advice: the advice code, so the same advice is not sent again and again.
    detail = models.CharField(max_length=40, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=300, blank=True)
    due_at = models.DateTimeField()
    created_at = models.DateTimeField(auto_now_add=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    # A row waiting to be tried again (reminders.retry) is not sent before this; the sweep
    # leaves it alone until then.
    retry_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        constraints = [
            models.UniqueConstraint(
                fields=["patient", "kind", "local_date"], name="notification_once_per_day"
            ),
            models.UniqueConstraint(
                fields=["physio", "kind", "local_date"], name="notification_physio_once_per_day"
            ),
            models.CheckConstraint(
                condition=Q(patient__isnull=False, physio__isnull=True)
                | Q(patient__isnull=True, physio__isnull=False),
                name="notification_one_recipient",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["queued", "sending", "sent", "failed", "skipped"]),
                name="notification_status_valid",
            ),
        ]
        indexes = [
            models.Index(
                fields=["status", "claimed_at"],
                condition=Q(status__in=["queued", "sending"]),
                name="notification_pending",
            ),
            models.Index(fields=["patient", "-local_date"], name="notification_patient_recent"),
        ]

    def __str__(self):
        return f"{self.kind} {self.patient or self.physio} {self.local_date} {self.status}"
