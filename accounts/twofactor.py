"""Second factor (django-otp) for physiotherapists and staff, optional for patients.

A user who needs a second factor and has logged in with their password is not yet
*verified*: until they enter a code (or set up an authenticator app first), every page sends
them to do so and the session API answers 403. API tokens are only issued after a code, so a
token request is verified by construction.

Who may add or remove a second factor is decided here, once (`enrolment_step`): the password
alone must never be enough to replace the factor it is supposed to be paired with.
"""

import secrets
import time
from urllib.parse import urlencode

from django.conf import settings
from django.db import transaction
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django_otp import devices_for_user

from .audit import account_event_record
from .emails import second_factor_notice
from .models import AccountEvent, RecoveryCode, RecoveryCodeDevice, User, hash_recovery_code
from .sql import second_factor_facts

EXEMPT_PREFIXES = ("/static/", "/account/2fa/", "/logout/", "/healthz", "/manifest", "/sw.js")

# What the log-in flow still needs before a page is allowed.
VERIFY = "verify"
PASSWORD = "password"  # noqa: S105 - the name of a step, not a password

REAUTH_SESSION_KEY = "otp_reauth_at"
RECOVERY_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read off paper


def has_second_factor(user) -> bool:
    """Whether the account has a confirmed factor of any kind django-otp knows (authenticator
    app, passkey, recovery codes): django-otp's `user_has_device`, asked in one statement."""
    return user.is_authenticated and second_factor_facts(user.pk).has_factor


def needs_second_factor(user) -> bool:
    """Asked by the middleware on every request of a logged-in user: one statement, which
    answers both whether the account is a physiotherapist's and whether it holds a factor."""
    if not user.is_authenticated:
        return False
    if settings.REQUIRE_2FA and user.is_staff:
        return True
    facts = second_factor_facts(user.pk)
    # Patients may opt in; once they have, the code is required at every log-in.
    return (settings.REQUIRE_2FA and facts.physio) or facts.has_factor


def must_have_second_factor(user) -> bool:
    """Physiotherapists and staff (when REQUIRE_2FA): they can replace their factor, never
    drop the last one."""
    return settings.REQUIRE_2FA and (user.is_staff or hasattr(user, "physio_profile"))


def primary_devices(user) -> list:
    """The confirmed factors a person carries (authenticator apps, passkeys), without the
    recovery codes that only stand in for them."""
    return [d for d in devices_for_user(user) if not isinstance(d, RecoveryCodeDevice)]


def reauth_mark(request) -> None:
    """The password was just given again (see `enrolment_step`)."""
    request.session[REAUTH_SESSION_KEY] = time.time()


def reauth_recent(request) -> bool:
    at = request.session.get(REAUTH_SESSION_KEY)
    return isinstance(at, int | float) and 0 <= time.time() - at <= settings.OTP_REAUTH_SECONDS


def enrolment_step(request) -> str | None:
    """What is missing before this session may add, replace or remove a second factor:
    None when nothing is, else VERIFY (enter a code from an existing factor first) or PASSWORD
    (give the password again).

    - Someone who has a factor must have verified this session with it, and give the password
      again: a stolen password, or a session left open on a shared computer, is not enough.
    - Someone who must have a factor and has none yet enrols in the log-in flow: the password
      was just given, and the middleware lets no other page or API through until they do.
    - Anyone else (a patient turning it on) gives the password again.
    """
    user = request.user
    if has_second_factor(user):
        if not user.is_verified():
            return VERIFY
        return None if reauth_recent(request) else PASSWORD
    if must_have_second_factor(user):
        return None
    return None if reauth_recent(request) else PASSWORD


def enrolment_redirect(request, step: str):
    target = "otp-verify" if step == VERIFY else "otp-password"
    return redirect(f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}")


@transaction.atomic
def device_added(*, user: User, device) -> list[str] | None:
    """Record a newly confirmed factor: the account's log, an e-mail to its address, and
    recovery codes if the account has none yet (returned, to be shown once)."""
    kind, name = AccountEvent.Kind.DEVICE_ADDED, device.name
    account_event_record(user=user, kind=kind, detail=name)
    transaction.on_commit(lambda: second_factor_notice(user=user, kind=kind, name=name))
    if RecoveryCode.objects.filter(device__user=user).exists():
        return None
    return recovery_codes_issue(user=user)


class LastFactor(Exception):
    """Physiotherapists and staff cannot remove their only factor; they add a new one first."""


@transaction.atomic
def device_remove(*, user: User, device) -> None:
    others = [d for d in primary_devices(user) if d.persistent_id != device.persistent_id]
    if not others and must_have_second_factor(user):
        raise LastFactor
    name = device.name
    device.delete()
    if not others:
        # Without a factor, recovery codes would be a password-like second password.
        RecoveryCodeDevice.objects.filter(user=user).delete()
    account_event_record(user=user, kind=AccountEvent.Kind.DEVICE_REMOVED, detail=name)
    transaction.on_commit(
        lambda: second_factor_notice(user=user, kind=AccountEvent.Kind.DEVICE_REMOVED, name=name)
    )


@transaction.atomic
def recovery_codes_issue(*, user: User) -> list[str]:
    """A new set of one-time recovery codes, replacing any earlier set. Only hashes are stored;
    the codes are returned once, to be shown to the account holder."""
    RecoveryCodeDevice.objects.filter(user=user).delete()
    device = RecoveryCodeDevice.objects.create(user=user, name=_("Recovery codes"), confirmed=True)
    codes = [
        "-".join("".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(4)) for _ in range(3))
        for _ in range(settings.OTP_RECOVERY_CODE_COUNT)
    ]
    RecoveryCode.objects.bulk_create(
        RecoveryCode(device=device, code_hash=hash_recovery_code(code)) for code in codes
    )
    account_event_record(user=user, kind=AccountEvent.Kind.RECOVERY_CODES_ISSUED)
    return codes


def verify_any(user: User, code: str):
    """The confirmed factor a typed code belongs to (an authenticator app's 6 digits or a
    recovery code), or None. django-otp's growing delay after failures applies to each.
    Using a recovery code is written to the account's log and e-mailed."""
    for device in devices_for_user(user):
        if device.verify_is_allowed()[0] and device.verify_token(code):
            if isinstance(device, RecoveryCodeDevice):
                account_event_record(user=user, kind=AccountEvent.Kind.RECOVERY_CODE_USED)
                second_factor_notice(
                    user=user, kind=AccountEvent.Kind.RECOVERY_CODE_USED, name=device.name
                )
            return device
    return None


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
            target = "otp-verify" if has_second_factor(user) else "otp-setup"
            return redirect(f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)
