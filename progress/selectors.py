"""Reads for progress: one patient's assessment, and the physio's list of many patients in a
fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db import connections, router
from django.db.models import OuterRef, Q, QuerySet, Subquery

from accounts.models import PatientProfile
from diary.models import DiaryEntry
from exercises.models import Programme
from exercises.schedule import programme_week

from .assessment import Assessment, assess, verdict_windows
from .models import AssessmentSettings, effective_rules

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


def settings_rows(patients: list[PatientProfile], among=None):
    """The settings rows of these patients and of their clinics. `among`: the patients' ids as
    a subquery, if the caller has one (see `patient_summaries`)."""
    among = [p.pk for p in patients] if among is None else among
    rows = AssessmentSettings.objects.filter(
        Q(patient__in=among) | Q(clinic__in={p.clinic_id for p in patients})
    )
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
    programme_week: int | None = None  # of the active programme, if any


def patient_summaries(
    patients: list[PatientProfile],
    red_flagged: set[int],
    *,
    scope: QuerySet | None = None,
    todays: dict[int, date] | None = None,
) -> list[PatientSummary]:
    """Assess many patients at once, in three queries (programme starts and last entry
    dates, settings, the entries the verdict reads; more only past `WINDOWS_PER_QUERY` patients
    on SQLite). Only the entries of the rule's windows are fetched (assessment.verdict_windows:
    days 1-10 of each programme and the last 14 days), so the cost does not grow with the
    length of the diaries. The result is what `patient_assessment` says, without the chart's
    series (tests/test_patient_list_assessment.py compares them).

    `scope`, if given, is the query `patients` came from: the queries then select "patients in
    that query" instead of listing a thousand ids, which Django and psycopg turn into SQL text
    one parameter at a time (~5 ms of CPU per query for 1,000 patients). `todays`: each
    patient's local date, if the caller has them."""
    if not patients:
        return []
    among = [p.pk for p in patients] if scope is None else scope.values("pk")
    starts, last_entries = programme_starts_and_last_entries(among)
    by_patient, by_clinic = settings_rows(patients, among)

    plans = []  # (patient, today, start, rules, windows)
    clinic_rules = {}  # most patients have no settings of their own: their clinic's rules
    for patient in patients:
        today = todays[patient.pk] if todays else patient.user.local_today()
        start = programme_start(patient, starts)
        own = by_patient.get(patient.pk)
        if own is None and patient.clinic_id in clinic_rules:
            rules = clinic_rules[patient.clinic_id]
        else:
            rules = effective_rules(by_clinic.get(patient.clinic_id), own)
            if own is None:
                clinic_rules[patient.clinic_id] = rules
        baseline_days, recent_days = verdict_windows(rules[0])
        windows = (
            start,
            start + timedelta(days=baseline_days - 1),
            today - timedelta(days=recent_days - 1),
        )
        plans.append((patient, today, start, rules, windows))
    pains = window_entries({plan[0].pk: plan[4] for plan in plans})

    summaries = []
    for patient, today, start, (thresholds, review_weeks, override), _windows in plans:
        assessment = assess(
            entries=pains[patient.pk],
            programme_start=start,
            today=today,
            baseline_override=override,
            review_weeks=review_weeks,
            thresholds=thresholds,
            with_series=False,
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
                programme_week=(
                    programme_week(starts[patient.pk], today) if patient.pk in starts else None
                ),
            )
        )
    return summaries


# Patients per query for the windowed reads where the windows are a VALUES list: bounded so
# the parameters (4 a patient) stay within SQLite's limit of 32,766.
WINDOWS_PER_QUERY = 2000


def window_entries(windows: dict[int, tuple[date, date, date]]) -> dict[int, dict[date, int]]:
    """Pain by date for each patient id -> (baseline first, baseline last, recent first): the
    entries from `baseline first` to `baseline last`, and from `recent first` on.

    The windows are a table joined to the diary, each half of the UNION a range scan of the
    (patient, date) unique index per patient. (A correlated subquery for each patient's
    programme start instead took seconds for 1,000 patients with a year of entries each: it
    ran once per diary row.) PostgreSQL gets the windows as four arrays, one query whatever
    the number of patients; elsewhere they are a VALUES list, one query per
    `WINDOWS_PER_QUERY` patients."""
    pains: dict[int, dict[date, int]] = {pk: {} for pk in windows}
    if not windows:
        return pains
    connection = connections[router.db_for_read(DiaryEntry)]
    quote = connection.ops.quote_name
    table, day = quote(DiaryEntry._meta.db_table), quote(DiaryEntry._meta.get_field("date").column)
    # Only the table's quoted names go into the text; every value is a parameter.
    select = (
        f"SELECT e.patient_id, e.{day}, e.morning_pain FROM w JOIN {table} e "  # noqa: S608  # nosec B608
        f"ON e.patient_id = w.patient_id AND e.{day} BETWEEN w.base_first AND w.base_last "
        "UNION ALL "
        f"SELECT e.patient_id, e.{day}, e.morning_pain FROM w JOIN {table} e "
        f"ON e.patient_id = w.patient_id AND e.{day} >= w.recent_first"
    )
    if connection.vendor == "postgresql":
        # Four parameters rather than four per patient: psycopg renders every parameter into
        # the text in Python, which for thousands of them cost more than the query itself.
        unnest = (
            "WITH w AS (SELECT * FROM unnest(%s::bigint[], %s::date[], %s::date[], %s::date[]) "
            "AS w (patient_id, base_first, base_last, recent_first)) "
        )
        columns = zip(*[(pk, *dates) for pk, dates in windows.items()], strict=True)
        batches = [(unnest + select, [list(column) for column in columns])]
    else:
        adapt = connection.ops.adapt_datefield_value
        items = list(windows.items())
        batches = []
        for offset in range(0, len(items), WINDOWS_PER_QUERY):
            chunk = items[offset : offset + WINDOWS_PER_QUERY]
            values = ", ".join(["(%s, %s, %s, %s)"] * len(chunk))
            batches.append(
                (
                    "WITH w (patient_id, base_first, base_last, recent_first) "
                    f"AS (VALUES {values}) " + select,
                    [v for pk, dates in chunk for v in (pk, *map(adapt, dates))],
                )
            )
    with connection.cursor() as cursor:
        for sql, params in batches:
            cursor.execute(sql, params)
            for patient_id, entry_date, pain in cursor.fetchall():
                # SQLite answers a raw query's dates as text.
                if isinstance(entry_date, str):
                    entry_date = date.fromisoformat(entry_date)
                pains[patient_id][entry_date] = pain  # the windows may overlap: same entry
    return pains


def programme_starts_and_last_entries(patient_ids) -> tuple[dict[int, date], dict[int, date]]:
    """({patient id: start of the active programme}, {patient id: latest diary date}), for
    those that have one, in one query. Each is one index probe per patient (the latest date one
    backward step along the (patient, date) index), not an aggregate over all the entries."""
    start = Programme.objects.active().filter(patient=OuterRef("pk")).values("starts_on")[:1]
    latest = DiaryEntry.objects.filter(patient=OuterRef("pk")).order_by("-date").values("date")[:1]
    starts, last_entries = {}, {}
    for pk, starts_on, last in (
        PatientProfile.objects.filter(pk__in=patient_ids)
        .annotate(start=Subquery(start), last=Subquery(latest))
        .values_list("pk", "start", "last")
    ):
        if starts_on is not None:
            starts[pk] = starts_on
        if last is not None:
            last_entries[pk] = last
    return starts, last_entries


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
