from django.urls import path

from . import views

urlpatterns = [
    path("episodes/current/", views.CurrentEpisodeView.as_view(), name="api-episode-current"),
    path(
        "patients/<int:patient_id>/episodes/",
        views.PatientEpisodesView.as_view(),
        name="api-patient-episodes",
    ),
    path(
        "patients/<int:patient_id>/episodes/<int:episode_id>/",
        views.PatientEpisodeView.as_view(),
        name="api-patient-episode",
    ),
    path(
        "patients/<int:patient_id>/episodes/<int:episode_id>/reviews/",
        views.EpisodeReviewsView.as_view(),
        name="api-patient-episode-reviews",
    ),
    path(
        "patients/<int:patient_id>/episodes/<int:episode_id>/close/",
        views.EpisodeCloseView.as_view(),
        name="api-patient-episode-close",
    ),
]
