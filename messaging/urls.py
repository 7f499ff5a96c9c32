from django.urls import path

from . import views

urlpatterns = [
    path("messages/", views.MessagesView.as_view(), name="api-messages"),
    path(
        "patients/<int:patient_id>/messages/",
        views.PatientMessagesView.as_view(),
        name="api-patient-messages",
    ),
    path("inbox/", views.InboxView.as_view(), name="api-inbox"),
]
