"""Pages for everyone: the start page, joining, about, language, settings and my data."""

import math
import zoneinfo
from functools import cache

from django.conf import settings
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.dates import WEEKDAYS
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST
from django.views.i18n import set_language

from accounts.access import is_patient, is_physio
from accounts.backends import PASSWORD_BACKEND
from accounts.models import AccessRecord, Language
from accounts.services import (
    InvitationInvalid,
    invitation_accept,
    invitation_get_usable,
    user_update_profile,
)
from accounts.throttling import client_address, password_reset_allowed, throttle_attempt
from progress.explain import rule_sentences
from progress.selectors import viewer_rules
from reminders.services import schedule_for

from ..decorators import offline_ok, patient_required
from ..forms import JoinForm
from ..labels import ACCESS_WHAT, ROLE
from . import patient as patient_views
from . import physio as physio_views

ACCESS_LOG_ROWS = 100


@login_required
def home(request):
    if is_patient(request.user):
        return patient_views.today(request)
    if is_physio(request.user):
        return physio_views.patient_list(request)
    return render(request, "web/home.html")


@never_cache
@sensitive_post_parameters("password1", "password2")
def join(request, code):
    if request.method == "POST":
        # The same count as the API's join (scope "invitation", per client address): the form
        # is another door to the same thing.
        wait = throttle_attempt(scope="invitation", ident=client_address(request))
        if wait is not None:
            return too_many_attempts(request, wait)
    try:
        invitation = invitation_get_usable(code=code)
    except InvitationInvalid:
        return render(request, "web/join_invalid.html", status=404)
    form = JoinForm(request.POST or None, initial={"name": invitation.name})
    if request.method == "POST" and form.is_valid():
        try:
            user = invitation_accept(
                code=code, password=form.cleaned_data["password1"], name=form.cleaned_data["name"]
            )
        except InvitationInvalid:
            return render(request, "web/join_invalid.html", status=404)
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                target = "password1" if field == "password" else None
                for message in messages:
                    form.add_error(target, message)
        else:
            language = getattr(request, "LANGUAGE_CODE", None)
            if language in dict(Language.choices) and language != user.language:
                user_update_profile(user=user, language=language)
            login(request, user, backend=PASSWORD_BACKEND)
            return redirect("checkin")
    return render(request, "web/join.html", {"form": form, "invitation": invitation})


def too_many_attempts(request, wait: int):
    response = render(request, "web/throttled.html", {"minutes": math.ceil(wait / 60)}, status=429)
    response["Retry-After"] = str(wait)
    return response


class PasswordResetView(auth_views.PasswordResetView):
    """Django's password reset, throttled per client address and per e-mail address. A
    throttled request gets the same answer as any other (the "if the address exists, we sent
    a link" page) but no e-mail: a different answer would tell whether the address exists,
    and an error page would tell an attacker when to slow down."""

    def form_valid(self, form):
        if password_reset_allowed(self.request, form.cleaned_data["email"]):
            return super().form_valid(form)
        return HttpResponseRedirect(self.get_success_url())


def about(request):
    # The rule explained with the numbers it uses for this reader (progress.explain).
    thresholds, review_weeks = viewer_rules(request.user)
    context = {"page": "about", "rule_sentences": rule_sentences(thresholds, review_weeks)}
    return offline_ok(render(request, "web/about.html", context))


@require_POST
def language(request):
    """Switch the language: stored on the user when logged in (it then wins over the browser's
    choice everywhere, e-mails and notifications included), in a cookie otherwise."""
    code = request.POST.get("language")
    if request.user.is_authenticated and code in dict(Language.choices):
        user_update_profile(user=request.user, language=code)
    next_url = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        request.POST = request.POST.copy()
        request.POST["next"] = "/"
    return set_language(request)


# Where most patients live first (Denmark, the Faroe Islands, Greenland), then the rest.
COMMON_TIME_ZONES = ("Europe/Copenhagen", "Atlantic/Faroe", "America/Nuuk")


@cache
def _time_zones() -> list[tuple[str, list[tuple[str, str]]]]:
    """Every place's zone for the picker, grouped by region: (region, [(zone, label)])."""
    groups: dict[str, list[tuple[str, str]]] = {}
    for zone in sorted(zoneinfo.available_timezones()):
        if "/" not in zone or zone.startswith(("Etc/", "SystemV/")) or zone in COMMON_TIME_ZONES:
            continue
        region, place = zone.split("/", 1)
        groups.setdefault(region, []).append((zone, place.replace("_", " ").replace("/", " - ")))
    return sorted(groups.items())


def _unlisted(zone: str) -> str:
    listed = {z for _region, zones in _time_zones() for z, _place in zones}
    return "" if zone in listed or zone in COMMON_TIME_ZONES else zone


@never_cache
@login_required
def settings_page(request):
    context = {
        "languages": Language.choices,
        "common_time_zones": [
            ("Europe/Copenhagen", _("Denmark (Copenhagen)")),
            ("Atlantic/Faroe", _("Faroe Islands (Tórshavn)")),
            ("America/Nuuk", _("Greenland (Nuuk)")),
        ],
        "time_zones": _time_zones(),
        # A zone the picker does not list (set through the API, an alias): kept, shown first.
        "other_time_zone": _unlisted(request.user.timezone),
        "page": "settings",
    }
    if is_patient(request.user):
        schedule = schedule_for(request.user.patient_profile)
        context["schedule"] = schedule
        context["weekdays"] = list(WEEKDAYS.items())
        context["push_configured"] = bool(settings.VAPID_PRIVATE_KEY)
    return render(request, "web/settings.html", context)


@never_cache
@patient_required
def my_data(request):
    records = AccessRecord.objects.filter(patient=request.user.patient_profile)[:ACCESS_LOG_ROWS]
    rows = [
        {
            "at": record.at,
            "who": record.actor_name,
            "role": ROLE.get(record.actor_role, record.actor_role),
            "action": record.get_action_display(),
            "what": ACCESS_WHAT.get(record.what, record.what),
        }
        for record in records
    ]
    return render(request, "web/my_data.html", {"records": rows, "page": "my-data"})


@never_cache
@patient_required
def delete_account(request):
    return render(request, "web/delete_account.html", {"page": "my-data"})


def goodbye(request):
    return render(request, "web/goodbye.html")
