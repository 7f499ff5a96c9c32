"""The latest-wins statements (diary/sql.py, exercises/sql.py) give the same answers as the ORM
reading of their rule, on SQLite and on PostgreSQL.

The rule, read with the ORM: under a lock of the row, create the row for the key, or update it
if this write was recorded later than the stored one; a replay or an older write leaves the
stored row and answers with it. Hypothesis sends the same sequence of writes (and deletes) for
one patient through the services, which run the one statement, and for another patient
through that ORM reading, and after every step compares what each answered and what each
stored. The instants are few and close together (a microsecond apart, the same instant in
another offset) so that ties, replays and older writes are common: on SQLite the statement
compares date-times as stored text.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .factories import PatientFactory

SETTINGS = settings(
    max_examples=120,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    print_blob=False,
)

BASE = datetime(2026, 3, 1, 6, 0, tzinfo=UTC)
INSTANTS = st.sampled_from(
    [
        BASE,
        BASE + timedelta(microseconds=1),
        BASE + timedelta(microseconds=999_999),
        BASE + timedelta(seconds=1),
        BASE + timedelta(hours=1),
        # The same instants as seen from elsewhere: equal, not later.
        BASE.astimezone(timezone(timedelta(hours=1))),
        (BASE + timedelta(hours=1)).astimezone(timezone(timedelta(hours=-5))),
        BASE - timedelta(days=1, microseconds=1),
    ]
)


def writes_over(keys: int):
    """Writes (which key, value, recorded_at) and deletes of a key, over `keys` keys."""
    return st.lists(
        st.one_of(
            st.tuples(st.just("write"), st.integers(0, keys - 1), st.integers(0, 10), INSTANTS),
            st.tuples(st.just("delete"), st.integers(0, keys - 1), st.none(), st.none()),
        ),
        min_size=1,
        max_size=8,
    )


WRITES = writes_over(2)  # a diary entry's key: two dates
# The diary's writes also carry the second heel's value, given or not (None).
DIARY_WRITES = st.lists(
    st.one_of(
        st.tuples(
            st.just("write"),
            st.integers(0, 1),
            st.integers(0, 10),
            INSTANTS,
            st.one_of(st.none(), st.integers(0, 10)),
        ),
        st.tuples(st.just("delete"), st.integers(0, 1), st.none(), st.none(), st.none()),
    ),
    min_size=1,
    max_size=8,
)


def orm_latest_wins(model, *, key: dict, values: dict, recorded_at: datetime):
    """The rule read with the ORM (the portable implementation before diary/sql.py)."""
    with transaction.atomic():
        row, created = model.objects.select_for_update().get_or_create(
            **key, defaults={**values, "recorded_at": recorded_at}
        )
        if not created and recorded_at > row.recorded_at:
            for field, value in values.items():
                setattr(row, field, value)
            row.recorded_at = recorded_at
            row.save(update_fields=[*values, "recorded_at", "updated_at"])
    return row, created


def _stored(queryset, fields) -> list[tuple]:
    return list(queryset.order_by("date").values_list(*fields))


@pytest.fixture
def two_patients(db, assign):
    first, second = PatientFactory(), PatientFactory()
    for patient in (first, second):
        assign(patient, starts_on=patient.user.local_today() - timedelta(days=3))
    return first, second


def test_the_diary_statement_answers_as_the_orm_reading(two_patients):
    from diary.models import DiaryEntry
    from diary.services import diary_put

    by_sql, by_orm = two_patients
    today = by_sql.user.local_today()
    assert by_orm.user.local_today() == today
    days = [today, today - timedelta(days=1)]
    fields = ("date", "morning_pain", "morning_pain_other", "note", "recorded_at")

    @SETTINGS
    @given(writes=DIARY_WRITES)
    def check(writes):
        DiaryEntry.objects.filter(patient__in=two_patients).delete()
        for action, key, pain, recorded_at, other in writes:
            day = days[key]
            if action == "delete":
                for patient in two_patients:
                    DiaryEntry.objects.filter(patient=patient, date=day).delete()
                continue
            note = f"{pain} at {recorded_at.isoformat()}"
            entry, created = diary_put(
                patient=by_sql,
                day=day,
                morning_pain=pain,
                morning_pain_other=other,
                note=note,
                recorded_at=recorded_at,
            )
            # Both heels' values (and the note) belong to one write: the later one sets all.
            expected, expected_created = orm_latest_wins(
                DiaryEntry,
                key={"patient": by_orm, "date": day},
                values={"morning_pain": pain, "morning_pain_other": other, "note": note},
                recorded_at=recorded_at,
            )
            assert created == expected_created
            assert [getattr(entry, f) for f in fields] == [getattr(expected, f) for f in fields]
            assert entry.pk == DiaryEntry.objects.get(patient=by_sql, date=day).pk
            assert _stored(by_sql.diary_entries, fields) == _stored(by_orm.diary_entries, fields)

    check()


# A completion's key is (item, date, session): four keys, two dates with two sessions each.
COMPLETION_WRITES = writes_over(4)


def test_the_completion_statement_answers_as_the_orm_reading(two_patients):
    from exercises.models import Completion
    from exercises.services import completion_record

    by_sql, by_orm = two_patients
    today = by_sql.user.local_today()
    keys = [(day, session) for day in (today, today - timedelta(days=1)) for session in (1, 2)]
    items = {
        p: p.programmes.get().items.filter(times_per_day__gte=2).order_by("position").first()
        for p in two_patients
    }
    fields = ("date", "session", "sets_done", "recorded_at")

    @SETTINGS
    @given(writes=COMPLETION_WRITES)
    def check(writes):
        Completion.objects.filter(patient__in=two_patients).delete()
        for action, key, sets_done, recorded_at in writes:
            day, session = keys[key]
            if action == "delete":
                Completion.objects.filter(
                    patient__in=two_patients, date=day, session=session
                ).delete()
                continue
            completion = completion_record(
                patient=by_sql,
                item=items[by_sql],
                day=day,
                session=session,
                sets_done=sets_done,
                recorded_at=recorded_at,
            )
            expected, _created = orm_latest_wins(
                Completion,
                key={"item": items[by_orm], "date": day, "session": session},
                values={"patient": by_orm, "sets_done": sets_done},
                recorded_at=recorded_at,
            )
            assert [getattr(completion, f) for f in fields] == [
                getattr(expected, f) for f in fields
            ]
            assert (completion.patient_id, completion.item_id) == (by_sql.pk, items[by_sql].pk)
            stored = Completion.objects.get(item=items[by_sql], date=day, session=session)
            assert completion.pk == stored.pk
            assert _stored(by_sql.completions, fields) == _stored(by_orm.completions, fields)

    check()


def test_an_update_leaves_the_creation_time_and_says_it_did_not_create(two_patients):
    from diary.services import diary_put

    patient = two_patients[0]
    today = patient.user.local_today()
    first, created = diary_put(patient=patient, day=today, morning_pain=3, recorded_at=BASE)
    assert created and first.created_at == first.updated_at
    later, created = diary_put(
        patient=patient, day=today, morning_pain=4, recorded_at=BASE + timedelta(seconds=1)
    )
    assert not created and later.pk == first.pk
    assert later.created_at == first.created_at < later.updated_at  # loaded when asked for
