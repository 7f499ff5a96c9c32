"""Reads for progress: one patient's assessment, and the physio's list of many patients in a
fixed number of queries.

The assessment's clock is the patient's current episode of care (care.selectors.episode_clocks):
its start is day 1, and the physio's records in it (the week-6 review, the week-12 outcome) end
the review advice. Without an episode (a patient who joined before any programme) day 1 is the
day they joined, in their own calendar, and nothing is recorded. A programme given or replaced
inside the episode moves nothing; its items' stage step-ups feed the load-too-high prompt
(exercises.selectors.stage_step_ups)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import OuterRef, Q, QuerySet, Subquery

from accounts.models import PatientProfile
from care.selectors import EpisodeClock, episode_clocks
from diary.models import DiaryEntry
from exercises.models import Programme
from exercises.selectors import stage_step_ups

from .assessment import (
    FIRST_REVIEW_DONE,
    LAST_REVIEW_DONE,
    Assessment,
    Thresholds,
    assess,
    verdict_windows,
)
from .models import AssessmentSettings, effective_rules
from .sql import window_entries

# A patient's rules: thresholds, review weeks and the baseline set by hand (models.effective_rules).
Rules = tuple[Thresholds, tuple[int, ...], Decimal | None]

NO_ENTRY_FLAG_DAYS = 4

# Physio flags, in the order the list shows them.
FLAG_WORSE = "worse"
FLAG_NOT_IMPROVING = "not_improving"
FLAG_RED_FLAG = "red_flag"
FLAG_NO_ENTRIES = "no_entries"
# An outcome questionnaire waiting for answers, and one not sent a week after it fell due
# (outcomes.selectors.waiting_questionnaires); read live, like the red flag, not stored with
# the rule's values.
FLAG_QUESTIONNAIRE_DUE = "questionnaire_due"
FLAG_QUESTIONNAIRE_OVERDUE = "questionnaire_overdue"
FLAGS = (
    FLAG_RED_FLAG,
    FLAG_WORSE,
    FLAG_NOT_IMPROVING,
    FLAG_NO_ENTRIES,
    FLAG_QUESTIONNAIRE_OVERDUE,
    FLAG_QUESTIONNAIRE_DUE,
)


@dataclass(frozen=True)
class Clock:
    """What the assessment reads of a patient's episode: day 1 and the physio's records."""

    start: date
    reviews_done: frozenset[str] = frozenset()
    episode_id: int | None = None
    both_heels: bool = False


def joined_on(patient: PatientProfile) -> date:
    """The day the patient joined, in their own calendar: day 1 without an episode."""
    return patient.created_at.astimezone(patient.user.tz).date()


def episode_clock(patient: PatientProfile, episode: EpisodeClock | None) -> Clock:
    if episode is None:
        return Clock(start=joined_on(patient))
    done = episode.reviews_done
    if episode.closed_on is not None:
        # A closed episode has its outcome (recovered, referred, ...): no review is due.
        done = done | {FIRST_REVIEW_DONE, LAST_REVIEW_DONE}
    return Clock(
        start=episode.starts_on,
        reviews_done=frozenset(done),
        episode_id=episode.episode_id,
        both_heels=episode.both_heels,
    )


def assessment_clocks(patients: list[PatientProfile]) -> dict[int, Clock]:
    """Each patient's `Clock`, from one query."""
    episodes = episode_clocks([p.pk for p in patients]) if patients else {}
    return {p.pk: episode_clock(p, episodes.get(p.pk)) for p in patients}


def episode_start(patient: PatientProfile) -> date:
    """Day 1 of the patient's assessment: their current episode's start, else the join date."""
    return assessment_clocks([patient])[patient.pk].start


def programme_changes(patient: PatientProfile, start: date, today: date) -> list[tuple[date, str]]:
    """(start date, name) of each programme the patient was given after day 1 of the episode
    and by today, oldest first: the chart marks them. The programme that starts the episode is
    its start, not a change."""
    return list(
        Programme.objects.filter(patient=patient, starts_on__gt=start, starts_on__lte=today)
        .order_by("starts_on", "pk")
        .values_list("starts_on", "name")
    )


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


def patient_rules(patients: list[PatientProfile], among=None) -> dict[int, Rules]:
    """Each patient's rules (patient over clinic over defaults), from one query. `among` as
    for `settings_rows`."""
    if not patients:
        return {}
    by_patient, by_clinic = settings_rows(patients, among)
    rules, clinic_rules = {}, {}
    for patient in patients:
        own = by_patient.get(patient.pk)
        if own is not None:
            rules[patient.pk] = effective_rules(by_clinic.get(patient.clinic_id), own)
            continue
        # Most patients have no settings of their own: their clinic's rules, made once.
        clinic = patient.clinic_id
        if clinic not in clinic_rules:
            clinic_rules[clinic] = effective_rules(by_clinic.get(clinic), None)
        rules[patient.pk] = clinic_rules[clinic]
    return rules


def viewer_rules(user) -> tuple[Thresholds, tuple[int, ...]]:
    """The thresholds and review weeks to explain the rule with, to whoever reads the about
    page: a patient's own, a physio's clinic's, or the defaults."""
    if user.is_authenticated and hasattr(user, "patient_profile"):
        thresholds, review_weeks, _override = patient_rules([user.patient_profile])[
            user.patient_profile.pk
        ]
        return thresholds, review_weeks
    if user.is_authenticated and hasattr(user, "physio_profile"):
        clinic_row = AssessmentSettings.objects.filter(
            clinic_id=user.physio_profile.clinic_id
        ).first()
        thresholds, review_weeks, _override = effective_rules(clinic_row, None)
        return thresholds, review_weeks
    thresholds, review_weeks, _override = effective_rules(None, None)
    return thresholds, review_weeks


def patient_assessment(
    patient: PatientProfile,
    today: date | None = None,
    *,
    clock: Clock | None = None,
    rules: Rules | None = None,
) -> Assessment:
    """The full assessment for one patient, with the whole series for the chart (both heels'
    values; the rule reads the worse of each day). `clock` (`assessment_clocks`) and `rules`
    (`patient_rules`), if the caller has them."""
    today = today or patient.user.local_today()
    clock = clock or assessment_clocks([patient])[patient.pk]
    thresholds, review_weeks, override = rules or patient_rules([patient])[patient.pk]
    entries = DiaryEntry.objects.filter(
        patient=patient, date__gte=clock.start, date__lte=today
    ).values_list("date", "morning_pain", "morning_pain_other")
    return assess(
        entries=entries,
        episode_start=clock.start,
        today=today,
        baseline_override=override,
        review_weeks=review_weeks,
        thresholds=thresholds,
        reviews_done=clock.reviews_done,
        step_ups=stage_step_ups([patient.pk], clock.start).get(patient.pk, ()),
    )


@dataclass
class PatientSummary:
    patient: PatientProfile
    assessment: Assessment
    last_entry_on: date | None
    flags: list[str]
    # Of the episode of care (the assessment's week; a new programme does not restart it);
    # None before the first episode.
    week: int | None = None
    clock: Clock | None = None


def patient_summaries(
    patients: list[PatientProfile],
    red_flagged: set[int],
    *,
    scope: QuerySet | None = None,
    todays: dict[int, date] | None = None,
    rules: dict[int, Rules] | None = None,
) -> list[PatientSummary]:
    """Assess many patients at once, in five queries (the last entry
    dates, episodes, settings, stage step-ups, the entries the verdict reads; more only past
    `sql.WINDOWS_PER_QUERY` patients). Only the entries of the rule's windows are fetched
    (assessment.verdict_windows: days 1-10 of each episode and the last 21 days), so the cost
    does not grow with the length of the diaries; and only the step-ups that can still prompt.
    The result is what `patient_assessment` says, without the chart's series
    (tests/test_patient_list_assessment.py compares them).

    `scope`, if given, is the query `patients` came from: the queries then select "patients in
    that query" instead of listing a thousand ids, which Django and psycopg turn into SQL text
    one parameter at a time (~5 ms of CPU per query for 1,000 patients). `todays`: each
    patient's local date, and `rules`: each patient's rules (`patient_rules`; then there is
    no settings query), if the caller has them."""
    if not patients:
        return []
    among = [p.pk for p in patients] if scope is None else scope.values("pk")
    last_entries = latest_entries(among)
    clocks = assessment_clocks(patients)
    rules = rules or patient_rules(patients, among)

    plans = []  # (patient, today, clock, rules, windows)
    step_ups_since = {}
    for patient in patients:
        today = todays[patient.pk] if todays else patient.user.local_today()
        clock = clocks[patient.pk]
        baseline_days, recent_days = verdict_windows(rules[patient.pk][0])
        windows = (
            clock.start,
            clock.start + timedelta(days=baseline_days - 1),
            today - timedelta(days=recent_days - 1),
        )
        plans.append((patient, today, clock, rules[patient.pk], windows))
        # Only a step-up within the watch days before today can still prompt.
        watch = rules[patient.pk][0].load_watch_days
        step_ups_since[patient.pk] = max(clock.start, today - timedelta(days=watch - 1))
    pains = window_entries({plan[0].pk: plan[4] for plan in plans})
    step_ups = stage_step_ups(among, step_ups_since)

    summaries = []
    for patient, today, clock, (thresholds, review_weeks, override), _windows in plans:
        start = clock.start
        assessment = assess(
            entries=pains[patient.pk],
            episode_start=start,
            today=today,
            baseline_override=override,
            review_weeks=review_weeks,
            thresholds=thresholds,
            reviews_done=clock.reviews_done,
            step_ups=step_ups.get(patient.pk, ()),
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
                week=assessment.week if clock.episode_id is not None else None,
                clock=clock,
            )
        )
    return summaries


def latest_entries(patient_ids) -> dict[int, date]:
    """{patient id: latest diary date}, for those that have one, in one query: one index probe
    per patient (one backward step along the (patient, date) index), not an aggregate over
    all the entries."""
    latest = DiaryEntry.objects.filter(patient=OuterRef("pk")).order_by("-date").values("date")[:1]
    return dict(
        PatientProfile.objects.filter(pk__in=patient_ids)
        .annotate(last=Subquery(latest))
        .filter(last__isnull=False)
        .values_list("pk", "last")
    )


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
