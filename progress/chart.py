"""The progress chart: a patient's morning pain over time, as a standalone SVG document.

What it shows (design note clinical.md, section "Assessment"): the daily morning-pain dots (for a
patient who logs both heels, the left heel's filled and the right heel's hollow), the 7-day mean
(of the worse heel of each day, as the rule reads it), the starting point (baseline) as a dashed
line, the target band (at or below the target, where the mean counts as improving), the review
weeks as vertical marks at the end of each review week, each programme given after day 1 as a
vertical mark at its first day with its name, and above the plot the current advice's title (or,
without advice, the chart's name) and the numbers in words (`summary_sentence`). The ``<desc>``
names the review weeks and the programme changes too. The x axis is the day of the episode of care
(day 1 is its start; a new programme does not move it), labelled in weeks, and runs to the end of
the last review week, or to the end of this week if that is later, so that the review marks are
always in view. The y axis is the pain scale, 0-10.

The chart is drawn by pygal and then cleaned up, because the result is served as an image and
may be inlined in a page with a strict content security policy:

- no script at all (pygal adds its tooltip configuration as one), no external reference (no
  stylesheet or font link, no ``xlink:href``; only the namespace URIs remain), no comments, and
  none of pygal's per-dot ``<desc>`` tooltip data;
- for accessibility the root ``<svg>`` has ``role="img"`` and ``aria-labelledby`` pointing at
  its first two children, a ``<title>`` ("Morning pain over time") and a ``<desc>`` (the summary
  sentence and the advice). The page around the chart also offers a table as the text
  alternative.

Readable on a phone: the chart is meant to be shown at the full width of the screen, so fonts are
sized to be at least 14 px at 360 px display width, lines are thick, and the colours (from the
Okabe-Ito / colour-blind-safe family) have at least 3:1 contrast against white for graphics and
4.5:1 for text (WCAG 2.1 AA).

The Progress page draws the same chart with the same code (`render_page_chart`), shaped for a
phone and put into the page itself (the page's script lets the patient pick a day):

- a window of dates (the last four weeks, or the whole episode) rather than the episode's weeks:
  the x axis ends today (no empty future), is labelled with dates ("5. dec."), and shows the
  review and programme marks that fall in the window;
- drawn for the width it has on a 360 px phone (`PAGE_WIDTH`), with the plot at least
  `PAGE_PLOT_HEIGHT` tall;
- dots that never overlap: as many days as the window holds share the width, so the dots shrink
  to fit a day, and when they have to shrink a thin line joins them;
- no style sheet: the page's content security policy allows none inline, so pygal's style rules
  are resolved into presentation attributes (`fill="..."`), which it does allow;
- a transparent column per day (`.day-target`, with its date in `data-date`) over the plot, in a
  group (`.day-targets`) that the page's script turns into a slider over the days, and a
  highlight behind the chosen day. Since an image's content is not for assistive technology,
  the root is a group named by the ``<title>``, holding the drawing as an image described by
  the ``<desc>``, and the day picker beside it.
"""

import math
import re
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import Decimal
from xml.etree import ElementTree as ET  # building elements only; parsing uses defusedxml

import pygal
from defusedxml.ElementTree import fromstring as safe_fromstring
from django.utils import formats, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from pygal.style import Style

from common.dates import day_label

from .assessment import WEEK, Assessment

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
XML_NS = "http://www.w3.org/XML/1998/namespace"

PAIN_RANGE = (0, 10)

# Colours, with their contrast against white (WCAG: 3:1 for graphics, 4.5:1 for text). Blue and
# orange stay apart for every kind of colour vision; the lines also differ in width and dashes.
MEAN = "#1f5f8b"  # dark blue, 6.8:1
DOT = "#bf5512"  # dark orange, 4.6:1
BASELINE = "#595959"  # grey, 7.0:1
TARGET_EDGE = "#2e7d4f"  # green, 5.1:1
TARGET_FILL = "#cfe9d7"  # light green area below the target; its edge carries the contrast
REVIEW = "#5b3f8c"  # purple, 8.3:1
PROGRAMME = "#7a4400"  # brown, solid and thin, 7.9:1
DOT_OTHER = "#8e2a6b"  # the right heel's hollow dots, reddish purple, 7.8:1
TEXT = "#1a1a1a"  # 17:1
GRID = "#d9d9d9"
SEEK_CARE = "#a34a12"  # the title of advice that suggests contacting someone, 5.9:1
KEEP_GOING = "#24693f"  # 6.6:1

# No web font: nothing may be fetched. The first family that the device has is used: the
# phones' and desktops' own sans-serif fonts, then Arial's metric twin on Linux. Not system-ui,
# which is DejaVu Sans on many Linux desktops, wide enough to crowd the legend.
FONT_FAMILY = (
    '-apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Liberation Sans", sans-serif'
)

# Shown at 360 px wide, a chart `width` units wide is scaled by 360 / width; text must then be
# at least 14 px. A little above the bare minimum, since chart text is read at a glance.
MIN_DISPLAY_WIDTH = 360
MIN_DISPLAY_FONT_PX = 14.5

# Average width of a character, in em, for wrapping text and spacing labels: sans-serif text
# averages about 0.5 em (DejaVu Sans, one of the wider ones, 0.52); bold a little more. pygal's own
# estimate, 0.6 em, is for monospace.
CHAR_EM = 0.52
BOLD_CHAR_EM = 0.58
WIDE_CHAR_EM = 0.55  # for a short label that must not be cut off at the edge
LINE_HEIGHT = 1.3  # em

# The Progress page's chart: on a 360 px phone the page leaves it 326 px (templates/web/
# progress.html, the chart's block in static/css/app.css), and its plot is to be at least 220 px
# tall there: a little more, since other phones are a little narrower.
PAGE_WIDTH = 326
PAGE_PLOT_HEIGHT = 240
HIGHLIGHT = "#1f5f8b"  # the chosen day's column, the mean's blue, faint


def summary_sentence(assessment: Assessment) -> str:
    """The numbers in words, in the active language.

    Danish: "Gennemsnit sidste 7 dage: 4,1 (start: 6,4), 2,3 point lavere (36 %)". The chart, its
    ``<desc>`` and the web page use it. Without a current mean it says so rather than guess;
    without a starting point it gives the current mean alone.
    """
    return ", ".join(_summary_parts(assessment))


def render_chart(
    assessment: Assessment,
    *,
    language: str,
    width: int = 640,
    height: int = 420,
    episode_start: date,
    programme_changes: Sequence[tuple[date, str]] = (),
) -> str:
    """The progress chart as a standalone SVG document (str), with texts in `language`.

    `width` and `height` make the viewBox; the document has no fixed size and scales to the
    width it is shown at. Text is sized for a display 360 px wide, so a wider `width` gives
    smaller text relative to the chart, not smaller text on the screen.

    `episode_start` places the entries on the episode's days: pass the date that `assess`
    was given. An `Assessment` knows today's episode day but not the date, and only the
    patient's own calendar says which date that is (never the server's).
    `programme_changes`: (first day, name) of each programme given after day 1
    (progress.selectors.programme_changes).
    """
    with translation.override(language):
        return _render(
            assessment, language, width, height, episode_start, list(programme_changes)
        ).svg


def render_page_chart(
    assessment: Assessment,
    *,
    language: str,
    episode_start: date,
    first: date,
    last: date,
    programme_changes: Sequence[tuple[date, str]] = (),
    selected: date | None = None,
) -> str:
    """The chart for the Progress page, from `first` to `last` (dates of the episode), as an
    ``<svg>`` element to put into the page (see the module docstring). `selected`: the day
    that the page shows the details of, highlighted."""
    page = _Page(first=first, last=last, selected=selected)
    changes = list(programme_changes)
    # The plot gets what the height leaves once the texts, the axis and the legend have theirs,
    # which pygal works out as it draws (a drawing takes some 10 to 40 ms). _render guesses the
    # height from what an earlier drawing with the same layout needed (_PAGE_ROOM); if the
    # guess is off, as it is the first time, it is drawn once more with the difference, and
    # the room it took is remembered.
    with translation.override(language):
        drawn = _render(assessment, language, PAGE_WIDTH, None, episode_start, changes, page)
        if abs(drawn.plot_height - PAGE_PLOT_HEIGHT) > 1:
            height = drawn.height + math.ceil(PAGE_PLOT_HEIGHT - drawn.plot_height)
            _PAGE_ROOM[drawn.layout] = height - PAGE_PLOT_HEIGHT
            drawn = _render(assessment, language, PAGE_WIDTH, height, episode_start, changes, page)
    return drawn.svg


# The page chart's height less its plot's, by layout (see _render). pygal lays out the same
# margins, axis labels and legend rows the same way every time, so these few values hold for
# the life of the process; a wrong one only costs a second drawing (render_page_chart checks
# every drawing).
_PAGE_ROOM: dict[tuple, int] = {}
_PAGE_ROOM_GUESS = 230


@dataclass(frozen=True)
class _Page:
    first: date
    last: date
    selected: date | None = None


@dataclass(frozen=True)
class _Drawn:
    svg: str
    plot_height: float
    height: int = 0  # the whole drawing's
    layout: tuple = ()  # the key of _PAGE_ROOM


# --- Texts -------------------------------------------------------------------------------------


def _summary_parts(assessment: Assessment) -> list[str]:
    """The summary sentence in its parts, joined by ", ": the chart breaks lines between them."""
    current, baseline = assessment.current, assessment.baseline
    if current is None:
        if baseline is None:
            return [_("Not enough entries for an average yet")]
        return [
            _("Not enough entries for an average yet (start: %(baseline)s)")
            % {"baseline": _decimal(baseline)}
        ]
    if baseline is None:
        return [_("Average last 7 days: %(current)s") % {"current": _decimal(current)}]
    head = _("Average last 7 days: %(current)s (start: %(baseline)s)") % {
        "current": _decimal(current),
        "baseline": _decimal(baseline),
    }
    return [head, _change(assessment.change_points, assessment.change_percent)]


def _decimal(value: Decimal) -> str:
    """One decimal, with the active language's decimal mark: "4,1" in Danish, "4.1" in English."""
    return formats.number_format(value, decimal_pos=1, use_l10n=True)


def _change(points: Decimal | None, percent: Decimal | None) -> str:
    if points is None or points == 0:
        return _("unchanged")
    args = {"points": _decimal(abs(points))}
    if percent is None:  # from a starting point of 0 there is no percentage
        if points < 0:
            return _("%(points)s points lower") % args
        return _("%(points)s points higher") % args
    args["percent"] = formats.number_format(abs(percent), decimal_pos=0, use_l10n=True)
    if points < 0:
        return _("%(points)s points lower (%(percent)s%%)") % args
    return _("%(points)s points higher (%(percent)s%%)") % args


def _marks_sentences(
    review_weeks: Sequence[int], changes: list[tuple[int, str]], episode_start: date
) -> list[str]:
    """The chart's vertical marks in words, for its text alternative."""
    weeks = [str(week) for week in review_weeks]
    sentences = []
    if weeks:
        sentences.append(
            ngettext(
                "Review mark at the end of week %(weeks)s.",
                "Review marks at the end of weeks %(weeks)s.",
                len(weeks),
            )
            % {"weeks": _listed(weeks)}
        )
    for day, name in changes:
        sentences.append(
            _("New programme from %(date)s (week %(week)s): %(name)s.")
            % {
                "date": day_label(episode_start + timedelta(days=day - 1)),
                "week": (day - 1) // WEEK + 1,
                "name": name,
            }
        )
    return sentences


def _listed(items: list[str]) -> str:
    """ "6", "6 and 12", "4, 8 and 12"."""
    if len(items) == 1:
        return items[0]
    return _("%(first)s and %(last)s") % {"first": ", ".join(items[:-1]), "last": items[-1]}


def _short(name: str, chars: int = 18) -> str:
    return name if len(name) <= chars else name[: chars - 1].rstrip() + "…"


def _week_label(week: int) -> str:
    return _("week %(number)s") % {"number": week}


def _axis_date(day: date) -> str:
    """A date on the page chart's axis: "5. dec." in Danish, "5 Dec" in English."""
    return day_label(day, year=False, weekday=False)


def _text_width(text: str, font: float) -> float:
    """About how wide `text` is drawn, a little more rather than less: dots and spaces are
    narrow, capitals and m and w wide, the rest (digits, most letters) about half an em."""
    ems = sum(
        0.3 if c in " .,:;'ijlftr" else 0.85 if c in "mwMW" else 0.68 if c.isupper() else 0.56
        for c in text
    )
    return ems * font


def _wrapped(parts: list[str], chars: int, flow: bool = False) -> list[str]:
    """Lines of at most about `chars` characters; breaks between parts before inside them,
    or with `flow`, if a part does not fit on a line, wherever the lines fill best."""
    whole = ", ".join(parts)
    if len(whole) <= chars:
        return [whole]
    if flow and any(len(part) + 1 > chars for part in parts):
        return textwrap.wrap(whole, chars, break_long_words=False)
    lines = []
    for i, part in enumerate(parts):
        text = part + ("," if i < len(parts) - 1 else "")
        lines += textwrap.wrap(text, chars, break_long_words=False) or [""]
    return lines


# --- Chart -------------------------------------------------------------------------------------


def _render(
    assessment: Assessment,
    language: str,
    width: int,
    height: int | None,
    episode_start: date,
    programme_changes: list[tuple[date, str]],
    page: _Page | None = None,
) -> _Drawn:
    """The chart drawn `width` by `height`; for the page's chart (`page`), a `height` of None
    is guessed from _PAGE_ROOM."""
    font = math.ceil(MIN_DISPLAY_FONT_PX * width / (PAGE_WIDTH if page else MIN_DISPLAY_WIDTH))
    line = round(font / 7, 1)  # the thin lines, about 2 px on a phone; the mean's 2.5 times that
    margin = round(font / 2)

    if page is None:
        # To the end of the last review week, or of this week if that is later: whole weeks.
        weeks = max(math.ceil(assessment.day / WEEK), assessment.review_weeks[-1])
        first_day, last_day = 1, WEEK * weeks
    else:
        first_day = (page.first - episode_start).days + 1
        last_day = (page.last - episode_start).days + 1
    x_min, x_max = first_day - 0.5, last_day + 0.5  # day n is drawn at x = n, n - 0.5 .. n + 0.5
    baseline, target = assessment.baseline, assessment.target
    # The entries on their episode days, those in the window.
    points = [
        (day, point)
        for day, point in (((p.date - episode_start).days + 1, p) for p in assessment.series)
        if first_day <= day <= last_day
    ]
    both_heels = any(point.morning_pain_other is not None for point in assessment.series)
    review_weeks = [week for week in assessment.review_weeks if x_min <= WEEK * week + 0.5 <= x_max]
    changes = [
        (day, name)
        for day, name in (((d - episode_start).days + 1, name) for d, name in programme_changes)
        if max(1, first_day - 1) < day <= last_day
    ]

    spacing = round(font / 2.5)
    if page is None:
        labels = _x_labels(weeks, width - 4 * font, font)
        # Room for half of the last week label, centred half a week (3.5 days) from the right.
        half_label = len(labels[-1]["label"]) * WIDE_CHAR_EM * font / 2
        margin_right = round(
            max(margin, half_label + margin / 2 - 3.5 * (width - 4 * font) / last_day)
        )
    else:
        # The last label is today's date, centred on its day at the right edge: room for the
        # half of it that reaches past the day.
        label_room = width - margin - spacing - 2 * 0.6 * font
        half_label = _text_width(_axis_date(page.last), font) / 2
        margin_right = round(max(margin, half_label - label_room / (last_day - first_day + 1) / 2))
        labels = _date_labels(first_day, last_day, episode_start, label_room - margin_right, font)
    # pygal's left margin: the margin, a space and the y labels ("10") as it estimates them.
    plot_width = width - margin - spacing - 2 * 0.6 * font - margin_right

    # (role, legend or None, values, pygal options, colour, css), drawn in this order, the last on
    # top. The order also puts the legends that might run into their neighbour's where they have
    # none. The role becomes a class of the series' groups, for style sheets and tests. The css is
    # for the series' lines, or for its dots if it has no line, or {".line": ..., ".dot": ...}.
    series: list[tuple[str, str | None, list, dict, str, str | dict]] = []
    if page is not None:
        # Not drawn: its two ends tell where pygal put the window's first and last edge (pygal
        # pads the x axis a little), for the day columns (_page_parts). Removed in _cleaned.
        series.append(
            (
                "x-reference",
                None,
                [(x_min, PAIN_RANGE[0]), (x_max, PAIN_RANGE[0])],
                {"show_dots": False},
                TEXT,
                "stroke: none",
            )
        )
    if baseline is not None and target is not None:
        band = [(x_min, float(target)), (x_max, float(target))]
        # Filled down to the x axis; its upper edge is drawn again, darker, as a line of its own.
        series.append(
            (
                "target-band",
                _("Goal ≤ %(target)s") % {"target": _decimal(target)},
                band,
                {"fill": True, "show_dots": False},
                TARGET_FILL,
                "stroke: none; fill-opacity: 0.75",
            )
        )
        edge = {"show_dots": False}
        series.append(("target-line", None, band, edge, TARGET_EDGE, f"stroke-width: {line}"))
    if baseline is not None:
        series.append(
            (
                "baseline",
                _("Start %(baseline)s") % {"baseline": _decimal(baseline)},
                [(x_min, float(baseline)), (x_max, float(baseline))],
                {"show_dots": False},
                BASELINE,
                f"stroke-width: {line}; stroke-dasharray: {_n(5 * line)} {_n(3 * line)}",
            )
        )
    series.append(
        (
            "mean",
            _("7-day mean"),
            [
                (day, None if point.mean_7d is None else float(point.mean_7d))
                for day, point in points
            ],
            {"show_dots": False, "allow_interruptions": True},
            MEAN,
            f"stroke-width: {_n(2.5 * line)}; stroke-linejoin: round; stroke-linecap: round",
        )
    )
    if page is None or review_weeks:
        marks: list[tuple[float, int] | None] = []
        for review_week in review_weeks:
            x = WEEK * review_week + 0.5  # the end of the review week
            marks += [None, (x, PAIN_RANGE[0]), (x, PAIN_RANGE[1])]
        series.append(
            (
                "review-marks",
                _("Review"),
                marks[1:],
                {"show_dots": False, "allow_interruptions": True},
                REVIEW,
                f"stroke-width: {line}; stroke-dasharray: {_n(2 * line)} {_n(2 * line)}",
            )
        )
    if changes:
        marks = []
        for change_day, _name in changes:
            x = change_day - 0.5  # where its first day begins
            marks += [None, (x, PAIN_RANGE[0]), (x, PAIN_RANGE[1])]
        series.append(
            (
                "programme-marks",
                _("New programme"),
                marks[1:],
                {"show_dots": False, "allow_interruptions": True},
                PROGRAMME,
                f"stroke-width: {line}",
            )
        )
    left = {"stroke": False}
    left_css: str | dict = f"stroke: #ffffff; stroke-width: {_n(line / 2)}"
    right = {"stroke": False}
    right_css: str | dict = f"fill: #ffffff; stroke: {DOT_OTHER}; stroke-width: {_n(line)}"
    dense = False
    if page is not None:
        dots = _page_dots(plot_width / (x_max - x_min), font, line, both_heels)
        left, left_css = dots.left, dots.left_css
        right, right_css = dots.right, dots.right_css
        dense = dots.dense
    # The daily values, with a gap (None) for each day without an entry: lines, where they are
    # drawn, break there.
    by_day = dict(points)
    days = range(first_day, last_day + 1) if page is not None else [day for day, _p in points]
    series.append(
        (
            "daily-pain",
            _("Left heel") if both_heels else _("Morning pain"),
            [(day, by_day[day].morning_pain if day in by_day else None) for day in days],
            {**left, "allow_interruptions": True},
            DOT,
            left_css,
        )
    )
    if both_heels:
        series.append(
            (
                "daily-pain-other",
                _("Right heel"),
                [
                    (day, by_day[day].morning_pain_other if day in by_day else None)
                    for day in days
                    if page is not None or by_day[day].morning_pain_other is not None
                ],
                {**right, "allow_interruptions": True},
                DOT_OTHER,
                right_css,
            )
        )
    if dense:
        # The daily lines under the mean's.
        daily = [s for s in series if s[0].startswith("daily-pain")]
        rest = [s for s in series if not s[0].startswith("daily-pain")]
        at = next(i for i, s in enumerate(rest) if s[0] == "mean")
        series = rest[:at] + daily + rest[at:]

    # The advice (or the chart's name) and the numbers in words, above the plot.
    title = _("Morning pain over time")
    advice = assessment.advice
    heading_font = round(font * 1.1)
    heading = _wrapped(
        [str(advice.title) if advice else title],
        int((width - 2 * margin) / (BOLD_CHAR_EM * heading_font)),
    )
    summary = _wrapped(
        _summary_parts(assessment),
        int((width - 2 * margin) / (CHAR_EM * font)),
        flow=page is not None,
    )
    text_block = [(text, heading_font, True) for text in heading] + [
        (text, font, False) for text in summary
    ]
    text_height = sum(LINE_HEIGHT * size for _text, size, _bold in text_block)
    margin_top = round(margin + text_height + font / 2)
    legends = [legend for _role, legend, *_rest in series if legend]
    legend_columns = _legend_columns(legends, plot_width, font)
    # What pygal's vertical margins are computed from: the room above, the number of series
    # and of legend columns (pygal's legend rows count every series), and whether the x axis
    # has labels.
    layout = (font, margin_top, len(series), legend_columns, bool(labels))
    if height is None:
        height = PAGE_PLOT_HEIGHT + _PAGE_ROOM.get(layout, _PAGE_ROOM_GUESS)

    chart = pygal.XY(
        width=width,
        height=height,
        style=_style(font, colours=tuple(colour for *_rest, colour, _css in series)),
        js=[],  # no tooltip script from a CDN (pygal's inline one is removed in _cleaned)
        disable_xml_declaration=True,
        explicit_size=False,  # only a viewBox: the chart scales to the width it is shown at
        xrange=(x_min, x_max),
        range=PAIN_RANGE,
        y_labels=list(range(PAIN_RANGE[0], PAIN_RANGE[1] + 1, 2)),
        x_labels=labels,
        show_x_guides=False,
        legend_at_bottom=True,
        legend_at_bottom_columns=legend_columns,
        legend_box_size=round(0.8 * font),
        truncate_legend=-1,
        truncate_label=-1,
        spacing=spacing,
        margin=margin,
        margin_top=margin_top,
        margin_right=margin_right,
        dots_size=round(font / 5, 1),
    )
    per_series_css = " ".join(
        f"#chart-{chart.uuid} .series.serie-{i} {selector} {{ {rule} }}"
        for i, (*_rest, opts, _colour, css) in enumerate(series)
        for selector, rule in (
            css.items()
            if isinstance(css, dict)
            else [(".line" if opts.get("stroke", True) else ".dot", css)]
        )
    )
    chart.css = ["file://style.css", "file://graph.css", f"inline:{per_series_css}"]
    for _role, legend, values, options, _colour, _css in series:
        chart.add(legend, values, **options)

    if points:
        empty_message = None
    elif page is not None and assessment.series:
        empty_message = _("No entries in this period")
    else:
        empty_message = _("No entries yet")
    description = (
        [summary_sentence(assessment)]
        + ([str(advice.title), str(advice.text)] if advice else [])
        + _marks_sentences(review_weeks, changes, episode_start)
    )
    if page is not None:
        description.append(
            _("The chart shows %(first)s to %(last)s.")
            % {"first": day_label(page.first), "last": day_label(page.last)}
        )
    drawn = _cleaned(
        chart.render(is_unicode=True),
        language=language,
        title=title,
        description=" ".join(description),
        mark_labels=[_short(name) for _day, name in changes],
        roles=[role for role, *_rest in series],
        text_block=text_block,
        heading_colour=(TEXT if advice is None else SEEK_CARE if advice.seek_care else KEEP_GOING),
        margin=margin,
        empty_message=empty_message,
        font=font,
        page=page and _PageLayout(page, episode_start, first_day, last_day, x_min, x_max),
    )
    return replace(drawn, height=height, layout=layout)


@dataclass(frozen=True)
class _Dots:
    """The page chart's daily dots: pygal options and css for the left heel (or the only one)
    and the right."""

    left: dict
    left_css: dict
    right: dict
    right_css: dict
    dense: bool  # the dots had to shrink, and a line joins them


def _page_dots(day_width: float, font: int, line: float, both_heels: bool) -> _Dots:
    """Dots as large as on the API's chart where the days are wide enough, else smaller, so
    that no two overlap (with a little room between), and then a thin line joins them, which
    reads better than a row of specks; dots too small to see are left out.

    A patient with both heels has, on each day, the left heel's filled dot inside the right
    heel's ring: equal values still show both."""
    full = round(font / 5, 1)
    room = day_width * 0.97 - line / 2  # pygal pads the axis a little; and a gap between dots
    rim = line / 2  # the left dot's white rim
    if both_heels:
        ring = min(1.4 * full, (room - line) / 2)  # its stroke is `line` wide
        dot = min(full, ring - line / 2)
        dense = ring < full
    else:
        ring = 0.0
        dot = min(full, (room - rim) / 2)
        dense = dot < 0.75 * full

    def options(radius: float) -> dict:
        visible = radius >= 0.6
        return {"stroke": dense, "show_dots": visible, "dots_size": round(max(radius, 0.1), 2)}

    # Under the mean's line, a little see-through, so that the mean stays the line to follow.
    thin = f"stroke-width: {_n(0.6 * line)}; stroke-linejoin: round; stroke-opacity: 0.8"
    # Small dots without the white rim, which would leave only specks of white; the ring as
    # thin as it must be to stay a ring.
    rim_css = f"stroke: #ffffff; stroke-width: {_n(rim)}" if not dense else "stroke: none"
    ring_width = line if not dense else max(0.4, min(line, ring / 2))
    return _Dots(
        left=options(dot),
        left_css={".line": thin, ".dot": rim_css},
        right=options(ring),
        right_css={
            ".line": f"{thin}; stroke-dasharray: {_n(1.5 * line)} {_n(line)}",
            ".dot": f"fill: #ffffff; stroke: {DOT_OTHER}; stroke-width: {_n(ring_width)}",
        },
        dense=dense,
    )


def _x_labels(weeks: int, plot_width: float, font: int) -> list[dict]:
    """Week labels, each in the middle of its week; every nth week if not all of them fit."""
    longest = max(len(_week_label(weeks)), len(_week_label(1)))
    label_width = (longest * CHAR_EM + 1) * font  # and 1 em between labels
    week_width = plot_width / weeks
    step = next((s for s in (1, 2, 3, 4, 6, 8, 13, 26) if s * week_width >= label_width), None)
    step = step or math.ceil(label_width / week_width / 52) * 52
    return [
        {"label": _week_label(week), "value": WEEK * week - 3}
        for week in range(step, max(weeks, step) + 1, step)
    ]


def _date_labels(
    first_day: int, last_day: int, episode_start: date, plot_width: float, font: int
) -> list[dict]:
    """Date labels on the page chart, counted back from the last day (today, the one to find
    at a glance): every day, every other, every week, ... whichever is the first to leave
    0.6 em between labels. One that would reach past the left edge of the plot by more than the
    y labels' room is left out."""
    days = last_day - first_day + 1
    day_width = plot_width / days

    def labelled(step: int) -> list[tuple[int, str]]:
        return [
            (day, _axis_date(episode_start + timedelta(days=day - 1)))
            for day in range(last_day, first_day - 1, -step)
        ]

    for step in (1, 2, 7, 14, 28, 56, 91, 182, 364, 728):
        labels = labelled(step)
        widest = max(_text_width(text, font) for _day, text in labels)
        if step * day_width >= widest + 0.6 * font:
            break
    room_left = 2 * font  # the y labels' column, which ends above the x axis
    return [
        {"label": text, "value": day}
        for day, text in reversed(labels)
        if (day - first_day + 0.5) * day_width + room_left >= _text_width(text, font) / 2
    ]


def _legend_columns(legends: list[str], plot_width: float, font: int) -> int:
    """Three columns if no legend runs into its neighbour, else two.

    pygal starts a column every third of the plot's width: a box of 0.8 em, 5 units, the text;
    and a gap of 0.3 em before the next box.
    """
    for columns in (3, 2):
        if all(
            (0.8 + len(legend) * CHAR_EM + 0.3) * font + 5 <= plot_width / columns
            for i, legend in enumerate(legends)
            if i % columns < columns - 1 and i + 1 < len(legends)
        ):
            return columns
    return 1


def _style(font: int, colours: tuple[str, ...]) -> Style:
    return Style(
        font_family=FONT_FAMILY,
        background="#ffffff",
        plot_background="#ffffff",
        foreground=TEXT,
        foreground_strong=TEXT,
        foreground_subtle=GRID,
        guide_stroke_color=GRID,
        major_guide_stroke_color=GRID,
        guide_stroke_dasharray="none",
        major_guide_stroke_dasharray="none",
        label_font_size=font,
        major_label_font_size=font,
        legend_font_size=font,
        title_font_size=font,
        value_font_size=font,
        value_label_font_size=font,
        tooltip_font_size=font,
        no_data_font_size=font,
        opacity="1",
        opacity_hover="1",
        stroke_opacity="1",
        stroke_opacity_hover="1",
        stroke_width="1",
        stroke_width_hover="1",
        transition="none",
        colors=colours,
    )


def _cleaned(
    svg: str,
    *,
    language: str,
    title: str,
    description: str,
    roles: list[str],
    text_block: list[tuple[str, int, bool]],
    heading_colour: str,
    margin: int,
    empty_message: str | None,
    font: int,
    mark_labels: list[str] = (),
    page: "_PageLayout | None" = None,
) -> _Drawn:
    """pygal's SVG made safe to serve and accessible, with our texts; see the module docstring.
    For the page's chart (`page`), also without a style sheet and with its days to pick."""
    # Our own output, just made by pygal: no untrusted XML is parsed here. Comments go on parsing.
    root = safe_fromstring(svg)
    q = _qualified

    for parent in list(root.iter()):
        for child in list(parent):
            # Scripts; pygal's title and its per-dot tooltip data (only ours are added below).
            if child.tag in (q("script"), q("title"), q("desc")):
                parent.remove(child)
    for element in root.iter():
        for name in [name for name in element.attrib if name.startswith(f"{{{XLINK_NS}}}")]:
            del element.attrib[name]

    for group in root.iter(q("g")):
        classes = group.get("class", "").split()
        if "series" in classes:
            index = next(int(c.removeprefix("serie-")) for c in classes if c.startswith("serie-"))
            group.set("class", " ".join([*classes, roles[index]]))

    plot = next(e for e in root.iter(q("g")) if e.get("class") == "plot")
    background = next(e for e in plot if e.get("class") == "background")
    if page is not None:
        _resolve_styles(root)
        x_reference = _remove_page_helpers(root)

    chart_id = root.get("id") or "chart"
    if page is None:
        root.set("role", "img")
        root.set("aria-labelledby", f"{chart_id}-title {chart_id}-desc")
    else:
        # An image's content is hidden from assistive technology: the day picker must not be
        # in it. The drawing is the image, described by the desc; the whole is a group.
        root.set("role", "group")
        root.set("aria-labelledby", f"{chart_id}-title")
    root.set("lang", language)
    root.set(f"{{{XML_NS}}}lang", language)
    title_element = ET.Element(q("title"), id=f"{chart_id}-title")
    title_element.text = title
    desc_element = ET.Element(q("desc"), id=f"{chart_id}-desc")
    desc_element.text = description
    root.insert(0, desc_element)
    root.insert(0, title_element)

    texts = ET.SubElement(root, q("g"), {"class": "summary"})
    y = float(margin)
    for text, size, bold in text_block:
        y += LINE_HEIGHT * size
        element = ET.SubElement(
            texts,
            q("text"),
            {
                "x": str(margin),
                "y": str(round(y - (LINE_HEIGHT - 1) * size, 1)),  # the baseline of the line
                "font-size": str(size),
                "font-weight": "bold" if bold else "normal",
                "fill": heading_colour if bold else TEXT,
            },
        )
        element.text = text

    # Each programme mark's name, at its top, to the right of the line.
    mark_paths = [
        (group, path)
        for group in root.iter(q("g"))
        if "programme-marks" in group.get("class", "").split()
        for path in group.iter(q("path"))
    ]
    for (group, path), label in zip(mark_paths, mark_labels, strict=False):
        points = [float(v) for v in path.get("d", "").replace("M", " ").replace("L", " ").split()]
        x, y = points[0], min(points[1::2])
        attributes = {
            "x": str(round(x + font / 4, 1)),
            "y": str(round(y + font, 1)),
            "font-size": str(font),
            "fill": PROGRAMME,
            "class": "programme-label",
        }
        if page is not None and x + font / 4 + _text_width(label, font) > float(
            background.get("width")
        ):
            # Near the right edge (on the page's chart, often: the window ends today): to the
            # left of the line instead, so as not to be cut off.
            attributes.update(x=str(round(x - font / 4, 1)), **{"text-anchor": "end"})
        if page is not None:
            attributes["stroke"] = (
                "none"  # not the series' stroke (a style sheet's rule on the API's)
            )
        element = ET.SubElement(group, q("text"), attributes)
        element.text = label

    if empty_message:
        # In the middle of the plot, on a white ground that covers the review marks behind it.
        x, y = float(background.get("width")) / 2, float(background.get("height")) / 2
        box_width = (len(empty_message) * BOLD_CHAR_EM + 1) * font
        box = {"width": box_width, "height": 1.6 * font, "x": x - box_width / 2, "y": y - font}
        ET.SubElement(
            plot, q("rect"), {**{k: str(round(v, 1)) for k, v in box.items()}, "fill": "#ffffff"}
        )
        message = ET.SubElement(
            plot,
            q("text"),
            {
                "x": str(round(x, 1)),
                "y": str(round(y + 0.35 * font, 1)),
                "text-anchor": "middle",
                "font-size": str(font),
                "font-weight": "bold",
                "fill": TEXT,
            },
        )
        message.text = empty_message

    if page is not None:
        drawing = ET.Element(q("g"), {"role": "img", "aria-labelledby": f"{chart_id}-desc"})
        for child in list(root)[2:]:  # all but the title and the desc
            root.remove(child)
            drawing.append(child)
        root.append(drawing)
        _add_days(root, plot, background, page, x_reference)
        root.set("class", f"{root.get('class', '')} chart-svg".strip())

    # Everything is in the SVG namespace: write it as the default one, without prefixes.
    for element in root.iter():
        element.tag = element.tag.removeprefix(f"{{{SVG_NS}}}")
    root.set("xmlns", SVG_NS)
    return _Drawn(ET.tostring(root, encoding="unicode"), float(background.get("height")))


@dataclass(frozen=True)
class _PageLayout:
    """What _cleaned needs to know of the page chart's window."""

    page: _Page
    episode_start: date
    first_day: int
    last_day: int
    x_min: float
    x_max: float


def _remove_page_helpers(root: ET.Element) -> tuple[float, float, float]:
    """Removes what the page chart has no use for (pygal's tooltip, the x-reference series)
    and returns where the x-reference was drawn: the left and right edges of the window, and
    the height of 0 on the pain scale."""
    q = _qualified
    ends = None
    for parent in list(root.iter()):
        for child in list(parent):
            classes = child.get("class", "").split()
            if "tooltip-overlay" in classes or child.tag == q("defs"):
                parent.remove(child)
            elif "x-reference" in classes:
                for path in child.iter(q("path")):
                    numbers = [float(n) for n in re.findall(r"-?[\d.]+", path.get("d", ""))]
                    ends = (numbers[0], numbers[2], numbers[1])
                parent.remove(child)
    return ends


def _add_days(
    root: ET.Element,
    plot: ET.Element,
    background: ET.Element,
    layout: _PageLayout,
    x_reference: tuple[float, float, float],
) -> None:
    """A transparent column over each day of the window, to tap, and a highlight of the
    chosen day behind the data, from the top of the plot down to the x axis."""
    q = _qualified
    left, right, bottom = x_reference
    scale = (right - left) / (layout.x_max - layout.x_min)
    height = str(round(bottom, 2))

    def column(day: int) -> dict:
        x = max(0.0, left + (day - 0.5 - layout.x_min) * scale)
        end = min(float(background.get("width")), left + (day + 0.5 - layout.x_min) * scale)
        return {"x": str(round(x, 2)), "y": "0", "width": str(round(end - x, 2)), "height": height}

    def date_of(day: int) -> date:
        return layout.episode_start + timedelta(days=day - 1)

    selected = layout.page.selected
    selected_day = (selected - layout.episode_start).days + 1 if selected else None
    shown = selected_day is not None and layout.first_day <= selected_day <= layout.last_day
    highlight = ET.Element(
        q("rect"),
        {
            **column(selected_day if shown else layout.last_day),
            "class": "day-highlight",
            "fill": HIGHLIGHT,
            "fill-opacity": "0.16",
            **({} if shown else {"display": "none"}),
        },
    )
    plot.insert(list(plot).index(background) + 1, highlight)

    days = ET.SubElement(
        root,
        q("g"),
        {
            "class": "day-targets",
            "transform": plot.get("transform", ""),
            "data-first": date_of(layout.first_day).isoformat(),
            "data-last": date_of(layout.last_day).isoformat(),
        },
    )
    for day in range(layout.first_day, layout.last_day + 1):
        ET.SubElement(
            days,
            q("rect"),
            {
                **column(day),
                "class": "day-target" + (" is-selected" if shown and day == selected_day else ""),
                "fill": "#000000",
                "fill-opacity": "0",  # invisible, yet taps on it count (a fill of none would not)
                "data-date": date_of(day).isoformat(),
            },
        )


# Style properties that SVG also takes as presentation attributes: the ones pygal sets.
PRESENTATION = {
    "fill",
    "fill-opacity",
    "stroke",
    "stroke-width",
    "stroke-dasharray",
    "stroke-linejoin",
    "stroke-linecap",
    "stroke-opacity",
    "opacity",
    "font-family",
    "font-size",
    "font-weight",
    "text-anchor",
    "visibility",
    "display",
}
_COMPOUND = re.compile(r"^([a-zA-Z]+)?(#[\w-]+)?((?:\.[\w-]+)*)$")


def _resolve_styles(root: ET.Element) -> None:
    """pygal's style sheets applied as presentation attributes, and the sheets removed.

    A page's content security policy may forbid inline style sheets but not presentation
    attributes; a presentation attribute applies to its element (and is inherited) just as a
    rule that matches the element would. pygal's rules use simple selectors: descendant and
    child combinators of tags, ids and classes. Rules with anything else (:hover, [transform])
    are for interaction or rotated labels, which this chart has not, and are skipped. Of the
    rules that set a property on an element, the one that wins in CSS wins here: !important,
    then specificity, then the later one."""
    q = _qualified
    css = " ".join(style.text or "" for style in root.iter(q("style")))
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    rules: dict[str, list] = {}  # by the key of the rightmost compound
    for order, (selectors, body) in enumerate(re.findall(r"([^{}]+)\{([^{}]*)\}", css)):
        declarations = []
        for declaration in body.split(";"):
            name, _colon, value = (part.strip() for part in declaration.partition(":"))
            if name in PRESENTATION and value:
                important = value.endswith("!important")
                value = value.removesuffix("!important").strip()
                declarations.append((name, re.sub(r"^([\d.]+)px$", r"\1", value), important))
        for selector in selectors.split(","):
            chain = _selector_chain(selector)
            if declarations and chain:
                ids = sum(1 for _c, _t, i, _cl in chain if i)
                classes = sum(len(cl) for _c, _t, _i, cl in chain)
                tags = sum(1 for _c, t, _i, _cl in chain if t)
                _comb, tag, id_, cls = chain[-1]
                key = f".{cls[0]}" if cls else id_ or tag
                rules.setdefault(key, []).append(((ids, classes, tags), order, chain, declarations))

    parents = {child: parent for parent in root.iter() for child in parent}

    def matches(element, chain, index) -> bool:
        combinator, tag, id_, classes = chain[index]
        if tag and element.tag != q(tag):
            return False
        if id_ and element.get("id") != id_[1:]:
            return False
        if not set(classes) <= set(element.get("class", "").split()):
            return False
        if index == 0:
            return True
        parent = parents.get(element)
        if combinator == ">":
            return parent is not None and matches(parent, chain, index - 1)
        while parent is not None:
            if matches(parent, chain, index - 1):
                return True
            parent = parents.get(parent)
        return False

    for element in root.iter():
        keys = [f".{c}" for c in element.get("class", "").split()]
        keys += [element.tag.removeprefix(f"{{{SVG_NS}}}"), f"#{element.get('id')}"]
        winners: dict[str, tuple] = {}
        for key in keys:
            for specificity, order, chain, declarations in rules.get(key, ()):
                if not matches(element, chain, len(chain) - 1):
                    continue
                for name, value, important in declarations:
                    rank = (important, specificity, order)
                    if name not in winners or rank > winners[name][0]:
                        winners[name] = (rank, value)
        for name, (_rank, value) in winners.items():
            element.set(name, value)
    for parent in list(root.iter()):
        for child in list(parent):
            if child.tag == q("style"):
                parent.remove(child)


def _selector_chain(selector: str) -> list[tuple[str, str, str, list[str]]] | None:
    """A selector as (combinator before it, tag, #id, classes) per compound; None for one that
    _resolve_styles does not handle."""
    if any(c in selector for c in ":[*+~@"):
        return None
    chain, combinator = [], " "
    for part in selector.replace(">", " > ").split():
        if part == ">":
            combinator = ">"
            continue
        match = _COMPOUND.match(part)
        if not match:
            return None
        tag, id_, classes = match.groups()
        chain.append((combinator, tag or "", id_ or "", classes.split(".")[1:]))
        combinator = " "
    return chain or None


def _n(number: float) -> str:
    """A length for CSS: one decimal is plenty."""
    return f"{number:.1f}"


def _qualified(tag: str) -> str:
    return f"{{{SVG_NS}}}{tag}"
