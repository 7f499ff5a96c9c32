from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from accounts.models import Clinic, PatientProfile


class Lesson(models.Model):
    """One lesson as stored from lessons.content by lessons.sync (the text is data with a
    version; see lessons/content.py). Bodies are HTML rendered by lessons.render from escaped
    text, so they are shown as they are."""

    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    order = models.PositiveSmallIntegerField(_("order"), unique=True)
    unlock_week = models.PositiveSmallIntegerField(_("unlocks in week"))
    version = models.PositiveIntegerField(_("version"))
    minutes = models.PositiveSmallIntegerField(_("minutes to read"))
    title_da = models.CharField(_("title (Danish)"), max_length=120)
    title_en = models.CharField(_("title (English)"), max_length=120)
    body_da = models.TextField(_("text (Danish)"))
    body_en = models.TextField(_("text (English)"))
    sources = models.JSONField(_("sources"), default=list)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("lesson")
        verbose_name_plural = _("lessons")
        ordering = ["order"]
        constraints = [
            models.CheckConstraint(condition=Q(unlock_week__gte=1), name="lesson_unlock_week_1_on"),
            models.CheckConstraint(condition=Q(version__gte=1), name="lesson_version_1_on"),
            # Under two minutes' reading (clinical.md "Patient education").
            models.CheckConstraint(
                condition=Q(minutes__gte=1, minutes__lte=2), name="lesson_minutes_1_to_2"
            ),
        ]

    def __str__(self):
        return self.title

    def _in_language(self, field: str, language: str | None = None) -> str:
        language = (language or get_language() or "da")[:2]
        return getattr(self, f"{field}_en" if language == "en" else f"{field}_da")

    @property
    def title(self) -> str:
        return self._in_language("title")

    @property
    def body_html(self) -> str:
        return self._in_language("body")

    def body_safe(self, language: str | None = None) -> SafeString:
        """The body for a template. Safe because lessons.render built it when the lesson was
        synced from lessons/content.py: every string escaped, links only inside the app; no
        user input ever reaches it (the admin shows it read-only)."""
        # Reviewed: see the docstring.
        return mark_safe(self._in_language("body", language))  # noqa: S308  # nosec: B308, B703


class LessonRead(models.Model):
    """That a patient opened a lesson: when they last did and which version they read."""

    patient = models.ForeignKey(
        PatientProfile, on_delete=models.CASCADE, related_name="lesson_reads"
    )
    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="reads")
    read_at = models.DateTimeField(_("read at"))
    version = models.PositiveIntegerField(_("version read"))

    class Meta:
        verbose_name = _("lesson read")
        verbose_name_plural = _("lessons read")
        constraints = [
            models.UniqueConstraint(fields=["patient", "lesson"], name="lesson_read_once"),
            models.CheckConstraint(condition=Q(version__gte=1), name="lesson_read_version_1_on"),
        ]

    def __str__(self):
        return f"{self.patient} {self.lesson.slug}"


class LessonPin(models.Model):
    """A lesson the physio has opened for a patient ahead of its week."""

    patient = models.ForeignKey(
        PatientProfile, on_delete=models.CASCADE, related_name="lesson_pins"
    )
    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="pins")
    # SET_NULL: the pin stays when the physio's account goes.
    pinned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    pinned_at = models.DateTimeField(_("pinned at"))

    class Meta:
        verbose_name = _("pinned lesson")
        verbose_name_plural = _("pinned lessons")
        constraints = [
            models.UniqueConstraint(fields=["patient", "lesson"], name="lesson_pin_once"),
        ]

    def __str__(self):
        return f"{self.patient} {self.lesson.slug}"


class ClinicLessonHidden(models.Model):
    """A lesson a clinic does not show its patients (after reviewing the content)."""

    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="hidden_lessons")
    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="hidden_in")

    class Meta:
        verbose_name = _("lesson hidden for a clinic")
        verbose_name_plural = _("lessons hidden for a clinic")
        constraints = [
            models.UniqueConstraint(fields=["clinic", "lesson"], name="lesson_hidden_once"),
        ]

    def __str__(self):
        return f"{self.clinic} {self.lesson.slug}"
