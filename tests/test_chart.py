"""The progress chart (progress/chart.py) and the summary sentence, over hand-made diaries.

Assessments come from the real rule (`assess`), not mocks. Days are programme days: the start
date is day 1. English wording is tested exactly; Danish wording through gettext, so that the
tests hold before and after the chart's texts are translated, and Danish number formatting
(decimal comma) exactly.
"""

import re
from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal
from xml.etree import ElementTree as ET

import pytest
from django.utils import translation
from django.utils.translation import gettext

from progress.assessment import ADVICE, Advice, assess
from progress.chart import (
    BASELINE,
    DOT,
    DOT_OTHER,
    KEEP_GOING,
    MEAN,
    PROGRAMME,
    REVIEW,
    SEEK_CARE,
    TARGET_EDGE,
    TEXT,
    render_chart,
    summary_sentence,
)

START = date(2026, 3, 2)
SVG = "{http://www.w3.org/2000/svg}"
NAMESPACE_URIS = {"http://www.w3.org/2000/svg", "http://www.w3.org/1999/xlink"}


def day(n: int) -> date:
    return START + timedelta(days=n - 1)


def log(pains: list[int | None], first: int = 1) -> list[tuple[date, int]]:
    """Entries from a list of pains, one a day from day `first`; None leaves that day blank."""
    return [(day(first + i), pain) for i, pain in enumerate(pains) if pain is not None]


def run(entries, today: int, **kwargs):
    return assess(entries=entries, episode_start=START, today=day(today), **kwargs)


def chart(assessment, language="en", **kwargs) -> str:
    return render_chart(assessment, language=language, episode_start=START, **kwargs)


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # noqa: S314 - our own output


def series(root: ET.Element, role: str) -> list[ET.Element]:
    """The groups pygal made for one series (plot, overlay, text overlay), found by role."""
    return [g for g in root.iter(f"{SVG}g") if role in g.get("class", "").split()]


def paths(root: ET.Element, role: str) -> list[ET.Element]:
    return [p for g in series(root, role) for p in g.iter(f"{SVG}path")]


def dots(root: ET.Element) -> list[ET.Element]:
    return [
        c
        for g in series(root, "daily-pain")
        for c in g.iter(f"{SVG}circle")
        if "dot" in c.get("class", "").split()
    ]


def texts(root: ET.Element) -> list[str]:
    return ["".join(t.itertext()) for t in root.iter(f"{SVG}text")]


def summary_lines(root: ET.Element) -> str:
    """The text block above the plot, its lines joined again."""
    (block,) = [g for g in root.iter(f"{SVG}g") if g.get("class") == "summary"]
    return " ".join("".join(t.itertext()) for t in block)


def plot_width(root: ET.Element) -> float:
    (plot,) = [g for g in root.iter(f"{SVG}g") if g.get("class") == "plot"]
    (background,) = [r for r in plot if r.get("class") == "background"]
    return float(background.get("width"))


def path_xs(path: ET.Element) -> list[float]:
    return [float(x) for x in re.findall(r"([-\d.]+) [-\d.]+", path.get("d"))]


def x_axis(root: ET.Element, review_weeks=(6, 12)):
    """Programme day -> x in the plot, read off the review marks at the ends of two weeks."""
    first, last = (path_xs(p)[0] for p in paths(root, "review-marks")[:2])
    end_first, end_last = (7 * week + 0.5 for week in review_weeks[:2])
    return lambda day: first + (day - end_first) * (last - first) / (end_last - end_first)


# Diaries -----------------------------------------------------------------------------------------

# Start 6.4 (32 / 5 on days 1-7), then a week at 4.0: 2.4 points (37.5 %, shown 38 %) lower.
IMPROVING = log([6, 7, 6, 7, 6]) + log([4] * 7, first=15)
# Start 4.0, then two weeks at 7: 3 points (75 %) higher in two windows in a row.
WORSE = log([4] * 7) + log([7] * 14, first=8)


def improving():
    return run(IMPROVING, today=21)


def worse():
    return run(WORSE, today=21)


def eight_weeks_improving():
    weeks = [[7, 6, 7, 6, None, 7, 6], [6, 5, 6, None, 5, 6, 5]]
    weeks += [[5, 5, 4, 5, 4, None, 4]] * 3 + [[3, 3, 2, 3, None, 3, 2]] * 3
    pains = [pain for week in weeks for pain in week]
    return run(log(pains), today=56)


# summary_sentence ------------------------------------------------------------------------------


def test_summary_improving_in_english():
    result = improving()
    assert (result.status, result.baseline, result.current) == ("improving", Decimal("6.4"), 4)
    with translation.override("en"):
        assert summary_sentence(result) == (
            "Average last 7 days: 4.0 (start: 6.4), 2.4 points lower (38%)"
        )


def test_summary_improving_in_danish_has_decimal_commas():
    with translation.override("da"):
        sentence = summary_sentence(improving())
        expected = (
            gettext("Average last 7 days: %(current)s (start: %(baseline)s)")
            % {"current": "4,0", "baseline": "6,4"}
            + ", "
            + gettext("%(points)s points lower (%(percent)s%%)")
            % {"points": "2,4", "percent": "38"}
        )
    assert sentence == expected
    assert "4.0" not in sentence and "6.4" not in sentence and "2.4" not in sentence


def test_summary_worse_in_both_languages():
    result = worse()
    assert result.status == "worse"
    with translation.override("en"):
        assert summary_sentence(result) == (
            "Average last 7 days: 7.0 (start: 4.0), 3.0 points higher (75%)"
        )
    with translation.override("da"):
        assert summary_sentence(result) == (
            gettext("Average last 7 days: %(current)s (start: %(baseline)s)")
            % {"current": "7,0", "baseline": "4,0"}
            + ", "
            + gettext("%(points)s points higher (%(percent)s%%)")
            % {"points": "3,0", "percent": "75"}
        )


def test_summary_without_a_current_mean():
    result = run(log([6] * 7) + log([6, 6], first=12), today=14)
    assert (result.status, result.current) == ("not_enough_data", None)
    with translation.override("en"):
        assert summary_sentence(result) == "Not enough entries for an average yet (start: 6.0)"
    with translation.override("da"):
        sentence = summary_sentence(result)
        assert sentence == gettext(
            "Not enough entries for an average yet (start: %(baseline)s)"
        ) % {"baseline": "6,0"}
        assert "6,0" in sentence


def test_summary_without_a_baseline():
    result = run(log([5]) + log([5, 6, 5, 6, 5, 6, 5], first=11), today=17)
    assert (result.status, result.baseline, result.current) == ("data_only", None, Decimal("5.4"))
    with translation.override("en"):
        assert summary_sentence(result) == "Average last 7 days: 5.4"
    with translation.override("da"):
        assert summary_sentence(result) == gettext("Average last 7 days: %(current)s") % {
            "current": "5,4"
        }


def test_summary_with_nothing_yet():
    result = run([], today=3)
    assert result.status == "collecting"
    with translation.override("en"):
        assert summary_sentence(result) == "Not enough entries for an average yet"


def test_summary_unchanged_and_from_a_starting_point_of_zero():
    with translation.override("en"):
        same = run(log([5] * 14), today=14)
        assert summary_sentence(same) == "Average last 7 days: 5.0 (start: 5.0), unchanged"
        from_zero = run(log([2] * 7), today=7, baseline_override=0)
        assert from_zero.change_percent is None  # no percentage of nothing
        assert summary_sentence(from_zero) == (
            "Average last 7 days: 2.0 (start: 0.0), 2.0 points higher"
        )


# The SVG document: safe and accessible ------------------------------------------------------


@pytest.mark.parametrize(
    "make",
    [improving, worse, eight_weeks_improving, lambda: run([], today=3)],
    ids=["improving", "worse", "eight-weeks", "empty"],
)
@pytest.mark.parametrize("language", ["da", "en"])
def test_no_script_and_no_external_reference(make, language):
    svg = chart(make(), language)
    lowered = svg.lower()
    for banned in ("<script", "foreignobject", "@import", "@font-face", "url(", "href", "<!--"):
        assert banned not in lowered, banned
    assert set(re.findall(r"https?://[^\s\"'<>)]+", svg)) <= NAMESPACE_URIS
    assert not svg.startswith("<?xml")  # no declaration, no stylesheet instruction
    parse(svg)  # well-formed XML


@pytest.mark.parametrize("language", ["da", "en"])
def test_root_is_an_image_labelled_by_its_title_and_desc(language):
    result = worse()
    root = parse(chart(result, language))
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    assert root.get("lang") == language
    title_id, desc_id = root.get("aria-labelledby").split()
    title, desc = root[0], root[1]
    assert (title.tag, title.get("id")) == (f"{SVG}title", title_id)
    assert (desc.tag, desc.get("id")) == (f"{SVG}desc", desc_id)
    # No other title or desc competes with them (pygal's tooltip data is gone).
    assert len(list(root.iter(f"{SVG}title"))) == 1
    assert len(list(root.iter(f"{SVG}desc"))) == 1
    with translation.override(language):
        assert title.text == gettext("Morning pain over time")
        assert summary_sentence(result) in desc.text
        assert str(result.advice.title) in desc.text
        assert str(result.advice.text) in desc.text


def test_text_is_escaped():
    tricky = Advice(code="x", urgency="none", seek_care=False, title="<b>A & B</b>", text="C < D")
    svg = chart(replace(improving(), advice=tricky))
    assert "<b>" not in svg
    root = parse(svg)
    assert "<b>A & B</b>" in texts(root)
    assert "<b>A & B</b> C < D" in root[1].text


def test_scales_to_its_container():
    root = parse(chart(improving(), width=800, height=500))
    assert root.get("viewBox") == "0 0 800 500"
    assert root.get("width") is None and root.get("height") is None


@pytest.mark.parametrize("width", [360, 640, 1000])
def test_text_is_at_least_14_px_on_a_360_px_wide_screen(width):
    svg = chart(worse(), width=width, height=round(width * 0.66))
    # Sizes in px (style sheet) and user units (attributes); the em sizes left in the style sheet
    # are for pygal's tooltips, which are not drawn.
    sizes = [
        float(s)
        for s in re.findall(r'font-size(?::\s*([\d.]+)px|="([\d.]+)")', svg)
        for s in s
        if s
    ]
    assert len(sizes) > 5
    assert min(sizes) * 360 / width >= 14


def test_colours_have_enough_contrast_against_white():
    def luminance(colour: str) -> float:
        channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        r, g, b = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    def contrast(colour: str) -> float:
        return 1.05 / (luminance(colour) + 0.05)

    for graphic in (MEAN, DOT, BASELINE, TARGET_EDGE, REVIEW, PROGRAMME, DOT_OTHER):
        assert contrast(graphic) >= 3, graphic
    for text in (TEXT, SEEK_CARE, KEEP_GOING, DOT):
        assert contrast(text) >= 4.5, text


# What the chart shows ----------------------------------------------------------------------------


def test_one_dot_per_logged_day_at_its_programme_day():
    result = eight_weeks_improving()
    root = parse(chart(result))
    circles = dots(root)
    assert len(circles) == len(result.series) == 56 - 8
    x = x_axis(root)
    logged = [(point.date - START).days + 1 for point in result.series]
    assert [float(c.get("cx")) for c in circles] == pytest.approx([x(n) for n in logged], abs=0.01)
    assert logged[0] == 1 and logged[-1] == 56


def test_the_mean_line_has_gaps_where_there_is_no_mean():
    # Days 1-7, a week without entries, then days 15-21: two stretches with a mean.
    result = run(log([6] * 7) + log([4] * 7, first=15), today=21)
    lines = paths(parse(chart(result)), "mean")
    assert len(lines) == 2


def test_baseline_and_target_are_drawn_when_there_is_a_baseline():
    result = improving()
    root = parse(chart(result))
    assert paths(root, "baseline") and paths(root, "target-band") and paths(root, "target-line")
    assert "Start 6.4" in texts(root)
    assert "Goal ≤ 4.5" in texts(root)  # max(6.4 - 2, 0.7 x 6.4 = 4.48)


def test_no_baseline_no_baseline_line_and_no_target_band():
    result = run(log([5]) + log([5, 6, 5, 6, 5, 6, 5], first=11), today=17)
    assert result.status == "data_only"
    root = parse(chart(result))
    assert not series(root, "baseline")
    assert not series(root, "target-band")
    assert not series(root, "target-line")
    assert len(dots(root)) == 8
    assert paths(root, "mean")


def test_review_marks_at_the_end_of_each_review_week():
    root = parse(chart(improving()))
    marks = paths(root, "review-marks")
    assert len(marks) == 2
    width = plot_width(root)
    # Ends of weeks 6 and 12 (days 42.5 and 84.5) on an axis from day 0.5 to 84.5, which pygal
    # pads a little on both sides: week 6 ends in the middle, week 12 near the right edge.
    assert path_xs(marks[0]) == pytest.approx([width / 2] * 2, abs=0.01)
    assert path_xs(marks[1])[0] == path_xs(marks[1])[1]
    assert 0.95 * width < path_xs(marks[1])[0] < width
    # From 0 to 10 on the pain scale: the same height as the plot, less the padding.
    (top, bottom) = sorted(float(y) for y in re.findall(r"[-\d.]+ ([-\d.]+)", marks[0].get("d")))
    assert bottom - top > 0.9 * float(
        next(r for g in root.iter(f"{SVG}g") if g.get("class") == "plot" for r in g).get("height")
    )


def test_the_axis_reaches_past_the_last_review_week_when_today_is_later():
    result = run(log([6] * 7) + log([3] * 100, first=8), today=107)
    root = parse(chart(result))
    x = x_axis(root)
    # Day 107 is in week 16: days 0.5 .. 112.5, padded alike on both sides.
    assert x(0.5) + x(112.5) == pytest.approx(plot_width(root), abs=0.01)
    assert float(dots(root)[-1].get("cx")) == pytest.approx(x(107), abs=0.01)
    assert "week 16" in texts(root)


def test_review_weeks_of_the_patient_are_used():
    result = run(IMPROVING, today=21, review_weeks=(4, 8, 16))
    assert len(paths(parse(chart(result)), "review-marks")) == 3


def test_x_axis_is_labelled_in_weeks():
    labels = [t for t in texts(parse(chart(improving()))) if t.startswith("week ")]
    # As many as fit on a phone, and the review weeks among them.
    assert 4 <= len(labels) <= 12
    assert {"week 6", "week 12"} <= set(labels)
    with translation.override("da"):
        week_6 = gettext("week %(number)s") % {"number": 6}
    assert week_6 in texts(parse(chart(improving(), "da")))


def test_the_advice_title_and_the_summary_are_shown():
    result = worse()
    root = parse(chart(result))
    assert result.advice == ADVICE["worse"]
    assert "Contact your physiotherapist" in texts(root)
    assert summary_lines(root).startswith("Contact your physiotherapist ")
    assert summary_lines(root).endswith(summary_sentence_in(result, "en"))


def test_without_advice_the_chart_name_is_shown():
    result = improving()
    assert result.advice is None
    root = parse(chart(result))
    assert summary_lines(root) == (
        "Morning pain over time Average last 7 days: 4.0 (start: 6.4), 2.4 points lower (38%)"
    )


def test_keep_going_after_the_last_review_week():
    result = run(log([7] * 7) + log([2] * 80, first=8), today=87)
    assert result.advice == ADVICE["keep_going"]
    assert "Keep going" in texts(parse(chart(result)))


def summary_sentence_in(result, language: str) -> str:
    with translation.override(language):
        return summary_sentence(result)


# Languages -------------------------------------------------------------------------------------


def test_danish_chart_uses_decimal_commas_and_danish_advice():
    result = worse()
    root = parse(chart(result, "da"))
    shown = summary_lines(root)
    assert "7,0" in shown and "4,0" in shown and "3,0" in shown and "75" in shown
    assert "7.0" not in shown
    # The advice texts are translated already: this is the Danish catalogue at work.
    assert "Kontakt din fysioterapeut" in texts(root)
    with translation.override("da"):
        assert gettext("Start %(baseline)s") % {"baseline": "4,0"} in texts(root)


def test_english_chart_in_a_danish_request_and_back():
    with translation.override("da"):
        svg = chart(worse(), "en")
        assert translation.get_language() == "da"  # the override ends with the chart
    root = parse(svg)
    assert root[0].text == "Morning pain over time"
    assert "Contact your physiotherapist" in texts(root)
    assert "7-day mean" in texts(root) and "Morning pain" in texts(root)


# States ----------------------------------------------------------------------------------------


def test_empty_series_has_a_clear_message():
    result = run([], today=3)
    root = parse(chart(result))
    assert not dots(root)
    assert "No entries yet" in texts(root)
    assert "Not enough entries for an average yet" in summary_lines(root)
    assert len(paths(root, "review-marks")) == 2


def test_before_the_programme_starts():
    result = run([], today=-3)
    assert result.day == -3
    root = parse(chart(result))
    assert "No entries yet" in texts(root)


def test_an_override_without_entries_shows_baseline_and_target():
    result = run([], today=2, baseline_override=7)
    root = parse(chart(result))
    assert paths(root, "baseline") and paths(root, "target-band")
    assert "No entries yet" in texts(root)


@pytest.mark.parametrize(
    ("entries", "today", "status"),
    [
        (log([5, 6]), 3, "collecting"),
        (log([6] * 7) + log([6, 6], first=12), 14, "not_enough_data"),
        (log([5]) + log([5] * 7, first=11), 17, "data_only"),
        (log([2] * 21), 21, "data_only"),  # the floor: a starting point of 2 or lower
        (log([5] * 50), 50, "not_improving"),
    ],
)
@pytest.mark.parametrize("language", ["da", "en"])
def test_every_status_renders(entries, today, status, language):
    result = run(entries, today)
    assert result.status == status
    root = parse(chart(result, language))
    assert len(dots(root)) == len(result.series)
    if result.status == "not_improving":
        assert result.advice == ADVICE["review_first"]
        with translation.override(language):
            assert str(result.advice.title) in texts(root)


def test_a_year_is_drawn_in_full_with_readable_week_labels():
    # How long it takes is a benchmark's business (bench/), never a timed assert here.
    pains = [(n * 7) % 11 for n in range(365)]
    result = run(log(pains), today=365)
    assert len(result.series) == 365
    root = parse(chart(result))
    assert len(dots(root)) == 365
    labels = [t for t in texts(root) if t.startswith("week ")]
    assert 2 <= len(labels) <= 8  # every nth week, not 53 labels on top of each other


# The episode of care: programme changes and both heels ---------------------------------------


def test_programme_changes_are_vertical_marks_with_their_names_counted_from_the_episode():
    # A programme replaced at the start of week 7: day 1 and the review marks stay.
    result = run(log([6] * 7 + [5] * 50), today=57)
    changes = [(day(1), "Standard"), (day(43), "Hælspore - tungere belastning")]
    root = parse(chart(result, programme_changes=changes))
    marks = paths(root, "programme-marks")
    assert len(marks) == 1  # the first programme starts the episode: no change
    x = x_axis(root)
    assert path_xs(marks[0]) == pytest.approx([x(42.5)] * 2, abs=0.01)
    labels = [t for t in root.iter(f"{SVG}text") if t.get("class") == "programme-label"]
    assert [t.text for t in labels] == ["Hælspore - tunger…"]
    assert "New programme" in texts(root)  # the legend
    description = root[1].text
    assert "Review marks at the end of weeks 6 and 12." in description
    assert "New programme from" in description and "(week 7): Hælspore - tunger" in description
    assert len(paths(root, "review-marks")) == 2


def test_no_programme_marks_without_a_change():
    root = parse(chart(improving()))
    assert not series(root, "programme-marks")
    assert "New programme" not in root[1].text


def test_both_heels_draw_the_right_heel_as_hollow_dots_and_the_mean_of_the_worse():
    entries = [(day(n), 6 if n <= 7 else 3, 7 if n <= 7 else 5) for n in range(1, 22)]
    result = run(entries, today=21)
    root = parse(chart(result))
    assert {"Left heel", "Right heel"} <= set(texts(root))
    right = [
        c
        for g in series(root, "daily-pain-other")
        for c in g.iter(f"{SVG}circle")
        if "dot" in c.get("class", "").split()
    ]
    assert len(right) == len(dots(root)) == 21
    assert result.current == Decimal("5.0")  # the right heel is the worse one from day 8
    one_heel = parse(chart(run(log([6] * 21), today=21)))
    assert "Right heel" not in texts(one_heel) and "Morning pain" in texts(one_heel)
    assert not series(one_heel, "daily-pain-other")
