from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
import time_machine

from exercises.models import Completion

from .concurrency import run_concurrently
from .factories import PatientFactory


@pytest.fixture
def programme(patient, assign):
    return assign(patient, starts_on=patient.user.local_today() - timedelta(days=20))


@pytest.fixture
def item(programme):
    return programme.items.get(exercise__slug="plantar-fascia-stretch")


def _put(client, day, item_id, body=None):
    return client.put(
        f"/api/v1/completions/{day}/{item_id}/", body or {"sets_done": 1}, format="json"
    )


def test_mark_done_is_idempotent(client_for, patient, item):
    client = client_for(patient.user)
    today = patient.user.local_today().isoformat()
    first = _put(
        client, today, item.pk, {"sets_done": 3, "recorded_at": "2026-11-22T07:00:00+01:00"}
    )
    again = _put(
        client, today, item.pk, {"sets_done": 3, "recorded_at": "2026-11-22T07:00:00+01:00"}
    )
    assert first.status_code == again.status_code == 200
    assert first.json() == again.json()
    assert Completion.objects.filter(item=item).count() == 1
    plan = client.get("/api/v1/programme/").json()
    planned = next(i for i in plan["items"] if i["id"] == item.pk)
    # The fascia stretch is done three times a day: one session of three is not the day done.
    assert (planned["sessions"], planned["sessions_done"], planned["done_today"]) == (3, [1], False)


def test_each_session_of_a_day_is_ticked_on_its_own(client_for, patient, item):
    """An item dosed three times a day holds three sessions; ticking all three is the day
    done, and undoing one (DELETE ?session=) leaves the other two."""
    client = client_for(patient.user)
    today = patient.user.local_today().isoformat()
    for session in (1, 3, 2):
        response = _put(client, today, item.pk, {"sets_done": 1, "session": session})
        assert response.status_code == 200 and response.json()["session"] == session
    assert sorted(Completion.objects.filter(item=item).values_list("session", flat=True)) == [
        1,
        2,
        3,
    ]
    planned = next(
        i for i in client.get("/api/v1/programme/").json()["items"] if i["id"] == item.pk
    )
    assert (planned["sessions_done"], planned["done_today"]) == ([1, 2, 3], True)
    assert client.delete(f"/api/v1/completions/{today}/{item.pk}/?session=2").status_code == 204
    planned = next(
        i for i in client.get("/api/v1/programme/").json()["items"] if i["id"] == item.pk
    )
    assert (planned["sessions_done"], planned["done_today"]) == ([1, 3], False)


@pytest.mark.parametrize("session", [0, 4, 21, "two", None])
def test_a_session_outside_the_items_day_is_a_400_naming_session(
    client_for, patient, item, session
):
    client = client_for(patient.user)
    today = patient.user.local_today().isoformat()
    response = _put(client, today, item.pk, {"sets_done": 1, "session": session})
    assert response.status_code == 400 and "session" in response.json()
    assert not Completion.objects.exists()
    deleted = client.delete(f"/api/v1/completions/{today}/{item.pk}/?session={session}")
    assert deleted.status_code == 400 and "session" in deleted.json()


def test_a_once_a_day_item_has_one_session(client_for, patient, programme):
    client = client_for(patient.user)
    once = programme.items.filter(times_per_day__isnull=True).first() or programme.items.get(
        times_per_day=1
    )
    today = patient.user.local_today().isoformat()
    assert _put(client, today, once.pk, {"session": 2}).status_code == 400
    assert _put(client, today, once.pk).status_code == 200
    planned = next(
        i for i in client.get("/api/v1/programme/").json()["items"] if i["id"] == once.pk
    )
    assert (planned["sessions"], planned["sessions_done"], planned["done_today"]) == (1, [1], True)


def test_later_recorded_write_wins_whatever_the_arrival_order(client_for, patient, item):
    client = client_for(patient.user)
    today = patient.user.local_today().isoformat()
    _put(client, today, item.pk, {"sets_done": 2, "recorded_at": "2026-11-22T09:00:00+00:00"})
    _put(client, today, item.pk, {"sets_done": 1, "recorded_at": "2026-11-22T08:00:00+00:00"})
    assert Completion.objects.get(item=item).sets_done == 2


def test_yesterday_is_allowed_older_and_future_dates_are_not(client_for, patient, item):
    client = client_for(patient.user)
    today = patient.user.local_today()
    assert _put(client, (today - timedelta(days=1)).isoformat(), item.pk).status_code == 200
    for day in (today - timedelta(days=2), today + timedelta(days=1)):
        response = _put(client, day.isoformat(), item.pk)
        assert response.status_code == 400 and "date" in response.json()
    assert Completion.objects.count() == 1


@pytest.mark.parametrize(
    ("day", "body", "field"),
    [
        ("2026-13-01", None, "date"),
        ("today", None, "date"),
        (None, {"sets_done": -1}, "sets_done"),
        (None, {"sets_done": "x"}, "sets_done"),
        (None, {"sets_done": 1, "recorded_at": "yesterday"}, "recorded_at"),
        # As the later write wins, a far-future instant would freeze the tick for good.
        (None, {"sets_done": 1, "recorded_at": "9999-12-31T23:59:59+00:00"}, "recorded_at"),
    ],
)
def test_bad_input_is_400_naming_the_field(client_for, patient, item, day, body, field):
    day = day or patient.user.local_today().isoformat()
    response = _put(client_for(patient.user), day, item.pk, body)
    assert response.status_code == 400 and field in response.json()
    assert not Completion.objects.exists()


def test_another_patients_item_is_404(client_for, patient, item, assign):
    other = PatientFactory(physio=patient.physio)
    assign(other)
    response = _put(client_for(other.user), other.user.local_today().isoformat(), item.pk)
    assert response.status_code == 404
    assert not Completion.objects.exists()


def test_item_of_an_ended_programme_cannot_be_ticked(client_for, patient, item, assign):
    assign(patient, template="haelbursitis")
    response = _put(client_for(patient.user), patient.user.local_today().isoformat(), item.pk)
    assert response.status_code == 400 and "item" in response.json()


def test_untick(client_for, patient, item):
    client = client_for(patient.user)
    today = patient.user.local_today().isoformat()
    _put(client, today, item.pk)
    assert client.delete(f"/api/v1/completions/{today}/{item.pk}/").status_code == 204
    assert not Completion.objects.exists()


def test_local_midnight_decides_today(client_for, patient, assign):
    # 00:30 in Copenhagen on 23 March is 23:30 UTC on 22 March: "today" is the 23rd.
    with time_machine.travel(datetime(2026, 3, 22, 23, 30, tzinfo=UTC)):
        item = assign(patient, starts_on=patient.user.local_today()).items.first()
        client = client_for(patient.user)
        assert _put(client, "2026-03-23", item.pk).status_code == 200
        assert _put(client, "2026-03-24", item.pk).status_code == 400


def test_completions_count_into_adherence(client_for, physio, patient, item):
    client = client_for(patient.user)
    today = patient.user.local_today()
    for offset in (0, 1):
        _put(client, (today - timedelta(days=offset)).isoformat(), item.pk)
    row = client_for(physio.user).get("/api/v1/patients/").json()[0]
    # Adherence counts sessions. The template's stretches are daily, the fascia stretch three
    # times a day and each calf stretch twice; the heel raise is every other day, once.
    sessions = dict(item.programme.items.values_list("exercise__slug", "times_per_day"))
    assert (sessions["plantar-fascia-stretch"], sessions["calf-stretch-straight-knee"]) == (3, 2)
    assert sessions["calf-stretch-bent-knee"] == 2
    # 14-day window: the stretches' 3 + 2 + 2 sessions on each of the 13 days before today,
    # plus today's one session done (today is not held against the patient); the heel raise
    # is due on the days an even number of days after its start 20 days ago.
    assert row["week"] == 3
    due = 7 * 13 + 1 + sum(1 for d in range(1, 14) if (20 - d) % 2 == 0)
    assert Decimal(str(row["adherence_14d"])) == (Decimal(2) / Decimal(due)).quantize(
        Decimal("0.01")
    )


def test_three_sessions_ticked_count_three(client_for, physio, patient, item):
    """Yesterday's three sessions of the fascia stretch count three towards adherence, not
    one; a fourth, ticked before the physio lowered the times a day, does not count."""
    client = client_for(patient.user)
    yesterday = (patient.user.local_today() - timedelta(days=1)).isoformat()
    for session in (1, 2, 3):
        assert _put(client, yesterday, item.pk, {"session": session}).status_code == 200
    due = 7 * 13 + sum(1 for d in range(1, 14) if (20 - d) % 2 == 0)

    def adherence():
        row = client_for(physio.user).get("/api/v1/patients/").json()[0]
        return Decimal(str(row["adherence_14d"]))

    assert adherence() == (Decimal(3) / Decimal(due)).quantize(Decimal("0.01"))
    from exercises.services import programme_item_update

    programme_item_update(actor=physio.user, item=item, times_per_day=2)  # after the ticks
    assert adherence() == (Decimal(2) / Decimal(due - 13)).quantize(Decimal("0.01"))


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_puts_store_one_row(library):
    from django.test import Client

    from exercises.models import ProgrammeTemplate
    from exercises.services import programme_assign

    patient = PatientFactory()
    programme = programme_assign(
        physio=patient.physio,
        patient=patient,
        template=ProgrammeTemplate.objects.get(slug="haelspore-standard"),
        starts_on=patient.user.local_today(),
    )
    item = programme.items.first()

    def put(n):
        client = Client()
        client.force_login(patient.user)
        return client.put(
            f"/api/v1/completions/{patient.user.local_today()}/{item.pk}/",
            {"sets_done": n, "recorded_at": f"2026-01-01T00:00:0{n}+00:00"},
            content_type="application/json",
        ).status_code

    assert run_concurrently(put, 4) == [200] * 4
    assert Completion.objects.get(item=item).sets_done == 3  # the latest recorded_at won


def test_completions_from_before_sessions_become_session_one(transactional_db, library, assign):
    """Migration 0006 on a database with the old one-per-item-and-date completions: each
    becomes session 1, and a second session of the same day can then be stored."""
    from django.db import IntegrityError, connection
    from django.db.migrations.executor import MigrationExecutor

    patient = PatientFactory()
    item = (
        assign(patient, starts_on=patient.user.local_today() - timedelta(days=3))
        .items.filter(times_per_day=3)
        .get()
    )
    before = [("exercises", "0005_library_additions")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps.get_model("exercises", "Completion")
    yesterday = patient.user.local_today() - timedelta(days=1)
    old.objects.create(
        patient_id=patient.pk, item_id=item.pk, date=yesterday, sets_done=3, recorded_at=BASE
    )

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    migrated = Completion.objects.get(item=item)
    assert (migrated.date, migrated.session, migrated.sets_done) == (yesterday, 1, 3)
    Completion.objects.create(
        patient=patient, item=item, date=yesterday, session=2, recorded_at=BASE
    )
    with pytest.raises(IntegrityError):
        Completion.objects.create(
            patient=patient, item=item, date=yesterday, session=2, recorded_at=BASE
        )


BASE = datetime(2026, 3, 1, 6, 0, tzinfo=UTC)
