"""The reminders app's one piece of raw SQL, the same statement on SQLite and PostgreSQL.

`outbox_insert_new` writes outbox rows and returns, in the same statement, the ids of the rows
it made: `INSERT ... ON CONFLICT (patient_id, kind, local_date) DO NOTHING RETURNING`
(SQLite >= 3.35 and PostgreSQL). The ORM needs two statements and a read of the keys for the
same answer (`bulk_create(ignore_conflicts=True)` does not say which rows it made), and the
tick writes up to a hundred thousand rows in a minute. tests/test_reminder_sql.py checks that
it gives the same answer as the ORM reading of the rule.
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
    # Values through the model's fields, so dates and times are stored as the ORM stores them
    # (on SQLite as text that must compare like the ORM's).
    fields = {name: Notification._meta.get_field(name) for name in OutboxRow._fields}
    created = fields["due_at"].get_db_prep_value(timezone.now(), connection)
    inserted: list[tuple[int, str]] = []
    with connection.cursor() as cursor:
        for start in range(0, len(rows), INSERT_CHUNK):
            chunk = rows[start : start + INSERT_CHUNK]
            params = []
            for row in chunk:
                params.extend(
                    fields[name].get_db_prep_value(value, connection)
                    for name, value in zip(OutboxRow._fields, row, strict=True)
                )
                params.append(created)
            cursor.execute(_insert_statement(len(chunk)), params)
            inserted.extend(cursor.fetchall())
    return inserted


def _insert_statement(count: int) -> str:
    # Only placeholders are formatted in; every value is a parameter.
    values = ", ".join(["(%s, %s, %s, %s, %s, %s, '', '', 0, %s)"] * count)
    return (
        "INSERT INTO reminders_notification (patient_id, kind, local_date, status, due_at,"  # noqa: S608
        " last_error, channel, detail, attempts, created_at) VALUES "
        + values
        + " ON CONFLICT (patient_id, kind, local_date) DO NOTHING RETURNING id, status"
    )
