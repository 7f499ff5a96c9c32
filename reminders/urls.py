from django.urls import path

from . import views

urlpatterns = [
    path("reminders/", views.ReminderView.as_view(), name="api-reminders"),
    path(
        "push-subscriptions/", views.PushSubscriptionView.as_view(), name="api-push-subscriptions"
    ),
    path("push/public-key/", views.PublicKeyView.as_view(), name="api-push-public-key"),
    path("patients/<int:patient_id>/nudge/", views.NudgeView.as_view(), name="api-patient-nudge"),
]
