"""The clinician report (PDF) and the FHIR export (api.md, "Added for the second round").

Health data: never stored by a cache (`Cache-Control: no-store`); a physio's download is in the
patient's access log. The texts are in the reader's language (their profile's).
"""

from django.http import Http404, HttpResponse
from django.utils import translation
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.views import APIView

from accounts.access import get_visible_patient
from accounts.audit import access_record
from accounts.models import PatientProfile, User
from accounts.permissions import IsPatient, IsPhysio
from common.api import ErrorSerializer

from .fhir import CONTENT_TYPE, bundle_json
from .record import Record, clinical_record, current_episode
from .report import report_pdf

# What the access log says was read (web.labels.ACCESS_WHAT labels them).
READ_REPORT = "report"
READ_FHIR = "fhir"

NO_EPISODE = OpenApiResponse(
    ErrorSerializer, description="No episode of care yet, or not visible to the caller."
)
PDF_RESPONSE = {
    (200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY, description="A4 PDF"),
    404: NO_EPISODE,
}
FHIR_RESPONSE = {
    (200, CONTENT_TYPE): OpenApiResponse(
        OpenApiTypes.OBJECT, description="A FHIR R4 Bundle of type collection"
    ),
    404: NO_EPISODE,
}


def patient_record(patient: PatientProfile) -> Record:
    """The record of the patient's current episode; 404 when there is none yet."""
    episode = current_episode(patient)
    if episode is None:
        raise Http404("No episode of care.")
    return clinical_record(patient, episode)


def pdf_response(reader: User, patient: PatientProfile, *, for_doctor: bool) -> HttpResponse:
    with translation.override(reader.language or "da"):
        record = patient_record(patient)
        body = report_pdf(record, for_doctor=for_doctor)
    response = HttpResponse(body, content_type="application/pdf")
    stamp = record.today.isoformat()
    response["Content-Disposition"] = f'attachment; filename="haelapp-report-{stamp}.pdf"'
    response["Cache-Control"] = "no-store"
    return response


def fhir_response(reader: User, patient: PatientProfile) -> HttpResponse:
    with translation.override(reader.language or "da"):
        record = patient_record(patient)
        body = bundle_json(record)
    response = HttpResponse(body, content_type=f"{CONTENT_TYPE}; charset=utf-8")
    stamp = record.today.isoformat()
    response["Content-Disposition"] = f'attachment; filename="haelapp-fhir-{stamp}.json"'
    response["Cache-Control"] = "no-store"
    return response


class EpisodeReportView(APIView):
    """The patient's own report, to bring to their doctor."""

    permission_classes = [IsPatient]

    @extend_schema(responses=PDF_RESPONSE)
    def get(self, request):
        return pdf_response(request.user, request.user.patient_profile, for_doctor=True)


class PatientReportView(APIView):
    """The clinician report of a patient in the physio's care."""

    permission_classes = [IsPhysio]

    @extend_schema(responses=PDF_RESPONSE)
    def get(self, request, patient_id):
        patient = get_visible_patient(request.user, patient_id)
        response = pdf_response(request.user, patient, for_doctor=False)
        access_record(actor=request.user, patients=patient, what=READ_REPORT)
        return response


class PatientFhirView(APIView):
    """The FHIR Bundle of a patient in the physio's care, for the clinic's journal."""

    permission_classes = [IsPhysio]

    @extend_schema(responses=FHIR_RESPONSE)
    def get(self, request, patient_id):
        patient = get_visible_patient(request.user, patient_id)
        response = fhir_response(request.user, patient)
        access_record(actor=request.user, patients=patient, what=READ_FHIR)
        return response
