from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import PatientProfile


class DiaryEntry(models.Model):
    """First-step morning pain for one patient on one of their *local* dates."""

    patient = models.ForeignKey(
        PatientProfile, on_delete=models.CASCADE, related_name="diary_entries"
    )
    date = models.DateField(_("date"))
    morning_pain = models.PositiveSmallIntegerField(_("morning pain (0-10)"))
    # Only for a patient whose episode has both heels: morning_pain is the left heel and
    # this the right (clinical.md "The daily log"); null for one heel or when not given.
    morning_pain_other = models.PositiveSmallIntegerField(
        _("morning pain, other heel (0-10)"), null=True, blank=True
    )
    note = models.CharField(_("note"), max_length=500, blank=True)
    # When the patient made the entry on their device (offline entries arrive later):
    # of two writes for a date, the one recorded later wins.
    recorded_at = models.DateTimeField(_("recorded at"))
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("diary entry")
        verbose_name_plural = _("diary entries")
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(fields=["patient", "date"], name="diary_one_entry_per_date"),
            models.CheckConstraint(
                condition=Q(morning_pain__gte=0) & Q(morning_pain__lte=10),
                name="diary_pain_0_to_10",
            ),
            models.CheckConstraint(
                condition=Q(morning_pain_other__isnull=True)
                | (Q(morning_pain_other__gte=0) & Q(morning_pain_other__lte=10)),
                name="diary_pain_other_0_to_10",
            ),
        ]

    def __str__(self):
        return f"{self.patient} {self.date}"


class CheckIn(models.Model):
    """Answers to the red-flag questions, at onboarding and weekly after that."""

    class Kind(models.TextChoices):
        ONBOARDING = "onboarding", _("Onboarding")
        WEEKLY = "weekly", _("Weekly")

    patient = models.ForeignKey(PatientProfile, on_delete=models.CASCADE, related_name="checkins")
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    answers = models.JSONField(_("answers"))
    # The codes answered yes, most urgent first, and the urgency of the most urgent: kept on
    # the row so flags and reminders can query them without re-reading the answers.
    red_flags = models.JSONField(_("red flags"), default=list, blank=True)
    urgency = models.CharField(_("urgency"), max_length=10, default="none")
    created_at = models.DateTimeField(_("answered at"), auto_now_add=True)
    acknowledged_at = models.DateTimeField(_("advice acknowledged at"), null=True, blank=True)

    class Meta:
        verbose_name = _("check-in")
        verbose_name_plural = _("check-ins")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(urgency__in=["none", "review", "soon", "same_day"]),
                name="checkin_urgency_valid",
            ),
        ]
        indexes = [models.Index(fields=["patient", "-created_at"], name="checkin_patient_recent")]

    def __str__(self):
        return f"{self.patient} {self.created_at:%Y-%m-%d}"
