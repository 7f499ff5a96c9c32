"""Second factor (TOTP, django-otp) for physiotherapists and staff, optional for patients.

A user who needs a second factor and has logged in with their password is not yet
*verified*: until they enter a code (or set up an authenticator app first), every page sends
them to do so and the session API answers 403. API tokens are only issued after a code, so a
token request is verified by construction.
"""

from urllib.parse import urlencode

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django_otp import user_has_device

EXEMPT_PREFIXES = ("/static/", "/account/2fa/", "/logout/", "/healthz", "/manifest", "/sw.js")


def needs_second_factor(user) -> bool:
    if not user.is_authenticated:
        return False
    if settings.REQUIRE_2FA and (user.is_staff or hasattr(user, "physio_profile")):
        return True
    # Patients may opt in; once they have, the code is required at every log-in.
    return user_has_device(user)


class RequireSecondFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and not request.path.startswith(EXEMPT_PREFIXES)
            and needs_second_factor(user)
            and not user.is_verified()
        ):
            if request.path.startswith("/api/"):
                return JsonResponse(
                    {"detail": _("Enter the code from your authenticator app first.")},
                    status=403,
                )
            target = "otp-verify" if user_has_device(user) else "otp-setup"
            return redirect(f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)
