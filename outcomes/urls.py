from django.urls import path

from . import views

urlpatterns = [
    path("questionnaires/due/", views.DueView.as_view(), name="api-questionnaires-due"),
    path(
        "questionnaires/<int:response_id>/",
        views.QuestionnaireView.as_view(),
        name="api-questionnaire",
    ),
    path(
        "patients/<int:patient_id>/questionnaires/",
        views.PatientQuestionnairesView.as_view(),
        name="api-patient-questionnaires",
    ),
]
