"""Pages to enter, set up, replace and remove the second factor.

Who may change a factor is decided in `accounts.twofactor.enrolment_step`; these views only
ask it and send the user to the missing step (a code from an existing factor, or the password
again)."""

import base64

from django import forms
from django.contrib.auth import authenticate
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from common.qr import qr_svg

from .models import AccountEvent, RecoveryCode
from .twofactor import (
    VERIFY,
    LastFactor,
    device_added,
    device_remove,
    enrolment_redirect,
    enrolment_step,
    needs_second_factor,
    primary_devices,
    reauth_mark,
    recovery_codes_issue,
    verify_any,
)

TOTP_CODE = r"^\d{6}$"
# Six digits from an app, or a recovery code (XXXX-XXXX-XXXX, dashes and case optional).
ANY_CODE = r"^(\d{6}|[A-Za-z0-9]{4}-?[A-Za-z0-9]{4}-?[A-Za-z0-9]{4})$"


def _code_field(regex: str, label, message) -> forms.RegexField:
    return forms.RegexField(
        regex=regex,
        label=label,
        error_messages={"invalid": message},
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "autocapitalize": "characters",
                "autofocus": True,
            }
        ),
    )


class VerifyForm(forms.Form):
    code = _code_field(
        ANY_CODE,
        _("Code"),
        _("Enter the 6 digits your app shows, or one of your recovery codes."),
    )


class SetupForm(forms.Form):
    code = _code_field(TOTP_CODE, _("6-digit code"), _("Enter the 6 digits your app shows."))


class PasswordForm(forms.Form):
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password", "autofocus": True}),
    )


def _next(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or "/"
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return "/"
    return target


@never_cache
@login_required
def verify(request):
    form = VerifyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = verify_any(request.user, form.cleaned_data["code"])
        if device is not None:
            otp_login(request, device)
            return redirect(_next(request))
        form.add_error("code", _("That code is not right, or it has expired. Try the next one."))
    context = {
        "form": form,
        "next": _next(request),
        # A passkey verifies the session too ("Use a passkey"; accounts.views_passkeys).
        "has_passkey": WebAuthnCredential.objects.filter(
            user=request.user, confirmed=True
        ).exists(),
        "has_app": TOTPDevice.objects.filter(user=request.user, confirmed=True).exists(),
    }
    return render(request, "registration/otp_verify.html", context)


@never_cache
@login_required
@sensitive_post_parameters("password")
def password(request):
    """Give the password again before changing a second factor."""
    form = PasswordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        # Through authenticate(), so axes counts a wrong password here like any failed log-in.
        user = authenticate(
            request, email=request.user.email, password=form.cleaned_data["password"]
        )
        if user is not None and user.pk == request.user.pk:
            reauth_mark(request)
            return redirect(_next(request))
        form.add_error("password", _("That password is not right."))
    return render(request, "registration/otp_password.html", {"form": form, "next": _next(request)})


@never_cache
@login_required
def setup(request):
    """Show a new secret as a QR code; the device is kept only once a code from it works.
    `?replace=<id>` removes that authenticator app once the new one works."""
    step = enrolment_step(request)
    if step is not None:
        return enrolment_redirect(request, step)
    replace = _replaceable(request)
    device = TOTPDevice.objects.filter(user=request.user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=request.user, name="Authenticator", confirmed=False)
    form = SetupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["code"]):
            device.confirmed = True
            device.name = str(_("Authenticator app"))
            device.save(update_fields=["confirmed", "name"])
            codes = device_added(user=request.user, device=device)
            if replace is not None:
                device_remove(user=request.user, device=replace)
            otp_login(request, device)
            if codes:
                return _show_codes(request, codes)
            return redirect(_next(request))
        form.add_error("code", _("That code is not right. Check the time on your phone."))
    return render(
        request,
        "registration/otp_setup.html",
        {
            "form": form,
            "qr_svg": qr_svg(device.config_url),
            "secret": base64.b32encode(device.bin_key).decode(),
            "next": _next(request),
            "replacing": replace,
        },
    )


def _replaceable(request):
    raw = request.POST.get("replace") or request.GET.get("replace")
    if not raw or not raw.isdigit():
        return None
    return TOTPDevice.objects.filter(user=request.user, confirmed=True, pk=int(raw)).first()


@never_cache
@login_required
def manage(request):
    """The account's second factors: what there is, and buttons to add, replace or remove."""
    if needs_second_factor(request.user) and not request.user.is_verified():
        return enrolment_redirect(request, VERIFY)
    devices = primary_devices(request.user)
    context = {
        "devices": [{"device": d, "kind": _kind(d)} for d in devices],
        "recovery_left": RecoveryCode.objects.filter(device__user=request.user).count(),
        "events": AccountEvent.objects.filter(user=request.user)[:20],
        "page": "settings",
    }
    return render(request, "registration/otp_manage.html", context)


def _kind(device) -> str:
    if isinstance(device, TOTPDevice):
        return "totp"
    return "passkey" if isinstance(device, WebAuthnCredential) else "other"


@never_cache
@login_required
def passkey_add(request):
    """Add a passkey: the page with the button; the library's script and the views in
    accounts.views_passkeys do the rest, under the same rule as an authenticator app."""
    step = enrolment_step(request)
    if step is not None:
        return enrolment_redirect(request, step)
    return render(request, "registration/otp_passkey_add.html", {"next": _next(request)})


@never_cache
@require_POST
@login_required
def remove(request, device_id: int):
    return _remove(request, TOTPDevice, device_id)


@never_cache
@require_POST
@login_required
def remove_passkey(request, device_id: int):
    return _remove(request, WebAuthnCredential, device_id)


def _remove(request, model, device_id: int):
    step = enrolment_step(request)
    if step is not None:
        return enrolment_redirect(request, step)
    device = get_object_or_404(model, user=request.user, confirmed=True, pk=device_id)
    try:
        device_remove(user=request.user, device=device)
    except LastFactor:
        return render(
            request,
            "registration/otp_manage_error.html",
            {
                "message": _(
                    "Your account must have a second factor. Add the new one first, then remove "
                    "the old one."
                )
            },
            status=409,
        )
    return redirect("otp-manage")


@never_cache
@login_required
def recovery(request):
    """A new set of recovery codes (the old ones stop working)."""
    step = enrolment_step(request)
    if step is not None or not primary_devices(request.user):
        return enrolment_redirect(request, step) if step else redirect("otp-manage")
    if request.method != "POST":
        return render(request, "registration/otp_recovery_confirm.html", {"page": "settings"})
    return _show_codes(request, recovery_codes_issue(user=request.user))


def _show_codes(request, codes: list[str]):
    return render(
        request,
        "registration/otp_recovery_codes.html",
        {"codes": codes, "next": _next(request)},
    )
