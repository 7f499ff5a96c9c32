from django.contrib.auth import views as auth_views
from django.urls import path

from accounts import views_password

from .views import account, episodes, guide, lessons, patient, physio, pwa
from .views import follow_up as follow_up_pages
from .views import messages as message_pages
from .views import questionnaires as questionnaire_pages

RESET_EMAIL = "registration/password_reset_email.txt"
RESET_SUBJECT = "registration/password_reset_subject.txt"

urlpatterns = [
    path("", account.home, name="home"),
    # Patient
    path("today/guide/", guide.guide, name="guide"),
    path("progress/", patient.progress, name="progress"),
    path("programme/", patient.programme, name="programme"),
    path("programme/notice/seen/", patient.programme_notice_seen, name="programme-notice-seen"),
    path("welcome/seen/", patient.welcome_seen, name="welcome-seen"),
    path("checkin/", patient.checkin, name="checkin"),
    path("learn/", lessons.lesson_list, name="lessons"),
    path("learn/<slug:lesson>/", lessons.lesson_detail, name="lesson"),
    path("my-data/", account.my_data, name="my-data"),
    path("follow-up/<int:week>/", follow_up_pages.follow_up, name="follow-up"),
    path("messages/", message_pages.patient_thread, name="messages"),
    path("questionnaires/", questionnaire_pages.questionnaire_list, name="questionnaires"),
    path(
        "questionnaires/<int:response_id>/",
        questionnaire_pages.questionnaire_page,
        name="questionnaire",
    ),
    path("my-data/delete/", account.delete_account, name="delete-account"),
    # Physiotherapist
    path("patients/<int:patient_id>/", physio.patient_detail, name="patient"),
    path(
        "patients/<int:patient_id>/lessons/<slug:lesson>/pin/",
        lessons.lesson_pin_form,
        name="patient-lesson-pin",
    ),
    path(
        "patients/<int:patient_id>/episodes/open/",
        episodes.episode_open_form,
        name="patient-episode-open",
    ),
    path(
        "patients/<int:patient_id>/episodes/<int:episode_id>/heels/",
        episodes.episode_heels_form,
        name="patient-episode-heels",
    ),
    path(
        "patients/<int:patient_id>/episodes/<int:episode_id>/reviews/<slug:kind>/",
        episodes.episode_review_form,
        name="patient-episode-review",
    ),
    path(
        "patients/<int:patient_id>/episodes/<int:episode_id>/close/",
        episodes.episode_close_form,
        name="patient-episode-close",
    ),
    path("invite/", physio.invite, name="invite"),
    path("inbox/", message_pages.inbox, name="inbox"),
    path(
        "patients/<int:patient_id>/messages/",
        message_pages.physio_thread,
        name="patient-messages",
    ),
    # Everyone
    path("settings/", account.settings_page, name="settings"),
    path("about/", account.about, name="about"),
    path("language/", account.language, name="language"),
    path("goodbye/", account.goodbye, name="goodbye"),
    path(
        "login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("join/<str:code>/", account.join, name="join"),
    path(
        "password-reset/",
        account.PasswordResetView.as_view(
            email_template_name=RESET_EMAIL, subject_template_name=RESET_SUBJECT
        ),
        name="password_reset",
    ),
    path(
        "password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "password-reset/<uidb64>/<token>/",
        # Ends every session and API token of the account (accounts.views_password).
        views_password.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password-reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    # Installable app
    path("manifest.webmanifest", pwa.manifest, name="manifest"),
    path(pwa.SERVICE_WORKER_PATH.lstrip("/"), pwa.service_worker, name="service-worker"),
    path("offline/", pwa.offline, name="offline"),
    path("programme.json", pwa.programme_json, name="programme-json"),
]
