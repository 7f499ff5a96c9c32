from django.urls import path

from . import views

urlpatterns = [
    path("diary/", views.DiaryListView.as_view(), name="api-diary"),
    path("diary/<str:day>/", views.DiaryEntryView.as_view(), name="api-diary-entry"),
    path("checkins/", views.CheckinListCreateView.as_view(), name="api-checkins"),
    path("checkins/questions/", views.CheckinQuestionsView.as_view(), name="api-checkin-questions"),
    path(
        "checkins/<int:checkin_id>/acknowledge/",
        views.CheckinAcknowledgeView.as_view(),
        name="api-checkin-acknowledge",
    ),
    path(
        "patients/<int:patient_id>/diary/",
        views.PatientDiaryView.as_view(),
        name="api-patient-diary",
    ),
    path(
        "patients/<int:patient_id>/checkins/",
        views.PatientCheckinsView.as_view(),
        name="api-patient-checkins",
    ),
]
