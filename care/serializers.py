"""The episode API's shapes (api.md, "Added for the second round"): separate input serializers
for the one-off actions, one output shape for an episode."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.models import Condition
from common.fields import StrictCharField

from .models import HEELS, Episode, EpisodeReview, Outcome, ReviewKind, ReviewOutcome
from .selectors import episode_week

NOTE_MAX = 2000


def _heels_field(**kwargs):
    return serializers.ListField(
        child=serializers.ChoiceField(choices=HEELS),
        min_length=1,
        max_length=2,
        help_text='The heel(s) affected: "left", "right" or both, each once. [] in an answer: '
        "not recorded (episodes opened before heels were asked).",
        **kwargs,
    )


class EpisodePhysioSerializer(serializers.Serializer):
    name = serializers.CharField()


class ReviewSerializer(serializers.ModelSerializer):
    outcome = serializers.CharField(
        allow_null=True, help_text="For the week-12 outcome: referred, improving or declined."
    )

    class Meta:
        model = EpisodeReview
        fields = ["id", "kind", "outcome", "note", "recorded_on", "recorded_at"]

    def to_representation(self, instance):
        data = super().to_representation(instance)
        data["outcome"] = data["outcome"] or None
        return data


class EpisodeSerializer(serializers.ModelSerializer):
    """An episode, its week on the patient's local today (context["today"])."""

    week = serializers.SerializerMethodField(
        help_text="The episode's week (1 = days 1-7) today; 0 before it starts; a closed "
        "episode stays in the week it closed in."
    )
    heels = serializers.ListField(
        child=serializers.ChoiceField(choices=HEELS),
        help_text='["left"], ["right"], both, or [] when not recorded.',
    )
    physio = serializers.SerializerMethodField()
    reviews = ReviewSerializer(many=True)
    outcome = serializers.CharField(allow_null=True, help_text="Set when closed.")

    class Meta:
        model = Episode
        fields = [
            "id",
            "starts_on",
            "week",
            "condition",
            "heels",
            "physio",
            "reason",
            "reviews",
            "closed_on",
            "outcome",
            "close_note",
        ]

    def get_week(self, episode) -> int:
        return episode_week(episode, self.context["today"])

    @extend_schema_field(EpisodePhysioSerializer(allow_null=True))
    def get_physio(self, episode):
        return {"name": episode.physio.user.name} if episode.physio else None

    def to_representation(self, instance):
        data = super().to_representation(instance)
        data["outcome"] = data["outcome"] or None
        return data


class EpisodeOpenSerializer(serializers.Serializer):
    starts_on = serializers.DateField(
        help_text="Day 1 of the episode (the patient's calendar): at most a year ago, at most "
        "90 days ahead, on or after the day the last episode closed."
    )
    condition = serializers.ChoiceField(choices=Condition.choices)
    heels = _heels_field()
    reason = StrictCharField(
        required=False,
        allow_blank=True,
        max_length=NOTE_MAX,
        help_text="Required when the patient has had an episode before.",
    )


class EpisodeHeelsSerializer(serializers.Serializer):
    heels = _heels_field()


class EpisodeReviewInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ReviewKind.choices)
    outcome = serializers.ChoiceField(
        choices=ReviewOutcome.choices,
        required=False,
        allow_null=True,
        help_text="Required for week_12_outcome, absent (or null) for week_6_review.",
    )
    note = StrictCharField(required=False, allow_blank=True, max_length=NOTE_MAX)


class EpisodeCloseSerializer(serializers.Serializer):
    closed_on = serializers.DateField(
        help_text="Not before the episode's start, not after today (the patient's calendar)."
    )
    outcome = serializers.ChoiceField(choices=Outcome.choices)
    note = StrictCharField(required=False, allow_blank=True, max_length=NOTE_MAX)
