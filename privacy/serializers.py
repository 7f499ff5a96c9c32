"""The shape of the export document, for the OpenAPI schema.

`privacy.services.patient_export` builds the document as plain data (it is also what a
patient downloads as a file); these serializers only describe it, so that a client reading
`/api/schema/` learns its fields. Keep the two in step.
"""

from rest_framework import serializers

from exercises.serializers import StoredStagesField


def _optional_number():
    return serializers.IntegerField(required=False)


class ExportProfileSerializer(serializers.Serializer):
    email = serializers.EmailField()
    name = serializers.CharField()
    language = serializers.CharField()
    timezone = serializers.CharField()
    joined = serializers.DateTimeField()
    condition = serializers.CharField()
    clinic = serializers.CharField()
    physiotherapist = serializers.CharField(allow_null=True)
    baseline_override = serializers.FloatField(allow_null=True)
    review_weeks = serializers.ListField(child=serializers.IntegerField(), allow_null=True)


class ExportProgrammeItemSerializer(serializers.Serializer):
    """An item with the dosage fields that have a value (the others are left out)."""

    exercise = serializers.CharField(help_text="The exercise's short name (slug).")
    held_stage = serializers.IntegerField(allow_null=True)
    sets = _optional_number()
    reps = _optional_number()
    hold_seconds = _optional_number()
    tempo_up = _optional_number()
    tempo_hold = _optional_number()
    tempo_down = _optional_number()
    load = serializers.CharField(required=False)
    rest_seconds = _optional_number()
    times_per_day = _optional_number()
    every_n_days = _optional_number()
    notes_da = serializers.CharField(required=False)
    notes_en = serializers.CharField(required=False)
    stages = StoredStagesField(required=False)


class ExportProgrammeSerializer(serializers.Serializer):
    name = serializers.CharField()
    starts_on = serializers.DateField()
    ends_on = serializers.DateField(allow_null=True)
    items = ExportProgrammeItemSerializer(many=True)


class ExportCompletionSerializer(serializers.Serializer):
    date = serializers.DateField()
    exercise = serializers.CharField()
    session = serializers.IntegerField(help_text="Which of the day's sessions (1 and up).")
    sets_done = serializers.IntegerField()
    recorded_at = serializers.DateTimeField()


class ExportDiaryEntrySerializer(serializers.Serializer):
    date = serializers.DateField()
    morning_pain = serializers.IntegerField()
    morning_pain_other = serializers.IntegerField(
        allow_null=True, help_text="The right heel, for both heels (morning_pain: the left)."
    )
    note = serializers.CharField(allow_blank=True)
    recorded_at = serializers.DateTimeField()


class ExportCheckinSerializer(serializers.Serializer):
    answered_at = serializers.DateTimeField()
    kind = serializers.CharField()
    answers = serializers.DictField(child=serializers.BooleanField())
    acknowledged_at = serializers.DateTimeField(allow_null=True)


class ExportRemindersSerializer(serializers.Serializer):
    enabled = serializers.BooleanField()
    time = serializers.CharField(help_text="Local time of day, HH:MM.")
    weekdays = serializers.ListField(child=serializers.IntegerField())
    channels = serializers.ListField(child=serializers.CharField())


class ExportNotificationSerializer(serializers.Serializer):
    kind = serializers.CharField()
    date = serializers.DateField()
    status = serializers.CharField()
    channel = serializers.CharField(allow_blank=True)
    sent_at = serializers.DateTimeField(allow_null=True)


class ExportAccessRecordSerializer(serializers.Serializer):
    at = serializers.DateTimeField()
    who = serializers.CharField()
    role = serializers.CharField()
    action = serializers.CharField()
    what = serializers.CharField()


class ExportReviewSerializer(serializers.Serializer):
    kind = serializers.CharField()
    outcome = serializers.CharField(allow_null=True)
    note = serializers.CharField(allow_blank=True)
    recorded_on = serializers.DateField()


class ExportEpisodeSerializer(serializers.Serializer):
    starts_on = serializers.DateField()
    condition = serializers.CharField()
    heels = serializers.ListField(child=serializers.CharField())
    physiotherapist = serializers.CharField(allow_null=True)
    reason = serializers.CharField(allow_blank=True)
    reviews = ExportReviewSerializer(many=True)
    closed_on = serializers.DateField(allow_null=True)
    outcome = serializers.CharField(allow_null=True)
    close_note = serializers.CharField(allow_blank=True)


class ExportMessageSerializer(serializers.Serializer):
    sent_at = serializers.DateTimeField()
    sender = serializers.ChoiceField(choices=["patient", "clinic"])
    author = serializers.CharField(allow_null=True, help_text="Null once the author is erased.")
    body = serializers.CharField(help_text="Plain text, as written.")
    read_at = serializers.DateTimeField(allow_null=True)


class ExportProgrammeChangeSerializer(serializers.Serializer):
    at = serializers.DateTimeField()
    what = serializers.CharField()
    exercise = serializers.CharField(allow_null=True)
    seen_at = serializers.DateTimeField(allow_null=True)


class ExportLessonReadSerializer(serializers.Serializer):
    lesson = serializers.CharField()
    version = serializers.IntegerField()
    read_at = serializers.DateTimeField()


class ExportLessonPinSerializer(serializers.Serializer):
    lesson = serializers.CharField()
    pinned_at = serializers.DateTimeField()


class ExportLessonsSerializer(serializers.Serializer):
    read = ExportLessonReadSerializer(many=True)
    pinned = ExportLessonPinSerializer(many=True)


class ExportQuestionnaireSerializer(serializers.Serializer):
    instrument = serializers.CharField()
    instrument_version = serializers.CharField()
    language = serializers.CharField(allow_blank=True)
    timepoint = serializers.CharField()
    due_on = serializers.DateField()
    answers = serializers.DictField()
    scores = serializers.DictField()
    submitted_at = serializers.DateTimeField(allow_null=True, help_text="Null for a draft.")


class ExportFollowUpSerializer(serializers.Serializer):
    week = serializers.IntegerField()
    morning_pain = serializers.IntegerField()
    global_change = serializers.IntegerField()
    answered_at = serializers.DateTimeField()


class ExportSerializer(serializers.Serializer):
    format = serializers.CharField(help_text='Always "haelapp-export".')
    version = serializers.IntegerField()
    exported_at = serializers.DateTimeField()
    profile = ExportProfileSerializer()
    programmes = ExportProgrammeSerializer(many=True)
    completions = ExportCompletionSerializer(many=True)
    diary = ExportDiaryEntrySerializer(many=True)
    checkins = ExportCheckinSerializer(many=True)
    reminders = ExportRemindersSerializer(allow_null=True)
    push_devices = serializers.IntegerField(help_text="How many devices receive push reminders.")
    episodes = ExportEpisodeSerializer(many=True)
    notifications = ExportNotificationSerializer(many=True)
    messages = ExportMessageSerializer(many=True)
    programme_changes = ExportProgrammeChangeSerializer(many=True)
    lessons = ExportLessonsSerializer()
    questionnaires = ExportQuestionnaireSerializer(many=True)
    follow_ups = ExportFollowUpSerializer(many=True)
    access_log = ExportAccessRecordSerializer(many=True)
