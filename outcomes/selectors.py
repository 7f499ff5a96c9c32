"""Reads of the questionnaire responses (the physio's page, the report, the FHIR export)."""

from datetime import date, timedelta

from django.db.models import QuerySet

from accounts.models import PatientProfile

from . import schedule
from .episodes import episode_clock
from .instruments import ORDER, PSFS_ACTIVITIES, instrument
from .models import QuestionnaireResponse
from .scoring import change_against


def answered(patient_or_episode) -> QuerySet[QuestionnaireResponse]:
    """The submitted responses, with their scores, oldest first: of a patient (every episode),
    or of one episode (anything with `patient` and `starts_on`, such as care.Episode)."""
    responses = QuestionnaireResponse.objects.filter(submitted_at__isnull=False)
    if isinstance(patient_or_episode, PatientProfile):
        responses = responses.filter(patient=patient_or_episode)
    else:
        responses = responses.filter(
            patient_id=patient_or_episode.patient_id,
            episode_starts_on=patient_or_episode.starts_on,
        )
    return responses.order_by("episode_starts_on", "due_on", "pk")


def responses_due(patient: PatientProfile, clock, today: date) -> list[QuestionnaireResponse]:
    """The patient's responses of the timepoints due today in the episode of `clock`
    (outcomes.episodes.episode_clock), answered or not, in the order they are asked."""
    names = [t.name for t in schedule.due(clock.starts_on, clock.closed_on, today)]
    rows = QuestionnaireResponse.objects.filter(
        patient=patient, episode_starts_on=clock.starts_on, timepoint__in=names
    )
    return sorted(rows, key=lambda r: (r.due_on, ORDER.index(r.instrument)))


def open_for(patient: PatientProfile, today: date) -> list[QuestionnaireResponse]:
    """The patient's responses that can be answered today (not submitted, in their timepoint's
    window), in the order they are asked."""
    clock = episode_clock(patient)
    if clock is None:
        return []
    return [r for r in responses_due(patient, clock, today) if r.submitted_at is None]


def open_until(response: QuestionnaireResponse) -> date | None:
    """The last day this response can be answered; None if its timepoint is no longer one of
    the episode's (the episode was closed before it fell due)."""
    clock = episode_clock(response.patient)
    if clock is None or clock.starts_on != response.episode_starts_on:
        return None
    for timepoint in schedule.timepoints(clock.starts_on, clock.closed_on):
        if timepoint.name == response.timepoint:
            return timepoint.open_until
    return None


def psfs_activities(patient: PatientProfile, episode_starts_on: date) -> dict[str, str] | None:
    """The activities named in the episode's first submitted PSFS, by item id; None before."""
    first = (
        QuestionnaireResponse.objects.filter(
            patient=patient,
            episode_starts_on=episode_starts_on,
            instrument="psfs",
            submitted_at__isnull=False,
        )
        .order_by("due_on", "pk")
        .first()
    )
    if first is None:
        return None
    names = {}
    for n in range(1, PSFS_ACTIVITIES + 1):
        key = f"activity_{n}"
        if first.answers.get(key):
            names[key] = first.answers[key]
    return names


def fixed_activities(response: QuestionnaireResponse) -> dict[str, str] | None:
    """For a PSFS: the activities named at the episode's baseline, which later ones rate
    again (shown filled in, not editable); None for other instruments and before."""
    if response.instrument != "psfs":
        return None
    return psfs_activities(response.patient, response.episode_starts_on)


def history(patient: PatientProfile) -> list[dict]:
    """The physio's view: every submitted response of the patient, oldest first, each with
    the change against the episode's first submitted response of the same instrument (its
    baseline) and whether that change reaches the instrument's MCID."""
    baselines: dict[tuple, dict] = {}
    rows = []
    for response in answered(patient):
        key = (response.episode_starts_on, response.instrument)
        is_baseline = key not in baselines
        if is_baseline:
            baselines[key] = response.scores
        spec = instrument(response.instrument)
        change = {} if is_baseline else change_against(spec, baselines[key], response.scores)
        rows.append(
            {
                "response": response,
                "is_baseline": is_baseline,
                "change": change,
            }
        )
    return rows


def waiting_questionnaires(patient_ids, today_of) -> tuple[set[int], set[int]]:
    """(due, overdue): which of these patients have a questionnaire waiting for answers that
    fell due less than OVERDUE_AFTER_DAYS ago, and which one not submitted longer, within the
    last OPEN_DAYS_LAST days (an older one is missed, not overdue: nobody is asked to chase
    it). A patient with both counts as overdue. `patient_ids`: ids, or a query of patients'
    pks; `today_of`: patient id -> local date. For the physio's list flags and digest, in one
    query."""
    if not today_of:
        return set(), set()
    # Nothing due before this can still be overdue for anyone (local dates differ by a day).
    since = min(today_of.values()) - timedelta(days=schedule.OPEN_DAYS_LAST)
    rows = QuestionnaireResponse.objects.filter(
        patient_id__in=patient_ids, submitted_at__isnull=True, due_on__gte=since
    ).values_list("patient_id", "due_on")
    due, overdue = set(), set()
    for pk, due_on in rows:
        if pk not in today_of:
            continue
        days = (today_of[pk] - due_on).days
        if schedule.OVERDUE_AFTER_DAYS <= days < schedule.OPEN_DAYS_LAST:
            overdue.add(pk)
        elif 0 <= days < schedule.OVERDUE_AFTER_DAYS:
            due.add(pk)
    return due - overdue, overdue
