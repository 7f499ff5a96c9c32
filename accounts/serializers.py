import zoneinfo

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from common.fields import StrictBooleanField, StrictCharField

from .contacts import REGION_CHOICES
from .models import Condition, Language, User


class TokenRequestSerializer(serializers.Serializer):
    email = serializers.EmailField(max_length=254)
    password = serializers.CharField(max_length=512, trim_whitespace=False)
    otp = serializers.RegexField(
        r"^(\d{6}|[A-Za-z0-9]{4}-?[A-Za-z0-9]{4}-?[A-Za-z0-9]{4})$",
        required=False,
        help_text="The authenticator code, or a one-time recovery code (XXXX-XXXX-XXXX): "
        "required for physiotherapists, staff, and patients who turned on two-step log-in.",
    )


class TokenResponseSerializer(serializers.Serializer):
    token = serializers.CharField()
    expiry = serializers.DateTimeField()


class MeSerializer(serializers.ModelSerializer):
    role = serializers.CharField(read_only=True)
    # The user's id is not the patient's: the physio's list, /patients/{id}/ and every other
    # patient path use the patient profile's, which a patient's client needs to link them.
    patient_id = serializers.IntegerField(
        source="patient_profile.pk",
        read_only=True,
        allow_null=True,
        help_text="For a patient, the id that `/api/v1/patients/{id}/` and the physio's list "
        "use; null for anyone else.",
    )
    name = StrictCharField(min_length=1, max_length=150)
    # The IANA zones this server knows, as an enum: any other string is refused.
    timezone = serializers.ChoiceField(
        choices=sorted(zoneinfo.available_timezones()),
        error_messages={
            "invalid_choice": _("Not a known IANA time zone, for example Europe/Copenhagen.")
        },
    )
    language = serializers.ChoiceField(choices=Language.choices)

    class Meta:
        model = User
        fields = ["id", "email", "name", "role", "patient_id", "timezone", "language"]
        read_only_fields = ["id", "email", "role", "patient_id"]


class InvitationCreateSerializer(serializers.Serializer):
    email = serializers.EmailField(max_length=254)
    name = StrictCharField(max_length=150, min_length=1)
    condition = serializers.ChoiceField(choices=Condition.choices, default=Condition.UNKNOWN)


class InvitationCreatedSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    url = serializers.URLField()
    expires_at = serializers.DateTimeField()


class InvitationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    email = serializers.EmailField()
    name = serializers.CharField()
    condition = serializers.CharField()
    status = serializers.CharField()
    created_at = serializers.DateTimeField()
    expires_at = serializers.DateTimeField()


@extend_schema_field({"type": "boolean", "enum": [True]})
class ConfirmationField(StrictBooleanField):
    """Must be true: the schema says so, and false is refused (naming the field)."""


class InvitationAcceptSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=200)
    password = serializers.CharField(max_length=512, trim_whitespace=False)
    name = serializers.CharField(max_length=150, required=False, allow_blank=False)
    confirm_adult = ConfirmationField(
        help_text="The patient confirms they are 18 or older; the service is not for minors."
    )

    def validate_confirm_adult(self, value):
        if not value:
            raise serializers.ValidationError(_("This service is only for people aged 18 or over."))
        return value


class AccessRecordSerializer(serializers.Serializer):
    at = serializers.DateTimeField()
    who = serializers.CharField(source="actor_name")
    role = serializers.CharField(source="actor_role")
    action = serializers.CharField()
    what = serializers.CharField()


class AfterHoursSerializer(serializers.Serializer):
    label = serializers.CharField(source="after_hours_label")
    phone = serializers.CharField(source="after_hours_phone")


class ClinicContactsSerializer(serializers.Serializer):
    """GET /clinic/ (api.md): an accounts.contacts.Contacts."""

    name = serializers.CharField()
    region = serializers.ChoiceField(choices=REGION_CHOICES)
    phone = serializers.CharField(help_text="As the clinic writes it; empty if not given.")
    email = serializers.CharField()
    booking_url = serializers.CharField()
    answers_within = serializers.IntegerField(
        allow_null=True, help_text="Working days within which the clinic answers; null if unsaid."
    )
    after_hours = AfterHoursSerializer(
        source="*", help_text="The after-hours doctor (lægevagt) of the clinic's region."
    )
    emergency_phone = serializers.CharField()
