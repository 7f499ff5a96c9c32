"""The reminders app's one piece of raw SQL.

`outbox_insert_new` writes outbox rows and returns, in the same statement, the ids of the rows
it made: `INSERT ... ON CONFLICT (patient_id, kind, local_date) DO NOTHING RETURNING`, one
statement on SQLite (>= 3.35) and PostgreSQL. The ORM needs two statements and a read of the
keys for the same answer (`bulk_create(ignore_conflicts=True)` does not say which rows it
made), and the tick writes up to a hundred thousand rows in a minute.

The same statement on both: the rows come from a VALUES list. PostgreSQL could read them from
one array per column (`unnest`) a little faster (measured 6 December 2026, 1,000 rows a
statement: 8.9 against 14.0 ms, or about 0.5 s of the 100,000 reminders of bench/reminders.py,
which take 49 s), too little for a second way of writing the rows.
tests/test_reminder_sql.py checks that the statement gives the same answer as the ORM reading
of the rule, on both databases.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import NamedTuple

from django.db import connection
from django.utils import timezone

from .models import Notification

# Rows per statement: 7 parameters a row stays far below SQLite's 32,766 parameters.
INSERT_CHUNK = 1000


class OutboxRow(NamedTuple):
    patient_id: int
    kind: str
    local_date: date
    status: str
    due_at: datetime
    last_error: str


def outbox_insert_new(rows: list[OutboxRow]) -> list[tuple[int, str]]:
    """Insert the rows whose (patient, kind, local date) has none yet; return (id, status) of
    each row inserted. A row that exists already, whoever wrote it, is left as it is."""
    if not rows:
        return []
    # Dates and times through the model's fields, so they are stored as the ORM stores them
    # (on SQLite as text that must compare like the ORM's; on PostgreSQL as they are).
    day = Notification._meta.get_field("local_date").get_db_prep_value
    instant = Notification._meta.get_field("due_at").get_db_prep_value
    created = instant(timezone.now(), connection)
    inserted: list[tuple[int, str]] = []
    with connection.cursor() as cursor:
        for start in range(0, len(rows), INSERT_CHUNK):
            chunk = [
                (patient, kind, day(local, connection), status, instant(due, connection), error)
                for patient, kind, local, status, due, error in rows[start : start + INSERT_CHUNK]
            ]
            source, params = _rows_source(chunk, created)
            cursor.execute(_INSERT.format(source=source), params)
            inserted.extend(cursor.fetchall())
    return inserted


_INSERT = (
    "INSERT INTO reminders_notification (patient_id, kind, local_date, status, due_at,"
    " last_error, created_at, channel, detail, attempts) {source}"
    " ON CONFLICT (patient_id, kind, local_date) DO NOTHING RETURNING id, status"
)


def _rows_source(chunk: list[tuple], created) -> tuple[str, list]:
    """The rows to insert as a VALUES list (with created_at, and '', '', 0 for channel, detail,
    attempts). Only placeholders are formatted in."""
    source = "VALUES " + ", ".join(["(%s, %s, %s, %s, %s, %s, %s, '', '', 0)"] * len(chunk))
    return source, [value for row in chunk for value in (*row, created)]
