from django.urls import path

from . import views

urlpatterns = [
    path("exercises/", views.ExerciseListView.as_view(), name="api-exercises"),
    path("exercises/<slug:slug>/", views.ExerciseDetailView.as_view(), name="api-exercise"),
    path("programme-templates/", views.TemplateListView.as_view(), name="api-templates"),
    path("programme/", views.ProgrammeView.as_view(), name="api-programme"),
    path(
        "completions/<str:day>/<int:item_id>/",
        views.CompletionView.as_view(),
        name="api-completion",
    ),
    path(
        "patients/<int:patient_id>/programme/",
        views.PatientProgrammeView.as_view(),
        name="api-patient-programme",
    ),
    path(
        "patients/<int:patient_id>/programme/items/<int:item_id>/",
        views.PatientProgrammeItemView.as_view(),
        name="api-patient-programme-item",
    ),
]
