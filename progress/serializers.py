from decimal import ROUND_HALF_UP, Decimal

from rest_framework import serializers

from diary.serializers import CheckinSerializer
from exercises.serializers import ProgrammeSerializer

from .assessment import STATUSES, URGENCIES
from .selectors import FLAGS


def _number(**kwargs):
    return serializers.DecimalField(
        max_digits=5, decimal_places=1, allow_null=True, coerce_to_string=False, **kwargs
    )


class AdviceSerializer(serializers.Serializer):
    code = serializers.CharField()
    title = serializers.CharField()
    text = serializers.CharField()
    seek_care = serializers.BooleanField()
    urgency = serializers.ChoiceField(choices=URGENCIES)
    checkin_id = serializers.IntegerField(
        required=False,
        help_text="For red-flag advice: acknowledge it at /checkins/{id}/acknowledge/.",
    )


class SeriesPointSerializer(serializers.Serializer):
    date = serializers.DateField()
    morning_pain = serializers.IntegerField()
    mean_7d = _number()
    morning_pain_other = serializers.IntegerField(
        allow_null=True,
        required=False,
        help_text="The right heel's, for a patient who logs both (morning_pain is the left's); "
        "the rule reads the worse of the two.",
    )


class ProgrammeChangeSerializer(serializers.Serializer):
    date = serializers.DateField()
    name = serializers.CharField()


class ProgressSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=STATUSES)
    week = serializers.IntegerField()
    baseline = _number()
    baseline_source = serializers.CharField(allow_null=True)
    current = _number()
    change_points = _number()
    change_percent = serializers.DecimalField(
        max_digits=6, decimal_places=0, allow_null=True, coerce_to_string=False
    )
    target = _number()
    entries_last_7 = serializers.IntegerField()
    advice = AdviceSerializer(allow_null=True)
    series = SeriesPointSerializer(many=True)
    review_weeks = serializers.ListField(child=serializers.IntegerField())
    episode_start = serializers.DateField(help_text="Day 1 of the assessment.")
    programme_changes = ProgrammeChangeSerializer(
        many=True, help_text="Programmes given after day 1 of the episode, oldest first."
    )
    status_help = serializers.CharField(help_text="The status explained, from the thresholds.")
    explanation = serializers.ListField(
        child=serializers.CharField(),
        help_text="How the advice is worked out, from this patient's thresholds and review weeks.",
    )
    adherence_14d = serializers.DecimalField(
        max_digits=3, decimal_places=2, allow_null=True, coerce_to_string=False
    )
    checkin_due = serializers.BooleanField()
    summary = serializers.CharField()
    rule_version = serializers.CharField()


class PatientRowSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    email = serializers.EmailField()
    condition = serializers.CharField()
    week = serializers.IntegerField(allow_null=True)
    last_entry_on = serializers.DateField(allow_null=True)
    current = _number()
    baseline = _number()
    status = serializers.ChoiceField(choices=STATUSES)
    adherence_14d = serializers.DecimalField(
        max_digits=3, decimal_places=2, allow_null=True, coerce_to_string=False
    )
    flags = serializers.ListField(child=serializers.ChoiceField(choices=FLAGS))


class PatientListQuerySerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=STATUSES, required=False)
    flag = serializers.ChoiceField(choices=FLAGS, required=False)


class RoundedDecimalField(serializers.DecimalField):
    """A number rounded to `decimal_places` rather than refused for having more: the schema's
    `type: number` allows any, and 4.25 as a pain baseline means 4.3 (DRF's documented hook)."""

    def validate_precision(self, value):
        # The bounds hold for what was sent, as the schema says (10.04 is over 10).
        if self.max_value is not None and value > self.max_value:
            self.fail("max_value", max_value=self.max_value)
        if self.min_value is not None and value < self.min_value:
            self.fail("min_value", min_value=self.min_value)
        if value.adjusted() < self.max_digits:  # small enough to round; else too big anyway
            value = value.quantize(Decimal(1).scaleb(-self.decimal_places), ROUND_HALF_UP)
        return super().validate_precision(value)


class PatientSettingsSerializer(serializers.Serializer):
    baseline_override = RoundedDecimalField(
        max_digits=3,
        decimal_places=1,
        min_value=0,
        max_value=10,
        allow_null=True,
        required=False,
        coerce_to_string=False,
        help_text="Rounded to one decimal.",
    )
    review_weeks = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=104),
        allow_null=True,
        required=False,
        min_length=1,
        max_length=6,
        help_text="Stored in increasing order, each week once.",
    )

    def validate_review_weeks(self, value):
        # Put in order rather than refused: any list of weeks the schema allows is accepted.
        return None if value is None else sorted(set(value))


# --- for the OpenAPI schema of PatientDetailView (the view builds plain dicts) ---------------


class PatientDetailSerializer(serializers.Serializer):
    """`GET /patients/{id}/`: profile, programme, progress and recent check-ins."""

    id = serializers.IntegerField()
    name = serializers.CharField()
    email = serializers.EmailField()
    condition = serializers.CharField()
    timezone = serializers.CharField()
    language = serializers.CharField()
    baseline_override = _number()
    review_weeks_override = serializers.ListField(child=serializers.IntegerField(), allow_null=True)
    programme = serializers.SerializerMethodField()
    progress = ProgressSerializer()
    recent_checkins = serializers.SerializerMethodField()

    def get_programme(self, obj) -> ProgrammeSerializer(allow_null=True):  # type: ignore[valid-type]
        return obj["programme"]

    def get_recent_checkins(self, obj) -> CheckinSerializer(many=True):  # type: ignore[valid-type]
        return obj["recent_checkins"]


class PatientSettingsResultSerializer(serializers.Serializer):
    """`PATCH /patients/{id}/`: the patient's assessment settings after the change."""

    id = serializers.IntegerField()
    baseline_override = _number()
    review_weeks = serializers.ListField(child=serializers.IntegerField(), allow_null=True)
