from django.urls import path

from . import views

urlpatterns = [
    path("auth/token/", views.TokenView.as_view(), name="api-token"),
    path("auth/logout/", views.LogoutView.as_view(), name="api-logout"),
    path("invitations/", views.InvitationListCreateView.as_view(), name="api-invitations"),
    path("invitations/accept/", views.InvitationAcceptView.as_view(), name="api-invitation-accept"),
    path("clinic/", views.ClinicView.as_view(), name="api-clinic"),
    path("access-log/", views.AccessLogView.as_view(), name="api-access-log"),
]
