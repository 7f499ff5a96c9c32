from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from accounts.models import Clinic, Condition, PatientProfile, PhysioProfile

from .schedule import DOSAGE_FIELDS, sessions_per_day


class Kind(models.TextChoices):
    STRETCH = "stretch", _("Stretch")
    STRENGTH = "strength", _("Strength")
    ADVICE = "advice", _("Advice")


def localized(obj, field: str):
    """The Danish or English value of a bilingual field, in the active language."""
    language = (get_language() or "da")[:2]
    value = getattr(obj, f"{field}_{language}", None) if language in ("da", "en") else None
    return value if value not in (None, "", []) else getattr(obj, f"{field}_da")


class Dosage(models.Model):
    """The dosage fields shared by an exercise's default, a template item and a programme item.

    Null means "not part of this exercise" (a stretch has no load, an advice item no sets).
    """

    sets = models.PositiveSmallIntegerField(_("sets"), null=True, blank=True)
    reps = models.PositiveSmallIntegerField(_("repetitions"), null=True, blank=True)
    hold_seconds = models.PositiveSmallIntegerField(_("hold (seconds)"), null=True, blank=True)
    tempo_up = models.PositiveSmallIntegerField(_("tempo up (s)"), null=True, blank=True)
    tempo_hold = models.PositiveSmallIntegerField(_("tempo hold (s)"), null=True, blank=True)
    tempo_down = models.PositiveSmallIntegerField(_("tempo down (s)"), null=True, blank=True)
    load = models.CharField(_("load rule"), max_length=40, blank=True)
    rest_seconds = models.PositiveSmallIntegerField(_("rest (seconds)"), null=True, blank=True)
    times_per_day = models.PositiveSmallIntegerField(_("times per day"), null=True, blank=True)
    every_n_days = models.PositiveSmallIntegerField(_("every n days"), null=True, blank=True)
    notes_da = models.TextField(_("notes (Danish)"), blank=True)
    notes_en = models.TextField(_("notes (English)"), blank=True)
    # Stages advance by programme week; each is a dict of dosage fields plus `from_week`
    # (validated by exercises.dosage.validate_stages). JSON rather than rows: a stage is
    # always read and written with its item, never queried on its own.
    stages = models.JSONField(_("stages"), default=list, blank=True)

    DOSAGE_FIELDS = DOSAGE_FIELDS

    class Meta:
        abstract = True

    @classmethod
    def dosage_constraints(cls, prefix: str) -> list[models.BaseConstraint]:
        # PositiveSmallIntegerField already forbids negatives; zero sets, reps or a zero-day
        # interval make no sense and would divide by zero in the schedule.
        return [
            models.CheckConstraint(
                condition=Q(sets__isnull=True) | Q(sets__gte=1), name=f"{prefix}_sets_positive"
            ),
            models.CheckConstraint(
                condition=Q(reps__isnull=True) | Q(reps__gte=1), name=f"{prefix}_reps_positive"
            ),
            models.CheckConstraint(
                condition=Q(times_per_day__isnull=True) | Q(times_per_day__gte=1),
                name=f"{prefix}_times_per_day_positive",
            ),
            models.CheckConstraint(
                condition=Q(every_n_days__isnull=True) | Q(every_n_days__gte=1),
                name=f"{prefix}_every_n_days_positive",
            ),
        ]

    def dosage_dict(self) -> dict:
        return {field: getattr(self, field) for field in self.DOSAGE_FIELDS}


class LibraryQuerySet(models.QuerySet):
    def available_to(self, clinic_id):
        """The shared library plus the clinic's own exercises."""
        return self.filter(Q(clinic__isnull=True) | Q(clinic_id=clinic_id))


class LibraryEntry(models.Model):
    """Something in the library: `clinic` null is the shared, seeded content (read-only to
    clinics); otherwise a clinic's own addition, visible to that clinic only."""

    slug = models.SlugField(_("short name"), max_length=60, unique=True)
    clinic = models.ForeignKey(
        Clinic,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("clinic"),
    )
    name_da = models.CharField(_("name (Danish)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120)

    objects = LibraryQuerySet.as_manager()

    class Meta:
        abstract = True

    def __str__(self):
        return self.name

    @property
    def name(self):
        return localized(self, "name")


class Exercise(LibraryEntry, Dosage):
    """An exercise or advice item, with its default dosage."""

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    conditions = models.JSONField(_("suits conditions"), default=list, blank=True)
    purpose_da = models.TextField(_("purpose (Danish)"))
    purpose_en = models.TextField(_("purpose (English)"))
    steps_da = models.JSONField(_("steps (Danish)"), default=list)
    steps_en = models.JSONField(_("steps (English)"), default=list)
    stop_if_da = models.TextField(_("when to stop (Danish)"))
    stop_if_en = models.TextField(_("when to stop (English)"))
    illustration = models.CharField(_("illustration (static path)"), max_length=200, blank=True)
    # Where the item's advice comes from, named to the patient under it.
    sources = models.JSONField(_("sources"), default=list, blank=True)

    class Meta:
        verbose_name = _("exercise")
        verbose_name_plural = _("exercises")
        ordering = ["kind", "slug"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=Kind.values), name="exercise_kind_valid"),
            *Dosage.dosage_constraints("exercise"),
        ]


class ProgrammeTemplate(LibraryEntry):
    description_da = models.TextField(_("description (Danish)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    condition = models.CharField(
        _("condition"), max_length=32, choices=Condition.choices, default=Condition.UNKNOWN
    )

    class Meta:
        verbose_name = _("programme template")
        verbose_name_plural = _("programme templates")
        ordering = ["clinic_id", "name_da"]


class TemplateItem(Dosage):
    template = models.ForeignKey(ProgrammeTemplate, on_delete=models.CASCADE, related_name="items")
    exercise = models.ForeignKey(Exercise, on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("template item")
        verbose_name_plural = _("template items")
        ordering = ["position", "pk"]
        constraints = Dosage.dosage_constraints("templateitem")

    def __str__(self):
        return str(self.exercise)


class ProgrammeQuerySet(models.QuerySet):
    def active(self):
        return self.filter(ended_at__isnull=True)


class Programme(models.Model):
    """A programme assigned to a patient. Assigning a new one ends the old one, which is kept
    for history (and for adherence over the weeks it ran)."""

    patient = models.ForeignKey(PatientProfile, on_delete=models.CASCADE, related_name="programmes")
    assigned_by = models.ForeignKey(
        PhysioProfile, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    template = models.ForeignKey(
        ProgrammeTemplate, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    name = models.CharField(_("name"), max_length=120)
    starts_on = models.DateField(_("starts on"))
    # ends_on is the first local date the programme no longer applies (exclusive).
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ProgrammeQuerySet.as_manager()

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        ordering = ["-starts_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["patient"],
                condition=Q(ended_at__isnull=True),
                name="programme_one_active_per_patient",
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="programme_ends_after_start",
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.patient})"


class ProgrammeItem(Dosage):
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="items")
    exercise = models.ForeignKey(Exercise, on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField(default=0)
    # Null: the stage follows the programme week. A number: the physio holds the patient on
    # that stage (1-based), which is also how "step back one" is expressed.
    held_stage = models.PositiveSmallIntegerField(_("held on stage"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("programme item")
        verbose_name_plural = _("programme items")
        ordering = ["position", "pk"]
        constraints = [
            *Dosage.dosage_constraints("programmeitem"),
            models.CheckConstraint(
                condition=Q(held_stage__isnull=True) | Q(held_stage__gte=1),
                name="programmeitem_held_stage_positive",
            ),
        ]

    def __str__(self):
        return str(self.exercise)

    @property
    def sessions_per_day(self) -> int:
        return sessions_per_day(self.times_per_day)


# The most sessions a day an item can have: the physio's dosage form allows 20 times a day.
MAX_SESSIONS = 20


class Completion(models.Model):
    """The patient did one session of a programme item on a (local) date. An item dosed
    several times a day (`times_per_day`) has one row per session done, numbered from 1; the
    rest have session 1 only. Adherence counts sessions (exercises.schedule.adherence)."""

    patient = models.ForeignKey(
        PatientProfile, on_delete=models.CASCADE, related_name="completions"
    )
    item = models.ForeignKey(ProgrammeItem, on_delete=models.CASCADE, related_name="completions")
    date = models.DateField(_("date"))
    session = models.PositiveSmallIntegerField(_("session of the day"), default=1)
    sets_done = models.PositiveSmallIntegerField(_("sets done"), default=1)
    recorded_at = models.DateTimeField(_("recorded at"))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("completion")
        verbose_name_plural = _("completions")
        constraints = [
            models.UniqueConstraint(
                fields=["item", "date", "session"], name="completion_one_per_item_date_session"
            ),
            models.CheckConstraint(
                condition=Q(sets_done__lte=100), name="completion_sets_done_range"
            ),
            # 1 .. the item's times a day; the upper bound is the dosage form's (20), the exact
            # one is checked by the service against the item (exercises.services).
            models.CheckConstraint(
                condition=Q(session__gte=1, session__lte=MAX_SESSIONS),
                name="completion_session_range",
            ),
        ]
        indexes = [models.Index(fields=["patient", "date"], name="completion_patient_date")]

    def __str__(self):
        return f"{self.item} {self.date} #{self.session}"


class ProgrammeChange(models.Model):
    """What the physio changed in a patient's programme, written by the services that change
    it (exercises.services). The patient sees the unseen ones as a notice on Today until they
    dismiss it (`seen_at`); the reminders tick tells them once through the outbox
    (`notified_at`, reminders.programme_changes), without saying what."""

    class What(models.TextChoices):
        NEW_PROGRAMME = "new_programme", _("a new programme")
        ADDED = "added", _("an exercise added")
        REMOVED = "removed", _("an exercise removed")
        DOSAGE = "dosage", _("a dosage changed")
        STAGE = "stage", _("a stage changed")

    patient = models.ForeignKey(
        PatientProfile, on_delete=models.CASCADE, related_name="programme_changes"
    )
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="changes")
    what = models.CharField(max_length=16, choices=What.choices)
    exercise = models.ForeignKey(
        Exercise, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField()
    seen_at = models.DateTimeField(null=True, blank=True)
    notified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("programme change")
        verbose_name_plural = _("programme changes")
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(what__in=["new_programme", "added", "removed", "dosage", "stage"]),
                name="programme_change_what_valid",
            ),
            # Every change but a whole new programme is about one exercise.
            models.CheckConstraint(
                condition=Q(what="new_programme") | Q(exercise__isnull=False),
                name="programme_change_exercise_given",
            ),
        ]
        indexes = [
            models.Index(
                fields=["patient"],
                condition=Q(seen_at__isnull=True),
                name="programme_change_unseen",
            ),
            models.Index(
                fields=["created_at"],
                condition=Q(notified_at__isnull=True),
                name="programme_change_to_notify",
            ),
        ]

    def __str__(self):
        return f"{self.what} {self.exercise_id or ''} {self.created_at:%Y-%m-%d}"
