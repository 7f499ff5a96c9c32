from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import PatientProfile

from .instruments import INSTRUMENTS
from .schedule import TIMEPOINTS


class QuestionnaireResponse(models.Model):
    """One instrument at one timepoint of one episode: due, then a draft, then submitted.

    Fields (read by the report and the FHIR export, outcomes.selectors.answered):

    - patient: whose answers.
    - episode_starts_on: the episode's start date, which identifies the episode of the patient
      until care.Episode is there to point at (then an `episode` foreign key joins it; the
      schedule is computed from the episode's dates either way). One open episode at a time,
      each starting after the last one closed, so (patient, start) names one episode.
    - instrument, instrument_version: outcomes.instruments (code and version answered in).
    - language: the wording the patient answered ("da" or "en"); with the instrument's
      `wordings` it says whether that wording is a validated translation.
    - timepoint: start, week_6, week_12 or close (outcomes.schedule); due_on: the local date it
      fell due.
    - answers: item id -> answer (outcomes.scoring); a draft may be partial.
    - submitted_at: when submitted; null while a draft or not started. Read-only after that.
    - scores: outcomes.scoring.score of the answers, set on submission ({} before).
    """

    class Timepoint(models.TextChoices):
        START = "start", _("start")
        WEEK_6 = "week_6", _("week 6")
        WEEK_12 = "week_12", _("week 12")
        CLOSE = "close", _("close")

    patient = models.ForeignKey(
        PatientProfile, on_delete=models.CASCADE, related_name="questionnaire_responses"
    )
    episode_starts_on = models.DateField(_("episode start"))
    instrument = models.CharField(
        _("instrument"), max_length=10, choices=[(code, code.upper()) for code in INSTRUMENTS]
    )
    instrument_version = models.CharField(_("instrument version"), max_length=20)
    language = models.CharField(_("language"), max_length=5, blank=True)
    timepoint = models.CharField(_("timepoint"), max_length=10, choices=Timepoint.choices)
    due_on = models.DateField(_("due on"))
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    scores = models.JSONField(_("scores"), default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("questionnaire response")
        verbose_name_plural = _("questionnaire responses")
        ordering = ["due_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["patient", "episode_starts_on", "instrument", "timepoint"],
                name="questionnaire_once_per_episode_timepoint",
            ),
            models.CheckConstraint(
                condition=Q(instrument__in=list(INSTRUMENTS)),
                name="questionnaire_instrument_known",
            ),
            models.CheckConstraint(
                condition=Q(timepoint__in=list(TIMEPOINTS)),
                name="questionnaire_timepoint_known",
            ),
            # The global rating of change asks about change since the start: never at the start.
            models.CheckConstraint(
                condition=~Q(instrument="groc", timepoint="start"),
                name="questionnaire_groc_not_at_start",
            ),
            models.CheckConstraint(
                condition=Q(due_on__gte=models.F("episode_starts_on")),
                name="questionnaire_due_in_episode",
            ),
        ]
        indexes = [
            models.Index(fields=["patient", "due_on"], name="questionnaire_patient_due"),
        ]

    def __str__(self):
        return f"{self.patient} {self.instrument} {self.timepoint}"

    @property
    def submitted(self) -> bool:
        return self.submitted_at is not None
