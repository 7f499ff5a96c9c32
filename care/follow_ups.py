"""The follow-ups at weeks 26 and 52 after an episode closed as recovered (clinical.md,
"Assessment"): one morning-pain value and the global rating of change.

Kept apart from care.services and care.selectors (the episode itself) because it is a small
rule of its own that reminders.follow_ups reads too:

- due on the close date + 26 and + 52 weeks, as the patient's local dates; the reminder goes out
  on that date (reminders.follow_ups), and the page takes the answer from then for ANSWER_DAYS;
- only for the patient's latest episode: a newer one means the patient is back in care, and
  that episode's own clock applies;
- answered once per episode and week (the named constraint follow_up_once_per_week; a second
  answer is a 400).
"""

from __future__ import annotations

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from accounts.models import PatientProfile

from .models import Episode, FollowUp, Outcome
from .selectors import CURRENT_FIRST

FOLLOW_UP_WEEKS = (26, 52)
# How long the page takes the answer after the due date: long enough for a patient back
# from a holiday, short enough that a "week 26" answer still means week 26.
ANSWER_DAYS = 28

# The global rating of change, -3..+3, best first (as the page lists it).
GLOBAL_CHANGE_VALUES = (3, 2, 1, 0, -1, -2, -3)


def follow_up_due_on(closed_on: date, week: int) -> date:
    """The patient's local date the follow-up of `week` falls due."""
    return closed_on + timedelta(weeks=week)


class FollowUpNotOpen(Exception):
    """No follow-up of that week is open for the patient today (the page answers 404)."""


def follow_up_episode(*, patient: PatientProfile, week: int, today: date) -> Episode | None:
    """The episode whose follow-up of `week` the patient may answer on `today` (their local
    date), or None: their latest episode, closed as recovered, due on or before today and
    less than ANSWER_DAYS ago."""
    if week not in FOLLOW_UP_WEEKS:
        return None
    latest = Episode.objects.filter(patient=patient).order_by(*CURRENT_FIRST).first()
    if latest is None or latest.closed_on is None or latest.outcome != Outcome.RECOVERED:
        return None
    due = follow_up_due_on(latest.closed_on, week)
    if not due <= today < due + timedelta(days=ANSWER_DAYS):
        return None
    return latest


def follow_up_answered(*, episode: Episode, week: int) -> bool:
    return FollowUp.objects.filter(episode=episode, week=week).exists()


@transaction.atomic
def follow_up_answer(
    *, patient: PatientProfile, week: int, morning_pain: int, global_change: int
) -> FollowUp:
    """Store the patient's answer. FollowUpNotOpen when none of that week is open for them;
    a ValidationError naming the field for a value out of range or a second answer."""
    episode = follow_up_episode(patient=patient, week=week, today=patient.user.local_today())
    if episode is None:
        raise FollowUpNotOpen
    errors = {}
    if (
        isinstance(morning_pain, bool)
        or not isinstance(morning_pain, int)
        or not 0 <= morning_pain <= 10
    ):
        errors["morning_pain"] = [_("Morning pain is a whole number from 0 to 10.")]
    if type(global_change) is not int or global_change not in GLOBAL_CHANGE_VALUES:
        errors["global_change"] = [_("Choose one of the seven answers.")]
    if errors:
        raise ValidationError(errors)
    already = _("You have already answered this follow-up.")
    if follow_up_answered(episode=episode, week=week):
        raise ValidationError({"week": [already]})
    try:
        with transaction.atomic():  # a savepoint: a concurrent first answer wins cleanly
            return FollowUp.objects.create(
                episode=episode, week=week, morning_pain=morning_pain, global_change=global_change
            )
    except IntegrityError:
        raise ValidationError({"week": [already]}) from None
