from dataclasses import replace
from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import Clinic, PatientProfile

from .assessment import DEFAULT_REVIEW_WEEKS, Thresholds

POINTS = [MinValueValidator(Decimal("0.1")), MaxValueValidator(Decimal("10"))]
PERCENT = [MinValueValidator(Decimal("1")), MaxValueValidator(Decimal("100"))]
SCALE = [MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("10"))]


def _setting(label, validators, max_digits=3):
    """A threshold field; null means "inherit" (patient -> clinic -> default)."""
    return models.DecimalField(
        label,
        max_digits=max_digits,
        decimal_places=1,
        null=True,
        blank=True,
        validators=validators,
    )


class AssessmentSettings(models.Model):
    """Thresholds and review weeks for the seek-care rule, for a clinic or one patient.

    Exactly one of `clinic` and `patient` is set. Null fields inherit: a patient's row
    overrides their clinic's, which overrides the defaults in clinical.md (progress.assessment).
    """

    clinic = models.OneToOneField(
        Clinic, on_delete=models.CASCADE, null=True, blank=True, related_name="assessment_settings"
    )
    patient = models.OneToOneField(
        PatientProfile,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="assessment_settings",
    )
    improve_points = _setting(_("improvement: points"), POINTS)
    improve_percent = _setting(_("improvement: percent"), PERCENT, max_digits=4)
    worse_points = _setting(_("worse: points"), POINTS)
    worse_percent = _setting(_("worse: percent"), PERCENT, max_digits=4)
    baseline_floor = _setting(_("baseline floor"), SCALE)
    review_weeks = models.JSONField(
        _("review weeks"), null=True, blank=True, help_text=_("For example [6, 12].")
    )
    # Only on a patient's row: the starting point set from the first consultation.
    baseline_override = _setting(_("baseline set by the physiotherapist"), SCALE)
    updated_at = models.DateTimeField(auto_now=True)

    THRESHOLD_FIELDS = (
        "improve_points",
        "improve_percent",
        "worse_points",
        "worse_percent",
        "baseline_floor",
    )

    class Meta:
        verbose_name = _("assessment settings")
        verbose_name_plural = _("assessment settings")
        constraints = [
            models.CheckConstraint(
                condition=(Q(clinic__isnull=False) & Q(patient__isnull=True))
                | (Q(clinic__isnull=True) & Q(patient__isnull=False)),
                name="assessment_settings_clinic_xor_patient",
            ),
            models.CheckConstraint(
                condition=Q(baseline_override__isnull=True)
                | (Q(baseline_override__gte=0) & Q(baseline_override__lte=10)),
                name="assessment_settings_override_0_to_10",
            ),
        ]

    def __str__(self):
        return str(self.clinic or self.patient)


def effective_rules(
    clinic_row: AssessmentSettings | None, patient_row: AssessmentSettings | None
) -> tuple[Thresholds, tuple[int, ...], Decimal | None]:
    """Thresholds, review weeks and baseline override for a patient: patient over clinic over
    defaults, field by field."""
    defaults = Thresholds()
    overrides = {}
    for field in AssessmentSettings.THRESHOLD_FIELDS:
        for row in (patient_row, clinic_row):
            value = getattr(row, field, None) if row is not None else None
            if value is not None:
                overrides[field] = value
                break
    review_weeks = DEFAULT_REVIEW_WEEKS
    for row in (patient_row, clinic_row):
        if row is not None and row.review_weeks:
            review_weeks = tuple(row.review_weeks)
            break
    override = patient_row.baseline_override if patient_row is not None else None
    return replace(defaults, **overrides), review_weeks, override
