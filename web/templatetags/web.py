import json

from django import template
from django.utils.html import json_script
from django.utils.translation import gettext as _

from common.dates import day_label, moment_label, time_label
from reminders.services import subscriptions_held

register = template.Library()


def _strings() -> dict:
    """Texts the scripts show, translated on the server (no JavaScript catalogue to fetch)."""
    return {
        "saved": _("Saved."),
        "savedOffline": _("Saved on this phone. It will be sent when you are online again."),
        "waitingTitle": _("Waiting to be sent"),
        "waitingHelp": _("Kept on this phone and sent automatically when you are online."),
        "sendNow": _("Send now"),
        "pain": _("Morning pain %(value)s on %(date)s"),
        "done": _("%(name)s done on %(date)s"),
        "undone": _("%(name)s not done on %(date)s"),
        "questionnaire": _("Your answers to %(name)s"),
        "questionnaireSent": _("Your answers are sent. Thank you!"),
        "draftSaved": _("Your answers so far are saved."),
        "exercise": _("Exercise"),
        "rejected": _("Could not be saved: %(what)s. %(reason)s"),
        "dismiss": _("Dismiss"),
        "offline": _("You are offline. What you log is kept on this phone."),
        "error": _("Something went wrong. Please try again."),
        "networkError": _("No connection to the server. Please try again."),
        "markDone": _("Mark as done"),
        "sessionsToday": _("%(done)s of %(total)s today"),
        "dayProgress": _("%(done)s of %(total)s done today"),
        "dayDone": _("All of today's exercises are done. Well done!"),
        "doneUndo": _("Done (tap to undo)"),
        "today": _("today"),
        "yesterday": _("yesterday"),
        "notifOn": _("Notifications are on for this device."),
        "notifOff": _("Notifications are off for this device."),
        "notifDenied": _(
            "Notifications are blocked in this browser's settings. Allow them there, then try "
            "again."
        ),
        "notifUnsupported": _(
            "This browser cannot show notifications from web apps. On an iPhone, add haelapp "
            "to your home screen first (see below)."
        ),
        "notifUnavailable": _("Push notifications are not set up on this server."),
        "settingsSaved": _("Your settings are saved."),
        "noPatients": _("No patients match."),
        "none": _("none"),
        "loading": _("Loading…"),
        # A date and a time together (common.dates.moment_label; app.js formatInstant).
        "dayAtTime": _("%(day)s at %(time)s"),
    }


@register.simple_tag
def js_strings():
    return json_script(_strings(), "js-strings")


@register.simple_tag
def js_data(value, element_id):
    return json_script(value, element_id)


@register.simple_tag
def push_held(user):
    """For a patient's pages (`data-push`): the subscriptions the server holds for them."""
    return " ".join(subscriptions_held(user.pk))


@register.filter
def percent(value):
    if value is None:
        return ""
    return f"{round(float(value) * 100)} %"


@register.filter
def tojson(value):
    """JSON for an HTML attribute (the template escapes the quotes)."""
    return json.dumps(value)


# Dates and times for people: one format on every page (common.dates). A raw `|date:"..."`
# is for machines only (`<time datetime="{{ x|date:'c' }}">`); tests/test_dates.py keeps it so.


@register.filter
def day(value, zone=None):
    """{{ entry.date|day }}: "lør. 5. dec." / "Sat 5 Dec" (the year when not this year).
    An instant needs the reader's zone: {{ message.created_at|day:user.timezone }}."""
    return day_label(value, zone)


@register.filter
def clock(value, zone=None):
    """{{ schedule.local_time|clock }}: "07.30" / "07:30"; an instant in the reader's zone."""
    return time_label(value, zone)


@register.filter
def moment(value, zone=None):
    """{{ message.created_at|moment:user.timezone }}: "lør. 5. dec. kl. 07.30" /
    "Sat 5 Dec at 07:30", in the reader's zone."""
    return moment_label(value, zone)
