"""django-otp-webauthn's URLs, with our views (accounts.views_passkeys). Named as the
library names them (namespace `otp_webauthn`), so its template tags point here. Mounted
under /account/2fa/, which the second-factor middleware lets through: a sign-in or a first
passkey happens before the session is verified."""

from django.urls import path
from django.views.i18n import JavaScriptCatalog

from . import views_passkeys as views

app_name = "otp_webauthn"

urlpatterns = [
    path(
        "registration/begin/",
        views.PasskeyRegistrationBegin.as_view(),
        name="credential-registration-begin",
    ),
    path(
        "registration/complete/",
        views.PasskeyRegistrationComplete.as_view(),
        name="credential-registration-complete",
    ),
    path(
        "authentication/begin/",
        views.PasskeyAuthenticationBegin.as_view(),
        name="credential-authentication-begin",
    ),
    path(
        "authentication/complete/",
        views.PasskeyAuthenticationComplete.as_view(),
        name="credential-authentication-complete",
    ),
    # The library's scripts' messages; Danish ones from locale/da/LC_MESSAGES/djangojs.po.
    path(
        "jsi18n/",
        JavaScriptCatalog.as_view(packages=["django_otp_webauthn"]),
        name="js-i18n-catalog",
    ),
]
