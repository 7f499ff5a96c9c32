import re
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from .models import CHANNELS

HHMM = r"^([01]\d|2[0-3]):[0-5]\d$"


@extend_schema_field(
    {
        "type": "string",
        "pattern": HHMM,
        "example": "07:30",
        "description": "Local time of day, 24-hour HH:MM.",
    }
)
class HourMinuteField(serializers.TimeField):
    """A time of day as "HH:MM", in and out. Not OpenAPI's `format: time` (RFC 3339's
    "07:30:00Z"): the PWA's <input type="time"> speaks HH:MM, and a reminder has no seconds
    and no offset (it is in the patient's own time zone)."""

    default_error_messages = {"invalid": _("Use the format HH:MM, for example 07:30.")}

    def __init__(self, **kwargs):
        super().__init__(format="%H:%M", input_formats=["%H:%M"], **kwargs)

    def to_internal_value(self, value):
        # strptime's %H also takes "7:30"; accept only what the schema's pattern promises.
        if not isinstance(value, str) or not re.fullmatch(HHMM, value):
            self.fail("invalid", format="HH:MM")
        return super().to_internal_value(value)


class ScheduleSerializer(serializers.Serializer):
    enabled = serializers.BooleanField()
    time = HourMinuteField(source="local_time")
    weekdays = serializers.ListField(
        child=serializers.IntegerField(min_value=0, max_value=6),
        max_length=7,
        help_text="0 = Monday ... 6 = Sunday.",
    )
    channels = serializers.ListField(child=serializers.ChoiceField(choices=CHANNELS), max_length=2)
    next_due_at = serializers.DateTimeField(read_only=True, allow_null=True)

    def validate_weekdays(self, value):
        return sorted(set(value))

    def validate_channels(self, value):
        return [channel for channel in CHANNELS if channel in value]

    def validate(self, attrs):
        if attrs.get("enabled") and not attrs.get("weekdays"):
            raise serializers.ValidationError({"weekdays": [_("Choose at least one day.")]})
        if attrs.get("enabled") and not attrs.get("channels"):
            raise serializers.ValidationError(
                {"channels": [_("Choose push notifications, e-mail or both.")]}
            )
        return attrs


class SubscriptionKeysSerializer(serializers.Serializer):
    p256dh = serializers.RegexField(r"^[A-Za-z0-9_-]{80,100}={0,2}$", max_length=100)
    auth = serializers.RegexField(r"^[A-Za-z0-9_-]{16,30}={0,2}$", max_length=30)


class SubscriptionSerializer(serializers.Serializer):
    endpoint = serializers.URLField(max_length=1000)
    keys = SubscriptionKeysSerializer()
    expirationTime = serializers.IntegerField(required=False, allow_null=True)

    def validate_endpoint(self, value):
        # The server will POST to this URL, so it must be a real push service, not an address
        # of the caller's choosing inside our network.
        if not endpoint_allowed(value):
            raise serializers.ValidationError(_("This is not a known push service."))
        return value


def endpoint_allowed(url: str) -> bool:
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    for allowed in settings.PUSH_SERVICE_HOSTS:
        scheme, _sep, pattern = allowed.rpartition("://")
        if (scheme or "https") != parts.scheme:
            continue
        if host == pattern or (pattern.startswith(".") and host.endswith(pattern)):
            return True
    return False


class SubscriptionSavedSerializer(serializers.Serializer):
    endpoint = serializers.URLField()


class SubscriptionQuerySerializer(serializers.Serializer):
    """`DELETE /push-subscriptions/?endpoint=`: a CharField, so that a NUL character or an
    overlong value is a 400 naming the parameter rather than a database error."""

    endpoint = serializers.CharField(
        max_length=1000,
        error_messages={
            "required": _("Give the subscription's endpoint."),
            "blank": _("Give the subscription's endpoint."),
        },
    )


class NudgeSerializer(serializers.Serializer):
    queued = serializers.BooleanField(
        help_text="false: the patient already had a nudge today, so none was added."
    )


class PublicKeySerializer(serializers.Serializer):
    public_key = serializers.CharField()
