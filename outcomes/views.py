"""The questionnaire API (api.md, second round). Thin: rules in services and selectors."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.access import get_visible_patient
from accounts.audit import READ_QUESTIONNAIRES, access_record
from accounts.permissions import IsPatient, IsPhysio
from common.api import NoStoreMixin

from . import serializers as s
from .models import QuestionnaireResponse
from .selectors import fixed_activities, history
from .services import AnswersInvalid, questionnaire_save, questionnaires_prepare


class DueView(NoStoreMixin, APIView):
    permission_classes = [IsPatient]

    @extend_schema(
        responses=s.QuestionnaireSerializer(many=True),
        description="The questionnaires the patient can answer today (drafts included), made "
        "when they fall due on the episode's clock.",
    )
    def get(self, request):
        patient = request.user.patient_profile
        due = questionnaires_prepare(patient=patient)
        return Response([s.questionnaire_data(r, fixed_activities(r)) for r in due])


class QuestionnaireView(NoStoreMixin, APIView):
    permission_classes = [IsPatient]

    def _own(self, request, response_id):
        # Another patient's questionnaire is a 404, as if it did not exist.
        return get_object_or_404(
            QuestionnaireResponse.objects.select_related("patient__user"),
            pk=response_id,
            patient=request.user.patient_profile,
        )

    @extend_schema(responses=s.QuestionnaireSerializer)
    def get(self, request, response_id):
        response = self._own(request, response_id)
        return Response(s.questionnaire_data(response, fixed_activities(response)))

    @extend_schema(
        request=s.AnswerInputSerializer,
        responses=s.QuestionnaireSerializer,
        description="Save a draft (`submit` false) or send (`submit` true: every required item "
        "answered; then scored and read-only). A 400 names the item.",
    )
    def put(self, request, response_id):
        response = self._own(request, response_id)
        data = s.AnswerInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            saved = questionnaire_save(
                response=response,
                answers=data.validated_data["answers"],
                submit=data.validated_data["submit"],
                language=request.LANGUAGE_CODE,
            )
        except AnswersInvalid as invalid:
            # Under the field they came in, by item: {"answers": {"rating_1": [...]}}.
            raise ValidationError({"answers": invalid.errors}) from None
        return Response(s.questionnaire_data(saved, fixed_activities(saved)))


class PatientQuestionnairesView(NoStoreMixin, APIView):
    permission_classes = [IsPhysio]

    @extend_schema(
        responses=s.AnsweredSerializer(many=True),
        description="The patient's answered questionnaires, oldest first, with scores and the "
        "change against the episode's first answer and whether it reaches the MCID.",
    )
    def get(self, request, patient_id):
        patient = get_visible_patient(request.user, patient_id)
        rows = history(patient)
        access_record(actor=request.user, patients=patient, what=READ_QUESTIONNAIRES)
        return Response([s.answered_data(row) for row in rows])
