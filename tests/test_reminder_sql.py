"""reminders/sql.py, the reminders app's one raw statement, gives the same answer as the ORM
reading of its rule, on whichever database the suite runs (SQLite and PostgreSQL in CI).

The rule: write each outbox row whose (patient, kind, local date) has no row yet, leave every
existing row as it is, and say which rows were written (and with which status).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reminders.models import Notification
from reminders.services import outbox_insert
from reminders.sql import INSERT_CHUNK, OutboxRow, outbox_insert_new

from .factories import PatientFactory

pytestmark = pytest.mark.django_db

KINDS = [Notification.Kind.DAILY_REMINDER, Notification.Kind.WEEKLY_CHECKIN]
STATUSES = [Notification.Status.QUEUED, Notification.Status.SKIPPED]
DAY = date(2026, 1, 10)
DUE = datetime(2026, 1, 10, 6, 30, tzinfo=UTC)
COLUMNS = ("patient_id", "kind", "local_date", "status", "due_at", "last_error", "attempts")


def orm_insert_new(rows: list[OutboxRow]) -> list[tuple[int, str]]:
    """The ORM reading of the rule: the keys that exist, the rows for the others in one
    bulk_create (the first of two rows with one key wins, as in one INSERT), then which were
    written."""
    key = ("patient_id", "kind", "local_date")
    existing = set(Notification.objects.values_list(*key))
    new, seen = [], set(existing)
    for row in rows:
        if (row.patient_id, row.kind, row.local_date) not in seen:
            seen.add((row.patient_id, row.kind, row.local_date))
            new.append(row)
    Notification.objects.bulk_create(
        [Notification(**row._asdict()) for row in new], ignore_conflicts=True
    )
    written = {(r.patient_id, r.kind, r.local_date) for r in new}
    return sorted(
        (pk, status)
        for pk, *row_key, status in Notification.objects.values_list("pk", *key, "status")
        if tuple(row_key) in written
    )


def table() -> list[tuple]:
    return sorted(Notification.objects.values_list(*COLUMNS))


rows_strategy = st.lists(
    st.tuples(
        st.integers(0, 2),  # patient index
        st.sampled_from(KINDS),
        st.integers(0, 2),  # day offset
        st.sampled_from(STATUSES),
        st.sampled_from(["", "already logged"]),
    ),
    max_size=12,
)


@settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    print_blob=False,
)
@given(before=rows_strategy, inserted=rows_strategy)
def test_insert_gives_the_orm_readings_answer(before, inserted):
    patients = [PatientFactory() for _ in range(3)]

    def outbox_rows(spec):
        return [
            OutboxRow(
                patients[p].pk, kind, DAY + timedelta(days=d), status, DUE + timedelta(days=d), e
            )
            for p, kind, d, status, e in spec
        ]

    answers, tables = [], []
    for insert in (outbox_insert_new, orm_insert_new):
        # Each reading from the same starting table, rolled back afterwards.
        with transaction.atomic():
            orm_insert_new(outbox_rows(before))
            answer = sorted(insert(outbox_rows(inserted)))
            tables.append(table())
            # Ids differ between the two runs (sequences are not rolled back): compare what
            # the answers point at.
            answers.append(
                sorted(
                    (*Notification.objects.values_list(*COLUMNS[:3]).get(pk=pk), status)
                    for pk, status in answer
                )
            )
            transaction.set_rollback(True)
    assert answers[0] == answers[1]
    assert tables[0] == tables[1]


def test_stored_values_read_back_as_the_orm_wrote_them():
    """Dates and times written by the raw statement compare and read back like the ORM's
    (on SQLite they are text, so the format matters for `due_at__lt` in the sweep)."""
    patient = PatientFactory()
    [(pk, status)] = outbox_insert_new(
        [OutboxRow(patient.pk, "daily_reminder", DAY, "queued", DUE, "")]
    )
    row = Notification.objects.get(pk=pk)
    assert status == row.status
    assert (row.local_date, row.due_at, row.status, row.attempts) == (DAY, DUE, "queued", 0)
    assert (row.channel, row.detail, row.claimed_at, row.retry_at) == ("", "", None, None)
    assert Notification.objects.filter(due_at__lt=DUE + timedelta(seconds=1)).get() == row
    assert not Notification.objects.filter(due_at__lt=DUE).exists()
    assert Notification.objects.filter(local_date=DAY).get() == row
    assert row.created_at is not None


def test_many_rows_in_chunks_return_only_the_new_queued_ones():
    patients = [PatientFactory() for _ in range(3)]
    rows = [
        OutboxRow(p.pk, "daily_reminder", DAY + timedelta(days=n), "queued", DUE, "")
        for n in range(INSERT_CHUNK)
        for p in patients
    ]
    skipped = OutboxRow(patients[0].pk, "weekly_checkin", DAY, "skipped", DUE, "late")
    first = outbox_insert([*rows[:10], skipped])
    assert len(first) == 10
    again = outbox_insert([*rows, skipped])
    assert len(again) == len(rows) - 10  # the first ten exist already
    assert not set(first) & set(again)
    assert Notification.objects.count() == len(rows) + 1
