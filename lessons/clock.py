"""The week of the episode a patient is in, which decides the lessons unlocked.

The episode (forløb) is care's (`care.selectors.current_episode`). Until that app is installed,
or while a patient has no episode, the clock starts on the day the patient joined (the local
date of their profile's creation): lessons are for every patient, also one whose physio has
not started an episode yet. This module is the one place that knows which applies.
"""

from datetime import date

from django.apps import apps
from django.utils import timezone

from accounts.models import PatientProfile


def clock_start(patient: PatientProfile, episode=...) -> date:
    """`episode`: the patient's current episode if the caller has read it already (None: they
    have none), so that a page asking several things of it reads it once."""
    if episode is ... and apps.is_installed("care"):
        from care.selectors import current_episode

        episode = current_episode(patient)
    if episode is not None and episode is not ...:
        return episode.starts_on
    return timezone.localdate(patient.created_at, patient.user.tz)


def week_on(start: date, today: date) -> int:
    """Week 1 is days 1-7 (day 1 = the start); before the start it is still week 1."""
    return max((today - start).days, 0) // 7 + 1


def current_week(patient: PatientProfile, episode=...) -> int:
    return week_on(clock_start(patient, episode), patient.user.local_today())
