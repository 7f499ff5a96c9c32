"""The Progress page's chart, day details and table of entries, shaped for a phone.

The page asks, in its query, for a period (`range`: the last four weeks, or the whole episode of
care), a week of the table (`week`, a week of the episode, the newest by default) and a day to
show the details of (`day`). Links carry them, so that everything works without the page's
script; the script (static/js/progress.js) lets the patient pick a day in place.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils import formats
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from accounts.models import PatientProfile
from common.dates import day_label
from diary.models import DiaryEntry
from progress.assessment import WEEK, Assessment, SeriesPoint
from progress.cache import Chart
from progress.chart import render_page_chart
from progress.payload import Assessed

RECENT = "4w"  # the default: the last four weeks
WHOLE = "all"  # the whole episode of care
RECENT_DAYS = 4 * WEEK
MIN_DAYS = WEEK  # a chart of fewer days (the first days of an episode) is a week wide
NONE = "\N{EN DASH}"  # a value not given, as the table shows it


@dataclass
class Day:
    """One day as the page shows it: its values and note, in words."""

    date: date
    label: str  # "fre 5. dec.", in the table
    heading: str  # "fredag 5. december", over the details
    values: list[tuple[str, str]]  # (what, value), e.g. ("Morning pain (0-10)", "4")
    note: str
    entry: bool
    morning_pain: int | None = None
    morning_pain_other: int | None = None
    mean: str | None = None  # "4,3"
    text: str = ""  # the day in one sentence, for the chart's day picker
    href: str = ""  # the page showing its details, for the table's link

    def data(self) -> dict:
        """What the page's script needs to show the day."""
        return {
            "heading": self.heading,
            "values": self.values,
            "note": self.note,
            "entry": self.entry,
            "text": self.text,
        }


@dataclass
class Week:
    number: int  # of the episode
    title: str
    days: list[Day] = field(default_factory=list)  # newest first
    older: str | None = None  # the link to the week before, if there is one
    newer: str | None = None


def progress_page(patient: PatientProfile, query, done: Assessed) -> dict:
    """The chart, the details of the chosen day and the table's week, for the template, from
    the patient's assessment (`done`, which the page's other parts read too). Raises
    ValidationError naming the query parameter that is wrong."""
    today, assessment = done.today, done.assessment
    start = done.clock.start
    weeks = assessment.week  # 0 before the episode starts
    period, week, selected = _query(query, start=start, today=today, weeks=weeks)
    first, last = chart_window(period, start=start, today=today)

    both_heels = any(p.morning_pain_other is not None for p in assessment.series)
    wanted = {first + timedelta(days=n) for n in range((last - first).days + 1)}
    table_days = _week_days(week, start=start, today=today) if week else []
    wanted |= set(table_days)
    if selected:
        wanted.add(selected)
    days = _days(patient, assessment, sorted(wanted), both_heels)

    def link(**changes) -> str:
        return page_link(
            period=changes.get("period", period),
            week=changes.get("week", week),
            day=changes.get("day", selected),
            weeks=weeks,
        )

    table = None
    if week:
        table = Week(
            number=week,
            title=_("Week %(week)s: %(first)s to %(last)s")
            % {
                "week": week,
                "first": _short_date(table_days[-1]),
                "last": _short_date(table_days[0]),
            },
            days=[days[d] for d in table_days],
            older=link(week=week - 1) + "#entries" if week > 1 else None,
            newer=link(week=week + 1) + "#entries" if week < weeks else None,
        )
        for day in table.days:
            day.href = link(day=day.date) + "#day-details"
    language = get_language() or "da"
    # Drawn once per data, window and chosen day (cached like the API's chart: progress.cache).
    svg = Chart(patient, language, page=(first, last, selected), rules=done.rules).svg(
        lambda: render_page_chart(
            assessment,
            language=language,
            episode_start=start,
            first=first,
            last=last,
            programme_changes=done.programme_changes,
            selected=selected,
        )
    )
    return {
        # Drawn by progress.chart from our own data, every text escaped by ElementTree.
        "chart_svg": mark_safe(svg),  # noqa: S308  # nosec: B308, B703
        "period": period,
        "periods": [
            {"key": RECENT, "label": _("Last 4 weeks"), "href": link(period=RECENT)},
            {"key": WHOLE, "label": _("Whole course"), "href": link(period=WHOLE)},
        ],
        "selected_day": days.get(selected) if selected else None,
        "days": {d.isoformat(): day.data() for d, day in days.items()},
        "table": table,
        "both_heels": both_heels,
        "has_entries": bool(assessment.series),
    }


def chart_window(period: str, *, start: date, today: date) -> tuple[date, date]:
    """The first and last date the chart shows: up to today (never an empty future), from the
    episode's start or four weeks back; at least a week, so that the first days of an episode
    are not drawn a third of the width each."""
    last = max(today, start + timedelta(days=MIN_DAYS - 1))
    first = start if period == WHOLE else max(start, today - timedelta(days=RECENT_DAYS - 1))
    return first, last


def page_link(*, period: str, week: int | None, day: date | None, weeks: int) -> str:
    """The page's address with these choices; what is the default is left out."""
    query = {}
    if period != RECENT:
        query["range"] = period
    if week and week != weeks:
        query["week"] = week
    if day:
        query["day"] = day.isoformat()
    return "?" + urlencode(query) if query else "?"


def _query(query, *, start: date, today: date, weeks: int) -> tuple[str, int | None, date | None]:
    period = query.get("range", RECENT)
    if period not in (RECENT, WHOLE):
        raise ValidationError(
            _("range: give %(recent)s (the last four weeks) or %(whole)s (the whole course).")
            % {"recent": RECENT, "whole": WHOLE}
        )
    week = weeks or None
    if "week" in query:
        try:
            week = int(query["week"])
        except ValueError:
            week = 0
        if not 1 <= week <= weeks:
            raise ValidationError(
                _("week: give a week of your course, from 1 to %(weeks)s.") % {"weeks": weeks}
                if weeks
                else _("week: your course has not started yet.")
            )
    day = None
    if "day" in query:
        try:
            day = date.fromisoformat(query["day"])
        except ValueError:
            day = None
        if day is None or not start <= day <= today:
            raise ValidationError(
                _("day: give a date of your course (YYYY-MM-DD), from %(first)s to today.")
                % {"first": start.isoformat()}
            )
    return period, week, day


def _week_days(week: int, *, start: date, today: date) -> list[date]:
    """The days of a week of the episode, up to today, newest first."""
    first = start + timedelta(days=WEEK * (week - 1))
    last = min(today, first + timedelta(days=WEEK - 1))
    return [last - timedelta(days=n) for n in range((last - first).days + 1)]


def _days(
    patient: PatientProfile, assessment: Assessment, dates: list[date], both_heels: bool
) -> dict[date, Day]:
    if not dates:
        return {}
    points = {p.date: p for p in assessment.series}
    # The notes: one query for the days shown (the assessment reads the values only).
    notes = dict(
        DiaryEntry.objects.filter(patient=patient, date__gte=dates[0], date__lte=dates[-1])
        .exclude(note="")
        .values_list("date", "note")
    )
    return {d: _day(d, points.get(d), notes.get(d, ""), both_heels) for d in dates}


def _day(day: date, point: SeriesPoint | None, note: str, both_heels: bool) -> Day:
    heading = label = day_label(day)
    if point is None:
        text = _("%(date)s: no entry") % {"date": heading}
        return Day(day, label, heading, [], note, entry=False, text=text)
    mean = _decimal(point.mean_7d) if point.mean_7d is not None else None
    if both_heels:
        other = NONE if point.morning_pain_other is None else str(point.morning_pain_other)
        values = [
            (_("Left heel (0-10)"), str(point.morning_pain)),
            (_("Right heel (0-10)"), other),
        ]
        said = _("left heel %(left)s, right heel %(right)s") % {
            "left": point.morning_pain,
            "right": other,
        }
    else:
        values = [(_("Morning pain (0-10)"), str(point.morning_pain))]
        said = _("morning pain %(pain)s") % {"pain": point.morning_pain}
    if mean is not None:
        values.append((_("Average of 7 days"), mean))
    text = _("%(date)s: %(values)s") % {"date": heading, "values": said}
    if note:
        text += ". " + _("Note: %(note)s") % {"note": note}
    return Day(
        day,
        label,
        heading,
        values,
        note,
        entry=True,
        morning_pain=point.morning_pain,
        morning_pain_other=point.morning_pain_other,
        mean=mean,
        text=text,
    )


def _decimal(value: Decimal) -> str:
    return formats.number_format(value, decimal_pos=1, use_l10n=True)


def _short_date(day: date) -> str:
    return day_label(day, weekday=False)
