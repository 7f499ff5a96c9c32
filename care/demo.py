"""The demo episodes' own stories: which heels, and the reviews the physio has recorded.
The first programme opened each episode (exercises.demo). Idempotent."""

from datetime import timedelta

from django.db import transaction

from accounts.models import PatientProfile, PhysioProfile
from accounts.services import patient_data_changed

from .models import EpisodeReview, ReviewKind
from .selectors import current_episode
from .services import episode_heels_set, episode_review_record


@transaction.atomic
def demo_episode_both_heels(*, physio: PhysioProfile, patient: PatientProfile) -> None:
    episode = current_episode(patient)
    if not (episode.heel_left and episode.heel_right):
        episode_heels_set(actor=physio.user, episode=episode, heels=["left", "right"])


@transaction.atomic
def demo_episode_week_6_reviewed(*, physio: PhysioProfile, patient: PatientProfile) -> None:
    """The physio recorded the week-6 review (on the last day of week 6, when the new
    programme was planned)."""
    episode = current_episode(patient)
    if episode.reviews.filter(kind=ReviewKind.WEEK_6_REVIEW).exists():
        return
    review = episode_review_record(
        actor=physio.user, episode=episode, kind=ReviewKind.WEEK_6_REVIEW
    )
    # Recorded today by the service; in the story it happened weeks ago.
    EpisodeReview.objects.filter(pk=review.pk).update(
        recorded_on=episode.starts_on + timedelta(days=41)
    )
    patient_data_changed(patients=patient)
