"""Writes for episodes of care. Views, forms, the admin and exercises.services call these.

Every write is atomic, says what was wrong by field (ValidationError), raises the patient's
data version (the assessment's day 1 and its review prompts come from here) and goes to the
patient's access log.
"""

from collections.abc import Iterable
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.audit import EPISODE, access_record
from accounts.models import AccessRecord, Condition, PatientProfile, User
from accounts.services import patient_data_changed
from common.dates import day_label

from .models import (
    FIRST_PROGRAMME_REASON,
    HEELS,
    Episode,
    EpisodeReview,
    Outcome,
    ReviewKind,
    ReviewOutcome,
)

# The same bounds as a programme's start (exercises.services.programme_start_check; a test
# keeps them equal): far enough back to record an episode begun at an earlier consultation,
# far enough ahead to plan after a holiday.
MAX_START_PAST_DAYS = 365
MAX_START_FUTURE_DAYS = 90


def episode_start_check(*, patient: PatientProfile, starts_on: date) -> None:
    today = patient.user.local_today()
    if starts_on < today - timedelta(days=MAX_START_PAST_DAYS):
        raise ValidationError({"starts_on": [_("The start date is more than a year ago.")]})
    if starts_on > today + timedelta(days=MAX_START_FUTURE_DAYS):
        raise ValidationError(
            {"starts_on": [_("The start date is more than 90 days in the future.")]}
        )


def heels_check(heels) -> tuple[bool, bool]:
    """(left, right) from a list of "left"/"right": at least one, each once."""
    if isinstance(heels, str) or not isinstance(heels, Iterable):
        raise ValidationError({"heels": [_('Give a list of "left" and/or "right".')]})
    heels = list(heels)
    unknown = [heel for heel in heels if heel not in HEELS]
    if unknown:
        raise ValidationError({"heels": [_('Each heel is "left" or "right".')]})
    if len(set(heels)) != len(heels):
        raise ValidationError({"heels": [_("Each heel can be given once.")]})
    if not heels:
        raise ValidationError({"heels": [_("Choose at least one heel.")]})
    return "left" in heels, "right" in heels


def _lock_patient(patient: PatientProfile) -> None:
    # Two physios' simultaneous writes for one patient happen one after the other; the
    # named constraints refuse whatever slips past anyway.
    PatientProfile.objects.select_for_update().filter(pk=patient.pk).first()


def _written(*, actor: User, patient: PatientProfile) -> None:
    patient_data_changed(patients=patient)
    access_record(actor=actor, patients=patient, what=EPISODE, action=AccessRecord.Action.WRITE)


def _physio_of(actor: User, patient: PatientProfile):
    return getattr(actor, "physio_profile", None) or patient.physio


@transaction.atomic
def episode_open(
    *,
    actor: User,
    patient: PatientProfile,
    starts_on: date,
    condition: str,
    heels,
    reason: str = "",
) -> Episode:
    """Open a new episode: an explicit action of the physio, with a reason once the patient
    has had one before (clinical.md: another foot, a new complaint, a relapse)."""
    _lock_patient(patient)
    left, right = heels_check(heels)
    if condition not in Condition.values:
        raise ValidationError({"condition": [_("Unknown condition.")]})
    episode_start_check(patient=patient, starts_on=starts_on)
    latest = Episode.objects.filter(patient=patient).order_by("-starts_on", "-pk").first()
    reason = (reason or "").strip()
    if latest is not None:
        if latest.is_open:
            raise ValidationError(
                {"non_field_errors": [_("The patient has an open episode: close it first.")]}
            )
        if not reason:
            raise ValidationError(
                {"reason": [_("Say why a new episode starts (another foot, a relapse...).")]}
            )
        if starts_on <= latest.starts_on or starts_on < latest.closed_on:
            message = _("A new episode starts on or after the day the last one closed (%(date)s).")
            raise ValidationError({"starts_on": [message % {"date": day_label(latest.closed_on)}]})
    episode = Episode.objects.create(
        patient=patient,
        physio=_physio_of(actor, patient),
        condition=condition,
        heel_left=left,
        heel_right=right,
        starts_on=starts_on,
        reason=reason,
        opened_by=actor,
    )
    _written(actor=actor, patient=patient)
    return episode


@transaction.atomic
def episode_ensure(*, actor: User, patient: PatientProfile, starts_on: date) -> Episode:
    """Called by exercises.services.programme_assign: a programme runs inside an episode.

    No episode yet: the first one opens at the programme's start (clinical.md: an episode
    starts when the physio first assigns a programme), with the heels not recorded (the
    physio sets them on the patient's page). An open one: kept as it is, whatever the new
    programme's start (a programme never moves day 1). The latest closed: refused; a new
    episode is an explicit action with a reason."""
    _lock_patient(patient)
    latest = Episode.objects.filter(patient=patient).order_by("-starts_on", "-pk").first()
    if latest is not None and latest.is_open:
        return latest
    if latest is not None:
        raise ValidationError(
            {"starts_on": [_("The patient's episode of care is closed: open a new one first.")]}
        )
    episode_start_check(patient=patient, starts_on=starts_on)
    episode = Episode.objects.create(
        patient=patient,
        physio=_physio_of(actor, patient),
        condition=patient.condition,
        starts_on=starts_on,
        reason=FIRST_PROGRAMME_REASON,
        opened_by=actor,
    )
    _written(actor=actor, patient=patient)
    return episode


@transaction.atomic
def episode_close(
    *, actor: User, episode: Episode, closed_on: date, outcome: str, note: str = ""
) -> Episode:
    _lock_patient(episode.patient)
    episode.refresh_from_db()
    if not episode.is_open:
        raise ValidationError({"non_field_errors": [_("This episode is already closed.")]})
    if outcome not in Outcome.values:
        raise ValidationError({"outcome": [_("Unknown outcome.")]})
    if closed_on < episode.starts_on:
        raise ValidationError({"closed_on": [_("The episode cannot close before it started.")]})
    if closed_on > episode.patient.user.local_today():
        raise ValidationError({"closed_on": [_("The date is in the future.")]})
    episode.closed_on = closed_on
    episode.outcome = outcome
    episode.close_note = (note or "").strip()
    episode.closed_by = actor
    episode.closed_at = timezone.now()
    episode.save(update_fields=["closed_on", "outcome", "close_note", "closed_by", "closed_at"])
    _written(actor=actor, patient=episode.patient)
    return episode


@transaction.atomic
def episode_heels_set(*, actor: User, episode: Episode, heels) -> Episode:
    """Which heel(s) the episode is about; for the episodes the data migration opened without
    knowing, and for a correction. Both heels: the patient logs each (the rule uses the worse)."""
    left, right = heels_check(heels)
    _lock_patient(episode.patient)
    episode.heel_left, episode.heel_right = left, right
    episode.save(update_fields=["heel_left", "heel_right"])
    _written(actor=actor, patient=episode.patient)
    return episode


@transaction.atomic
def episode_review_record(
    *, actor: User, episode: Episode, kind: str, outcome: str | None = None, note: str = ""
) -> EpisodeReview:
    """The physio's record of the week-6 review, or of what came of the week-12 advice: it
    ends that advice (progress reads `reviews_done` from selectors.episode_clocks)."""
    _lock_patient(episode.patient)
    episode.refresh_from_db()
    if kind not in ReviewKind.values:
        raise ValidationError({"kind": [_("Unknown kind of review.")]})
    outcome = outcome or ""
    if kind == ReviewKind.WEEK_12_OUTCOME and outcome not in ReviewOutcome.values:
        raise ValidationError(
            {"outcome": [_("Say what came of it: referred, improving after all or declined.")]}
        )
    if kind == ReviewKind.WEEK_6_REVIEW and outcome:
        raise ValidationError({"outcome": [_("The week-6 review has no outcome.")]})
    if not episode.is_open:
        raise ValidationError({"non_field_errors": [_("This episode is closed.")]})
    if episode.reviews.filter(kind=kind).exists():
        raise ValidationError({"kind": [_("This has already been recorded for the episode.")]})
    review = EpisodeReview.objects.create(
        episode=episode,
        kind=kind,
        outcome=outcome,
        note=(note or "").strip(),
        recorded_on=episode.patient.user.local_today(),
        recorded_by=actor,
    )
    _written(actor=actor, patient=episode.patient)
    return review
