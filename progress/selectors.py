"""Reads for progress: one patient's assessment, and the physio's list of many patients in a
fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import DateField, ExpressionWrapper, F, Max, OuterRef, Subquery

from accounts.models import PatientProfile
from diary.models import DiaryEntry
from exercises.models import Programme

from .assessment import Assessment, assess
from .models import AssessmentSettings, effective_rules

# The windows the rule looks at: baseline days 1-10, and the current and previous 7 days.
BASELINE_DAYS = 10
RECENT_DAYS = 14
NO_ENTRY_FLAG_DAYS = 4

# Physio flags, in the order the list shows them.
FLAG_WORSE = "worse"
FLAG_NOT_IMPROVING = "not_improving"
FLAG_RED_FLAG = "red_flag"
FLAG_NO_ENTRIES = "no_entries"
FLAGS = (FLAG_RED_FLAG, FLAG_WORSE, FLAG_NOT_IMPROVING, FLAG_NO_ENTRIES)


def programme_start(patient: PatientProfile, programmes: dict[int, date] | None = None) -> date:
    """Day 1 of the assessment: the active programme's start, else the day the patient joined
    (their own calendar)."""
    if programmes is not None:
        start = programmes.get(patient.pk)
    else:
        start = (
            Programme.objects.active()
            .filter(patient=patient)
            .values_list("starts_on", flat=True)
            .first()
        )
    return start or patient.created_at.astimezone(patient.user.tz).date()


def settings_rows(patients: list[PatientProfile]):
    rows = AssessmentSettings.objects.filter(
        patient__in=[p.pk for p in patients]
    ) | AssessmentSettings.objects.filter(clinic__in={p.clinic_id for p in patients})
    by_patient, by_clinic = {}, {}
    for row in rows:
        if row.patient_id:
            by_patient[row.patient_id] = row
        else:
            by_clinic[row.clinic_id] = row
    return by_patient, by_clinic


def patient_assessment(patient: PatientProfile, today: date | None = None) -> Assessment:
    """The full assessment for one patient, with the whole series for the chart."""
    today = today or patient.user.local_today()
    start = programme_start(patient)
    by_patient, by_clinic = settings_rows([patient])
    thresholds, review_weeks, override = effective_rules(
        by_clinic.get(patient.clinic_id), by_patient.get(patient.pk)
    )
    entries = DiaryEntry.objects.filter(
        patient=patient, date__gte=start, date__lte=today
    ).values_list("date", "morning_pain")
    return assess(
        entries=entries,
        programme_start=start,
        today=today,
        baseline_override=override,
        review_weeks=review_weeks,
        thresholds=thresholds,
    )


@dataclass
class PatientSummary:
    patient: PatientProfile
    assessment: Assessment
    last_entry_on: date | None
    flags: list[str]


def patient_summaries(
    patients: list[PatientProfile], red_flagged: set[int]
) -> list[PatientSummary]:
    """Assess many patients at once. Only the entries the rule looks at are fetched (days 1-10
    of each programme and the last 14 days), so the cost does not grow with diary length."""
    if not patients:
        return []
    ids = [p.pk for p in patients]
    todays = {p.pk: p.user.local_today() for p in patients}
    starts = dict(
        Programme.objects.active().filter(patient__in=ids).values_list("patient_id", "starts_on")
    )
    by_patient, by_clinic = settings_rows(patients)

    pains: dict[int, dict[date, int]] = {pk: {} for pk in ids}
    recent = DiaryEntry.objects.filter(
        patient__in=ids, date__gte=min(todays.values()) - timedelta(days=RECENT_DAYS)
    )
    # Baseline entries: days 1-10 of each patient's active programme, in one query.
    start_of = Subquery(
        Programme.objects.active().filter(patient=OuterRef("patient")).values("starts_on")[:1]
    )
    baseline = (
        DiaryEntry.objects.filter(patient__in=starts.keys())
        .annotate(start=start_of)
        .annotate(
            last=ExpressionWrapper(
                F("start") + timedelta(days=BASELINE_DAYS - 1), output_field=DateField()
            )
        )
        .filter(date__gte=F("start"), date__lte=F("last"))
    )
    for queryset in (recent, baseline):
        for patient_id, day, pain in queryset.values_list("patient_id", "date", "morning_pain"):
            pains[patient_id][day] = pain

    last_entries = {pk: max(days) for pk, days in pains.items() if days}
    stale = [
        pk
        for pk in ids
        if pk not in last_entries or last_entries[pk] < todays[pk] - timedelta(days=RECENT_DAYS)
    ]
    if stale:
        last_entries.update(
            DiaryEntry.objects.filter(patient__in=stale)
            .values("patient_id")
            .annotate(last=Max("date"))
            .values_list("patient_id", "last")
        )

    summaries = []
    for patient in patients:
        today = todays[patient.pk]
        start = programme_start(patient, starts)
        thresholds, review_weeks, override = effective_rules(
            by_clinic.get(patient.clinic_id), by_patient.get(patient.pk)
        )
        assessment = assess(
            entries={d: p for d, p in pains[patient.pk].items() if start <= d <= today},
            programme_start=start,
            today=today,
            baseline_override=override,
            review_weeks=review_weeks,
            thresholds=thresholds,
        )
        last = last_entries.get(patient.pk)
        summaries.append(
            PatientSummary(
                patient=patient,
                assessment=assessment,
                last_entry_on=last,
                flags=patient_flags(
                    assessment, last, today, start, red_flag=patient.pk in red_flagged
                ),
            )
        )
    return summaries


def patient_flags(
    assessment: Assessment, last_entry_on: date | None, today: date, start: date, *, red_flag: bool
) -> list[str]:
    flags = []
    if red_flag:
        flags.append(FLAG_RED_FLAG)
    if assessment.status == "worse":
        flags.append(FLAG_WORSE)
    if assessment.advice is not None and assessment.advice.code in ("review_first", "review_last"):
        flags.append(FLAG_NOT_IMPROVING)
    # Full days without an entry, not counting today (the morning's entry may still come).
    silent_since = last_entry_on or start - timedelta(days=1)
    if (today - silent_since).days > NO_ENTRY_FLAG_DAYS:
        flags.append(FLAG_NO_ENTRIES)
    return flags


def adherence_value(value: Decimal | None) -> float | None:
    return float(value) if value is not None else None
