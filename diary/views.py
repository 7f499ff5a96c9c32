"""The diary and check-in API (api.md). Thin: rules in services, access through accounts."""

from datetime import date

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.access import get_visible_patient
from accounts.audit import READ_CHECKINS, READ_DIARY, access_record
from accounts.permissions import IsPatient, IsPhysio
from common.api import NoStoreMixin

from . import serializers as s
from .models import CheckIn, DiaryEntry
from .red_flags import questions, stored_advice
from .selectors import checkins_recent, diary_entries
from .services import checkin_acknowledge, checkin_submit, diary_delete, diary_put


def parse_day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValidationError({"date": [_("Use the format YYYY-MM-DD.")]}) from None


def entries_in_range(request, patient):
    """The entries the `from` and `to` query parameters ask for (diary.selectors.diary_range)."""
    query = request.query_params
    params = s.DiaryRangeSerializer(
        data={key: query[name] for key, name in (("from_", "from"), ("to", "to")) if name in query}
    )
    if not params.is_valid():
        raise ValidationError(
            {("from" if key == "from_" else key): value for key, value in params.errors.items()}
        )
    return diary_entries(
        patient=patient,
        first=params.validated_data.get("from_"),
        last=params.validated_data.get("to"),
    )


RANGE_PARAMETERS = [
    OpenApiParameter("from", date, description="First date (default: 90 days before `to`)."),
    OpenApiParameter("to", date, description="Last date (default: today, patient's time)."),
]


# The path says `str` (a malformed date is a 400 naming `date`, not a 404), the schema what the
# view takes.
DAY = OpenApiParameter(
    "day", OpenApiTypes.DATE, OpenApiParameter.PATH, description="The patient's local date."
)


class DiaryListView(NoStoreMixin, APIView):
    permission_classes = [IsPatient]

    @extend_schema(parameters=RANGE_PARAMETERS, responses=s.DiaryEntrySerializer(many=True))
    def get(self, request):
        entries = entries_in_range(request, request.user.patient_profile)
        return Response(s.DiaryEntrySerializer(entries, many=True).data)


class DiaryEntryView(NoStoreMixin, APIView):
    permission_classes = [IsPatient]

    @extend_schema(
        parameters=[DAY],
        request=s.DiaryInputSerializer,
        responses={200: s.DiaryEntrySerializer, 201: s.DiaryEntrySerializer},
        description="Today or yesterday only (the patient's local dates); another date is a 400 "
        "naming `date`.",
    )
    def put(self, request, day):
        day = parse_day(day)
        data = s.DiaryInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        entry, created = diary_put(
            patient=request.user.patient_profile, day=day, **data.validated_data
        )
        return Response(
            s.entry_data(entry), status=status.HTTP_201_CREATED if created else status.HTTP_200_OK
        )

    @extend_schema(parameters=[DAY], responses={200: s.DiaryEntrySerializer})
    def get(self, request, day):
        entry = get_object_or_404(
            DiaryEntry, patient=request.user.patient_profile, date=parse_day(day)
        )
        return Response(s.DiaryEntrySerializer(entry).data)

    @extend_schema(
        parameters=[DAY],
        responses={204: None},
        description="Today or yesterday only; another date is a 400 naming `date`.",
    )
    def delete(self, request, day):
        diary_delete(patient=request.user.patient_profile, day=parse_day(day))
        return Response(status=status.HTTP_204_NO_CONTENT)


class CheckinListCreateView(NoStoreMixin, APIView):
    permission_classes = [IsPatient]

    @extend_schema(responses=s.CheckinSerializer(many=True))
    def get(self, request):
        checkins = checkins_recent(patient=request.user.patient_profile)
        return Response(s.CheckinSerializer(checkins, many=True).data)

    @extend_schema(request=s.CheckinInputSerializer, responses={201: s.CheckinCreatedSerializer})
    def post(self, request):
        data = s.CheckinInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        patient = request.user.patient_profile
        checkin = checkin_submit(
            patient=patient,
            answers=data.validated_data["answers"],
            has_diabetes=data.validated_data.get("has_diabetes"),
        )
        advice = stored_advice(checkin.red_flags, has_diabetes=patient.has_diabetes)
        body = {"id": checkin.pk, "advice": advice.__dict__ if advice else None}
        return Response(s.CheckinCreatedSerializer(body).data, status=status.HTTP_201_CREATED)


class CheckinQuestionsView(APIView):
    permission_classes = [IsPatient]

    @extend_schema(
        responses=s.RedFlagQuestionSerializer(many=True),
        description="In the order and words this patient is asked them (a patient with "
        "diabetes is asked about a foot wound first).",
    )
    def get(self, request):
        asked = questions(has_diabetes=request.user.patient_profile.has_diabetes)
        return Response(s.RedFlagQuestionSerializer(asked, many=True).data)


class CheckinAcknowledgeView(NoStoreMixin, APIView):
    """The patient has read the advice; exercise reminders resume."""

    permission_classes = [IsPatient]

    @extend_schema(request=None, responses=s.CheckinSerializer)
    def post(self, request, checkin_id):
        checkin = get_object_or_404(CheckIn, pk=checkin_id, patient=request.user.patient_profile)
        return Response(s.CheckinSerializer(checkin_acknowledge(checkin=checkin)).data)


class PatientDiaryView(NoStoreMixin, APIView):
    permission_classes = [IsPhysio]

    @extend_schema(parameters=RANGE_PARAMETERS, responses=s.DiaryEntrySerializer(many=True))
    def get(self, request, patient_id):
        patient = get_visible_patient(request.user, patient_id)
        entries = entries_in_range(request, patient)
        access_record(actor=request.user, patients=patient, what=READ_DIARY)
        return Response(s.DiaryEntrySerializer(entries, many=True).data)


class PatientCheckinsView(NoStoreMixin, APIView):
    permission_classes = [IsPhysio]

    @extend_schema(responses=s.CheckinSerializer(many=True))
    def get(self, request, patient_id):
        patient = get_visible_patient(request.user, patient_id)
        checkins = checkins_recent(patient=patient)
        access_record(actor=request.user, patients=patient, what=READ_CHECKINS)
        return Response(s.CheckinSerializer(checkins, many=True).data)
