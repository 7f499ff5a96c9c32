from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from accounts import views_2fa
from common.health import healthz
from reminders import views as reminder_views

# Django tries the patterns in order, so the ones every patient calls every day (the diary,
# the day's exercises) come first: matching its way past the others cost the diary PUT more
# than its own serializer (bench/run.py).
api_v1 = [
    path("", include("diary.urls")),
    path("", include("exercises.urls")),
    path("", include("progress.urls")),
    path("", include("accounts.urls")),
    path("", include("privacy.urls")),
    path("", include("reminders.urls")),
    path("", include("outcomes.urls")),
    path("", include("care.urls")),
    path("", include("messaging.urls")),
    path("", include("lessons.urls")),
]

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("api/v1/", include(api_v1)),
    path(
        "reminders/unsubscribe/<str:token>/",
        reminder_views.unsubscribe,
        name="reminders-unsubscribe",
    ),
    path("admin/", admin.site.urls),
    path("account/2fa/verify/", views_2fa.verify, name="otp-verify"),
    path("account/2fa/setup/", views_2fa.setup, name="otp-setup"),
    path("account/2fa/", views_2fa.manage, name="otp-manage"),
    path("account/2fa/password/", views_2fa.password, name="otp-password"),
    path("account/2fa/recovery/", views_2fa.recovery, name="otp-recovery"),
    path("account/2fa/<int:device_id>/remove/", views_2fa.remove, name="otp-remove"),
    path("account/2fa/passkey/", views_2fa.passkey_add, name="otp-passkey-add"),
    path(
        "account/2fa/passkey/<int:device_id>/remove/",
        views_2fa.remove_passkey,
        name="otp-passkey-remove",
    ),
    path("account/2fa/webauthn/", include("accounts.urls_passkeys")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view serves Swagger UI's start-up script as a file: no inline script for CSP.
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("", include("web.urls")),
]

handler500 = "common.errors.server_error"
