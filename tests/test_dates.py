"""One date and time format on every page (common.dates; issue 17, item 6): Danish
"lør. 5. dec." and "07.30", English "Sat 5 Dec" and "07:30"; an instant where the reader
lives, never in the server's UTC; and no template that formats a date its own way.

The browser's side (static/js/app.js) is checked against this in
tests/browser/test_wayfinding.py."""

import re
from datetime import UTC, date, datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.template import Context, Template
from django.utils import translation

from common.dates import day_label, moment_label, time_label

ROOT = Path(__file__).resolve().parents[1]
NOW = datetime(2026, 12, 5, 12, 0, tzinfo=UTC)  # a Saturday

# Every weekday (30 Nov 2026 is a Monday) and every month, in both languages.
WEEK = [date(2026, 11, 30 + n) if n == 0 else date(2026, 12, n) for n in range(7)]
FORMATS = {
    "da": {
        "weekdays": [
            "man. 30. nov.",
            "tirs. 1. dec.",
            "ons. 2. dec.",
            "tors. 3. dec.",
            "fre. 4. dec.",
            "lør. 5. dec.",
            "søn. 6. dec.",
        ],
        "months": [
            "man. 5. jan.",
            "tors. 5. feb.",
            "tors. 5. mar.",
            "søn. 5. apr.",
            "tirs. 5. maj",
            "fre. 5. jun.",
            "søn. 5. jul.",
            "ons. 5. aug.",
            "lør. 5. sep.",
            "man. 5. okt.",
            "tors. 5. nov.",
            "lør. 5. dec.",
        ],
        "last_year": "fre. 5. dec. 2025",
        "times": ["07.30", "00.05", "23.59"],
        "moment": "lør. 5. dec. kl. 13.00",
    },
    "en": {
        "weekdays": [
            "Mon 30 Nov",
            "Tue 1 Dec",
            "Wed 2 Dec",
            "Thu 3 Dec",
            "Fri 4 Dec",
            "Sat 5 Dec",
            "Sun 6 Dec",
        ],
        "months": [
            "Mon 5 Jan",
            "Thu 5 Feb",
            "Thu 5 Mar",
            "Sun 5 Apr",
            "Tue 5 May",
            "Fri 5 Jun",
            "Sun 5 Jul",
            "Wed 5 Aug",
            "Sat 5 Sept",
            "Mon 5 Oct",
            "Thu 5 Nov",
            "Sat 5 Dec",
        ],
        "last_year": "Fri 5 Dec 2025",
        "times": ["07:30", "00:05", "23:59"],
        "moment": "Sat 5 Dec at 13:00",
    },
}


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.mark.parametrize("language", ["da", "en"])
def test_the_formats(language):
    expected = FORMATS[language]
    with translation.override(language):
        assert [day_label(day) for day in WEEK] == expected["weekdays"]
        assert [day_label(date(2026, month, 5)) for month in range(1, 13)] == expected["months"]
        # The year only when it is not this year; always when asked (a report).
        assert day_label(date(2025, 12, 5)) == expected["last_year"]
        assert day_label(date(2026, 12, 5), year=True).endswith(" 2026")
        assert [time_label(t) for t in (time(7, 30), time(0, 5), time(23, 59, 59))] == expected[
            "times"
        ]
        # 12:00 UTC is 13:00 in Copenhagen in December.
        assert moment_label(NOW, "Europe/Copenhagen") == expected["moment"]
        assert day_label(None) == time_label(None) == moment_label(None) == ""


def test_an_instant_is_shown_where_the_reader_lives():
    late = datetime(2026, 12, 5, 23, 30, tzinfo=UTC)
    with translation.override("da"):
        # Already Sunday in Copenhagen, still Saturday afternoon in Los Angeles.
        assert moment_label(late, "Europe/Copenhagen") == "søn. 6. dec. kl. 00.30"
        assert moment_label(late, "America/Los_Angeles") == "lør. 5. dec. kl. 15.30"
        assert day_label(late, ZoneInfo("Pacific/Auckland")) == "søn. 6. dec."
        assert time_label(late, "Asia/Kolkata") == "05.00"
        # Summer time: 05:30 UTC in July is 07:30 in Copenhagen.
        assert time_label(datetime(2026, 7, 1, 5, 30, tzinfo=UTC), "Europe/Copenhagen") == "07.30"
        # Without a zone (or with one that does not exist), Denmark's, never UTC's.
        assert moment_label(late) == moment_label(late, "No/Such_Zone") == "søn. 6. dec. kl. 00.30"


def test_the_year_is_this_year_where_the_reader_lives():
    # 23:30 UTC on 31 December 2026 is already 2027 in Copenhagen: a 2026 date needs its year.
    new_year = datetime(2026, 12, 31, 23, 30, tzinfo=UTC)
    with time_machine.travel(new_year, tick=False), translation.override("en"):
        assert day_label(date(2026, 12, 31), "Europe/Copenhagen") == "Thu 31 Dec 2026"
        assert day_label(date(2026, 12, 31), "America/New_York") == "Thu 31 Dec"


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("da", "lør. 5. dec. · 07.30 · søn. 6. dec. kl. 00.30 · søn. 6. dec."),
        ("en", "Sat 5 Dec · 07:30 · Sun 6 Dec at 00:30 · Sun 6 Dec"),
    ],
)
def test_the_template_filters(language, expected):
    template = Template(
        "{% load web %}{{ d|day }} · {{ t|clock }} · {{ at|moment:zone }} · {{ at|day:zone }}"
    )
    context = Context(
        {
            "d": date(2026, 12, 5),
            "t": time(7, 30),
            "at": datetime(2026, 12, 5, 23, 30, tzinfo=UTC),
            "zone": "Europe/Copenhagen",
        }
    )
    with translation.override(language):
        assert template.render(context) == expected


def test_a_page_shows_messages_in_the_readers_time_zone(client, patient):
    from messaging.services import message_send

    patient.user.timezone = "Pacific/Auckland"
    patient.user.language = "en"
    patient.user.save()
    # 12:00 UTC is 01:00 the next morning in Auckland (UTC+13 in December).
    message_send(patient=patient, author=patient.user, body="Hello", now=NOW)
    client.force_login(patient.user)
    html = client.get("/messages/").content.decode()
    assert ">Sun 6 Dec at 01:00</time>" in html


# --- no template formats a date its own way ----------------------------------------------

# Machine-readable formats only: <time datetime="{{ x|date:'c' }}">, an <input>'s value.
MACHINE_FORMATS = {("date", "c"), ("date", "Y-m-d"), ("time", "H:i")}
# Reworked by the progress chart's own change (progress/chart.py, static/js/progress.js): they
# move to the filters there. Drop them from here when they do.
NOT_YET: set[str] = set()
RAW = re.compile(r"\|\s*(date|time|naturalday|naturaltime)\b(?:\s*:\s*(['\"])(.*?)\2)?")
TAGS = re.compile(r"{%\s*(now|timezone|localtime)\b")


def _templates():
    folder = ROOT / "templates"
    for path in sorted(folder.rglob("*")):
        if path.suffix in (".html", ".txt", ".js") and path.is_file():
            yield path.relative_to(folder).as_posix(), path.read_text()


def test_no_template_formats_dates_its_own_way():
    found = []
    checked = 0
    for name, text in _templates():
        if name in NOT_YET:
            continue
        checked += 1
        for match in RAW.finditer(text):
            kind, _quote, fmt = match.groups()
            if (kind, fmt) not in MACHINE_FORMATS:
                found.append(f"{name}: {match.group(0)}")
        found += [f"{name}: {{% {match.group(1)} %}}" for match in TAGS.finditer(text)]
    assert checked > 50
    assert found == [], "use the filters day, clock and moment (web/templatetags/web.py)"


# The same for the Python that writes what pages show: no date_format or strftime of its own.
PAGE_CODE = ("web", "progress", "messaging", "outcomes", "care", "lessons", "diary", "exercises")
NOT_YET_CODE: set[str] = set()
RAW_CODE = re.compile(r"\bdate_format\(|\.strftime\(|\btime_format\(")


def test_no_page_code_formats_dates_its_own_way():
    found = []
    for app in PAGE_CODE:
        for path in sorted((ROOT / app).rglob("*.py")):
            name = path.relative_to(ROOT).as_posix()
            if "/migrations/" in name or name in NOT_YET_CODE:
                continue
            found += [
                f"{name}: {line.strip()}"
                for line in path.read_text().splitlines()
                if RAW_CODE.search(line)
            ]
    assert found == [], "use common.dates (day_label, time_label, moment_label)"


# And the scripts: dates through haelapp.formatDate, formatTime and formatInstant (app.js).
RAW_JS = re.compile(r"toLocale(Date|Time)String\(|Intl\.DateTimeFormat\(")


def test_no_script_formats_dates_its_own_way():
    found = []
    for path in sorted((ROOT / "static" / "js").glob("*.js")):
        if path.name == "app.js":
            continue
        found += [
            f"{path.name}: {line.strip()}"
            for line in path.read_text().splitlines()
            # Asking the device for its time zone is not formatting a date.
            if RAW_JS.search(line) and "resolvedOptions()" not in line
        ]
    assert found == [], "use haelapp.formatDate, formatTime or formatInstant (static/js/app.js)"


def test_the_check_finds_a_raw_format():
    # The pattern above is not blind: what it must catch, it catches.
    samples = [
        '{{ x|date:"j. F Y" }}',
        "{{ x|date }}",
        "{{ x|time }}",
        "{{ x | date : 'SHORT_DATE_FORMAT' }}",
        "{{ x|naturalday }}",
    ]
    for sample in samples:
        match = RAW.search(sample)
        assert match and (match.group(1), match.group(3)) not in MACHINE_FORMATS, sample
    assert TAGS.search("{% timezone user.timezone %}")
    assert RAW_CODE.search('formats.date_format(day, "SHORT_DATE_FORMAT")')
    assert RAW_CODE.search('value.strftime("%d.%m.%Y")')
    assert RAW_JS.search("new Date(x).toLocaleDateString('da')")
    assert RAW_JS.search("new Intl.DateTimeFormat(lang, {month: 'short'})")
