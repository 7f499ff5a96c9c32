from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from common.fields import RecordedAtField, StrictBooleanField

from .models import CheckIn
from .red_flags import RED_FLAGS, question_text


class DiaryInputSerializer(serializers.Serializer):
    morning_pain = serializers.IntegerField(
        min_value=0,
        max_value=10,
        error_messages={
            "min_value": _("Morning pain is a whole number from 0 to 10."),
            "max_value": _("Morning pain is a whole number from 0 to 10."),
            "invalid": _("Morning pain is a whole number from 0 to 10."),
        },
    )
    # The second heel, for a patient whose episode has both heels affected: morning_pain is
    # the left heel, morning_pain_other the right. Optional, so the one-value contract keeps
    # working: omitted means "not given" and stores null, like an explicit null. A write is
    # the entry as a whole (latest recorded_at wins for both values together), so a later
    # write without it clears it; a replay of the same write changes nothing.
    morning_pain_other = serializers.IntegerField(
        min_value=0,
        max_value=10,
        required=False,
        allow_null=True,
        default=None,
        help_text="The second heel's morning pain (the right heel; morning_pain is the left), "
        "only for a patient with both heels affected. Omitted or null: not given.",
        error_messages={
            "min_value": _("Morning pain is a whole number from 0 to 10."),
            "max_value": _("Morning pain is a whole number from 0 to 10."),
            "invalid": _("Morning pain is a whole number from 0 to 10."),
        },
    )
    note = serializers.CharField(max_length=500, allow_blank=True, required=False, default="")
    recorded_at = RecordedAtField()

    def validate_morning_pain(self, value):
        # "5.0" and true would otherwise pass as 5 and 1.
        if isinstance(self.initial_data.get("morning_pain"), bool | float):
            raise serializers.ValidationError(_("Morning pain is a whole number from 0 to 10."))
        return value

    def validate_morning_pain_other(self, value):
        if isinstance(self.initial_data.get("morning_pain_other"), bool | float):
            raise serializers.ValidationError(_("Morning pain is a whole number from 0 to 10."))
        return value


class DiaryEntrySerializer(serializers.Serializer):
    """An entry as the API shows it. A plain serializer, not a ModelSerializer: this is the
    answer to the diary PUT every patient sends every morning, and building the fields from
    the model on each request is a measurable share of its cost."""

    date = serializers.DateField(read_only=True)
    morning_pain = serializers.IntegerField(read_only=True, min_value=0, max_value=10)
    # null unless the patient logged a second heel (the right; morning_pain is the left).
    morning_pain_other = serializers.IntegerField(
        read_only=True, min_value=0, max_value=10, allow_null=True
    )
    note = serializers.CharField(read_only=True)
    recorded_at = serializers.DateTimeField(read_only=True)


# DiaryEntrySerializer's own fields, for `entry_data`.
_DATE, _RECORDED_AT = (
    DiaryEntrySerializer().fields["date"],
    DiaryEntrySerializer().fields["recorded_at"],
)


def entry_data(entry) -> dict:
    """What DiaryEntrySerializer(entry).data is (tests/test_diary.py checks it), without
    building a serializer and its fields: the answer to the diary PUT every patient sends
    every morning. The serializer still documents it in the API schema."""
    return {
        "date": _DATE.to_representation(entry.date),
        "morning_pain": entry.morning_pain,
        "morning_pain_other": entry.morning_pain_other,
        "note": entry.note,
        "recorded_at": _RECORDED_AT.to_representation(entry.recorded_at),
    }


class DiaryRangeSerializer(serializers.Serializer):
    # Named from_/to because "from" is a Python keyword; the query parameters are from/to.
    from_ = serializers.DateField(required=False)
    to = serializers.DateField(required=False)


@extend_schema_field(
    {
        "type": "object",
        "properties": {flag.code: {"type": "boolean"} for flag in RED_FLAGS},
        "required": [flag.code for flag in RED_FLAGS],
        "additionalProperties": False,
        "description": "Every red-flag code (GET /checkins/questions/) with true (yes) or "
        "false (no); no other key.",
    }
)
class RedFlagAnswersField(serializers.DictField):
    """The answers; diary.services.checkin_submit refuses a missing or unknown code."""


class CheckinInputSerializer(serializers.Serializer):
    answers = RedFlagAnswersField(child=StrictBooleanField(), allow_empty=False)
    has_diabetes = StrictBooleanField(
        required=False,
        help_text="Background, asked once at onboarding (not a red flag): stored on the "
        "profile; puts the foot-wound question first and adds foot care to the advice.",
    )


class CheckinAdviceSerializer(serializers.Serializer):
    code = serializers.CharField()
    title = serializers.CharField()
    text = serializers.CharField()
    seek_care = serializers.BooleanField()
    urgency = serializers.ChoiceField(choices=["none", "review", "soon", "same_day"])
    flags = serializers.ListField(child=serializers.CharField())


class CheckinSerializer(serializers.ModelSerializer):
    questions = serializers.SerializerMethodField(
        help_text="The words of each question answered, by code, as the patient was asked "
        "them: questions no longer asked keep their old words."
    )

    class Meta:
        model = CheckIn
        fields = [
            "id",
            "kind",
            "answers",
            "questions",
            "red_flags",
            "urgency",
            "created_at",
            "acknowledged_at",
        ]

    @extend_schema_field(
        {"type": "object", "additionalProperties": {"type": "string"}, "readOnly": True}
    )
    def get_questions(self, checkin) -> dict:
        return {code: str(question_text(code)) for code in checkin.answers}


class CheckinCreatedSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    advice = CheckinAdviceSerializer(allow_null=True)


class RedFlagQuestionSerializer(serializers.Serializer):
    code = serializers.CharField()
    question = serializers.CharField()
    urgency = serializers.CharField()
