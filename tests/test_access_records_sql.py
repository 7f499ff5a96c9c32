"""accounts/sql.py's one statement stores what the ORM reading of its rule stores, on SQLite and
on PostgreSQL: one access record for each distinct patient who is there, with the given actor,
action, what and time (a time with microseconds, in another offset than UTC)."""

from datetime import datetime, timedelta, timezone

import pytest

from accounts.models import AccessRecord, PatientProfile
from accounts.sql import access_records_insert

from .factories import PatientFactory, PhysioFactory

AT = datetime(2026, 3, 1, 7, 30, 15, 123456, tzinfo=timezone(timedelta(hours=1)))
FIELDS = ("patient_id", "actor_id", "actor_name", "actor_role", "action", "at")


def _orm_reading(*, patient_ids, **record) -> int:
    """The rule with the ORM: a record for each patient of the ids who is there."""
    there = PatientProfile.objects.filter(pk__in=patient_ids).values_list("pk", flat=True)
    return len(
        AccessRecord.objects.bulk_create(AccessRecord(patient_id=pk, **record) for pk in there)
    )


def _stored(what: str) -> list[tuple]:
    return sorted(AccessRecord.objects.filter(what=what).values_list(*FIELDS))


@pytest.mark.parametrize(
    "pick",
    [
        lambda ids: ids,
        lambda ids: [ids[2], ids[0], ids[2], ids[0]],  # twice each: one record each
        lambda ids: [ids[1], 10**9],  # one there, one never was
        lambda ids: [10**9],
        lambda ids: [],
    ],
    ids=["all", "repeated", "one-missing", "none-there", "empty"],
)
def test_the_statement_stores_what_the_orm_reading_stores(db, pick):
    physio = PhysioFactory()
    patient_ids = pick([PatientFactory(physio=physio).pk for _ in range(3)])
    record = {
        "actor_id": physio.user_id,
        "actor_name": physio.user.name,
        "actor_role": physio.user.role,
        "action": AccessRecord.Action.WRITE,
        "at": AT,
    }
    written = access_records_insert(patient_ids=patient_ids, what="by-sql", **record)
    expected = _orm_reading(patient_ids=patient_ids, what="by-orm", **record)
    assert written == expected
    assert _stored("by-sql") == _stored("by-orm")
    assert len(_stored("by-sql")) == len(set(patient_ids) - {10**9})
    for row in AccessRecord.objects.filter(what="by-sql"):
        assert row.at == AT and row.action == "write"
