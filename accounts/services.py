"""Writes for accounts: invitations, joining, profile changes, passwords, API tokens, erasure.
Views and admin call these."""

import secrets
from collections.abc import Callable
from datetime import timedelta
from typing import TypeVar
from urllib.parse import quote

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from knox.models import AuthToken

from usersessions.services import user_sessions_end

from .models import (
    AccountEvent,
    Condition,
    Invitation,
    PatientProfile,
    PhysioProfile,
    User,
    hash_invitation_code,
)

T = TypeVar("T")


def for_patients_still_there(write: Callable[[list[int]], T], patient_ids: list[int]) -> T:
    """Run `write(patient_ids)`, one statement; if a patient's account was erased in the
    meantime (the foreign key fails, and the statement writes nothing), run it again for the
    patients still there. For writes about patients a request has already loaded, such as the
    access records of a physio's list: an erasure may commit in between, and that must not
    turn the request into an error. The erased patient's records would have gone with the
    account anyway.

    Inside a caller's transaction the foreign keys are checked only at the caller's commit
    (Django's are deferred), and a failed statement there cannot simply be tried again."""
    try:
        return write(patient_ids)
    except IntegrityError:
        if transaction.get_connection().in_atomic_block:
            raise
        still_there = set(
            PatientProfile.objects.filter(pk__in=patient_ids).values_list("pk", flat=True)
        )
        if len(still_there) == len(set(patient_ids)):
            raise  # not an erasure: a real error
        return write([pk for pk in patient_ids if pk in still_there])


def patient_data_changed(*, patients: PatientProfile | QuerySet) -> None:
    """Raise the data version of these patients (one, or a query of them): for the services
    that write what the progress assessment reads (diary entries, completions, programmes and
    their items), in the same transaction as their write. What is cached from a patient's
    data (progress.cache: the physio's list row, the chart) is cached under the version, so
    the next reader computes it afresh. A reader that loaded the old version before the
    write committed may store what it computed under the old version: no later reader asks
    for that one again."""
    if isinstance(patients, PatientProfile):
        patients = PatientProfile.objects.filter(pk=patients.pk)
    patients.update(data_version=F("data_version") + 1)


class InvitationInvalid(Exception):
    """The code is unknown, forged, used, revoked or expired. One error for all: an attacker
    learns nothing about which codes exist."""


def invitation_url(code: str) -> str:
    return settings.SITE_URL + reverse("join", kwargs={"code": quote(code)})


def invitation_create(
    *, physio: PhysioProfile, email: str, name: str, condition: str = Condition.UNKNOWN
) -> tuple[Invitation, str]:
    """Create an invitation and return it with its one-time code.

    Only the hash of the code is stored; the plain code exists in the returned value, the
    link shown to the physio and the e-mail to the patient.
    """
    email = User.objects.normalize_email(email).lower()
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError({"email": [_("A user with this e-mail address already exists.")]})
    code = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        clinic_id=physio.clinic_id,
        invited_by=physio,
        email=email,
        name=name.strip(),
        condition=condition,
        code_hash=hash_invitation_code(code),
        expires_at=timezone.now() + timedelta(days=settings.INVITATION_VALID_DAYS),
    )
    return invitation, code


def invitation_get_usable(*, code: str) -> Invitation:
    if not code or len(code) > 200:
        raise InvitationInvalid
    try:
        return (
            Invitation.objects.usable()
            .select_related("clinic", "invited_by")
            .get(code_hash=hash_invitation_code(code))
        )
    except Invitation.DoesNotExist:
        raise InvitationInvalid from None


def invitation_accept(*, code: str, password: str, name: str | None = None) -> User:
    """Turn an invitation into a patient account. Single use, even under concurrent requests:
    the row is locked, and the one-to-one `accepted_by` makes a second acceptance impossible."""
    with transaction.atomic():
        invitation = invitation_get_usable(code=code)
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if invitation.status != "open":
            raise InvitationInvalid
        user = User(email=invitation.email, name=(name or invitation.name).strip())
        try:
            validate_password(password, user)
        except ValidationError as exc:
            raise ValidationError({"password": list(exc.messages)}) from None
        user.set_password(password)
        try:
            with transaction.atomic():
                user.save()
        except IntegrityError:
            raise ValidationError(
                {"email": [_("A user with this e-mail address already exists.")]}
            ) from None
        PatientProfile.objects.create(
            user=user,
            clinic_id=invitation.clinic_id,
            physio=invitation.invited_by,
            condition=invitation.condition,
            welcome_pending=True,  # the welcome card on Today, until dismissed
        )
        invitation.accepted_at = timezone.now()
        invitation.accepted_by = user
        invitation.save(update_fields=["accepted_at", "accepted_by"])
    return user


def patient_welcome_dismiss(*, patient: PatientProfile) -> None:
    """The patient has read the welcome card on Today: it does not come back."""
    PatientProfile.objects.filter(pk=patient.pk).update(welcome_pending=False)
    patient.welcome_pending = False


def user_update_profile(*, user: User, **fields) -> User:
    allowed = {"name", "timezone", "language"}
    changed = [key for key in fields if key in allowed]
    for key in changed:
        setattr(user, key, fields[key])
    user.full_clean(exclude=["password"], validate_unique=False)
    user.save(update_fields=changed)
    return user


def api_token_issue(*, user: User) -> tuple[AuthToken, str]:
    """A new API token for one device, and the plain token to hand out once (only its hash is
    stored). Beyond `API_TOKEN_LIMIT_PER_USER` live tokens, the oldest are revoked: a token
    leaked from a device long replaced does not stay valid for its whole 30 days just
    because nobody logged out there, and a loop of log-ins cannot pile up rows."""
    with transaction.atomic():
        instance, token = AuthToken.objects.create(user)
        # Expired tokens are refused already and deleted by a nightly task (accounts.tasks).
        live = AuthToken.objects.filter(
            Q(expiry__isnull=True) | Q(expiry__gt=timezone.now()), user=user
        ).exclude(pk=instance.pk)
        keep = max(settings.API_TOKEN_LIMIT_PER_USER - 1, 0)
        newest = list(live.order_by("-created").values_list("pk", flat=True)[:keep])
        # The new token is never among those revoked, whatever the clock says: one issued
        # in the same instant as others must not revoke itself.
        live.exclude(pk__in=newest).delete()
    return instance, token


def user_password_changed(
    *, user: User, keep_session_key: str | None = None, actor: User | None = None
) -> None:
    """After a password change or reset: end every web session of the user but
    `keep_session_key` (the one that changed it, if the user is to stay logged in there) and
    revoke every API token, then write both to the account's security log. Whoever knew the
    old password, or held a session or token got with it, is out.

    Django already refuses a session whose password hash no longer matches; deleting the rows
    makes that true at once and leaves no sessions behind that name the user. API tokens do
    not depend on the password at all, so without this they would live on for 30 days."""
    from .audit import account_event_record  # audit imports this module

    with transaction.atomic():
        sessions = user_sessions_end(user_id=user.pk, keep_session_key=keep_session_key)
        tokens, _per_model = AuthToken.objects.filter(user=user).delete()
        account_event_record(user=user, kind=AccountEvent.Kind.PASSWORD_CHANGED, actor=actor)
        if sessions or tokens:
            account_event_record(user=user, kind=AccountEvent.Kind.SESSIONS_REVOKED, actor=actor)


def user_erase(*, user: User) -> None:
    """Delete the account and every row that names the person, whatever their role.

    The deletion cascades to profiles, health data, API tokens, web sessions (by their user
    column) and the security log. What names the person without pointing at the account
    goes explicitly: the log-in records of django-axes, which store the e-mail address typed
    (with the address and browser it came from), invitations sent to the address, and the
    admin's history of changes to the person's account and profiles (Django's LogEntry copies
    "name <e-mail>" into its text)."""
    email = user.email
    with transaction.atomic():
        for model in (AccessAttempt, AccessFailureLog, AccessLog):
            model.objects.filter(username__iexact=email).delete()
        _admin_history_erase(user)
        Invitation.objects.filter(email__iexact=email).delete()
        Invitation.objects.filter(accepted_by=user).delete()
        user.delete()


def _admin_history_erase(user: User) -> None:
    from django.contrib.admin.models import LogEntry
    from django.contrib.contenttypes.models import ContentType

    targets = Q(content_type=ContentType.objects.get_for_model(User), object_id=str(user.pk))
    for attr in ("patient_profile", "physio_profile"):
        profile = getattr(user, attr, None)
        if profile is not None:
            content_type = ContentType.objects.get_for_model(type(profile))
            targets |= Q(content_type=content_type, object_id=str(profile.pk))
    LogEntry.objects.filter(targets | Q(object_repr__icontains=user.email)).delete()
