from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from common.fields import StrictCharField

from .models import BODY_MAX


class MessageInputSerializer(serializers.Serializer):
    # Stripped (DRF's trim_whitespace), so a body of blanks is "empty".
    body = StrictCharField(
        max_length=BODY_MAX,
        error_messages={
            "blank": _("Write a message."),
            # DRF fills in {max_length} when it fails, in the language of that request.
            "max_length": _("A message has at most {max_length} characters."),
        },
    )


class MessageSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    body = serializers.CharField(help_text="Plain text; show it as text, never as HTML.")
    created_at = serializers.DateTimeField()
    from_patient = serializers.BooleanField()
    mine = serializers.BooleanField(help_text="Written by the caller.")
    author = serializers.CharField(help_text="The author's name; empty once erased.")
    read_at = serializers.DateTimeField(
        allow_null=True, help_text="When the other side first read it (the read receipt)."
    )


def message_data(message, user) -> dict:
    return {
        "id": message.pk,
        "body": message.body,
        "created_at": message.created_at,
        "from_patient": message.from_patient,
        "mine": message.author_id == user.pk,
        "author": (message.author.name if message.author else "") or "",
        "read_at": message.read_at,
    }


class InboxRowSerializer(serializers.Serializer):
    patient = serializers.IntegerField(help_text="The id /api/v1/patients/ lists.")
    name = serializers.CharField()
    unread = serializers.IntegerField()
    last_at = serializers.DateTimeField()
    unanswered = serializers.BooleanField()
    flagged = serializers.BooleanField()


def inbox_row_data(row) -> dict:
    return {
        "patient": row.patient.pk,
        "name": row.patient.user.name,
        "unread": row.unread,
        "last_at": row.last_at,
        "unanswered": row.unanswered,
        "flagged": row.flagged,
    }
