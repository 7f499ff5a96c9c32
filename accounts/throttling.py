"""Brute-force protection for every login path (web form, admin, API token), via django-axes.

Attempts are counted per (e-mail, IP address), so an attacker elsewhere cannot lock a patient
out, and a lock-out lasts only `LOGIN_COOLOFF_MINUTES`. Axes refuses before the password is
hashed, so a flood of guesses costs no Argon2 time.
"""

import math

from axes.helpers import get_cool_off
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _


def login_identifier(request, credentials=None) -> str:
    """The e-mail address being tried, lower-cased so `A@x.dk` and `a@x.dk` count together."""
    value = None
    if credentials:
        value = credentials.get("email") or credentials.get("username")
    if value is None:
        value = request.POST.get("email") or request.POST.get("username")
    return (value or "").strip().lower()


def lockout_response(request, original_response=None, credentials=None):
    cool_off = get_cool_off(request)
    minutes = math.ceil(cool_off.total_seconds() / 60) if cool_off else 15
    message = _(
        "Too many failed log-in attempts. Try again in %(minutes)d minutes, or reset your password."
    ) % {"minutes": minutes}
    if request.path.startswith("/api/"):
        response = JsonResponse({"detail": message}, status=429)
    else:
        response = render(request, "registration/locked_out.html", {"message": message}, status=429)
    response["Retry-After"] = str(minutes * 60)
    return response
