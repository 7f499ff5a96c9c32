"""The clinician report: one A4 PDF of a patient's current episode (issue 15, item 4).

Drawn on the server by reportlab, with no browser at run time. What it holds, in this order:
the clinic, the physiotherapist and the patient; the episode (dates, condition, heels, outcome);
the current advice; the morning-pain chart; the numbers in words; adherence; the programmes
of the episode with their dosages (a change of programme is a new one in the list, the old one
ended); questionnaire scores with their change against the episode's first; red-flag answers;
reviews and the outcome recorded.

The chart is vector graphics (reportlab.graphics shapes: paths in the page's content stream,
not an image), drawn from the same assessment series as the web chart (progress.chart): daily
dots, the 7-day mean, the starting point as a dashed line, the target band, the review weeks
and the days a programme changed. The fonts are the PDF standard fonts (Helvetica), which
cover Danish letters in the encoding reportlab uses for them (WinAnsi): nothing to embed.

Texts are in the reader's language (the caller activates it); a questionnaire wording that is
not a published validated translation is marked so.
"""

from __future__ import annotations

import io
import math
from datetime import date

from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from reportlab.graphics.shapes import Circle, Drawing, Line, PolyLine, Rect, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle
from reportlab.platypus.flowables import Flowable

from accounts.models import Condition
from common.dates import day_label
from diary.red_flags import question_text
from outcomes.texts import NONE, change_text, number_text, score_text

from .assessment import WEEK
from .chart import BASELINE, DOT, MEAN, REVIEW, TARGET_EDGE, TARGET_FILL, summary_sentence
from .record import Record

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN = 18 * mm
CONTENT_WIDTH = PAGE_WIDTH - 2 * MARGIN
CHART_HEIGHT = 70 * mm
CHANGE = "#b0b0b0"  # a programme change: a thin light line, under the review marks


def episode_outcome_label(code: str) -> str:
    return {
        "recovered": _("recovered"),
        "referred": _("referred"),
        "stopped": _("stopped by the patient"),
        "transferred": _("transferred"),
        "improving": _("improving"),
        "declined": _("the patient declined"),
    }.get(code, code)


def review_kind_label(code: str) -> str:
    return {
        "week_6_review": _("Week 6 review"),
        "week_12_outcome": _("Week 12 outcome"),
    }.get(code, code)


def timepoint_label(code: str) -> str:
    return {
        "start": _("start"),
        "week_6": _("week 6"),
        "week_12": _("week 12"),
        "close": _("close"),
    }.get(code, code)


def _date(value: date | None) -> str:
    # The one date format of the pages (common.dates), with the year: a report is kept.
    return day_label(value, year=True) if value else NONE


def dosage_text(dosage: dict) -> str:
    """A dosage in a few words: "3 x 12, hold 10 s, 3 times a day, tempo 3-2-3 s, 12RM"."""
    parts = []
    sets, reps = dosage.get("sets"), dosage.get("reps")
    if sets and reps:
        parts.append(f"{sets} x {reps}")
    elif reps:
        parts.append(_("%(reps)s reps") % {"reps": reps})
    elif sets:
        parts.append(_("%(sets)s sets") % {"sets": sets})
    if dosage.get("hold_seconds"):
        parts.append(_("hold %(seconds)s s") % {"seconds": dosage["hold_seconds"]})
    if dosage.get("tempo_up") is not None or dosage.get("tempo_down") is not None:
        tempo = "-".join(
            str(dosage.get(key) or 0) for key in ("tempo_up", "tempo_hold", "tempo_down")
        )
        parts.append(_("tempo %(tempo)s s") % {"tempo": tempo})
    if dosage.get("load"):
        parts.append(dosage["load"])
    if dosage.get("rest_seconds"):
        parts.append(_("rest %(seconds)s s") % {"seconds": dosage["rest_seconds"]})
    if dosage.get("times_per_day"):
        n = dosage["times_per_day"]
        parts.append(ngettext("%(n)s time a day", "%(n)s times a day", n) % {"n": n})
    if dosage.get("every_n_days") and dosage["every_n_days"] > 1:
        parts.append(_("every %(n)s days") % {"n": dosage["every_n_days"]})
    return ", ".join(parts) or NONE


class ChartFlowable(Flowable):
    """The morning-pain chart as a reportlab Drawing (vector paths), sized to the column."""

    def __init__(self, record: Record, width: float, height: float):
        super().__init__()
        self.drawing = pain_chart(record, width, height)
        self.width, self.height = width, height

    def wrap(self, available_width, available_height):
        return self.width, self.height

    def draw(self):
        self.drawing.drawOn(self.canv, 0, 0)


def pain_chart(record: Record, width: float, height: float) -> Drawing:
    """The chart of progress.chart, for paper: x = the assessment's day (day 1 its start), to
    the end of the last review week or of this week; y = pain 0-10."""
    assessment = record.assessment
    start = record.chart_start
    weeks = max(math.ceil(max(assessment.day, 1) / WEEK), assessment.review_weeks[-1])
    last_day = WEEK * weeks
    left, bottom, right, top = 28, 30, 8, 8
    plot_w, plot_h = width - left - right, height - bottom - top

    def x(day: float) -> float:
        return left + (day - 0.5) / last_day * plot_w

    def y(pain: float) -> float:
        return bottom + pain / 10 * plot_h

    d = Drawing(width, height)
    grey = colors.HexColor("#d9d9d9")
    # The target band first, under everything: at or below the target is where the mean counts
    # as improving.
    if assessment.target is not None:
        band_top = float(assessment.target)
        d.add(
            Rect(
                left,
                y(0),
                plot_w,
                y(band_top) - y(0),
                fillColor=colors.HexColor(TARGET_FILL),
                strokeColor=None,
            )
        )
        d.add(
            Line(
                left,
                y(band_top),
                left + plot_w,
                y(band_top),
                strokeColor=colors.HexColor(TARGET_EDGE),
                strokeWidth=1,
            )
        )
    for pain in range(0, 11, 2):
        d.add(Line(left, y(pain), left + plot_w, y(pain), strokeColor=grey, strokeWidth=0.4))
        d.add(
            String(
                left - 4, y(pain) - 3, str(pain), fontName="Helvetica", fontSize=7, textAnchor="end"
            )
        )
    for week in range(1, weeks + 1):
        if weeks <= 16 or week % 2 == 0:
            d.add(
                String(
                    x(WEEK * week - 3),
                    bottom - 11,
                    str(week),
                    fontName="Helvetica",
                    fontSize=7,
                    textAnchor="middle",
                )
            )
    d.add(
        String(
            left + plot_w / 2,
            bottom - 22,
            _("Week"),
            fontName="Helvetica",
            fontSize=7,
            textAnchor="middle",
        )
    )
    d.add(Line(left, y(0), left + plot_w, y(0), strokeColor=colors.black, strokeWidth=0.6))
    d.add(Line(left, y(0), left, y(10), strokeColor=colors.black, strokeWidth=0.6))

    # Programme changes: each programme after the first starts on a day of the chart.
    for programme in record.programmes[1:]:
        day = (programme.starts_on - start).days + 1
        if 1 <= day <= last_day:
            d.add(
                Line(
                    x(day),
                    y(0),
                    x(day),
                    y(10),
                    strokeColor=colors.HexColor(CHANGE),
                    strokeWidth=0.8,
                    strokeDashArray=[1, 2],
                )
            )
    for week in assessment.review_weeks:
        edge = x(WEEK * week + 0.5)
        d.add(
            Line(
                edge,
                y(0),
                edge,
                y(10),
                strokeColor=colors.HexColor(REVIEW),
                strokeWidth=1,
                strokeDashArray=[4, 2],
            )
        )
        d.add(
            String(
                edge - 2,
                y(10) - 8,
                _("week %(number)s") % {"number": week},
                fontName="Helvetica",
                fontSize=7,
                textAnchor="end",
                fillColor=colors.HexColor(REVIEW),
            )
        )
    if assessment.baseline is not None:
        b = float(assessment.baseline)
        d.add(
            Line(
                left,
                y(b),
                left + plot_w,
                y(b),
                strokeColor=colors.HexColor(BASELINE),
                strokeWidth=1,
                strokeDashArray=[5, 3],
            )
        )

    points = [p for p in assessment.series if 1 <= (p.date - start).days + 1 <= last_day]
    # The 7-day mean as one line per stretch of days that have a mean (a gap breaks it).
    stretch: list[float] = []
    previous_day = None
    for point in points:
        day = (point.date - start).days + 1
        if point.mean_7d is None or (previous_day is not None and day != previous_day + 1):
            if len(stretch) >= 4:
                d.add(PolyLine(stretch, strokeColor=colors.HexColor(MEAN), strokeWidth=2))
            stretch = []
        if point.mean_7d is not None:
            stretch += [x(day), y(float(point.mean_7d))]
        previous_day = day
    if len(stretch) >= 4:
        d.add(PolyLine(stretch, strokeColor=colors.HexColor(MEAN), strokeWidth=2))
    radius = max(1.2, min(2.5, plot_w / last_day / 3))
    for point in points:
        day = (point.date - start).days + 1
        d.add(
            Circle(
                x(day),
                y(point.morning_pain),
                radius,
                fillColor=colors.HexColor(DOT),
                strokeColor=None,
            )
        )
    return d


def _styles():
    sheet = getSampleStyleSheet()
    base = ParagraphStyle(
        "body", parent=sheet["BodyText"], fontName="Helvetica", fontSize=9, leading=12
    )
    return {
        "title": ParagraphStyle(
            "title",
            parent=sheet["Title"],
            fontName="Helvetica-Bold",
            fontSize=16,
            leading=20,
            alignment=0,
            spaceAfter=4,
        ),
        "h2": ParagraphStyle(
            "h2",
            parent=sheet["Heading2"],
            fontName="Helvetica-Bold",
            fontSize=11.5,
            leading=14,
            spaceBefore=8,
            spaceAfter=3,
        ),
        "body": base,
        "small": ParagraphStyle(
            "small", parent=base, fontSize=7.5, leading=9.5, textColor=colors.HexColor("#444444")
        ),
        "cell": ParagraphStyle("cell", parent=base, fontSize=8.5, leading=10.5),
    }


def _table(rows: list[list], widths: list[float], styles, header: bool = True) -> Table:
    cells = [[Paragraph(_escape(str(c)), styles["cell"]) for c in row] for row in rows]
    table = Table(cells, colWidths=widths, repeatRows=1 if header else 0, hAlign="LEFT")
    commands = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, -1), 0.3, colors.HexColor("#cccccc")),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
    ]
    if header:
        commands.append(("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eeeeee")))
    table.setStyle(TableStyle(commands))
    return table


def _escape(text: str) -> str:
    # Paragraph reads a small markup language: a patient's or clinic's "<" or "&" is text.
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _facts(pairs: list[tuple[str, str]], styles) -> Table:
    table = _table(
        [[label, value] for label, value in pairs],
        [CONTENT_WIDTH * 0.32, CONTENT_WIDTH * 0.68],
        styles,
        header=False,
    )
    return table


def report_pdf(record: Record, *, for_doctor: bool = False) -> bytes:
    """The report as PDF bytes, in the active language. `for_doctor`: the patient's copy, to
    bring to their doctor (the same facts; its title says who it is for)."""
    styles = _styles()
    story: list = []
    title = (
        _("Heel pain: report for your doctor") if for_doctor else _("Heel pain: clinician report")
    )
    story.append(Paragraph(_escape(title), styles["title"]))
    episode = record.episode
    heels = {"left": _("left"), "right": _("right")}
    story.append(
        _facts(
            [
                (_("Patient"), record.name),
                (_("Clinic"), record.clinic_name),
                (_("Physiotherapist"), episode.physio_name or NONE),
                (
                    _("Condition"),
                    str(Condition(episode.condition).label)
                    if episode.condition in Condition.values
                    else episode.condition,
                ),
                (_("Heel"), ", ".join(heels[h] for h in episode.heels) or NONE),
                (
                    _("Episode of care"),
                    _("%(start)s to %(end)s")
                    % {
                        "start": _date(episode.starts_on),
                        "end": _date(episode.closed_on) if episode.closed_on else _("ongoing"),
                    },
                ),
                (_("Outcome"), episode_outcome_label(episode.outcome) if episode.outcome else NONE),
                (_("Report made on"), _date(record.today)),
            ],
            styles,
        )
    )

    if record.advice:
        story.append(Paragraph(_escape(_("Current advice")), styles["h2"]))
        story.append(Paragraph(f"<b>{_escape(record.advice['title'])}</b>", styles["body"]))
        story.append(Paragraph(_escape(record.advice["text"]), styles["body"]))

    story.append(Paragraph(_escape(_("Morning pain (0-10)")), styles["h2"]))
    story.append(
        KeepTogether(
            [
                ChartFlowable(record, CONTENT_WIDTH, CHART_HEIGHT),
                Paragraph(
                    _escape(
                        _(
                            "Dots: morning pain each day. Line: average of the last 7 days. "
                            "Dashed line: the starting point. Green area: the target. "
                            "Purple marks: review weeks. Dotted grey: a programme change."
                        )
                    ),
                    styles["small"],
                ),
            ]
        )
    )
    story.append(Spacer(1, 3))
    story.append(Paragraph(_escape(summary_sentence(record.assessment)), styles["body"]))
    adherence = record.adherence_14d
    story.append(
        Paragraph(
            _escape(
                _("Exercises done, last 14 days: %(percent)s")
                % {
                    "percent": f"{number_text(adherence * 100, 0)} %"
                    if adherence is not None
                    else NONE
                }
            ),
            styles["body"],
        )
    )
    if any(e.morning_pain_other is not None for e in record.entries):
        story.append(
            Paragraph(
                _escape(_("Both heels are logged; the chart shows the worse heel of each day.")),
                styles["small"],
            )
        )

    story.append(Paragraph(_escape(_("Programme and its changes")), styles["h2"]))
    if not record.programmes:
        story.append(Paragraph(_escape(_("No programme assigned.")), styles["body"]))
    for programme in record.programmes:
        period = _("from %(start)s") % {"start": _date(programme.starts_on)}
        if programme.ends_on:
            period = _("%(start)s to %(end)s") % {
                "start": _date(programme.starts_on),
                "end": _date(programme.last_day),
            }
        status = _("current") if programme.active else _("ended")
        story.append(
            Paragraph(
                f"<b>{_escape(programme.name)}</b> ({_escape(period)}, {status})", styles["body"]
            )
        )
        rows = [[_("Exercise"), _("Dosage"), _("Stage")]]
        for line in programme.items:
            stage = NONE
            if line.stage_count:
                stage = f"{line.stage}/{line.stage_count}"
                if line.held_stage:
                    stage += " " + _("(held)")
            rows.append([line.exercise_name, dosage_text(line.dosage), stage])
        story.append(
            _table(rows, [CONTENT_WIDTH * 0.38, CONTENT_WIDTH * 0.47, CONTENT_WIDTH * 0.15], styles)
        )
        story.append(Spacer(1, 4))

    story.append(Paragraph(_escape(_("Questionnaires")), styles["h2"]))
    if not record.questionnaires:
        story.append(
            Paragraph(_escape(_("No questionnaires answered in this episode.")), styles["body"])
        )
    else:
        rows = [[_("Questionnaire"), _("When"), _("Score"), _("Change since the first")]]
        unvalidated = False
        for q in record.questionnaires:
            mark = ""
            if not q.validated_translation:
                mark, unvalidated = " *", True
            rows.append(
                [
                    q.title + mark,
                    f"{timepoint_label(q.timepoint)} ({_date(q.due_on)})",
                    score_text(q.instrument, q.scores),
                    change_text(is_baseline=q.is_baseline, change=q.change),
                ]
            )
        story.append(
            _table(
                rows,
                [
                    CONTENT_WIDTH * 0.3,
                    CONTENT_WIDTH * 0.2,
                    CONTENT_WIDTH * 0.25,
                    CONTENT_WIDTH * 0.25,
                ],
                styles,
            )
        )
        if unvalidated:
            story.append(
                Paragraph(
                    _escape(
                        _(
                            "* The wording is not a published validated "
                            "translation of the questionnaire."
                        )
                    ),
                    styles["small"],
                )
            )

    story.append(Paragraph(_escape(_("Red-flag answers")), styles["h2"]))
    if not record.red_flag_checkins:
        story.append(
            Paragraph(_escape(_("No warning signs answered yes in this episode.")), styles["body"])
        )
    else:
        rows = [[_("Answered on"), _("Answered yes to")]]
        for checkin in record.red_flag_checkins:
            local = checkin.created_at.astimezone(record.patient.user.tz).date()
            rows.append([_date(local), "; ".join(str(question_text(c)) for c in checkin.red_flags)])
        story.append(_table(rows, [CONTENT_WIDTH * 0.2, CONTENT_WIDTH * 0.8], styles))

    story.append(Paragraph(_escape(_("Reviews and outcomes recorded")), styles["h2"]))
    if not episode.reviews and not episode.outcome:
        story.append(Paragraph(_escape(_("None recorded yet.")), styles["body"]))
    else:
        rows = [[_("Date"), _("What"), _("Outcome")]]
        for review in episode.reviews:
            rows.append(
                [
                    _date(review.recorded_on),
                    review_kind_label(review.kind),
                    episode_outcome_label(review.outcome) if review.outcome else NONE,
                ]
            )
        if episode.outcome:
            rows.append(
                [
                    _date(episode.closed_on),
                    _("Episode closed"),
                    episode_outcome_label(episode.outcome),
                ]
            )
        story.append(
            _table(rows, [CONTENT_WIDTH * 0.2, CONTENT_WIDTH * 0.4, CONTENT_WIDTH * 0.4], styles)
        )

    story.append(Spacer(1, 8))
    story.append(
        Paragraph(
            _escape(
                _(
                    "The app helps the patient follow the programme from their "
                    "physiotherapist and keep a pain diary. It does not diagnose; its advice "
                    "follows published thresholds that the clinic can change."
                )
            ),
            styles["small"],
        )
    )

    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN,
        title=title,
        author=record.clinic_name,
        creator="haelapp",
    )
    footer = _("%(patient)s · %(clinic)s · page") % {
        "patient": record.name,
        "clinic": record.clinic_name,
    }

    def on_page(canvas, doc):
        canvas.saveState()
        canvas.setFont("Helvetica", 7.5)
        canvas.setFillColor(colors.HexColor("#555555"))
        canvas.drawString(MARGIN, MARGIN / 2, f"{footer} {doc.page}")
        canvas.restoreState()

    document.build(story, onFirstPage=on_page, onLaterPages=on_page)
    return buffer.getvalue()
