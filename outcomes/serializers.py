"""The questionnaire API's shapes. Output is built by plain functions (the instrument data is
not a model) and documented by the serializers below, which tests compare with it."""

from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from common.fields import StrictBooleanField

from .instruments import TEXT, instrument, wording_language
from .models import QuestionnaireResponse


class ChoiceSerializer(serializers.Serializer):
    value = serializers.IntegerField()
    label = serializers.CharField()


class ItemSerializer(serializers.Serializer):
    id = serializers.CharField()
    kind = serializers.ChoiceField(choices=["rating", "text", "choice", "yes_no"])
    text = serializers.CharField()
    required = serializers.BooleanField()
    minimum = serializers.IntegerField(allow_null=True)
    maximum = serializers.IntegerField(allow_null=True)
    anchors = serializers.ListField(child=serializers.CharField())
    choices = ChoiceSerializer(many=True)
    not_applicable = serializers.BooleanField(help_text='May be answered "na".')
    fixed = serializers.BooleanField(help_text="PSFS activities named at baseline: not editable.")


class QuestionnaireSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    instrument = serializers.CharField()
    version = serializers.CharField()
    title = serializers.CharField()
    intro = serializers.CharField()
    timepoint = serializers.ChoiceField(choices=QuestionnaireResponse.Timepoint.choices)
    due_on = serializers.DateField()
    validated_translation = serializers.BooleanField(
        help_text="Whether the wording shown is a published validated version in this language."
    )
    items = ItemSerializer(many=True)
    answers = serializers.DictField(help_text="The draft so far, or the answers sent.")
    submitted_at = serializers.DateTimeField(allow_null=True)
    scores = serializers.DictField(allow_null=True, help_text="Once submitted.")


class AnswerInputSerializer(serializers.Serializer):
    answers = serializers.DictField(
        help_text='Item id -> answer: a whole number, true/false, text (PSFS activities) or "na".'
    )
    submit = StrictBooleanField(required=False, default=False)


class ChangeSerializer(serializers.Serializer):
    baseline = serializers.FloatField(allow_null=True)
    value = serializers.FloatField(allow_null=True)
    change = serializers.FloatField(allow_null=True)
    mcid = serializers.FloatField()
    improved_by_mcid = serializers.BooleanField()
    worse_by_mcid = serializers.BooleanField()


class AnsweredSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    instrument = serializers.CharField()
    version = serializers.CharField()
    title = serializers.CharField()
    timepoint = serializers.CharField()
    episode_starts_on = serializers.DateField()
    due_on = serializers.DateField()
    submitted_at = serializers.DateTimeField()
    language = serializers.CharField()
    validated_translation = serializers.BooleanField()
    answers = serializers.DictField()
    scores = serializers.DictField()
    is_baseline = serializers.BooleanField()
    change = serializers.DictField(
        child=ChangeSerializer(), help_text="Per measure with an MCID, against the baseline."
    )


def _item_data(item, language: str, activities: dict | None) -> dict:
    fixed = bool(activities) and item.kind == TEXT
    text = item.text[language]
    return {
        "id": item.id,
        "kind": item.kind,
        "text": text,
        "required": item.required,
        "minimum": item.minimum,
        "maximum": item.maximum,
        "anchors": list(item.anchors.get(language, ())),
        "choices": [{"value": v, "label": label[language]} for v, label in item.choices],
        "not_applicable": item.not_applicable,
        "fixed": fixed,
    }


def questionnaire_data(response: QuestionnaireResponse, activities: dict | None = None) -> dict:
    """A response with its instrument's items in the active language. `activities`: the PSFS
    activities fixed at baseline (they are shown, filled in and not editable)."""
    spec = instrument(response.instrument)
    language = wording_language(response.language if response.submitted else get_language())
    items = spec.items
    answers = dict(response.answers)
    if activities:
        # Only the activities named at baseline are asked again.
        numbers = {key.split("_")[1] for key in activities}
        items = tuple(i for i in items if i.id.split("_")[1] in numbers)
        answers.update(activities)
    return {
        "id": response.pk,
        "instrument": spec.code,
        "version": response.instrument_version,
        "title": spec.title[language],
        "intro": spec.intro[language],
        "timepoint": response.timepoint,
        "due_on": response.due_on,
        "validated_translation": spec.wordings[language].validated_translation,
        "items": [_item_data(item, language, activities) for item in items],
        "answers": answers,
        "submitted_at": response.submitted_at,
        "scores": response.scores if response.submitted else None,
    }


def answered_data(row: dict) -> dict:
    response = row["response"]
    spec = instrument(response.instrument)
    language = response.language or "da"
    return {
        "id": response.pk,
        "instrument": spec.code,
        "version": response.instrument_version,
        "title": spec.title[wording_language(get_language())],
        "timepoint": response.timepoint,
        "episode_starts_on": response.episode_starts_on,
        "due_on": response.due_on,
        "submitted_at": response.submitted_at,
        "language": language,
        "validated_translation": spec.wordings[language].validated_translation,
        "answers": response.answers,
        "scores": response.scores,
        "is_baseline": row["is_baseline"],
        "change": row["change"],
    }


NOT_VALIDATED_NOTE = _(
    "The wording of this questionnaire is our own; it is not a published validated translation."
)
