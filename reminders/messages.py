"""What a notification says, in the patient's language. Never a health value or a diagnosis:
a lock screen is not private, so texts say only that there is something to look at."""

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .models import Notification

UNSUBSCRIBE_SALT = "reminders.unsubscribe"

# (title, body, page) per kind; the page opens when the notification is tapped.
_TEXTS = {
    Notification.Kind.DAILY_REMINDER: (
        lambda: _("Good morning"),
        lambda: _("How were your first steps today? Log it and see today's exercises."),
        "/",
    ),
    Notification.Kind.WEEKLY_CHECKIN: (
        lambda: _("Weekly check-in"),
        lambda: _("Time for this week's short safety questions."),
        "/checkin/",
    ),
    Notification.Kind.ADVICE: (
        lambda: _("A new message in haelapp"),
        lambda: _("There is a new message about your programme. Open the app to read it."),
        "/progress/",
    ),
    Notification.Kind.NUDGE: (
        lambda: _("A reminder from your physiotherapist"),
        lambda: _("Your physiotherapist reminds you of your programme."),
        "/",
    ),
    # The care loop: never the message's words, nor what changed in the programme.
    Notification.Kind.MESSAGE: (
        lambda: _("A new message"),
        lambda: _("You have a new message from your clinic."),
        "/messages/",
    ),
    Notification.Kind.PROGRAMME_CHANGED: (
        lambda: _("Your programme has changed"),
        lambda: _("Your physiotherapist changed your programme. Open the app to see what."),
        "/",
    ),
    Notification.Kind.PATIENT_MESSAGE: (
        lambda: _("A new message"),
        lambda: _("You have a new message from a patient."),
        "/inbox/",
    ),
    Notification.Kind.DIGEST: (
        lambda: _("Your patients today"),
        lambda: _("Some of your patients need you today."),
        "/",
    ),
    Notification.Kind.QUESTIONNAIRE_DUE: (
        lambda: _("A few questions about your heel"),
        lambda: _("It is time for a short questionnaire about how your heel is doing."),
        "/questionnaires/",
    ),
    # The page is the follow-up's week's (push_payload adds the row's `detail`).
    Notification.Kind.FOLLOW_UP: (
        lambda: _("How is your heel now?"),
        lambda: _("A short follow-up: two quick questions about your heel."),
        "/follow-up/",
    ),
}

# The digest's counts, in the order `digest_detail` stores them (reminders.digest).
DIGEST_REASONS = (
    ("red_flag", lambda n: ngettext("%(n)d with a red flag", "%(n)d with a red flag", n)),
    ("worse", lambda n: ngettext("%(n)d getting worse", "%(n)d getting worse", n)),
    ("review", lambda n: ngettext("%(n)d due for a review", "%(n)d due for a review", n)),
    (
        "silent",
        lambda n: ngettext("%(n)d silent for 4 days or more", "%(n)d silent for 4 days or more", n),
    ),
    (
        "unanswered",
        lambda n: ngettext(
            "%(n)d waiting for an answer to a message",
            "%(n)d waiting for an answer to a message",
            n,
        ),
    ),
    (
        "questionnaire",
        lambda n: ngettext(
            "%(n)d with a questionnaire overdue", "%(n)d with a questionnaire overdue", n
        ),
    ),
)


def digest_lines(detail: str) -> list[str]:
    """The digest's lines from the counts stored on its outbox row ("1,0,2,0,3"): how many,
    never who or which values."""
    try:
        counts = [int(part) for part in detail.split(",")]
    except ValueError:
        return []
    return [
        line(count) % {"n": count}
        for (_code, line), count in zip(DIGEST_REASONS, counts, strict=False)
        if count
    ]


def push_texts(kind: str, language: str) -> tuple[str, str, str]:
    """(title, body, page) of a kind in a language."""
    title, body, page = _TEXTS[kind]
    with translation.override(language):
        return title(), body(), page


def push_payload(notification, language: str, texts: dict | None = None) -> dict:
    """The push message for an outbox row (a Notification, or any object with its `pk`,
    `kind` and `local_date`). A batch passes one `texts` dict for all its rows, so each
    (kind, language) is translated once, not once a message."""
    texts = {} if texts is None else texts
    key = (notification.kind, language)
    if key not in texts:
        texts[key] = push_texts(*key)
    title, body, page = texts[key]
    if notification.kind == Notification.Kind.FOLLOW_UP:
        page = f"{page}{getattr(notification, 'detail', '')}/"  # /follow-up/26/
    return {
        "title": title,
        "body": body,
        "url": page,
        # The service worker shows one notification per tag: a repeated delivery of the
        # same row replaces, never doubles, what is on screen.
        "tag": f"{notification.kind}-{notification.local_date.isoformat()}",
        "id": notification.pk,
    }


def topic(kind: str) -> str:
    """Web Push Topic: a newer message of the same kind replaces an undelivered older one."""
    return kind.replace("_", "")[:32]


def unsubscribe_token(patient_id: int) -> str:
    return signing.dumps({"p": patient_id}, salt=UNSUBSCRIBE_SALT)


def unsubscribe_patient_id(token: str) -> int | None:
    try:
        return int(signing.loads(token, salt=UNSUBSCRIBE_SALT)["p"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None


def unsubscribe_url(patient_id: int) -> str:
    return settings.SITE_URL + reverse(
        "reminders-unsubscribe", kwargs={"token": unsubscribe_token(patient_id)}
    )


def email_message(notification, language: str) -> tuple[str, str, str]:
    """(subject, body, unsubscribe url). A physio's notice (no patient) is work mail: it has
    no unsubscribe link, and the unsubscribe url is ""."""
    payload = push_payload(notification, language)
    if getattr(notification, "patient_id", None) is None:
        with translation.override(language):
            lines = [payload["body"]]
            if notification.kind == Notification.Kind.DIGEST:
                lines.append("\n".join(f"- {line}" for line in digest_lines(notification.detail)))
            lines.append(_("Open haelapp: %(url)s") % {"url": settings.SITE_URL + payload["url"]})
            body = "\n\n".join(lines)
        return payload["title"], body, ""
    link = unsubscribe_url(notification.patient_id)
    with translation.override(language):
        body = "\n\n".join(
            [
                payload["body"],
                _("Open haelapp: %(url)s") % {"url": settings.SITE_URL + payload["url"]},
                _(
                    "You get this e-mail because reminders are on in haelapp. "
                    "Stop e-mail reminders: %(url)s"
                )
                % {"url": link},
            ]
        )
    return payload["title"], body, link
