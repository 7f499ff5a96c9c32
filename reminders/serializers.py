import re
from functools import cache

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from common.fields import StrictBooleanField

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
    enabled = StrictBooleanField()
    time = HourMinuteField(source="local_time")
    weekdays = serializers.ListField(
        child=serializers.IntegerField(min_value=0, max_value=6),
        max_length=7,
        help_text="0 = Monday ... 6 = Sunday. At least one while `enabled` is true (else 400).",
    )
    channels = serializers.ListField(
        child=serializers.ChoiceField(choices=CHANNELS),
        max_length=2,
        help_text="At least one while `enabled` is true (else 400).",
    )
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


@cache
def _endpoint_pattern(hosts: tuple[str, ...]) -> str:
    alternatives = []
    for allowed in hosts:
        scheme, _sep, host = allowed.rpartition("://")
        name = re.escape(host.lower())
        if host.startswith("."):  # any host under that domain, in labels a URL allows
            label = r"[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?"
            name = rf"{label}(\.{label})*" + name
        alternatives.append(f"{scheme or 'https'}://{name}")
    # Then an optional port, path and query in the characters RFC 3986 allows them (no
    # fragment: it is never sent to the server anyway).
    char = r"([A-Za-z0-9._~:/@!$&'()*+,;=-]|%[0-9A-Fa-f]{2})"
    return rf"^({'|'.join(alternatives)})(:[0-9]{{1,5}})?(/{char}*)?(\?({char}|\?)*)?$"


def endpoint_pattern() -> str:
    """The push services of PUSH_SERVICE_HOSTS as one regular expression: the schema states
    it, and the serializer checks it ("host" exactly, ".suffix" any host under it; https
    unless written "http://host")."""
    return _endpoint_pattern(tuple(settings.PUSH_SERVICE_HOSTS))


def endpoint_allowed(url: str) -> bool:
    return re.fullmatch(endpoint_pattern()[1:-1], url) is not None


@extend_schema_field(
    {
        "type": "string",
        "format": "uri",
        "maxLength": 1000,
        "pattern": endpoint_pattern(),
        "description": "The browser's push endpoint, at one of the push services this server "
        "posts to (PUSH_SERVICE_HOSTS).",
    }
)
class PushEndpointField(serializers.URLField):
    # The server will POST to this URL, so it must be a real push service, not an address of
    # the caller's choosing inside our network.
    default_error_messages = {"not_push_service": _("This is not a known push service.")}

    def to_internal_value(self, data):
        value = super().to_internal_value(data)
        if not endpoint_allowed(value):
            self.fail("not_push_service")
        return value


class SubscriptionSerializer(serializers.Serializer):
    endpoint = PushEndpointField(max_length=1000)
    keys = SubscriptionKeysSerializer()
    expirationTime = serializers.IntegerField(required=False, allow_null=True)


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
