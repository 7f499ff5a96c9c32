from datetime import UTC, datetime, timedelta
from itertools import permutations

import pytest
import time_machine

from accounts.models import AccessRecord
from diary.models import DiaryEntry

from .concurrency import run_concurrently
from .factories import ClinicFactory, PatientFactory, PhysioFactory


def _put(client, day, pain=5, recorded_at=None, note=""):
    body = {"morning_pain": pain, "note": note}
    if recorded_at:
        body["recorded_at"] = recorded_at
    return client.put(f"/api/v1/diary/{day}/", body, format="json")


@pytest.fixture
def client(client_for, patient):
    return client_for(patient.user)


@pytest.fixture
def today(patient):
    return patient.user.local_today()


def test_put_creates_then_replays_change_nothing(client, patient, today):
    first = _put(client, today, 6, "2026-11-22T07:01:00+01:00", "stiv")
    assert first.status_code == 201
    assert first.json() == {
        "date": today.isoformat(),
        "morning_pain": 6,
        "morning_pain_other": None,  # one heel: the second value was not given
        "note": "stiv",
        "recorded_at": "2026-11-22T06:01:00Z",
    }
    for _ in range(3):
        again = _put(client, today, 6, "2026-11-22T07:01:00+01:00", "stiv")
        assert again.status_code == 200 and again.json() == first.json()
    assert DiaryEntry.objects.filter(patient=patient).count() == 1
    assert first["Cache-Control"] == "no-store"


@pytest.mark.parametrize("order", list(permutations(range(3))))
def test_the_latest_recorded_write_wins_in_any_arrival_order(client, patient, today, order):
    writes = [(3, "2026-11-22T06:00:00Z"), (5, "2026-11-22T07:00:00Z"), (4, "2026-11-22T08:00:00Z")]
    for index in order:
        _put(client, today, *writes[index])
    entry = DiaryEntry.objects.get(patient=patient)
    assert entry.morning_pain == 4


def test_today_and_yesterday_are_writable(client, today):
    assert _put(client, today).status_code == 201
    assert _put(client, today - timedelta(days=1)).status_code == 201


@pytest.mark.parametrize(
    ("offset", "reason"), [(1, "future"), (-2, "yesterday"), (-30, "yesterday")]
)
def test_other_dates_are_refused_with_a_reason(client, patient, today, offset, reason):
    patient.user.language = "en"
    patient.user.save()
    response = _put(client, today + timedelta(days=offset))
    assert response.status_code == 400
    assert reason in response.json()["date"][0]
    assert not DiaryEntry.objects.exists()


def test_local_date_at_half_past_midnight_in_copenhagen(client_for, patient):
    client = client_for(patient.user)
    # Winter time: 00:30 on 23 March in Copenhagen is 23:30 UTC on 22 March.
    with time_machine.travel(datetime(2026, 3, 22, 23, 30, tzinfo=UTC)):
        assert _put(client, "2026-03-23").status_code == 201
        assert _put(client, "2026-03-22").status_code == 201  # yesterday
        assert _put(client, "2026-03-24").status_code == 400
        assert _put(client, "2026-03-21").status_code == 400


@pytest.mark.parametrize(
    ("utc", "local_today"),
    [
        (datetime(2026, 3, 28, 23, 30, tzinfo=UTC), "2026-03-29"),  # spring-forward night, CET
        (datetime(2026, 3, 29, 22, 30, tzinfo=UTC), "2026-03-30"),  # after it: CEST, +2
        (datetime(2026, 10, 24, 22, 30, tzinfo=UTC), "2026-10-25"),  # fall-back night, CEST
        (datetime(2026, 10, 25, 23, 30, tzinfo=UTC), "2026-10-26"),  # after it: CET, +1
    ],
)
def test_local_date_across_daylight_saving(client_for, patient, utc, local_today):
    with time_machine.travel(utc):
        client = client_for(patient.user)
        assert _put(client, local_today).status_code == 201
        tomorrow = (datetime.fromisoformat(local_today) + timedelta(days=1)).date()
        assert _put(client, tomorrow.isoformat()).status_code == 400


def test_a_patient_in_another_time_zone(client_for, patient):
    patient.user.timezone = "America/Los_Angeles"
    patient.user.save()
    with time_machine.travel(datetime(2026, 6, 2, 3, 0, tzinfo=UTC)):  # 20:00 on 1 June there
        client = client_for(patient.user)
        assert _put(client, "2026-06-01").status_code == 201
        assert _put(client, "2026-06-02").status_code == 400


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"morning_pain": 11}, "morning_pain"),
        ({"morning_pain": -1}, "morning_pain"),
        ({"morning_pain": "x"}, "morning_pain"),
        ({"morning_pain": 5.5}, "morning_pain"),
        ({"morning_pain": True}, "morning_pain"),
        ({}, "morning_pain"),
        ({"morning_pain": 3, "note": "x" * 501}, "note"),
        ({"morning_pain": 3, "recorded_at": "yesterday"}, "recorded_at"),
        ({"morning_pain": 3, "morning_pain_other": 11}, "morning_pain_other"),
        ({"morning_pain": 3, "morning_pain_other": -1}, "morning_pain_other"),
        ({"morning_pain": 3, "morning_pain_other": "x"}, "morning_pain_other"),
        ({"morning_pain": 3, "morning_pain_other": 4.5}, "morning_pain_other"),
        ({"morning_pain": 3, "morning_pain_other": 4.0}, "morning_pain_other"),
        ({"morning_pain": 3, "morning_pain_other": False}, "morning_pain_other"),
    ],
)
def test_bad_values_name_the_field_and_write_nothing(client, today, body, field):
    response = client.put(f"/api/v1/diary/{today}/", body, format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert not DiaryEntry.objects.exists()


@pytest.mark.parametrize("day", ["2026-02-30", "today", "22-11-2026"])
def test_bad_dates_are_400(client, day):
    response = _put(client, day)
    assert response.status_code == 400 and "date" in response.json()


def test_list_is_oldest_first_within_the_range(client, patient, today):
    for offset in (1, 0):
        _put(client, today - timedelta(days=offset), pain=offset)
    DiaryEntry.objects.create(
        patient=patient,
        date=today - timedelta(days=40),
        morning_pain=8,
        recorded_at=datetime(2026, 1, 1, tzinfo=UTC),
    )
    body = client.get("/api/v1/diary/").json()
    assert [e["date"] for e in body] == sorted(e["date"] for e in body)
    assert len(body) == 3
    since = (today - timedelta(days=1)).isoformat()
    assert len(client.get(f"/api/v1/diary/?from={since}").json()) == 2


@pytest.mark.parametrize(
    "query", ["from=2026-11-10&to=2026-11-01", "from=2020-01-01&to=2026-11-01", "from=nope"]
)
def test_bad_ranges_are_400(client, query):
    response = client.get(f"/api/v1/diary/?{query}")
    assert response.status_code == 400 and "from" in response.json()


def test_delete_today_only_recent(client, patient, today):
    _put(client, today)
    assert client.delete(f"/api/v1/diary/{today}/").status_code == 204
    assert not DiaryEntry.objects.exists()
    old = today - timedelta(days=5)
    DiaryEntry.objects.create(
        patient=patient, date=old, morning_pain=3, recorded_at=datetime(2026, 1, 1, tzinfo=UTC)
    )
    assert client.delete(f"/api/v1/diary/{old}/").status_code == 400
    assert DiaryEntry.objects.count() == 1


def test_physio_reads_are_logged_and_shown_to_the_patient(client_for, physio, patient, today):
    client = client_for(patient.user)
    _put(client, today)
    client.get("/api/v1/diary/")  # the patient's own reads are not logged
    assert client_for(physio.user).get(f"/api/v1/patients/{patient.pk}/diary/").status_code == 200
    log = client.get("/api/v1/access-log/").json()["results"]
    assert len(log) == 1
    assert log[0]["who"] == physio.user.name and log[0]["what"] == "diary"
    assert log[0]["action"] == "read"


@pytest.mark.parametrize("who", ["other_clinic", "colleague"])
def test_physio_outside_care_gets_404_and_nothing_is_logged(client_for, physio, patient, who):
    outsider = PhysioFactory(clinic=ClinicFactory() if who == "other_clinic" else physio.clinic)
    response = client_for(outsider.user).get(f"/api/v1/patients/{patient.pk}/diary/")
    assert response.status_code == 404
    assert not AccessRecord.objects.exists()


def test_patients_cannot_read_each_others_diary(client_for, patient, today):
    other = PatientFactory(physio=patient.physio)
    _put(client_for(other.user), today)
    assert client_for(patient.user).get("/api/v1/diary/").json() == []
    assert client_for(patient.user).get(f"/api/v1/patients/{other.pk}/diary/").status_code == 403


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_puts_for_one_date_end_in_one_row():
    from django.test import Client

    patient = PatientFactory()
    today = patient.user.local_today()

    def put(n):
        client = Client()
        client.force_login(patient.user)
        return client.put(
            f"/api/v1/diary/{today}/",
            {"morning_pain": n, "recorded_at": f"2026-01-01T00:00:0{n}Z"},
            content_type="application/json",
        ).status_code

    statuses = run_concurrently(put, 6)
    assert sorted(statuses) == [200] * 5 + [201]
    entry = DiaryEntry.objects.get(patient=patient)
    assert entry.morning_pain == 5  # the latest recorded_at


def test_a_recorded_at_more_than_a_day_ahead_is_refused(client, patient, today):
    patient.user.language = "en"
    patient.user.save()
    with time_machine.travel(datetime(2026, 6, 1, 12, 0, tzinfo=UTC), tick=False):
        today = patient.user.local_today()
        # A phone clock a few hours fast is fine; a day and more is a broken clock.
        assert _put(client, today, 4, "2026-06-01T20:00:00Z").status_code == 201
        refused = _put(client, today, 2, "2026-06-02T12:00:01Z")
        assert refused.status_code == 400
        assert "recorded_at" in refused.json()["recorded_at"][0]
    assert DiaryEntry.objects.get(patient=patient).morning_pain == 4


def test_a_put_writes_with_one_statement(client, patient, today):
    """On both databases (diary/sql.py)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for recorded_at, status in (
        ("2026-01-01T06:00:00Z", 201),  # created
        ("2026-01-01T07:00:00Z", 200),  # updated
    ):
        with CaptureQueriesContext(connection) as captured:
            assert _put(client, today, 3, recorded_at).status_code == status
        diary = [q["sql"] for q in captured.captured_queries if "diary_diaryentry" in q["sql"]]
        assert len(diary) == 1 and diary[0].startswith("INSERT")
        assert not any(q["sql"] in ("BEGIN", "COMMIT") for q in captured.captured_queries)
    # An older write changes nothing and answers with what is stored.
    older = _put(client, today, 9, "2026-01-01T06:30:00Z")
    assert older.status_code == 200 and older.json()["morning_pain"] == 3


def test_the_put_answers_what_the_entry_serializer_documents(client, patient, today):
    """The PUT builds its answer without the serializer (diary.serializers.entry_data); it
    must be exactly what the schema's DiaryEntrySerializer says, microseconds and all."""
    from diary.serializers import DiaryEntrySerializer

    for recorded_at in ("2026-11-22T07:01:00.123456+01:00", None):
        answer = _put(client, today, 4, recorded_at, "ømt i hælen").json()
        entry = DiaryEntry.objects.get(patient=patient, date=today)
        assert answer == DiaryEntrySerializer(entry).data


def test_the_second_heel_is_optional_and_belongs_to_its_write(client_for, physio, patient, today):
    """Both heels: morning_pain is the left heel, morning_pain_other the right. Omitted means
    not given (null); the later write sets both values together, never merging two writes."""
    client = client_for(patient.user)
    first = _put_both(client, today, 6, 3, "2026-11-22T06:00:00Z")
    assert first.status_code == 201
    assert (first.json()["morning_pain"], first.json()["morning_pain_other"]) == (6, 3)
    # A replay and an older write change nothing.
    assert _put_both(client, today, 6, 3, "2026-11-22T06:00:00Z").json() == first.json()
    older = _put_both(client, today, 1, 1, "2026-11-22T05:00:00Z")
    assert older.status_code == 200 and older.json() == first.json()
    # An explicit null is "not given" as well.
    later = _put_both(client, today, 5, None, "2026-11-22T07:00:00Z")
    assert (later.json()["morning_pain"], later.json()["morning_pain_other"]) == (5, None)
    again = _put_both(client, today, 4, 2, "2026-11-22T08:00:00Z")
    assert again.json()["morning_pain_other"] == 2
    # The one-value contract: a later write without the field leaves no second value.
    single = _put(client, today, 3, "2026-11-22T09:00:00Z")
    assert single.status_code == 200 and single.json()["morning_pain_other"] is None
    _put_both(client, today - timedelta(days=1), 7, 8, "2026-11-22T09:00:00Z")
    listed = client.get("/api/v1/diary/").json()
    assert [(e["morning_pain"], e["morning_pain_other"]) for e in listed] == [(7, 8), (3, None)]
    seen = client_for(physio.user).get(f"/api/v1/patients/{patient.pk}/diary/").json()
    assert seen == listed


def test_the_database_refuses_a_second_heel_out_of_range(patient, today):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        DiaryEntry.objects.create(
            patient=patient,
            date=today,
            morning_pain=3,
            morning_pain_other=11,
            recorded_at=datetime(2026, 1, 1, tzinfo=UTC),
        )


def _put_both(client, day, pain, other, recorded_at):
    body = {"morning_pain": pain, "morning_pain_other": other, "recorded_at": recorded_at}
    return client.put(f"/api/v1/diary/{day}/", body, format="json")
