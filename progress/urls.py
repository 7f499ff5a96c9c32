from django.urls import path

from . import views

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
]
