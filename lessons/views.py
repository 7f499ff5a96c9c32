"""The lessons API (api.md, second round). Thin: rules in selectors and services."""

from django.http import Http404
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.access import get_visible_patient
from accounts.audit import LESSONS, access_record
from accounts.permissions import IsPatient, IsPhysio
from common.api import NoStoreMixin

from . import serializers as s
from .selectors import lesson_states, lessons_listed, unlocked_lesson
from .services import lesson_pin, lesson_read_mark, lesson_unpin


class LessonListView(NoStoreMixin, APIView):
    permission_classes = [IsPatient]

    @extend_schema(
        responses=s.LessonListItemSerializer(many=True),
        description="The lessons of the patient's clinic in order: one unlocks each week of "
        "the episode (and any the physio pinned); earlier ones stay unlocked.",
    )
    def get(self, request):
        states = lesson_states(request.user.patient_profile)
        return Response([s.list_item_data(state) for state in states])


class LessonView(NoStoreMixin, APIView):
    permission_classes = [IsPatient]

    @extend_schema(
        responses=s.LessonSerializer,
        description="One lesson, in the user's language; marks it read. 404 while it is "
        "locked or when the clinic hides it.",
    )
    def get(self, request, lesson):
        patient = request.user.patient_profile
        found = unlocked_lesson(patient, lesson)
        if found is None:
            raise Http404
        lesson_read_mark(patient=patient, lesson=found)
        return Response(s.lesson_data(found))


class PatientLessonsView(NoStoreMixin, APIView):
    permission_classes = [IsPhysio]

    @extend_schema(
        responses=s.PatientLessonSerializer(many=True),
        description="The patient's lessons with what is unlocked, read (and when) and pinned.",
    )
    def get(self, request, patient_id):
        patient = get_visible_patient(request.user, patient_id)
        states = lesson_states(patient)
        access_record(actor=request.user, patients=patient, what=LESSONS)
        return Response([s.patient_lesson_data(state) for state in states])


class PatientLessonPinView(NoStoreMixin, APIView):
    permission_classes = [IsPhysio]

    def _lesson(self, request, patient_id, slug):
        patient = get_visible_patient(request.user, patient_id)
        lesson = lessons_listed(patient).filter(slug=slug).first()
        if lesson is None:
            raise Http404
        return patient, lesson

    @extend_schema(
        request=None,
        responses={201: s.PinSerializer, 200: s.PinSerializer},
        description="Open the lesson for the patient now, whatever the week: 201, or 200 "
        "when it was pinned already. Recorded in the patient's access log.",
    )
    def post(self, request, patient_id, lesson):
        patient, found = self._lesson(request, patient_id, lesson)
        _pin, created = lesson_pin(actor=request.user, patient=patient, lesson=found)
        return Response(
            {"slug": found.slug, "pinned": True},
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )

    @extend_schema(
        request=None,
        responses={204: OpenApiResponse(description="Unpinned (or was not pinned).")},
    )
    def delete(self, request, patient_id, lesson):
        patient, found = self._lesson(request, patient_id, lesson)
        lesson_unpin(actor=request.user, patient=patient, lesson=found)
        return Response(status=status.HTTP_204_NO_CONTENT)
