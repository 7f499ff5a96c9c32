"""Writes made on people in the admin, by clinic staff or superusers. The admin classes call
these and nothing else writes through them.

Every one is written to the affected account's security log (`AccountEvent`), naming who did
it and which fields: the account holder sees on their settings page that an admin changed
their account or sent them a reset link, which is how a misused admin account is noticed.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.forms import PasswordResetForm
from django.db import transaction
from django.utils import timezone, translation

from .audit import account_event_record
from .models import AccountEvent, Clinic, Invitation, PatientProfile, PhysioProfile, User

RESET_EMAIL = "emails/admin_password_reset.txt"
RESET_SUBJECT = "emails/admin_password_reset_subject.txt"


def admin_change_record(
    *, actor: User, user: User, kind: str = AccountEvent.Kind.ADMIN_CHANGED, fields=()
) -> AccountEvent | None:
    """One line in `user`'s security log for an admin's add or change. A save that changed
    nothing writes nothing."""
    fields = list(fields)
    if kind == AccountEvent.Kind.ADMIN_CHANGED and not fields:
        return None
    detail = f"fields: {', '.join(fields)}" if fields else ""
    return account_event_record(user=user, kind=kind, actor=actor, detail=detail)


@transaction.atomic
def physio_account_create(*, actor: User, user: User, clinic: Clinic) -> User:
    """A new physiotherapist account at `clinic`, from an unsaved, validated `user`.

    Nobody chooses its password: it has none until the person sets one through the link
    `password_reset_link_send` e-mails them, so no member of staff ever knows a colleague's
    password."""
    user.set_unusable_password()
    user.is_staff = False
    user.is_superuser = False
    user.save()
    PhysioProfile.objects.create(user=user, clinic=clinic)
    admin_change_record(
        actor=actor,
        user=user,
        kind=AccountEvent.Kind.ADMIN_ADDED,
        fields=["email", "name", "language", "timezone", "clinic"],
    )
    return user


@transaction.atomic
def physio_profile_save(*, actor: User, physio: PhysioProfile, fields, added: bool) -> None:
    """Save a physiotherapist profile changed in the admin (a superuser's move to another
    clinic included).

    A physio who moves leaves their patients with the old clinic, in nobody's care until its
    staff hand them to a colleague (as when a physio's account is deleted), and their open
    invitations are revoked: a patient joining through one would belong to one clinic and be
    treated from another."""
    physio.save()
    if not added and "clinic" in fields:
        PatientProfile.objects.filter(physio=physio).exclude(clinic_id=physio.clinic_id).update(
            physio=None
        )
        Invitation.objects.usable().filter(invited_by=physio).exclude(
            clinic_id=physio.clinic_id
        ).update(revoked_at=timezone.now())
    admin_change_record(
        actor=actor,
        user=physio.user,
        fields=["physio profile added", *fields] if added else fields,
    )


@transaction.atomic
def patient_profile_save(*, actor: User, patient: PatientProfile, fields, added: bool) -> None:
    patient.save()
    admin_change_record(
        actor=actor,
        user=patient.user,
        fields=["patient profile added", *fields] if added else fields,
    )


def profile_delete_record(*, actor: User, user: User, what: str) -> None:
    """Before an admin deletes a person's profile: the account stays, and its log says so."""
    admin_change_record(actor=actor, user=user, fields=[f"{what} deleted"])


class _OneAccountResetForm(PasswordResetForm):
    """Django's reset e-mail (token, link, template rendering, a failed send logged rather than
    raised) for one chosen account, instead of every account that has an e-mail address."""

    def __init__(self, user: User):
        super().__init__({"email": user.email})
        self.account = user

    def get_users(self, email):
        # Also an account without a password yet (a new physio): the link is how they set one.
        return [self.account] if self.account.is_active else []


def password_reset_link_send(*, actor: User, user: User) -> bool:
    """E-mail `user` a link to choose a new password, the same link as the log-in page's
    "forgot your password" sends. Staff never set another person's password; this is what
    they do instead. Returns False for an inactive account, which is sent nothing."""
    if not user.is_active:
        return False
    form = _OneAccountResetForm(user)
    form.is_valid()
    site = urlsplit(settings.SITE_URL)
    with translation.override(user.language):
        form.save(
            domain_override=site.netloc,
            use_https=site.scheme == "https",
            subject_template_name=RESET_SUBJECT,
            email_template_name=RESET_EMAIL,
            extra_email_context={"staff_name": actor.name or actor.email},
        )
    account_event_record(user=user, kind=AccountEvent.Kind.ADMIN_RESET_SENT, actor=actor)
    return True
