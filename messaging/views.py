"""The messages API (api.md, second round). Thin: rules in services and selectors."""

from django.db import transaction
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.access import get_visible_patient
from accounts.audit import READ_MESSAGES, access_record
from accounts.models import AccessRecord
from accounts.permissions import IsPatient, IsPhysio
from accounts.throttling import ClientRateThrottle
from common.api import NoStoreMixin

from . import serializers as s
from .selectors import inbox, thread
from .services import message_send, thread_read


class _ThreadView(NoStoreMixin, APIView):
    # Posting is throttled per account (a flood answers 429); reading is not.
    throttle_scope = "message"

    def get_throttles(self):
        return [ClientRateThrottle()] if self.request.method == "POST" else []

    def _patient(self, request, **kwargs):
        raise NotImplementedError

    def _thread(self, request, patient):
        with transaction.atomic():
            messages = list(thread(patient))
            thread_read(patient=patient, reader=request.user)
        return Response([s.message_data(m, request.user) for m in messages])

    def _post(self, request, patient):
        data = s.MessageInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        message = message_send(
            patient=patient, author=request.user, body=data.validated_data["body"]
        )
        return Response(s.message_data(message, request.user), status=status.HTTP_201_CREATED)


class MessagesView(_ThreadView):
    permission_classes = [IsPatient]

    @extend_schema(
        responses=s.MessageSerializer(many=True),
        description="The patient's thread with their clinic, newest last. Opening it marks "
        "the clinic's messages as read.",
    )
    def get(self, request):
        return self._thread(request, request.user.patient_profile)

    @extend_schema(
        request=s.MessageInputSerializer,
        responses={201: s.MessageSerializer},
        description="Write to the clinic (1 to 2000 characters of text). Not for emergencies.",
    )
    def post(self, request):
        return self._post(request, request.user.patient_profile)


class PatientMessagesView(_ThreadView):
    permission_classes = [IsPhysio]

    @extend_schema(
        responses=s.MessageSerializer(many=True),
        description="A patient's thread, newest last; marks the patient's messages as read. "
        "Recorded in the patient's access log.",
    )
    def get(self, request, patient_id):
        patient = get_visible_patient(request.user, patient_id)
        response = self._thread(request, patient)
        access_record(actor=request.user, patients=patient, what=READ_MESSAGES)
        return response

    @extend_schema(
        request=s.MessageInputSerializer,
        responses={201: s.MessageSerializer},
        description="Answer the patient (1 to 2000 characters of text).",
    )
    def post(self, request, patient_id):
        patient = get_visible_patient(request.user, patient_id)
        response = self._post(request, patient)
        access_record(
            actor=request.user,
            patients=patient,
            what=READ_MESSAGES,
            action=AccessRecord.Action.WRITE,
        )
        return response


class InboxView(NoStoreMixin, APIView):
    permission_classes = [IsPhysio]

    @extend_schema(
        responses=s.InboxRowSerializer(many=True),
        description="The threads of the physio's patients: unanswered first, then those with "
        "a red flag, then the most recent.",
    )
    def get(self, request):
        return Response([s.inbox_row_data(row) for row in inbox(request.user)])
