"""Reads of episodes of care: the current one, the clocks of many patients at once, the week."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.db.models import F, QuerySet

from accounts.models import PatientProfile

from .models import Episode, ReviewKind

# The open episode first, then the latest closed one. Episodes of a patient do not overlap
# (services.episode_open), so the latest start is the latest episode either way.
CURRENT_FIRST = (F("closed_on").desc(nulls_first=True), "-starts_on", "-pk")


@dataclass(frozen=True)
class EpisodeClock:
    """What the assessment needs of a patient's current episode (progress reads it for day 1
    and for whether the week-6 review and the week-12 outcome have been recorded)."""

    episode_id: int
    starts_on: date
    both_heels: bool
    reviews_done: frozenset[str]
    week_12_outcome: str | None
    closed_on: date | None
    outcome: str | None


def episodes_of(patient: PatientProfile) -> QuerySet[Episode]:
    """The patient's episodes, newest first, with what their pages show."""
    return (
        Episode.objects.filter(patient=patient)
        .select_related("physio__user")
        .prefetch_related("reviews")
        .order_by(*CURRENT_FIRST)
    )


def current_episode(patient: PatientProfile) -> Episode | None:
    """The open episode; if none is open, the latest closed one; None before the first.
    One query: its reviews are read when asked for, as most callers want only its dates and
    heels (Today asks three times: the lessons' week, the heels, the questionnaires due)."""
    return (
        Episode.objects.filter(patient=patient)
        .select_related("physio__user")
        .order_by(*CURRENT_FIRST)
        .first()
    )


def episode_clocks(patient_ids: Iterable[int]) -> dict[int, EpisodeClock]:
    """The clock of each patient's current episode, by patient id, in one query (the
    episodes joined with their reviews; a patient has a handful of episodes at most).
    Patients without an episode are absent."""
    rows = (
        Episode.objects.filter(patient_id__in=list(patient_ids))
        .order_by("patient_id", *CURRENT_FIRST)
        .values_list(
            "patient_id",
            "pk",
            "starts_on",
            "heel_left",
            "heel_right",
            "closed_on",
            "outcome",
            "reviews__kind",
            "reviews__outcome",
        )
    )
    current: dict[int, int] = {}
    fields: dict[int, tuple] = {}
    reviews: dict[int, dict[str, str]] = {}
    for patient_id, pk, starts_on, left, right, closed_on, outcome, kind, review_outcome in rows:
        # Ordered current first: the first episode seen of a patient is their current one.
        if current.setdefault(patient_id, pk) != pk:
            continue
        fields[patient_id] = (pk, starts_on, left and right, closed_on, outcome or None)
        if kind is not None:
            reviews.setdefault(patient_id, {})[kind] = review_outcome
    clocks = {}
    for patient_id, (pk, starts_on, both, closed_on, outcome) in fields.items():
        done = reviews.get(patient_id, {})
        clocks[patient_id] = EpisodeClock(
            episode_id=pk,
            starts_on=starts_on,
            both_heels=both,
            reviews_done=frozenset(done),
            week_12_outcome=done.get(ReviewKind.WEEK_12_OUTCOME) or None,
            closed_on=closed_on,
            outcome=outcome,
        )
    return clocks


def episode_week(episode: Episode, today: date) -> int:
    """The episode's week on `today` (the patient's local date): week 1 is days 1-7. 0 before
    it starts; a closed episode stays in the week it closed in."""
    if episode.closed_on is not None:
        today = min(today, episode.closed_on)
    if today < episode.starts_on:
        return 0
    return (today - episode.starts_on).days // 7 + 1
