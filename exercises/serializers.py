import itertools
import re

from django.templatetags.static import static
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.models import Condition
from common.fields import RecordedAtField

from .models import MAX_SESSIONS, Exercise, Kind, localized
from .schedule import dosage_notes, dosage_tempo

SMALL = {"min_value": 0, "max_value": 3600, "allow_null": True, "required": False}
COUNT = {"min_value": 1, "max_value": 1000, "allow_null": True, "required": False}
# What a SlugField stores (Exercise.slug has max_length 60).
SLUG = re.compile(r"[-a-zA-Z0-9_]{1,60}")


class TempoSerializer(serializers.Serializer):
    up = serializers.IntegerField(min_value=0, max_value=60)
    hold = serializers.IntegerField(min_value=0, max_value=60)
    down = serializers.IntegerField(min_value=0, max_value=60)

    def validate(self, attrs):
        # A PATCH makes nested fields optional; a tempo is only meaningful whole.
        missing = [key for key in ("up", "hold", "down") if key not in attrs]
        if missing:
            raise serializers.ValidationError(
                {key: [_("This field is required.")] for key in missing}
            )
        return attrs


class StageSerializer(serializers.Serializer):
    from_week = serializers.IntegerField(min_value=1, max_value=104)
    sets = serializers.IntegerField(**COUNT)
    reps = serializers.IntegerField(**COUNT)
    hold_seconds = serializers.IntegerField(**SMALL)
    tempo_up = serializers.IntegerField(**SMALL)
    tempo_hold = serializers.IntegerField(**SMALL)
    tempo_down = serializers.IntegerField(**SMALL)
    load = serializers.CharField(max_length=40, allow_blank=True, required=False)
    rest_seconds = serializers.IntegerField(**SMALL)
    notes_da = serializers.CharField(max_length=1000, allow_blank=True, required=False)
    notes_en = serializers.CharField(max_length=1000, allow_blank=True, required=False)

    def validate(self, attrs):
        # A PATCH validates partially, which reaches nested serializers too: a stage must
        # still say when it starts, or the list cannot be ordered.
        if "from_week" not in attrs:
            raise serializers.ValidationError({"from_week": [_("This field is required.")]})
        return attrs


def validate_stage_list(stages: list[dict]) -> list[dict]:
    weeks = [stage["from_week"] for stage in stages]
    if stages and weeks[0] != 1:
        raise serializers.ValidationError(_("The first stage must start in week 1."))
    if any(b <= a for a, b in itertools.pairwise(weeks)):
        raise serializers.ValidationError(_("Stages must start in strictly increasing weeks."))
    return stages


class DosageInputSerializer(serializers.Serializer):
    """Dosage fields a physio may set; absent fields keep their value."""

    sets = serializers.IntegerField(**COUNT)
    reps = serializers.IntegerField(**COUNT)
    hold_seconds = serializers.IntegerField(**SMALL)
    tempo = TempoSerializer(allow_null=True, required=False)
    load = serializers.CharField(max_length=40, allow_blank=True, required=False)
    rest_seconds = serializers.IntegerField(**SMALL)
    times_per_day = serializers.IntegerField(
        min_value=1, max_value=MAX_SESSIONS, allow_null=True, required=False
    )
    every_n_days = serializers.IntegerField(
        min_value=1, max_value=28, allow_null=True, required=False
    )
    notes = serializers.CharField(
        max_length=1000,
        allow_blank=True,
        required=False,
        help_text="Free-text cues from the physio, shown to the patient as written.",
    )
    stages = StageSerializer(many=True, required=False)

    def validate_stages(self, value):
        return validate_stage_list(value)

    def to_dosage(self) -> dict:
        return dosage_fields(self.validated_data)


def dosage_fields(validated: dict) -> dict:
    """Validated dosage input as model fields (tempo split, notes in both languages)."""
    data = dict(validated)
    if "tempo" in data:
        tempo = data.pop("tempo") or {"up": None, "hold": None, "down": None}
        data.update(tempo_up=tempo["up"], tempo_hold=tempo["hold"], tempo_down=tempo["down"])
    if "notes" in data:
        notes = data.pop("notes")
        data.update(notes_da=notes, notes_en=notes)
    data.pop("stage", None)
    data.pop("exercise", None)
    return data


class ItemUpdateSerializer(DosageInputSerializer):
    stage = serializers.IntegerField(
        min_value=1,
        allow_null=True,
        required=False,
        help_text="Hold the patient on this stage (1-based); null follows the programme week.",
    )


@extend_schema_field({"type": "string", "pattern": f"^{SLUG.pattern}$"})
class ExerciseRefField(serializers.SlugRelatedField):
    """An exercise by slug, limited to the shared library and the physio's clinic."""

    default_error_messages = {
        "does_not_exist": _("There is no exercise called %(value)s."),
        "invalid": _("Give the exercise's short name (slug)."),
    }

    def __init__(self, **kwargs):
        super().__init__(slug_field="slug", **kwargs)

    def get_queryset(self):
        clinic_id = self.context.get("clinic_id")
        return Exercise.objects.available_to(clinic_id)

    def to_internal_value(self, data):
        # A related field is not a CharField: DRF's check for NUL characters never runs, and
        # PostgreSQL refuses one in a query parameter (DataError). Only a slug can name an
        # exercise, so check the shape before asking the database.
        if not isinstance(data, str) or not SLUG.fullmatch(data):
            self.fail("invalid")
        try:
            return self.get_queryset().get(slug=data)
        except Exercise.DoesNotExist:
            # Not self.fail(): it fills in {}-style placeholders, and this message (like every
            # translated one here) uses %(value)s.
            message = self.error_messages["does_not_exist"] % {"value": data}
            raise serializers.ValidationError(message, code="does_not_exist") from None


class ProgrammeItemInputSerializer(DosageInputSerializer):
    exercise = ExerciseRefField()


class ProgrammeAssignSerializer(serializers.Serializer):
    template = serializers.SlugField(required=False)
    name = serializers.CharField(max_length=120, required=False)
    items = ProgrammeItemInputSerializer(many=True, required=False)
    starts_on = serializers.DateField()

    def validate(self, attrs):
        if ("template" in attrs) == ("items" in attrs):
            raise serializers.ValidationError(
                {"template": [_("Give either a template or a list of items, not both.")]}
            )
        if "items" in attrs and not attrs["items"]:
            raise serializers.ValidationError({"items": [_("Add at least one exercise.")]})
        return attrs


class TemplateCreateSerializer(serializers.Serializer):
    slug = serializers.SlugField(max_length=60)
    name_da = serializers.CharField(max_length=120)
    name_en = serializers.CharField(max_length=120, required=False, allow_blank=True)
    description_da = serializers.CharField(required=False, allow_blank=True, max_length=2000)
    description_en = serializers.CharField(required=False, allow_blank=True, max_length=2000)
    condition = serializers.ChoiceField(choices=Condition.choices, default=Condition.UNKNOWN)
    items = ProgrammeItemInputSerializer(many=True)


SESSION_HELP = (
    "Which of the day's sessions: 1 to the item's times_per_day (1 when it has none). An "
    "item done three times a day is ticked three times, each session on its own."
)


class CompletionInputSerializer(serializers.Serializer):
    sets_done = serializers.IntegerField(min_value=0, max_value=100, default=1)
    session = serializers.IntegerField(
        min_value=1, max_value=MAX_SESSIONS, default=1, help_text=SESSION_HELP
    )
    recorded_at = RecordedAtField()


class CompletionSessionSerializer(serializers.Serializer):
    """`?session=` of a DELETE (default 1)."""

    session = serializers.IntegerField(
        min_value=1, max_value=MAX_SESSIONS, default=1, help_text=SESSION_HELP
    )


class CompletionSerializer(serializers.Serializer):
    item_id = serializers.IntegerField()
    date = serializers.DateField()
    session = serializers.IntegerField()
    sets_done = serializers.IntegerField()
    recorded_at = serializers.DateTimeField()


# --- output ------------------------------------------------------------------------------


class ExerciseSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.SerializerMethodField()
    kind = serializers.ChoiceField(choices=Kind.choices)
    conditions = serializers.ListField(child=serializers.CharField())
    purpose = serializers.SerializerMethodField()
    steps = serializers.SerializerMethodField()
    stop_if = serializers.SerializerMethodField()
    illustration = serializers.SerializerMethodField()
    clinic_own = serializers.SerializerMethodField()

    def get_name(self, obj) -> str:
        return localized(obj, "name")

    def get_purpose(self, obj) -> str:
        return localized(obj, "purpose")

    def get_steps(self, obj) -> list[str]:
        return localized(obj, "steps")

    def get_stop_if(self, obj) -> str:
        return localized(obj, "stop_if")

    def get_illustration(self, obj) -> str | None:
        return static(obj.illustration) if obj.illustration else None

    def get_clinic_own(self, obj) -> bool:
        return obj.clinic_id is not None


class DosageOutputSerializer(serializers.Serializer):
    sets = serializers.IntegerField(allow_null=True)
    reps = serializers.IntegerField(allow_null=True)
    hold_seconds = serializers.IntegerField(allow_null=True)
    tempo = serializers.SerializerMethodField()
    load = serializers.CharField()
    rest_seconds = serializers.IntegerField(allow_null=True)
    times_per_day = serializers.IntegerField(allow_null=True)
    every_n_days = serializers.IntegerField(allow_null=True)
    notes = serializers.SerializerMethodField()

    def get_tempo(self, obj) -> TempoSerializer(allow_null=True):  # type: ignore[valid-type]
        return dosage_tempo(obj)

    def get_notes(self, obj) -> str:
        return dosage_notes(obj, (get_language() or "da")[:2])


class ExerciseDetailSerializer(ExerciseSerializer):
    default_dosage = serializers.SerializerMethodField()
    stages = serializers.JSONField()

    def get_default_dosage(self, obj) -> DosageOutputSerializer:
        return DosageOutputSerializer(obj.dosage_dict()).data


@extend_schema_field(StageSerializer(many=True))
class StoredStagesField(serializers.JSONField):
    """An item's progression stages as stored: the validated input of StageSerializer."""


class StageInfoSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    count = serializers.IntegerField()
    held = serializers.BooleanField()
    stages = StoredStagesField()


class PlannedItemSerializer(DosageOutputSerializer):
    """One item of a patient's programme as it applies today (api.md): the dosage of this
    week's stage, flat beside the item's own fields."""

    id = serializers.IntegerField()
    exercise = ExerciseSerializer()
    stage = StageInfoSerializer(allow_null=True)
    due_today = serializers.BooleanField()
    done_today = serializers.BooleanField(help_text="Every session of the day is done.")
    sessions = serializers.IntegerField(
        min_value=1, help_text="Sessions a day: each is ticked on its own (times_per_day or 1)."
    )
    sessions_done = serializers.ListField(
        child=serializers.IntegerField(min_value=1),
        help_text="The sessions done today, in order (e.g. [1, 2] of 3).",
    )

    def to_representation(self, planned):
        item = planned.item
        stage = (
            {
                "number": planned.stage,
                "count": planned.stage_count,
                "held": item.held_stage is not None,
                "stages": item.stages,
            }
            if planned.stage
            else None
        )
        return super().to_representation(
            {
                **planned.dosage,
                "id": item.pk,
                "exercise": item.exercise,
                "stage": stage,
                "due_today": planned.due_today,
                "done_today": planned.done_today,
                "sessions": planned.sessions,
                "sessions_done": planned.sessions_done,
            }
        )


class PhysioNameSerializer(serializers.Serializer):
    name = serializers.CharField()


class ProgrammeSerializer(serializers.Serializer):
    """A patient's programme as it applies on `today` (a selectors.Plan)."""

    id = serializers.IntegerField()
    name = serializers.CharField()
    starts_on = serializers.DateField()
    week = serializers.IntegerField()
    today = serializers.DateField()
    physio = PhysioNameSerializer(allow_null=True, help_text="Who assigned the programme.")
    items = PlannedItemSerializer(many=True)

    def to_representation(self, plan):
        programme = plan.programme
        assigned_by = programme.assigned_by
        template = programme.template
        name = programme.name
        if template is not None and name == template.name_da:
            name = localized(template, "name")
        return super().to_representation(
            {
                "id": programme.pk,
                "name": name,
                "starts_on": programme.starts_on,
                "week": plan.week,
                "today": plan.today,
                "physio": {"name": assigned_by.user.name} if assigned_by else None,
                "items": plan.items,
            }
        )


class TemplateItemSerializer(DosageOutputSerializer):
    exercise = ExerciseSerializer()
    stages = StoredStagesField()

    def to_representation(self, item):
        return super().to_representation(
            {**item.dosage_dict(), "exercise": item.exercise, "stages": item.stages}
        )


class TemplateSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.SerializerMethodField()
    description = serializers.SerializerMethodField()
    condition = serializers.ChoiceField(choices=Condition.choices)
    clinic_own = serializers.SerializerMethodField()
    items = TemplateItemSerializer(many=True, source="items.all")

    def get_name(self, template) -> str:
        return localized(template, "name")

    def get_description(self, template) -> str:
        return localized(template, "description")

    def get_clinic_own(self, template) -> bool:
        return template.clinic_id is not None
