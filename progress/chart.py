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
"""

import math
import textwrap
from collections.abc import Sequence
from datetime import date, timedelta
from decimal import Decimal
from xml.etree import ElementTree as ET  # building elements only; parsing uses defusedxml

import pygal
from defusedxml.ElementTree import fromstring as safe_fromstring
from django.utils import formats, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from pygal.style import Style

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
        return _render(assessment, language, width, height, episode_start, list(programme_changes))


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
    sentences = [
        ngettext(
            "Review mark at the end of week %(weeks)s.",
            "Review marks at the end of weeks %(weeks)s.",
            len(weeks),
        )
        % {"weeks": _listed(weeks)}
    ]
    for day, name in changes:
        sentences.append(
            _("New programme from %(date)s (week %(week)s): %(name)s.")
            % {
                "date": formats.date_format(episode_start + timedelta(days=day - 1)),
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


def _wrapped(parts: list[str], chars: int) -> list[str]:
    """Lines of at most about `chars` characters; breaks between parts before inside them."""
    whole = ", ".join(parts)
    if len(whole) <= chars:
        return [whole]
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
    height: int,
    episode_start: date,
    programme_changes: list[tuple[date, str]],
) -> str:
    font = math.ceil(MIN_DISPLAY_FONT_PX * width / MIN_DISPLAY_WIDTH)
    line = round(font / 7, 1)  # the thin lines, about 2 px on a phone; the mean's 2.5 times that
    margin = round(font / 2)

    # To the end of the last review week, or of this week if that is later: whole weeks.
    weeks = max(math.ceil(assessment.day / WEEK), assessment.review_weeks[-1])
    last_day = WEEK * weeks
    x_min, x_max = 0.5, last_day + 0.5  # day n is drawn at x = n and covers n - 0.5 .. n + 0.5
    baseline, target = assessment.baseline, assessment.target

    # (role, legend or None, values, pygal options, colour, css), drawn in this order, the last on
    # top. The order also puts the legends that might run into their neighbour's where they have
    # none. The role becomes a class of the series' groups, for style sheets and tests.
    series: list[tuple[str, str | None, list, dict, str, str]] = []
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
    days = [(point.date - episode_start).days + 1 for point in assessment.series]
    both_heels = any(point.morning_pain_other is not None for point in assessment.series)
    series.append(
        (
            "mean",
            _("7-day mean"),
            [
                (day, None if point.mean_7d is None else float(point.mean_7d))
                for day, point in zip(days, assessment.series, strict=True)
            ],
            {"show_dots": False, "allow_interruptions": True},
            MEAN,
            f"stroke-width: {_n(2.5 * line)}; stroke-linejoin: round; stroke-linecap: round",
        )
    )
    marks: list[tuple[float, int] | None] = []
    for review_week in assessment.review_weeks:
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
    changes = [
        (day, name)
        for day, name in (((d - episode_start).days + 1, name) for d, name in programme_changes)
        if 1 < day <= last_day
    ]
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
    series.append(
        (
            "daily-pain",
            _("Left heel") if both_heels else _("Morning pain"),
            [(day, point.morning_pain) for day, point in zip(days, assessment.series, strict=True)],
            {"stroke": False},
            DOT,
            f"stroke: #ffffff; stroke-width: {_n(line / 2)}",
        )
    )
    if both_heels:
        series.append(
            (
                "daily-pain-other",
                _("Right heel"),
                [
                    (day, point.morning_pain_other)
                    for day, point in zip(days, assessment.series, strict=True)
                    if point.morning_pain_other is not None
                ],
                {"stroke": False},
                DOT_OTHER,
                f"fill: #ffffff; stroke: {DOT_OTHER}; stroke-width: {_n(line)}",
            )
        )

    # The advice (or the chart's name) and the numbers in words, above the plot.
    title = _("Morning pain over time")
    advice = assessment.advice
    heading_font = round(font * 1.1)
    heading = _wrapped(
        [str(advice.title) if advice else title],
        int((width - 2 * margin) / (BOLD_CHAR_EM * heading_font)),
    )
    summary = _wrapped(_summary_parts(assessment), int((width - 2 * margin) / (CHAR_EM * font)))
    text_block = [(text, heading_font, True) for text in heading] + [
        (text, font, False) for text in summary
    ]
    text_height = sum(LINE_HEIGHT * size for _text, size, _bold in text_block)

    spacing = round(font / 2.5)
    labels = _x_labels(weeks, width - 4 * font, font)
    # Room for half of the last week label, centred half a week (3.5 days) from the right edge.
    half_label = len(labels[-1]["label"]) * WIDE_CHAR_EM * font / 2
    margin_right = round(max(margin, half_label + margin / 2 - 3.5 * (width - 4 * font) / last_day))
    # pygal's left margin: the margin, a space and the y labels ("10") as it estimates them.
    plot_width = width - margin - spacing - 2 * 0.6 * font - margin_right
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
        legend_at_bottom_columns=_legend_columns(
            [legend for _role, legend, *_rest in series if legend], plot_width, font
        ),
        legend_box_size=round(0.8 * font),
        truncate_legend=-1,
        truncate_label=-1,
        spacing=spacing,
        margin=margin,
        margin_top=round(margin + text_height + font / 2),
        margin_right=margin_right,
        dots_size=round(font / 5, 1),
    )
    per_series_css = " ".join(
        f"#chart-{chart.uuid} .series.serie-{i} {'.line' if opts.get('stroke', True) else '.dot'}"
        f" {{ {css} }}"
        for i, (*_rest, opts, _colour, css) in enumerate(series)
    )
    chart.css = ["file://style.css", "file://graph.css", f"inline:{per_series_css}"]
    for _role, legend, values, options, _colour, _css in series:
        chart.add(legend, values, **options)

    return _cleaned(
        chart.render(is_unicode=True),
        language=language,
        title=title,
        description=" ".join(
            [summary_sentence(assessment)]
            + ([str(advice.title), str(advice.text)] if advice else [])
            + _marks_sentences(assessment.review_weeks, changes, episode_start)
        ),
        mark_labels=[_short(name) for _day, name in changes],
        roles=[role for role, *_rest in series],
        text_block=text_block,
        heading_colour=(TEXT if advice is None else SEEK_CARE if advice.seek_care else KEEP_GOING),
        margin=margin,
        empty_message=None if assessment.series else _("No entries yet"),
        font=font,
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
) -> str:
    """pygal's SVG made safe to serve and accessible, with our texts; see the module docstring."""
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

    chart_id = root.get("id") or "chart"
    root.set("role", "img")
    root.set("aria-labelledby", f"{chart_id}-title {chart_id}-desc")
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
        element = ET.SubElement(
            group,
            q("text"),
            {
                "x": str(round(x + font / 4, 1)),
                "y": str(round(y + font, 1)),
                "font-size": str(font),
                "fill": PROGRAMME,
                "class": "programme-label",
            },
        )
        element.text = label

    if empty_message:
        # In the middle of the plot, on a white ground that covers the review marks behind it.
        plot = next(e for e in root.iter(q("g")) if e.get("class") == "plot")
        background = next(e for e in plot if e.get("class") == "background")
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

    # Everything is in the SVG namespace: write it as the default one, without prefixes.
    for element in root.iter():
        element.tag = element.tag.removeprefix(f"{{{SVG_NS}}}")
    root.set("xmlns", SVG_NS)
    return ET.tostring(root, encoding="unicode")


def _n(number: float) -> str:
    """A length for CSS: one decimal is plenty."""
    return f"{number:.1f}"


def _qualified(tag: str) -> str:
    return f"{{{SVG_NS}}}{tag}"
