"""The accounts API: token log-in and log-out, the caller's profile, invitations."""

from django.contrib.auth import authenticate, logout
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext as _
from django_otp import devices_for_user
from drf_spectacular.utils import extend_schema
from knox.models import AuthToken
from rest_framework import serializers, status
from rest_framework.generics import ListAPIView
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from common.api import NoStoreMixin

from . import serializers as s
from .access import invitations_visible_to, own_clinic
from .contacts import clinic_contacts
from .emails import invitation_send
from .models import AccessRecord
from .permissions import IsPatient, IsPhysio
from .services import (
    InvitationInvalid,
    api_token_issue,
    invitation_accept,
    invitation_create,
    invitation_url,
    user_update_profile,
)
from .throttling import ClientRateThrottle
from .twofactor import needs_second_factor, verify_any


class TokenView(APIView):
    """Exchange e-mail and password for a per-device token (stored hashed, with an expiry)."""

    authentication_classes: list = []
    permission_classes = [AllowAny]

    @extend_schema(request=s.TokenRequestSerializer, responses={200: s.TokenResponseSerializer})
    def post(self, request):
        data = s.TokenRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        # Axes needs the plain Django request: it marks a locked-out attempt on it, and its
        # middleware turns that into a 429.
        user = authenticate(
            request._request,
            email=data.validated_data["email"],
            password=data.validated_data["password"],
        )
        if user is None or not user.is_active:
            raise serializers.ValidationError(
                {"non_field_errors": [_("The e-mail address or password is not correct.")]}
            )
        if needs_second_factor(user):
            check_second_factor(user, data.validated_data.get("otp", ""))
        instance, token = api_token_issue(user=user)
        return Response({"token": token, "expiry": instance.expiry})


class LogoutView(APIView):
    """Revoke the token this request was made with, or end the web session."""

    @extend_schema(request=None, responses={204: None})
    def post(self, request):
        if isinstance(request.auth, AuthToken):
            request.auth.delete()
        else:
            logout(request._request)
        return Response(status=status.HTTP_204_NO_CONTENT)


class MeView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=s.MeSerializer)
    def get(self, request):
        return Response(s.MeSerializer(request.user).data)

    @extend_schema(request=s.MeSerializer, responses=s.MeSerializer)
    def patch(self, request):
        data = s.MeSerializer(request.user, data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        user = user_update_profile(user=request.user, **data.validated_data)
        return Response(s.MeSerializer(user).data)


class ClinicView(NoStoreMixin, APIView):
    """The caller's clinic and who to call (accounts.contacts): a patient's clinic, a
    physiotherapist's own."""

    permission_classes = [IsPatient | IsPhysio]

    @extend_schema(responses=s.ClinicContactsSerializer)
    def get(self, request):
        clinic = own_clinic(request.user)
        if clinic is None:  # the permissions let only patients and physios in; all have one
            raise Http404
        return Response(s.ClinicContactsSerializer(clinic_contacts(clinic)).data)


class InvitationListCreateView(NoStoreMixin, APIView):
    """The physio's invitations; a new one's answer carries the join code and link (a secret:
    never kept in a cache)."""

    permission_classes = [IsPhysio]

    @extend_schema(responses=s.InvitationSerializer(many=True))
    def get(self, request):
        invitations = invitations_visible_to(request.user)[:200]
        return Response(s.InvitationSerializer(invitations, many=True).data)

    @extend_schema(
        request=s.InvitationCreateSerializer, responses={201: s.InvitationCreatedSerializer}
    )
    def post(self, request):
        data = s.InvitationCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        with transaction.atomic():
            invitation, code = invitation_create(
                physio=request.user.physio_profile, **data.validated_data
            )
            transaction.on_commit(lambda: invitation_send(invitation=invitation, code=code))
        body = {
            "id": invitation.pk,
            "code": code,
            "url": invitation_url(code),
            "expires_at": invitation.expires_at,
        }
        return Response(s.InvitationCreatedSerializer(body).data, status=status.HTTP_201_CREATED)


class InvitationAcceptView(APIView):
    """Join by an invitation: set a password and become the inviting physio's patient."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes = [ClientRateThrottle]
    throttle_scope = "invitation"

    @extend_schema(request=s.InvitationAcceptSerializer, responses={201: s.MeSerializer})
    def post(self, request):
        data = s.InvitationAcceptSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            user = invitation_accept(
                code=data.validated_data["code"],
                password=data.validated_data["password"],
                name=data.validated_data.get("name"),
            )
        except InvitationInvalid:
            message = _("This invitation link is not valid. It may have expired or been used.")
            raise serializers.ValidationError({"code": [message]}) from None
        except ValidationError as exc:
            raise serializers.ValidationError(exc.message_dict) from None
        return Response(s.MeSerializer(user).data, status=status.HTTP_201_CREATED)


class AccessLogView(NoStoreMixin, ListAPIView):
    """Who other than the patient read or changed their data, newest first, a page at a time
    (`?page=`)."""

    # A generic list view rather than hand-made pagination: the log grows with every read,
    # and the schema then shows the page parameter and the paginated answer.
    permission_classes = [IsPatient]
    serializer_class = s.AccessRecordSerializer

    def get_queryset(self):
        return AccessRecord.objects.filter(patient=self.request.user.patient_profile)


def check_second_factor(user, code: str) -> None:
    devices = list(devices_for_user(user))
    if not devices:
        raise serializers.ValidationError(
            {"otp": [_("Set up two-step log-in in the web app before using the API.")]}
        )
    if code and verify_any(user, code) is not None:
        return
    raise serializers.ValidationError(
        {"otp": [_("Give the 6-digit code from your authenticator app.")]}
    )
