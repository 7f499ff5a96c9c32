from django.urls import path

from . import views

urlpatterns = [
    path("lessons/", views.LessonListView.as_view(), name="api-lessons"),
    path("lessons/<slug:lesson>/", views.LessonView.as_view(), name="api-lesson"),
    path(
        "patients/<int:patient_id>/lessons/",
        views.PatientLessonsView.as_view(),
        name="api-patient-lessons",
    ),
    path(
        "patients/<int:patient_id>/lessons/<slug:lesson>/pin/",
        views.PatientLessonPinView.as_view(),
        name="api-patient-lesson-pin",
    ),
]
