from django.contrib.auth import logout
from django.http import HttpResponse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import views as accounts_views
from accounts.permissions import IsPatient
from accounts.throttling import ClientRateThrottle
from common.api import VALIDATION, ErrorSerializer
from progress.fhir import CONTENT_TYPE as FHIR_CONTENT_TYPE
from progress.views_export import NO_EPISODE, fhir_response

from .serializers import ExportSerializer
from .services import diary_csv, patient_erase, patient_export


class ExportQuerySerializer(serializers.Serializer):
    # "as" is a Python keyword: the parameter is read into `as_`.
    as_ = serializers.ChoiceField(
        choices=["json", "csv", "fhir"],
        default="json",
        help_text="json: everything; csv: the diary; fhir: the current episode as a FHIR Bundle.",
    )


class ExportView(APIView):
    permission_classes = [IsPatient]

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "as",
                str,
                enum=["json", "csv", "fhir"],
                description="json (the default): everything; "
                "csv: the diary; fhir: the current episode as a FHIR R4 Bundle (404 without "
                "one). Anything else is a 400 naming `as`.",
            )
        ],
        responses={
            (200, "application/json"): ExportSerializer,
            (200, "text/csv"): OpenApiTypes.STR,
            (200, FHIR_CONTENT_TYPE): OpenApiTypes.OBJECT,
            404: NO_EPISODE,
        },
    )
    def get(self, request):
        query = ExportQuerySerializer(data={"as_": request.query_params.get("as", "json")})
        if not query.is_valid():
            raise ValidationError({"as": query.errors["as_"]})
        patient = request.user.patient_profile
        if query.validated_data["as_"] == "fhir":
            return fhir_response(request.user, patient)
        stamp = request.user.local_today().isoformat()
        if query.validated_data["as_"] == "csv":
            response = HttpResponse(diary_csv(patient), content_type="text/csv; charset=utf-8")
            response["Content-Disposition"] = f'attachment; filename="haelapp-diary-{stamp}.csv"'
        else:
            response = Response(patient_export(patient))
            response["Content-Disposition"] = f'attachment; filename="haelapp-{stamp}.json"'
        response["Cache-Control"] = "no-store"
        return response


class EraseSerializer(serializers.Serializer):
    password = serializers.CharField(max_length=512, trim_whitespace=False)


class MeView(accounts_views.MeView):
    """`/api/v1/me/`: the profile from accounts, plus DELETE, the patient's erasure, which
    needs every data app and so lives here."""

    throttle_scope = "erase"

    def get_permissions(self):
        return [IsPatient()] if self.request.method == "DELETE" else super().get_permissions()

    def get_throttles(self):
        return [ClientRateThrottle()] if self.request.method == "DELETE" else []

    @extend_schema(
        request=EraseSerializer,
        responses={
            204: None,
            400: VALIDATION,
            429: OpenApiResponse(ErrorSerializer, description="Too many attempts; try later."),
        },
    )
    def delete(self, request):
        data = EraseSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        if not request.user.check_password(data.validated_data["password"]):
            raise serializers.ValidationError({"password": [_("The password is not correct.")]})
        patient_erase(request.user.patient_profile)
        logout(request._request)
        return Response(status=status.HTTP_204_NO_CONTENT)
