from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Condition, PatientProfile, PhysioProfile

LEFT, RIGHT = "left", "right"
HEELS = (LEFT, RIGHT)


class Outcome(models.TextChoices):
    """How an episode ended (clinical.md, "Episode of care")."""

    RECOVERED = "recovered", _("recovered")
    REFERRED = "referred", _("referred to a doctor or another service")
    STOPPED = "stopped", _("stopped by the patient")
    TRANSFERRED = "transferred", _("transferred")


class ReviewKind(models.TextChoices):
    WEEK_6_REVIEW = "week_6_review", _("week-6 review of the plan")
    WEEK_12_OUTCOME = "week_12_outcome", _("week-12 outcome")


class ReviewOutcome(models.TextChoices):
    """What came of the week-12 "see your doctor" advice."""

    REFERRED = "referred", _("referred")
    IMPROVING = "improving", _("improving after all")
    DECLINED = "declined", _("the patient declined")


# The reason stored when the first programme opens the episode (care.services.episode_ensure):
# a code, shown to people in their language by `Episode.reason_text`.
FIRST_PROGRAMME_REASON = "first programme"


class Episode(models.Model):
    """One episode of care (forløb) of a patient: the clock of the assessment.

    - starts_on: day 1 of every rule (progress.assessment); a new or replaced programme never
      moves it. A new episode (another foot, a new complaint, a relapse) is opened explicitly
      by the physio with a `reason`; the old one stays readable.
    - physio: who was in charge when it was opened (SET_NULL: the record outlives their account).
    - condition: the diagnosis for this episode (accounts.models.Condition); the profile's
      condition is what the patient was invited with.
    - heel_left / heel_right: the heel(s) affected; the API shows them as a list
      (["left", "right"]). Both False means *not recorded*: the data migration (0002) opened
      an episode for every patient who was there before episodes existed, and nobody knew
      which heel. So there is no at-least-one-heel constraint here; the services require one
      when an episode is opened or its heels are set, and the physio's page says "heel not
      recorded" until the physio sets them (PATCH .../episodes/{id}/).
    - closed_on / outcome / close_note: set together when the physio closes it (a named
      constraint: outcome set if and only if closed_on is). At most one open episode per
      patient, and no two episodes of a patient start on the same day (outcomes' questionnaires
      name an episode by its start).
    """

    patient = models.ForeignKey(
        PatientProfile,
        on_delete=models.CASCADE,
        related_name="episodes",
        verbose_name=_("patient"),
    )
    physio = models.ForeignKey(
        PhysioProfile,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="episodes",
        verbose_name=_("physiotherapist"),
    )
    condition = models.CharField(
        _("condition"), max_length=32, choices=Condition.choices, default=Condition.UNKNOWN
    )
    heel_left = models.BooleanField(_("left heel"), default=False)
    heel_right = models.BooleanField(_("right heel"), default=False)
    starts_on = models.DateField(_("starts on"))
    reason = models.TextField(_("reason"), blank=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("opened by"),
    )
    opened_at = models.DateTimeField(_("opened at"), default=timezone.now)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=12, choices=Outcome.choices, blank=True)
    close_note = models.TextField(_("note at close"), blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("closed by"),
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("episode of care")
        verbose_name_plural = _("episodes of care")
        ordering = ["-starts_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["patient"],
                condition=Q(closed_on__isnull=True),
                name="episode_one_open_per_patient",
            ),
            models.UniqueConstraint(
                fields=["patient", "starts_on"], name="episode_one_start_per_patient_day"
            ),
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True) | Q(closed_on__gte=F("starts_on")),
                name="episode_closes_after_start",
            ),
            models.CheckConstraint(
                condition=(Q(closed_on__isnull=True) & Q(outcome=""))
                | (Q(closed_on__isnull=False) & ~Q(outcome="")),
                name="episode_outcome_iff_closed",
            ),
            models.CheckConstraint(
                condition=Q(outcome__in=["", *Outcome.values]), name="episode_outcome_valid"
            ),
            models.CheckConstraint(
                condition=Q(condition__in=Condition.values), name="episode_condition_valid"
            ),
        ]

    def __str__(self):
        return f"{self.patient} {self.starts_on}"

    @property
    def is_open(self) -> bool:
        return self.closed_on is None

    @property
    def reason_text(self) -> str:
        """The reason as people read it: the physio's own words, or the automatic one's."""
        if self.reason == FIRST_PROGRAMME_REASON:
            return _("opened with the first programme")
        return self.reason

    @property
    def heels(self) -> list[str]:
        """The heels affected, as the API shows them; [] while not recorded."""
        affected = (self.heel_left, self.heel_right)
        return [heel for heel, yes in zip(HEELS, affected, strict=True) if yes]


class EpisodeReview(models.Model):
    """The physio's record that the week-6 review happened, or what came of the week-12
    advice. It is what ends that advice (clinical.md, "Assessment"): a new programme does not.

    - recorded_on: the patient's local date when it was recorded (the rule compares it with
      the episode's days).
    - outcome: for the week-12 outcome only (referred, improving after all, patient declined).
    """

    episode = models.ForeignKey(
        Episode, on_delete=models.CASCADE, related_name="reviews", verbose_name=_("episode")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=ReviewKind.choices)
    outcome = models.CharField(
        _("outcome"), max_length=12, choices=ReviewOutcome.choices, blank=True
    )
    note = models.TextField(_("note"), blank=True)
    recorded_on = models.DateField(_("recorded on"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        verbose_name = _("episode review")
        verbose_name_plural = _("episode reviews")
        ordering = ["recorded_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["episode", "kind"], name="episode_review_once_per_kind"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=ReviewKind.values), name="episode_review_kind_valid"
            ),
            # A week-12 outcome names what came of it; a week-6 review names nothing.
            models.CheckConstraint(
                condition=(Q(kind=ReviewKind.WEEK_12_OUTCOME) & Q(outcome__in=ReviewOutcome.values))
                | (Q(kind=ReviewKind.WEEK_6_REVIEW) & Q(outcome="")),
                name="episode_review_outcome_for_week_12_only",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.recorded_on}"


class FollowUp(models.Model):
    """The patient's answer to a follow-up after an episode closed as recovered (clinical.md,
    "Assessment": weeks 26 and 52): one morning-pain value and the global rating of change.
    Asked through the reminder outbox (reminders.follow_ups); answered once per episode and
    week (care.follow_ups.follow_up_answer)."""

    class Week(models.IntegerChoices):
        WEEK_26 = 26, _("week 26")
        WEEK_52 = 52, _("week 52")

    episode = models.ForeignKey(
        Episode, on_delete=models.CASCADE, related_name="follow_ups", verbose_name=_("episode")
    )
    week = models.PositiveSmallIntegerField(_("week"), choices=Week.choices)
    morning_pain = models.PositiveSmallIntegerField(_("morning pain (0-10)"))
    # -3 (very much worse) .. +3 (very much better), as the outcome questionnaires' scale.
    global_change = models.SmallIntegerField(_("global rating of change (-3 to +3)"))
    answered_at = models.DateTimeField(_("answered at"), default=timezone.now)

    class Meta:
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        ordering = ["episode", "week"]
        constraints = [
            models.UniqueConstraint(fields=["episode", "week"], name="follow_up_once_per_week"),
            models.CheckConstraint(condition=Q(week__in=[26, 52]), name="follow_up_week_valid"),
            models.CheckConstraint(
                condition=Q(morning_pain__gte=0) & Q(morning_pain__lte=10),
                name="follow_up_pain_0_to_10",
            ),
            models.CheckConstraint(
                condition=Q(global_change__gte=-3) & Q(global_change__lte=3),
                name="follow_up_change_minus_3_to_3",
            ),
        ]

    def __str__(self):
        return f"{self.episode} week {self.week}"
