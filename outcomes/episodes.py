"""The episode clock the questionnaires run on: (start, close) of the patient's current episode.

The episode (forløb) is care's (care.selectors.current_episode). Until that app is installed,
the clock is the one the episode would have had: an episode starts when the physio first
assigns a programme (clinical.md "Episode of care"), so its start is the patient's earliest
programme start, and it is open. This module is the one place that knows which of the two
applies; nothing else in outcomes asks.
"""

from dataclasses import dataclass
from datetime import date

from accounts.models import PatientProfile


@dataclass(frozen=True)
class Clock:
    starts_on: date
    closed_on: date | None


def episode_clock(patient: PatientProfile) -> Clock | None:
    try:
        from care.selectors import current_episode
    except ImportError:
        return _programme_clock(patient)
    return clock_of(current_episode(patient))


def clock_of(episode) -> Clock | None:
    """The clock of an episode the caller has read (care.selectors.current_episode)."""
    return None if episode is None else Clock(episode.starts_on, episode.closed_on)


def _programme_clock(patient: PatientProfile) -> Clock | None:
    from exercises.models import Programme

    first = (
        Programme.objects.filter(patient=patient)
        .order_by("starts_on")
        .values_list("starts_on", flat=True)
        .first()
    )
    return Clock(first, None) if first is not None else None
