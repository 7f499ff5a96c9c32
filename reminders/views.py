"""The reminders API (api.md) and the e-mail unsubscribe page."""

from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.exceptions import APIException, NotFound
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.access import get_visible_patient
from accounts.models import PatientProfile
from accounts.permissions import IsPatient, IsPhysio
from common.api import VALIDATION, ErrorSerializer

from . import serializers as s
from .messages import unsubscribe_patient_id
from .models import Notification
from .services import (
    SubscriptionTaken,
    notification_create,
    schedule_for,
    schedule_update,
    subscription_delete,
    subscription_save,
)
from .vapid import public_key


class ReminderView(APIView):
    permission_classes = [IsPatient]

    @extend_schema(responses=s.ScheduleSerializer)
    def get(self, request):
        return Response(s.ScheduleSerializer(schedule_for(request.user.patient_profile)).data)

    @extend_schema(request=s.ScheduleSerializer, responses=s.ScheduleSerializer)
    def put(self, request):
        data = s.ScheduleSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        schedule = schedule_update(
            schedule=schedule_for(request.user.patient_profile), **data.validated_data
        )
        return Response(s.ScheduleSerializer(schedule).data)


class EndpointTaken(APIException):
    status_code = status.HTTP_409_CONFLICT


class PushSubscriptionView(APIView):
    permission_classes = [IsPatient]

    @extend_schema(
        request=s.SubscriptionSerializer,
        responses={
            201: OpenApiResponse(s.SubscriptionSavedSerializer, description="Stored."),
            200: OpenApiResponse(
                s.SubscriptionSavedSerializer, description="Already known; keys updated."
            ),
            409: OpenApiResponse(
                VALIDATION.response,
                description="The endpoint is another patient's subscription: unsubscribe in "
                "the browser and subscribe again for a new endpoint.",
            ),
        },
    )
    def post(self, request):
        data = s.SubscriptionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            _subscription, created = subscription_save(
                patient=request.user.patient_profile,
                endpoint=data.validated_data["endpoint"],
                **data.validated_data["keys"],
            )
        except SubscriptionTaken:
            message = _("This push subscription belongs to another account.")
            raise EndpointTaken({"endpoint": [message]}) from None
        return Response(
            {"endpoint": data.validated_data["endpoint"]},
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )

    @extend_schema(
        parameters=[s.SubscriptionQuerySerializer],
        responses={
            204: None,
            404: OpenApiResponse(ErrorSerializer, description="No such subscription."),
        },
    )
    def delete(self, request):
        query = s.SubscriptionQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        endpoint = query.validated_data["endpoint"]
        if not subscription_delete(patient=request.user.patient_profile, endpoint=endpoint):
            raise NotFound
        return Response(status=status.HTTP_204_NO_CONTENT)


class PublicKeyView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        responses={
            200: s.PublicKeySerializer,
            503: OpenApiResponse(ErrorSerializer, description="Push is not configured."),
        }
    )
    def get(self, request):
        key = public_key()
        if key is None:
            return Response(
                {"detail": _("Push notifications are not configured on this server.")},
                status=status.HTTP_503_SERVICE_UNAVAILABLE,
            )
        return Response({"public_key": key})


class NudgeView(APIView):
    """A physio sends a patient in their care a gentle reminder (at most one a day)."""

    permission_classes = [IsPhysio]

    @extend_schema(
        request=None,
        responses={
            201: OpenApiResponse(s.NudgeSerializer, description="A nudge is on its way."),
            200: OpenApiResponse(s.NudgeSerializer, description="Already nudged today."),
        },
    )
    def post(self, request, patient_id):
        patient = get_visible_patient(request.user, patient_id)
        created = notification_create(patient=patient, kind=Notification.Kind.NUDGE)
        return Response(
            {"queued": created is not None},
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )


@never_cache
@csrf_exempt  # the signed token is the authorisation; mail clients post one-click here
def unsubscribe(request, token):
    patient_id = unsubscribe_patient_id(token)
    patient = PatientProfile.objects.filter(pk=patient_id).select_related("user").first()
    if patient is None:
        return render(request, "reminders/unsubscribe.html", {"invalid": True}, status=404)
    schedule = schedule_for(patient)
    done = False
    if request.method == "POST":
        channels = [c for c in schedule.channels if c != "email"]
        schedule_update(
            schedule=schedule, channels=channels, enabled=bool(channels) and schedule.enabled
        )
        done = True
    return render(
        request,
        "reminders/unsubscribe.html",
        {"done": done or "email" not in schedule.channels, "token": token},
    )
