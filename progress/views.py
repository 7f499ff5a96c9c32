"""Progress for the patient and, for patients in their care, for the physio (api.md)."""

from django.http import HttpResponse
from django.utils.translation import get_language
from django.views.decorators.http import condition
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.access import get_visible_patient
from accounts.audit import READ_CHECKINS, READ_PROFILE, READ_PROGRESS, access_record
from accounts.permissions import IsPatient, IsPhysio
from common.api import NoStoreMixin
from diary.serializers import CheckinSerializer
from exercises.serializers import ProgrammeSerializer

from . import serializers as s
from .cache import Chart
from .payload import patient_detail, patient_list, progress_payload
from .services import patient_settings_update


def chart_response(request, patient) -> HttpResponse:
    """The chart, or `304 Not Modified` when the client's copy (If-None-Match) shows the same
    data: the ETag is the digest of what the chart is drawn from (progress.cache)."""
    chart = Chart(patient, get_language() or "da")

    @condition(etag_func=lambda request: chart.etag)
    def respond(request):
        response = HttpResponse(chart.svg(), content_type="image/svg+xml; charset=utf-8")
        # Kept by the browser only to be asked about again (no-cache: always revalidated, so
        # a new diary entry shows at once); never by a shared cache (private).
        response["Cache-Control"] = "private, no-cache"
        response["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'"
        return response

    return respond(request)


class ProgressView(NoStoreMixin, APIView):
    permission_classes = [IsPatient]

    @extend_schema(responses=s.ProgressSerializer)
    def get(self, request):
        payload = progress_payload(request.user.patient_profile)
        return Response(s.ProgressSerializer(payload).data)


SVG_RESPONSE = {(200, "image/svg+xml"): OpenApiResponse(OpenApiTypes.STR, description="SVG")}


class ProgressChartView(APIView):
    permission_classes = [IsPatient]

    @extend_schema(responses=SVG_RESPONSE)
    def get(self, request):
        return chart_response(request, request.user.patient_profile)


class PatientListView(NoStoreMixin, APIView):
    permission_classes = [IsPhysio]

    @extend_schema(
        parameters=[
            OpenApiParameter("status", str, enum=list(s.STATUSES)),
            OpenApiParameter("flag", str, enum=list(s.FLAGS)),
        ],
        responses=s.PatientRowSerializer(many=True),
    )
    def get(self, request):
        # A plain dict: from a QueryDict DRF would read `?status=` as no filter at all.
        query = s.PatientListQuerySerializer(data=request.query_params.dict())
        query.is_valid(raise_exception=True)
        rows, shown = patient_list(
            viewer=request.user,
            status=query.validated_data.get("status"),
            flag=query.validated_data.get("flag"),
        )
        access_record(actor=request.user, patients=shown, what=READ_PROGRESS)
        # The rows hold only JSON-ready values (str, int, date, Decimal), which render exactly
        # as PatientRowSerializer would put them (test_patient_list_assessment checks it); the
        # serializer documents the schema, and running it over a thousand rows cost ~10 %
        # of the request.
        return Response(rows)


class PatientDetailView(NoStoreMixin, APIView):
    permission_classes = [IsPhysio]

    @extend_schema(responses=s.PatientDetailSerializer)
    def get(self, request, patient_id):
        patient = get_visible_patient(request.user, patient_id)
        detail = patient_detail(patient)
        for what in (READ_PROFILE, READ_PROGRESS, READ_CHECKINS):
            access_record(actor=request.user, patients=patient, what=what)
        plan = detail["programme"]
        return Response(
            {
                **detail,
                "programme": ProgrammeSerializer(plan).data if plan else None,
                "progress": s.ProgressSerializer(detail["progress"]).data,
                "recent_checkins": CheckinSerializer(detail["recent_checkins"], many=True).data,
            }
        )

    @extend_schema(request=s.PatientSettingsSerializer, responses=s.PatientSettingsResultSerializer)
    def patch(self, request, patient_id):
        patient = get_visible_patient(request.user, patient_id)
        data = s.PatientSettingsSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        row = patient_settings_update(actor=request.user, patient=patient, **data.validated_data)
        return Response(
            {
                "id": patient.pk,
                "baseline_override": row.baseline_override,
                "review_weeks": row.review_weeks,
            }
        )


class PatientProgressView(NoStoreMixin, APIView):
    permission_classes = [IsPhysio]

    @extend_schema(responses=s.ProgressSerializer)
    def get(self, request, patient_id):
        patient = get_visible_patient(request.user, patient_id)
        access_record(actor=request.user, patients=patient, what=READ_PROGRESS)
        return Response(s.ProgressSerializer(progress_payload(patient)).data)


class PatientChartView(APIView):
    permission_classes = [IsPhysio]

    @extend_schema(responses=SVG_RESPONSE)
    def get(self, request, patient_id):
        patient = get_visible_patient(request.user, patient_id)
        # Recorded also when the answer is 304: the physio sees the chart again.
        access_record(actor=request.user, patients=patient, what=READ_PROGRESS)
        return chart_response(request, patient)
