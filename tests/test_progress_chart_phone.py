"""The Progress page's chart for a phone (progress.chart.render_page_chart) and the page around
it (web.progress_page, issue 17 item 5): a window of dates up to today, dates on the axis, dots
that never overlap, day columns to pick, no style sheet (the page's CSP), and the page's period,
week and day from its query.

The chart's drawings come from the real rule (`assess`); the page from the test client. Danish
wording through gettext, Danish dates exactly.
"""

import itertools
import json
import re
from datetime import date, timedelta
from xml.etree import ElementTree as ET

import pytest
from django.utils import timezone, translation
from django.utils.translation import gettext

from common.dates import day_label
from diary.models import DiaryEntry
from progress.assessment import assess
from progress.chart import (
    DOT,
    DOT_OTHER,
    MEAN,
    PAGE_PLOT_HEIGHT,
    PAGE_WIDTH,
    PROGRAMME,
    REVIEW,
    render_chart,
    render_page_chart,
    summary_sentence,
)

START = date(2026, 3, 2)  # a Monday
SVG = "{http://www.w3.org/2000/svg}"


def day(n: int) -> date:
    return START + timedelta(days=n - 1)


def run(entries, today: int, **kwargs):
    return assess(entries=entries, episode_start=START, today=day(today), **kwargs)


def steady(days: int, pain=lambda n: 6 if n <= 7 else 4, other=None, skip=()):
    return [
        (day(n), pain(n), other(n) if other else None) for n in range(1, days + 1) if n not in skip
    ]


def page_chart(assessment, first: int, last: int, language="da", **kwargs) -> str:
    return render_page_chart(
        assessment,
        language=language,
        episode_start=START,
        first=day(first),
        last=day(last),
        **kwargs,
    )


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # noqa: S314 - our own output


def groups(root, role):
    return [g for g in root.iter(f"{SVG}g") if role in g.get("class", "").split()]


def circles(root, role):
    return [
        c for g in groups(root, role) for c in g.iter(f"{SVG}circle") if "dot" in c.get("class")
    ]


def paths(root, role):
    return [p for g in groups(root, role) for p in g.iter(f"{SVG}path")]


def texts(root) -> list[str]:
    return ["".join(t.itertext()) for t in root.iter(f"{SVG}text")]


def axis_labels(root) -> list[str]:
    (axis,) = [g for g in root.iter(f"{SVG}g") if g.get("class") == "axis x"]
    return ["".join(t.itertext()) for t in axis.iter(f"{SVG}text")]


def plot_background(root) -> ET.Element:
    (plot,) = [g for g in root.iter(f"{SVG}g") if g.get("class") == "plot"]
    return next(r for r in plot if r.get("class") == "background")


def targets(root) -> list[ET.Element]:
    return [r for r in root.iter(f"{SVG}rect") if "day-target" in r.get("class", "").split()]


def axis_date(d: date, language="da") -> str:
    with translation.override(language):
        return day_label(d, year=False, weekday=False)


# The drawing ------------------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["da", "en"])
def test_no_script_no_style_sheet_no_reference(language):
    """Inline in a page whose CSP allows no inline style: only presentation attributes."""
    svg = page_chart(run(steady(53), today=53), 26, 53, language)
    lowered = svg.lower()
    for banned in ("<script", "<style", " style=", "foreignobject", "href", "url(", "<!--"):
        assert banned not in lowered, banned
    root = parse(svg)
    # pygal's styles as attributes: the series' colours, the mean's width, the font.
    assert groups(root, "mean")[0].get("stroke") == MEAN
    assert float(paths(root, "mean")[0].get("stroke-width")) > 4
    assert groups(root, "daily-pain")[0].get("fill") == DOT
    assert "sans-serif" in root.get("font-family")
    # Guides light, text dark, the plot's ground white; the tooltip machinery gone.
    # Text is never outlined (pygal's "text { stroke: none !important }"), ours neither: the
    # stroke each text has or inherits.
    parents = {child: parent for parent in root.iter() for child in parent}

    def stroke(element):
        while element is not None and element.get("stroke") is None:
            element = parents.get(element)
        return "none" if element is None else element.get("stroke")

    assert {stroke(t) for t in root.iter(f"{SVG}text")} == {"none"}
    assert plot_background(root).get("fill") == "#ffffff"
    assert not [g for g in root.iter(f"{SVG}g") if "tooltip" in g.get("class", "")]


@pytest.mark.parametrize("language", ["da", "en"])
def test_a_group_named_by_its_title_with_the_drawing_an_image_described_by_the_desc(language):
    result = run(steady(53), today=53)
    root = parse(page_chart(result, 26, 53, language))
    title, desc = root[0], root[1]
    assert root.get("role") == "group" and root.get("aria-labelledby") == title.get("id")
    (image,) = [g for g in root if g.get("role") == "img"]
    assert image.get("aria-labelledby") == desc.get("id")
    # The day picker is not inside the image (an image's content is hidden).
    assert not [r for r in image.iter(f"{SVG}rect") if "day-target" in r.get("class", "")]
    with translation.override(language):
        assert title.text == gettext("Morning pain over time")
        assert summary_sentence(result) in desc.text
        assert (
            gettext("The chart shows %(first)s to %(last)s.")
            % {"first": day_label(day(26)), "last": day_label(day(53))}
            in desc.text
        )


def test_text_is_at_least_14_px_where_the_phone_shows_it():
    svg = page_chart(run(steady(53), today=53), 26, 53)
    root = parse(svg)
    assert root.get("viewBox").split()[2] == str(PAGE_WIDTH)
    sizes = [float(s) for s in re.findall(r'font-size="([\d.]+)"', svg)]
    assert len(sizes) > 10
    assert min(sizes) >= 14.5  # units are px at PAGE_WIDTH wide


@pytest.mark.parametrize(
    ("entries", "first", "last"),
    [
        (steady(53), 26, 53),  # four weeks
        (steady(53), 1, 53),  # the whole course: more legends (a programme mark)
        (steady(3), 1, 7),  # the first days
        ([], 1, 7),  # nothing yet
        (steady(21, other=lambda n: 7), 1, 21),  # both heels: one legend more
    ],
)
def test_the_plot_is_as_tall_as_a_phone_needs(entries, first, last):
    result = run(entries, today=max(last, 3))
    root = parse(page_chart(result, first, last, programme_changes=[(day(1), "A"), (day(20), "B")]))
    height = float(plot_background(root).get("height"))
    assert PAGE_PLOT_HEIGHT - 1 <= height <= PAGE_PLOT_HEIGHT + 1


def test_a_layout_drawn_before_takes_one_drawing_and_a_wrong_memory_costs_only_time(
    monkeypatch,
):
    """pygal works out the plot's height as it draws: the first drawing of a layout is a guess
    and a second one corrects it; the room it took is remembered for the next chart with that
    layout, which is then drawn once (the Progress page's largest cost)."""
    from progress import chart

    monkeypatch.setattr(chart, "_PAGE_ROOM", {})
    monkeypatch.setattr(chart, "_PAGE_ROOM_GUESS", 0)  # surely wrong
    heights = []
    real = chart._render
    monkeypatch.setattr(
        chart, "_render", lambda *args, **kwargs: heights.append(args[3]) or real(*args, **kwargs)
    )

    def plot_height(svg):
        return float(plot_background(parse(svg)).get("height"))

    result = run(steady(53), today=53)
    assert PAGE_PLOT_HEIGHT - 1 <= plot_height(page_chart(result, 26, 53)) <= PAGE_PLOT_HEIGHT + 1
    assert len(heights) == 2 and heights[0] is None
    # Another day chosen, the same layout: one drawing, the plot as tall.
    heights.clear()
    svg = page_chart(result, 26, 53, selected=day(40))
    assert heights == [None]
    assert PAGE_PLOT_HEIGHT - 1 <= plot_height(svg) <= PAGE_PLOT_HEIGHT + 1
    # A remembered room that is wrong is found and put right: two drawings, never a wrong plot.
    chart._PAGE_ROOM.update({layout: room + 40 for layout, room in chart._PAGE_ROOM.items()})
    heights.clear()
    svg = page_chart(result, 26, 53)
    assert len(heights) == 2
    assert PAGE_PLOT_HEIGHT - 1 <= plot_height(svg) <= PAGE_PLOT_HEIGHT + 1


def test_the_window_ends_today_with_a_column_per_day():
    root = parse(page_chart(run(steady(53), today=53), 26, 53))
    columns = targets(root)
    assert [c.get("data-date") for c in columns] == [day(n).isoformat() for n in range(26, 54)]
    # Side by side across the plot, not past it, from its top down to the x axis.
    xs = [(float(c.get("x")), float(c.get("width"))) for c in columns]
    for (x, width), (next_x, _w) in itertools.pairwise(xs):
        assert next_x == pytest.approx(x + width, abs=0.02)
    width = float(plot_background(root).get("width"))
    assert xs[0][0] >= 0 and xs[-1][0] + xs[-1][1] <= width + 0.01
    assert xs[-1][0] + xs[-1][1] > 0.95 * width  # today at the right edge: no empty future
    bottom = float(columns[0].get("height"))
    assert 0.85 * float(plot_background(root).get("height")) < bottom
    assert bottom < float(plot_background(root).get("height"))
    # The dots sit in their days' columns.
    for dot, column in zip(circles(root, "daily-pain"), columns, strict=True):
        assert (
            float(column.get("x"))
            < float(dot.get("cx"))
            < float(column.get("x")) + float(column.get("width"))
        )


def test_the_axis_shows_danish_dates_counted_back_from_today():
    root = parse(page_chart(run(steady(53), today=53), 26, 53))
    labels = axis_labels(root)
    assert labels[-1] == axis_date(day(53)) == "23. apr."  # Thursday 23 April 2026
    assert labels == [axis_date(day(n)) for n in (32, 39, 46, 53)]  # weekly; 25 would not fit
    english = axis_labels(parse(page_chart(run(steady(53), today=53), 26, 53, "en")))
    assert english[-1] == "23 Apr"
    # December, abbreviated with a full stop in Danish.
    assert axis_date(date(2025, 12, 5)) == "5. dec."


def test_the_whole_course_has_fewer_labels_that_still_fit():
    root = parse(page_chart(run(steady(84), today=84), 1, 84))
    labels = axis_labels(root)
    assert 3 <= len(labels) <= 6
    assert labels[-1] == axis_date(day(84))


def centres(root, role) -> list[tuple[float, float, float]]:
    return [
        (float(c.get("cx")), float(c.get("r")), float(c.get("stroke-width") or 0))
        for c in circles(root, role)
    ]


def assert_apart(dots: list[tuple[float, float, float]]):
    """No two dots of a series overlap: neighbouring days are at least their radii (and half
    of each outline) apart. Two days further apart are further apart still."""
    for (x, r, w), (next_x, next_r, next_w) in itertools.pairwise(dots):
        assert next_x - x >= r + w / 2 + next_r + next_w / 2, (x, next_x, r, w)


@pytest.mark.parametrize("days", [7, 28, 84, 365])
def test_dots_never_overlap(days):
    result = run(steady(days, pain=lambda n: 5), today=days)
    root = parse(page_chart(result, 1, days))
    dots = centres(root, "daily-pain")
    assert_apart(dots)
    # Where days are wide enough the dots are as large as on the API's chart; where not, they
    # shrink (or go) and a thin line joins the days.
    line = paths(root, "daily-pain")
    if days <= 28:
        assert len(dots) == days and not line
        assert dots[0][1] == pytest.approx(3.0)  # font / 5
    else:
        assert len(line) == 1
        assert float(line[0].get("stroke-width")) < float(
            paths(root, "mean")[0].get("stroke-width")
        )
        assert all(r < 3.0 for _x, r, _w in dots)


@pytest.mark.parametrize("days", [21, 84])
def test_both_heels_dots_never_overlap_and_equal_values_show_both(days):
    result = run(steady(days, pain=lambda n: 5, other=lambda n: 5), today=days)
    root = parse(page_chart(result, 1, days))
    left, right = centres(root, "daily-pain"), centres(root, "daily-pain-other")
    assert_apart(left)
    assert_apart(right)
    assert groups(root, "daily-pain-other")[0].get("fill") == DOT_OTHER
    # The left heel's dot inside the right heel's ring, on the same spot: both seen.
    for (x, r, _w), (other_x, other_r, other_w) in zip(left, right, strict=True):
        assert x == other_x
        assert r <= other_r - other_w / 2 + 0.01


def test_days_without_an_entry_break_the_line_and_have_no_dot():
    result = run(steady(84, skip=range(40, 47)), today=84)
    root = parse(page_chart(result, 1, 84))
    assert len(paths(root, "daily-pain")) == 2
    assert len(targets(root)) == 84  # the empty days can still be picked


def test_review_and_programme_marks_in_the_window_only():
    result = run(steady(53), today=53)
    changes = [(day(1), "Standard"), (day(20), "Tungere"), (day(44), "Hælspore - tungere last")]
    four_weeks = parse(page_chart(result, 26, 53, programme_changes=changes))
    # Week 6 ends after day 42, in the window; week 12 is in the future: not drawn.
    assert len(paths(four_weeks, "review-marks")) == 1
    assert groups(four_weeks, "review-marks")[0].get("stroke") == REVIEW
    labels = [t for t in four_weeks.iter(f"{SVG}text") if t.get("class") == "programme-label"]
    assert [t.text for t in labels] == ["Hælspore - tunger…"]
    assert labels[0].get("fill") == PROGRAMME
    # Near the right edge: drawn to the left of its line, not cut off.
    assert labels[0].get("text-anchor") == "end"
    desc = four_weeks[1].text
    assert "Hælspore - tungere last" in desc and "Tungere" not in desc
    whole = parse(page_chart(result, 1, 53, programme_changes=changes))
    assert len(paths(whole, "programme-marks")) == 2
    # Baseline and target, as on the API's chart.
    assert paths(whole, "baseline") and paths(whole, "target-band")
    # Before the first review mark: no review legend either.
    early = parse(page_chart(run(steady(20), today=20), 1, 20))
    assert not groups(early, "review-marks")
    assert gettext("Review") not in texts(early)


def test_the_advice_heading_keeps_its_colour():
    from progress.chart import SEEK_CARE

    worse = run(steady(21, pain=lambda n: 4 if n <= 7 else 7), today=21)
    assert worse.advice.seek_care
    root = parse(page_chart(worse, 1, 21))
    (summary,) = [g for g in root.iter(f"{SVG}g") if g.get("class") == "summary"]
    assert summary[0].get("fill") == SEEK_CARE


def test_the_chosen_day_is_highlighted_behind_the_data():
    root = parse(page_chart(run(steady(53), today=53), 26, 53, selected=day(50)))
    (highlight,) = [r for r in root.iter(f"{SVG}rect") if r.get("class") == "day-highlight"]
    (chosen,) = [t for t in targets(root) if "is-selected" in t.get("class")]
    assert chosen.get("data-date") == day(50).isoformat()
    assert highlight.get("display") is None
    assert (highlight.get("x"), highlight.get("width")) == (chosen.get("x"), chosen.get("width"))
    # Behind the series: in the plot right after its background.
    (plot,) = [g for g in root.iter(f"{SVG}g") if g.get("class") == "plot"]
    assert list(plot).index(highlight) == 1
    # A day outside the window: nothing highlighted.
    root = parse(page_chart(run(steady(53), today=53), 26, 53, selected=day(3)))
    (highlight,) = [r for r in root.iter(f"{SVG}rect") if r.get("class") == "day-highlight"]
    assert highlight.get("display") == "none"
    assert not [t for t in targets(root) if "is-selected" in t.get("class")]


def test_an_empty_window_says_so():
    result = run(steady(10), today=60)
    root = parse(page_chart(result, 33, 60, "en"))
    assert "No entries in this period" in texts(root)
    assert len(targets(root)) == 28
    nothing = parse(page_chart(run([], today=3), 1, 7, "en"))
    assert "No entries yet" in texts(nothing)


def test_the_apis_chart_is_drawn_as_before():
    """The page's options leave the API's chart alone: a style sheet, weeks, an image."""
    svg = render_chart(run(steady(53), today=53), language="da", episode_start=START)
    root = parse(svg)
    assert root.get("role") == "img" and "<style" in svg
    assert not targets(root)
    with translation.override("da"):
        assert gettext("week %(number)s") % {"number": 12} in texts(root)


# The page ---------------------------------------------------------------------------------------


@pytest.fixture
def diary(patient, assign):
    """Day 53 of the course (started on a Thursday), a diary every day, notes on some days."""
    today = patient.user.local_today()
    assign(patient, starts_on=today - timedelta(days=52))
    notes = {0: "I dag: <b>ondt</b>", 3: "Lang tur.", 40: "Første uge."}
    DiaryEntry.objects.bulk_create(
        DiaryEntry(
            patient=patient,
            date=today - timedelta(days=ago),
            morning_pain=3 + ago // 10,
            note=notes.get(ago, ""),
            recorded_at=timezone.now(),
        )
        for ago in range(53)
    )
    return {"today": today, "notes": notes}


def chart_of(html: str) -> ET.Element:
    svg = re.search(r"<svg.*?</svg>", html, re.S).group(0)
    return parse(svg)


def days_data(html: str) -> dict:
    return json.loads(re.search(r'id="chart-days"[^>]*>(.*?)</script>', html, re.S).group(1))


def test_the_page_shows_the_last_four_weeks_inline_and_the_newest_week_of_entries(
    client_for, patient, diary
):
    today = diary["today"]
    response = client_for(patient.user).get("/progress/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<img" not in html.split('id="chart"')[1].split("</figure>")[0]
    root = chart_of(html)
    columns = targets(root)
    assert len(columns) == 28 and columns[-1].get("data-date") == today.isoformat()
    assert 'aria-current="true" data-keeps-day>Sidste 4 uger' in html
    # The table: week 8 (days 50 to 53), newest first, a link per date; a note is marked.
    rows = re.findall(r'<tr data-day="([\d-]+)"', html)
    assert rows == [(today - timedelta(days=n)).isoformat() for n in range(4)]
    assert "Uge 8: " in html
    assert 'rel="prev"' in html and 'rel="next"' not in html
    assert html.count('class="note-mark"') == 2  # today and 3 days ago
    # Each shown day's texts for the page's script, the note as text (escaped in the page).
    data = days_data(html)
    assert len(data) == 28
    assert data[today.isoformat()]["note"] == diary["notes"][0]
    assert "<b>" not in html.split('id="chart-days"')[1].split("</script>")[0]
    assert data[today.isoformat()]["values"][0] == ["Morgensmerte (0-10)", "3"]
    assert data[today.isoformat()]["text"].endswith("Note: I dag: <b>ondt</b>")


def test_the_whole_course_and_an_older_week(client_for, patient, diary):
    today = diary["today"]
    html = client_for(patient.user).get("/progress/?range=all&week=2").content.decode()
    columns = targets(chart_of(html))
    assert len(columns) == 53
    assert columns[0].get("data-date") == (today - timedelta(days=52)).isoformat()
    assert 'aria-current="true" data-keeps-day>Hele forløbet' in html
    rows = re.findall(r'<tr data-day="([\d-]+)"', html)
    assert len(rows) == 7
    assert rows[0] == (today - timedelta(days=53 - 14)).isoformat()  # day 14, newest first
    # The week links keep the period; the newest week is the default, so left out.
    assert 'href="?range=all&amp;week=1#entries"' in html
    assert 'href="?range=all&amp;week=3#entries"' in html
    assert f'href="?range=all&amp;week=2&amp;day={rows[0]}#day-details"' in html


def test_a_chosen_day_shows_its_values_and_note_without_a_script(client_for, patient, diary):
    today = diary["today"]
    chosen = today - timedelta(days=3)
    html = client_for(patient.user).get(f"/progress/?day={chosen.isoformat()}").content.decode()
    details = html.split('id="day-details"')[1].split("</section>")[0]
    with translation.override("da"):
        heading = day_label(chosen)
    assert heading in details
    assert "Lang tur." in details and ">3<" in details
    root = chart_of(html)
    (selected,) = [t for t in targets(root) if "is-selected" in t.get("class")]
    assert selected.get("data-date") == chosen.isoformat()
    # The switch keeps the day.
    assert f'href="?range=all&amp;day={chosen.isoformat()}"' in html


def test_both_heels_show_both_values(client_for, patient, assign):
    today = patient.user.local_today()
    assign(patient, starts_on=today - timedelta(days=9))
    for ago in range(10):
        DiaryEntry.objects.create(
            patient=patient,
            date=today - timedelta(days=ago),
            morning_pain=4,
            morning_pain_other=6,
            recorded_at=timezone.now(),
        )
    html = client_for(patient.user).get(f"/progress/?day={today.isoformat()}").content.decode()
    details = html.split('id="day-details"')[1].split("</section>")[0]
    assert "Venstre hæl (0-10)" in gettext_da("Left heel (0-10)") + details
    assert ">4<" in details and ">6<" in details
    assert days_data(html)[today.isoformat()]["text"].endswith(
        gettext_da("left heel %(left)s, right heel %(right)s") % {"left": 4, "right": 6}
    )
    assert groups(chart_of(html), "daily-pain-other")


def gettext_da(text: str) -> str:
    with translation.override("da"):
        return gettext(text)


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("range=week", "range"),
        ("week=0", "week"),
        ("week=9", "week"),
        ("week=two", "week"),
        ("day=2020-01-01", "day"),
        ("day=tomorrow", "day"),
    ],
)
def test_bad_choices_are_a_400_naming_the_parameter(client_for, patient, diary, query, field):
    response = client_for(patient.user).get(f"/progress/?{query}")
    assert response.status_code == 400
    assert response.content.decode().startswith(f"{field}: ")


def test_a_future_day_is_a_400(client_for, patient, diary):
    tomorrow = (diary["today"] + timedelta(days=1)).isoformat()
    assert client_for(patient.user).get(f"/progress/?day={tomorrow}").status_code == 400


def test_before_the_course_starts(client_for, patient, assign):
    today = patient.user.local_today()
    assign(patient, starts_on=today + timedelta(days=3))
    response = client_for(patient.user).get("/progress/")
    assert response.status_code == 200
    html = response.content.decode()
    assert len(targets(chart_of(html))) == 7  # the course's first week, nothing to pick yet
    assert "<table" not in html.split('id="entries"')[1].split("</section>")[0]
    assert client_for(patient.user).get("/progress/?week=1").status_code == 400


def test_the_page_chart_is_drawn_once_per_data_window_and_day(client_for, patient, diary):
    """A second look at the same page takes the chart from the cache (progress.cache.Chart,
    keyed by the data, the window and the chosen day); a new diary entry, another window or
    another day draws it afresh."""
    from unittest import mock

    from diary.services import diary_put
    from web import progress_page

    client = client_for(patient.user)
    with mock.patch.object(
        progress_page, "render_page_chart", wraps=progress_page.render_page_chart
    ) as drawn:
        first = chart_of(client.get("/progress/").content.decode())
        again = chart_of(client.get("/progress/").content.decode())
        assert drawn.call_count == 1
        assert ET.tostring(first) == ET.tostring(again)
        client.get("/progress/?range=all")
        assert drawn.call_count == 2
        client.get(f"/progress/?day={diary['today'] - timedelta(days=3)}")
        assert drawn.call_count == 3
        diary_put(patient=patient, day=diary["today"], morning_pain=9)
        changed = chart_of(client.get("/progress/").content.decode())
        assert drawn.call_count == 4
        assert ET.tostring(changed) != ET.tostring(first)
