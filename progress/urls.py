from django.urls import path

from . import views, views_export

urlpatterns = [
    path("progress/", views.ProgressView.as_view(), name="api-progress"),
    path("progress/chart.svg", views.ProgressChartView.as_view(), name="api-progress-chart"),
    path("patients/", views.PatientListView.as_view(), name="api-patients"),
    path("patients/<int:patient_id>/", views.PatientDetailView.as_view(), name="api-patient"),
    path(
        "patients/<int:patient_id>/progress/",
        views.PatientProgressView.as_view(),
        name="api-patient-progress",
    ),
    path(
        "patients/<int:patient_id>/progress/chart.svg",
        views.PatientChartView.as_view(),
        name="api-patient-chart",
    ),
    path(
        "episodes/current/report.pdf",
        views_export.EpisodeReportView.as_view(),
        name="api-episode-report",
    ),
    path(
        "patients/<int:patient_id>/report.pdf",
        views_export.PatientReportView.as_view(),
        name="api-patient-report",
    ),
    path(
        "patients/<int:patient_id>/fhir/",
        views_export.PatientFhirView.as_view(),
        name="api-patient-fhir",
    ),
]
