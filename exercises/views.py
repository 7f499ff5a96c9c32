"""The exercises API (api.md): library, templates, the patient's programme, completions, and
the physio's programme endpoints. Thin: access through accounts.access, rules in services."""

from datetime import date

from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.access import get_visible_patient
from accounts.permissions import IsPatient, IsPhysio
from common.api import ErrorSerializer, NoStoreMixin

from . import serializers as s
from .models import Exercise, ProgrammeItem, ProgrammeTemplate, TemplateItem
from .selectors import todays_plan
from .services import (
    completion_delete,
    completion_record,
    programme_assign,
    programme_item_update,
    template_create,
)


def _clinic_id(user):
    profile = getattr(user, "physio_profile", None) or getattr(user, "patient_profile", None)
    return profile.clinic_id if profile else None


def _parse_date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValidationError({"date": [_("Use the format YYYY-MM-DD.")]}) from None


class ExerciseListView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=s.ExerciseSerializer(many=True))
    def get(self, request):
        exercises = Exercise.objects.available_to(_clinic_id(request.user))
        return Response(s.ExerciseSerializer(exercises, many=True).data)


class ExerciseDetailView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=s.ExerciseDetailSerializer)
    def get(self, request, slug):
        exercise = get_object_or_404(
            Exercise.objects.available_to(_clinic_id(request.user)), slug=slug
        )
        return Response(s.ExerciseDetailSerializer(exercise).data)


class TemplateListView(APIView):
    permission_classes = [IsPhysio]

    def _templates(self, request):
        items = TemplateItem.objects.select_related("exercise").order_by("position", "pk")
        return ProgrammeTemplate.objects.available_to(_clinic_id(request.user)).prefetch_related(
            Prefetch("items", queryset=items)
        )

    @extend_schema(responses=s.TemplateSerializer(many=True))
    def get(self, request):
        templates = self._templates(request)
        return Response(s.TemplateSerializer(templates, many=True).data)

    @extend_schema(request=s.TemplateCreateSerializer, responses={201: s.TemplateSerializer})
    def post(self, request):
        context = {"clinic_id": _clinic_id(request.user)}
        data = s.TemplateCreateSerializer(data=request.data, context=context)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        fields["items"] = [
            {"exercise": item["exercise"], **s.dosage_fields(item)}
            for item in data.validated_data["items"]
        ]
        template = template_create(physio=request.user.physio_profile, **fields)
        template = self._templates(request).get(pk=template.pk)
        return Response(s.TemplateSerializer(template).data, status=status.HTTP_201_CREATED)


class ProgrammeView(NoStoreMixin, APIView):
    """The patient's active programme as it applies today."""

    permission_classes = [IsPatient]

    @extend_schema(
        responses={
            200: s.ProgrammeSerializer,
            404: OpenApiResponse(ErrorSerializer, description="No active programme."),
        }
    )
    def get(self, request):
        plan = todays_plan(request.user.patient_profile)
        if plan is None:
            raise Http404
        return Response(s.ProgrammeSerializer(plan).data)


# The path says `str` (a malformed date is a 400 naming `date`, not a 404), the schema what the
# view takes.
DAY = OpenApiParameter(
    "day", OpenApiTypes.DATE, OpenApiParameter.PATH, description="The patient's local date."
)


class CompletionView(NoStoreMixin, APIView):
    permission_classes = [IsPatient]

    def _item(self, request, item_id):
        return get_object_or_404(
            ProgrammeItem.objects.select_related("programme"),
            pk=item_id,
            programme__patient=request.user.patient_profile,
        )

    @extend_schema(
        parameters=[DAY],
        request=s.CompletionInputSerializer,
        responses=s.CompletionSerializer,
        description="Today or yesterday only (the patient's local dates); another date is a 400 "
        "naming `date`.",
    )
    def put(self, request, day, item_id):
        day = _parse_date(day)
        item = self._item(request, item_id)
        data = s.CompletionInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        completion = completion_record(
            patient=request.user.patient_profile, item=item, day=day, **data.validated_data
        )
        return Response(s.CompletionSerializer(completion).data)

    @extend_schema(
        parameters=[DAY, s.CompletionSessionSerializer],
        responses={204: None},
        description="Undo one session (`?session=`, 1 by default). Today or yesterday only; "
        "another date is a 400 naming `date`.",
    )
    def delete(self, request, day, item_id):
        day = _parse_date(day)
        item = self._item(request, item_id)
        # A plain dict: an empty `?session=` is a 400, not the default (a form would skip it).
        query = s.CompletionSessionSerializer(data=request.query_params.dict())
        query.is_valid(raise_exception=True)
        completion_delete(
            patient=request.user.patient_profile, item=item, day=day, **query.validated_data
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


class PatientProgrammeView(APIView):
    """A physio assigns a programme to a patient in their care."""

    permission_classes = [IsPhysio]

    @extend_schema(request=s.ProgrammeAssignSerializer, responses={201: s.ProgrammeSerializer})
    def post(self, request, patient_id):
        patient = get_visible_patient(request.user, patient_id)
        data = s.ProgrammeAssignSerializer(
            data=request.data, context={"clinic_id": patient.clinic_id}
        )
        data.is_valid(raise_exception=True)
        template = None
        if "template" in data.validated_data:
            try:
                template = ProgrammeTemplate.objects.available_to(patient.clinic_id).get(
                    slug=data.validated_data["template"]
                )
            except ProgrammeTemplate.DoesNotExist:
                raise ValidationError(
                    {
                        "template": [
                            _("There is no template called %(slug)s.")
                            % {"slug": data.validated_data["template"]}
                        ]
                    }
                ) from None
        items = None
        if "items" in data.validated_data:
            items = [
                {"exercise": raw["exercise"], **s.dosage_fields(raw)}
                for raw in data.validated_data["items"]
            ]
        programme_assign(
            physio=request.user.physio_profile,
            patient=patient,
            starts_on=data.validated_data["starts_on"],
            template=template,
            name=data.validated_data.get("name"),
            items=items,
        )
        plan = todays_plan(patient)
        return Response(s.ProgrammeSerializer(plan).data, status=status.HTTP_201_CREATED)


class PatientProgrammeItemView(APIView):
    permission_classes = [IsPhysio]

    @extend_schema(
        request=s.ItemUpdateSerializer,
        responses=s.PlannedItemSerializer,
        parameters=[OpenApiParameter("item_id", int, OpenApiParameter.PATH)],
    )
    def patch(self, request, patient_id, item_id):
        patient = get_visible_patient(request.user, patient_id)
        item = get_object_or_404(
            ProgrammeItem.objects.select_related("programme", "exercise"),
            pk=item_id,
            programme__patient=patient,
            programme__ended_at__isnull=True,
        )
        data = s.ItemUpdateSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        fields = data.to_dosage()
        if "stage" in data.validated_data:
            fields["stage"] = data.validated_data["stage"]
        programme_item_update(actor=request.user, item=item, **fields)
        plan = todays_plan(patient)
        planned = next(p for p in plan.items if p.item.pk == item.pk)
        return Response(s.PlannedItemSerializer(planned).data)
