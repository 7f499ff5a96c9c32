import logging

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation

from .models import Invitation
from .services import invitation_url

logger = logging.getLogger(__name__)


def invitation_send(*, invitation: Invitation, code: str) -> bool:
    """E-mail the invitation link. A failure is logged, not raised: the physio also sees the
    link on screen and can pass it on another way."""
    context = {
        "name": invitation.name,
        "clinic": invitation.clinic.name,
        "physio": invitation.invited_by.user.name,
        "url": invitation_url(code),
        "valid_days": settings.INVITATION_VALID_DAYS,
    }
    subject = render_to_string("emails/invitation_subject.txt", context).strip()
    body = render_to_string("emails/invitation.txt", context)
    try:
        send_mail(subject, body, None, [invitation.email])
    except OSError:
        logger.warning("Invitation %s: e-mail could not be sent", invitation.pk)
        return False
    return True


def second_factor_notice(*, user, kind: str, name: str) -> bool:
    """Tell the account's own address that a second factor was added, removed or a recovery
    code used: if it was not them, they learn of it at once. Sent in the user's language."""
    context = {"name": user.name, "kind": kind, "device": name, "site": settings.SITE_URL}
    with translation.override(user.language):
        subject = render_to_string("emails/second_factor_subject.txt", context).strip()
        body = render_to_string("emails/second_factor.txt", context)
    try:
        send_mail(subject, body, None, [user.email])
    except OSError:
        logger.warning("Second-factor notice for user %s could not be sent", user.pk)
        return False
    return True
