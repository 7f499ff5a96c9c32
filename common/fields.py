"""Serializer fields shared by the apps."""

from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

# How far ahead of the server's clock a device's `recorded_at` may be: phone clocks drift and
# time zones get mixed up, but not by days. As the later write wins, an instant far in the
# future would freeze the row against every later correction.
RECORDED_AT_MAX_AHEAD = timedelta(days=1)


class RecordedAtField(serializers.DateTimeField):
    """When the patient made the change on their device (the later write wins)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault(
            "help_text", "When the patient made the change on their device; the later write wins."
        )
        super().__init__(**kwargs)

    def to_internal_value(self, value):
        value = super().to_internal_value(value)
        if value > timezone.now() + RECORDED_AT_MAX_AHEAD:
            raise serializers.ValidationError(
                _("recorded_at is in the future; check the clock of your device.")
            )
        return value


class StrictBooleanField(serializers.BooleanField):
    """JSON `true` or `false` only. DRF's BooleanField also takes 0, 1, "yes", "on" and more,
    which the schema's `type: boolean` does not allow: a client that sends 0 by mistake should
    hear so, not have it read as false."""

    default_error_messages = {"invalid": _("Must be true or false.")}

    def to_internal_value(self, data):
        if isinstance(data, bool):
            return data
        self.fail("invalid", input=data)


class StrictCharField(serializers.CharField):
    """A JSON string only. DRF's CharField also takes a number and stores its digits, which
    the schema's `type: string` does not allow."""

    default_error_messages = {"invalid": _("Must be text.")}

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)
