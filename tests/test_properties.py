"""Properties that hold for any input (hypothesis).

- The diary PUT and the completion PUT take any JSON body and any date in the URL and answer
  2xx, or 4xx with a body that names the fields at fault; never 5xx. Afterwards the database's
  own rules still hold (pain 0..10, one entry per patient per date, 0 <= sets_done <= 100) and
  a 2xx answer is what was stored.
- `progress.assessment.assess` returns a known status and scores within 0..10 for any diary,
  start, today, baseline override and review weeks, and for input it cannot use it raises
  ValueError and nothing else.

Generation is derandomized (the same examples every run) and bounded: the module runs in a
few seconds.
"""

from __future__ import annotations

import json
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from itertools import pairwise
from urllib.parse import quote

import pytest
from django.db.models import Count, Max, Min
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from progress.assessment import STATUSES, URGENCIES, assess

from .factories import PatientFactory

SETTINGS = settings(
    max_examples=150,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.large_base_example,
        HealthCheck.function_scoped_fixture,
    ],
    print_blob=False,
)

# --- any JSON ---------------------------------------------------------------------------------

TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=30)
HUGE_INTS = st.sampled_from([2**31, 2**63, -(2**63) - 1, 10**40, 10**400, -(10**400)])
JSON_SCALARS = (
    st.none()
    | st.booleans()
    | st.integers()
    | HUGE_INTS
    | st.floats(allow_nan=False, allow_infinity=False)
    | TEXT
)
JSON = st.recursive(
    JSON_SCALARS,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(TEXT, children, max_size=4),
    max_leaves=12,
)
INSTANTS = st.datetimes(
    min_value=datetime(1, 1, 2), max_value=datetime(9999, 12, 30), timezones=st.just(UTC)
).map(datetime.isoformat)
RECORDED_AT = st.one_of(INSTANTS, TEXT, JSON)


def _object_with(fields: dict) -> st.SearchStrategy:
    """A dict with some of the endpoint's own fields (with any value) and maybe junk keys."""
    return st.fixed_dictionaries({}, optional=fields).flatmap(
        lambda known: st.dictionaries(TEXT, JSON, max_size=2).map(lambda junk: {**junk, **known})
    )


# Instants a device may send (the past: far-future ones are refused, see below).
RECENT = st.datetimes(
    min_value=datetime(2020, 1, 1), max_value=datetime(2026, 11, 1), timezones=st.just(UTC)
).map(datetime.isoformat)
DIARY_BODIES = st.one_of(
    JSON,
    st.fixed_dictionaries(
        {"morning_pain": st.integers(0, 10)}, optional={"note": TEXT, "recorded_at": RECENT}
    ),
    _object_with(
        {
            "morning_pain": st.one_of(st.integers(-3, 13), JSON),
            "note": st.one_of(TEXT, st.text(min_size=490, max_size=520), JSON),
            "recorded_at": RECORDED_AT,
        }
    ),
)
COMPLETION_BODIES = st.one_of(
    JSON,
    st.fixed_dictionaries({}, optional={"sets_done": st.integers(0, 100), "recorded_at": RECENT}),
    _object_with({"sets_done": st.one_of(st.integers(-3, 105), JSON), "recorded_at": RECORDED_AT}),
)

# The date in the URL: mostly around the patient's today (as an offset in days), or any text
# that can stand in one path segment (Django's `str` converter: anything but "/", not empty).
NEAR_DAYS = st.integers(-4, 2)
DAY_TEXT = st.one_of(
    st.dates().map(date.isoformat),
    st.sampled_from(
        ["2026-02-30", "2026-13-01", "0000-01-01", "20261122", "2026-W47-7", "-1", "2026-11-22T0"]
    ),
    st.text(st.characters(exclude_categories=("Cs",), exclude_characters="/"), min_size=1),
)
DAYS = st.one_of(st.sampled_from([0, -1]), NEAR_DAYS, DAY_TEXT)


def _url_day(patient, day) -> str:
    if isinstance(day, int):
        day = (patient.user.local_today() + timedelta(days=day)).isoformat()
    return quote(day, safe="")


def _assert_client_error_names_fields(response, fields: set[str]) -> None:
    """A 4xx answer is a JSON object whose keys are the request's fields (or the request as a
    whole: `non_field_errors`, the URL's `date`), each with a list of messages. A body that
    cannot be parsed at all (a number of more than 4300 digits) has only a `detail`."""
    body = response.json()
    assert isinstance(body, dict) and body, body
    if set(body) == {"detail"}:
        assert response.status_code == 404 or "JSON" in body["detail"], body
        return
    assert set(body) <= fields | {"non_field_errors", "date"}, body
    for messages in body.values():
        assert isinstance(messages, list) and messages, body
        assert all(isinstance(m, str) and m for m in messages), body


def _send(client, url: str, body) -> object:
    return client.generic("PUT", url, json.dumps(body), content_type="application/json")


@pytest.fixture
def patient_client(db, client_for, assign):
    patient = PatientFactory()
    programme = assign(patient, starts_on=patient.user.local_today() - timedelta(days=3))
    client = client_for(patient.user)
    client.raise_request_exception = False  # a 500 is an answer to check, not a crash
    return patient, programme, client


def _diary_rules_hold() -> None:
    from diary.models import DiaryEntry

    pains = DiaryEntry.objects.aggregate(low=Min("morning_pain"), high=Max("morning_pain"))
    if pains["low"] is not None:
        assert 0 <= pains["low"] <= pains["high"] <= 10, pains
    twice = DiaryEntry.objects.values("patient", "date").annotate(n=Count("pk")).filter(n__gt=1)
    assert not twice.exists(), list(twice)


def _completion_rules_hold() -> None:
    from exercises.models import Completion

    sets = Completion.objects.aggregate(low=Min("sets_done"), high=Max("sets_done"))
    if sets["low"] is not None:
        assert 0 <= sets["low"] <= sets["high"] <= 100, sets
    twice = Completion.objects.values("item", "date").annotate(n=Count("pk")).filter(n__gt=1)
    assert not twice.exists(), list(twice)


def test_diary_put_answers_any_body_and_date_without_a_server_error(patient_client):
    from diary.models import DiaryEntry

    patient, _programme, client = patient_client
    outcomes = Counter()

    @SETTINGS
    @given(day=DAYS, body=DIARY_BODIES)
    def check(day, body):
        response = _send(client, f"/api/v1/diary/{_url_day(patient, day)}/", body)
        outcomes[response.status_code // 100] += 1
        assert response.status_code < 500, (day, body, response.content[:300])
        if response.status_code >= 400:
            _assert_client_error_names_fields(response, {"morning_pain", "note", "recorded_at"})
        else:
            assert response.status_code in (200, 201), response.status_code
            answer = response.json()
            stored = DiaryEntry.objects.get(patient=patient, date=answer["date"])
            assert (stored.morning_pain, stored.note) == (answer["morning_pain"], answer["note"])
        _diary_rules_hold()

    check()
    assert outcomes[2] >= 10 and outcomes[4] >= 10, outcomes  # both kinds were exercised


def test_completion_put_answers_any_body_date_and_item_without_a_server_error(patient_client):
    from exercises.models import Completion

    patient, programme, client = patient_client
    item_ids = list(programme.items.values_list("pk", flat=True))
    items = st.one_of(
        st.sampled_from(item_ids),
        st.sampled_from(item_ids),
        st.integers(min_value=0),
        st.sampled_from([2**31, 2**63, 10**30]),
    )
    outcomes = Counter()

    @SETTINGS
    @given(day=DAYS, item=items, body=COMPLETION_BODIES)
    def check(day, item, body):
        url = f"/api/v1/completions/{_url_day(patient, day)}/{item}/"
        response = _send(client, url, body)
        outcomes[response.status_code // 100] += 1
        assert response.status_code < 500, (url, body, response.content[:300])
        if response.status_code >= 400:
            _assert_client_error_names_fields(response, {"sets_done", "recorded_at", "item"})
        else:
            assert response.status_code == 200, response.status_code
            answer = response.json()
            stored = Completion.objects.get(item_id=answer["item_id"], date=answer["date"])
            assert stored.sets_done == answer["sets_done"]
            assert stored.patient_id == patient.pk
        _completion_rules_hold()

    check()
    # Both kinds were exercised. How many generated examples hit a real item depends on the ids
    # the database handed out in this run (other tests' rows before it), so the accepting path
    # is also checked directly, for every item of the programme.
    assert outcomes[2] >= 1 and outcomes[4] >= 10, outcomes
    for item_id in item_ids:
        url = f"/api/v1/completions/{_url_day(patient, 0)}/{item_id}/"
        response = _send(client, url, {"sets_done": 1})
        assert response.status_code == 200, response.content[:300]
    _completion_rules_hold()


@pytest.mark.parametrize("path", ["diary/{today}/", "completions/{today}/{item}/"])
def test_deeply_nested_json_is_a_client_error(patient_client, path):
    """5,000 nested arrays (10 kB) exceed Python's recursion limit in the json module; the
    parser answers 400 saying so, rather than a RecursionError and a 500."""
    patient, programme, client = patient_client
    url = "/api/v1/" + path.format(
        today=patient.user.local_today().isoformat(), item=programme.items.first().pk
    )
    response = client.generic("PUT", url, "[" * 5000 + "]" * 5000, content_type="application/json")
    assert response.status_code == 400, (response.status_code, response.content[:200])
    assert list(response.json()) == ["detail"], response.json()  # the body, not a field


def test_a_recorded_at_in_the_far_future_cannot_freeze_an_entry(patient_client):
    from diary.models import DiaryEntry

    patient, _programme, client = patient_client
    today = patient.user.local_today().isoformat()
    url = f"/api/v1/diary/{today}/"
    first = _send(client, url, {"morning_pain": 9, "recorded_at": "9999-12-31T23:59:59+00:00"})
    correction = _send(client, url, {"morning_pain": 2})
    stored = DiaryEntry.objects.get(patient=patient, date=today).morning_pain
    # Either the far-future instant is refused, or the correction made now is kept.
    assert first.status_code == 400 or stored == 2, (first.status_code, correction.json())


# --- the assessment -----------------------------------------------------------------------


START = st.dates(min_value=date(1990, 1, 1), max_value=date(2100, 1, 1))
VALID_PAIN = st.integers(0, 10)
INVALID_PAIN = st.one_of(
    st.integers(max_value=-1),
    st.integers(min_value=11),
    st.booleans(),
    st.floats(0, 10),
    st.sampled_from(["5", None, Decimal(5)]),
)
VALID_OVERRIDE = st.one_of(
    st.none(),
    st.integers(0, 10),
    st.decimals(0, 10, places=1),
    st.floats(0, 10),
)
INVALID_OVERRIDE = st.one_of(
    st.integers(min_value=11),
    st.integers(max_value=-1),
    st.floats(min_value=10.000001),
    st.floats(max_value=-0.000001),
    st.sampled_from(
        [True, False, float("nan"), float("inf"), Decimal("NaN"), Decimal("sNaN"), Decimal("Inf")]
    ),
    st.sampled_from(["5", [5], 10**400]),
)
VALID_WEEKS = st.lists(st.integers(1, 60), min_size=1, max_size=4, unique=True).map(sorted)
INVALID_WEEKS = st.one_of(
    st.just([]),
    st.lists(st.integers(-3, 0), min_size=1, max_size=3),
    st.lists(st.integers(1, 20), min_size=2, max_size=4).filter(
        lambda w: any(a >= b for a, b in pairwise(w))
    ),
    st.lists(st.sampled_from([True, 6.0, "6", None]), min_size=1, max_size=2),
)


@st.composite
def assessment_input(draw):
    start = draw(START)
    today = start + timedelta(days=draw(st.integers(-20, 150)))
    valid = draw(st.booleans()) or draw(st.booleans())  # three quarters valid
    parts = st.sampled_from(["pain", "override", "weeks"])
    broken = set() if valid else draw(st.sets(parts, min_size=1))
    entries = [
        (start + timedelta(days=offset), pain)
        for offset, pain in draw(
            st.lists(st.tuples(st.integers(-20, 160), VALID_PAIN), max_size=120)
        )
    ]
    if "pain" in broken:
        bad = draw(
            st.one_of(
                INVALID_PAIN.map(lambda pain: (start, pain)),
                st.just((datetime(2026, 1, 1, 7, 0), 5)),  # a datetime is not a date here
                st.just(("2026-01-01", 5)),
                st.just((start, 5, "extra")),
                st.just(None),
            )
        )
        entries.insert(draw(st.integers(0, len(entries))), bad)
    override = draw(INVALID_OVERRIDE if "override" in broken else VALID_OVERRIDE)
    weeks = draw(INVALID_WEEKS if "weeks" in broken else VALID_WEEKS)
    as_mapping = draw(st.booleans()) and "pain" not in broken
    return {
        "entries": dict(entries) if as_mapping else entries,
        "programme_start": start,
        "today": today,
        "baseline_override": override,
        "review_weeks": weeks,
        "valid": not broken,
    }


@settings(SETTINGS, max_examples=400)
@given(data=assessment_input())
def test_assess_returns_a_known_status_in_range_or_raises_value_error(data):
    valid = data.pop("valid")
    if not valid:
        with pytest.raises(ValueError):  # and no other exception
            assess(**data)
        return
    result = assess(**data)
    assert result.status in STATUSES
    for score in (result.baseline, result.current, result.target):
        assert score is None or Decimal(0) <= score <= Decimal(10), result
    assert 0 <= result.entries_last_7 <= 7
    assert result.review_weeks == tuple(data["review_weeks"])
    assert result.advice is None or result.advice.urgency in URGENCIES
    dates = [point.date for point in result.series]
    assert dates == sorted(dates)
    assert all(data["programme_start"] <= d <= data["today"] for d in dates)
    assert all(
        point.mean_7d is None or Decimal(0) <= point.mean_7d <= Decimal(10)
        for point in result.series
    )
    if result.baseline is not None and result.current is not None:
        assert abs(result.change_points - (result.current - result.baseline)) <= Decimal("0.1")
