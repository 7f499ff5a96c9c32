"""One way to show a date or a time to a person, in Danish and in English.

    day:    "lør. 5. dec."        "Sat 5 Dec"          (the year added when it is not this year)
    clock:  "07.30"               "07:30"
    moment: "lør. 5. dec. kl. 07.30"   "Sat 5 Dec at 07:30"

The pages use it through the template filters `day`, `clock` and `moment`
(web/templatetags/web.py); the scripts say the same through `haelapp.formatDate`, `formatTime`
and `formatInstant` (static/js/app.js), which take the names from the browser's
Intl.DateTimeFormat and put them in this order. tests/browser/test_wayfinding.py checks that
both say the same.

A date (a diary day, the day an episode starts) is shown as it is. An instant (when a message
was sent) is shown in the reader's own time zone, never the server's (UTC): the callers pass
the reader's zone. Without one, Denmark's is used, where most patients live.

The names are CLDR's abbreviations (what Intl gives for "da" and "en-GB"), written out here so
that the server does not depend on the machine's locales.
"""

import zoneinfo
from datetime import date, datetime, time, tzinfo

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _

WEEKDAYS = {
    "da": ("man.", "tirs.", "ons.", "tors.", "fre.", "lør.", "søn."),
    "en": ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"),
}
MONTHS = {
    "da": (
        "jan.",
        "feb.",
        "mar.",
        "apr.",
        "maj",
        "jun.",
        "jul.",
        "aug.",
        "sep.",
        "okt.",
        "nov.",
        "dec.",
    ),
    "en": ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sept", "Oct", "Nov", "Dec"),
}
# Between the hours and the minutes.
TIME_SEPARATOR = {"da": ".", "en": ":"}


def language() -> str:
    """The active language's tables ("da" or "en"): English for any other language."""
    code = (translation.get_language() or settings.LANGUAGE_CODE).split("-")[0].lower()
    return code if code in WEEKDAYS else "en"


def _zone(zone: str | tzinfo | None) -> tzinfo:
    if isinstance(zone, tzinfo):
        return zone
    try:
        return zoneinfo.ZoneInfo(zone or settings.DEFAULT_PATIENT_TIMEZONE)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo(settings.DEFAULT_PATIENT_TIMEZONE)


def _local(value: datetime, zone: tzinfo) -> datetime:
    return timezone.localtime(value, zone) if timezone.is_aware(value) else value


def day_label(
    value: date | datetime | None,
    zone: str | tzinfo | None = None,
    *,
    year: bool | None = None,
    today: date | None = None,
    weekday: bool = True,
) -> str:
    """ "lør. 5. dec." / "Sat 5 Dec". An instant is first put in `zone` (the reader's).

    `year`: None adds the year only when it is not the reader's current year (`today`, by
    default today in `zone`); True always (a document kept for years, such as the report).
    `weekday`: False leaves it out ("5. dec.", on a chart's axis)."""
    if value is None or value == "":
        return ""
    tz = _zone(zone)
    if isinstance(value, datetime):
        value = _local(value, tz).date()
    lang = language()
    text = (
        f"{value.day}. {MONTHS[lang][value.month - 1]}"
        if lang == "da"
        else f"{value.day} {MONTHS[lang][value.month - 1]}"
    )
    if weekday:  # without: a chart's axis, where the columns are narrow
        text = f"{WEEKDAYS[lang][value.weekday()]} {text}"
    if year is None:
        year = value.year != (today or timezone.localdate(timezone.now(), tz)).year
    return f"{text} {value.year}" if year else text


def time_label(value: time | datetime | None, zone: str | tzinfo | None = None) -> str:
    """ "07.30" / "07:30", 24-hour. An instant is first put in `zone` (the reader's)."""
    if value is None or value == "":
        return ""
    if isinstance(value, datetime):
        value = _local(value, _zone(zone))
    return f"{value.hour:02d}{TIME_SEPARATOR[language()]}{value.minute:02d}"


def moment_label(
    value: datetime | None, zone: str | tzinfo | None = None, *, today: date | None = None
) -> str:
    """ "lør. 5. dec. kl. 07.30" / "Sat 5 Dec at 07:30", in `zone` (the reader's)."""
    if value is None or value == "":
        return ""
    local = _local(value, _zone(zone))
    return _("%(day)s at %(time)s") % {
        "day": day_label(local.date(), zone, today=today),
        "time": time_label(local.time()),
    }
