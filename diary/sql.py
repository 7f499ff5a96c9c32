"""The diary app's hand-written SQL: the one write the ORM cannot say in a single statement.

Everything else in the app goes through the ORM. The statement here runs unchanged on SQLite
(3.35 and later) and on PostgreSQL, and tests/test_latest_wins_sql.py checks that it gives the
same answers as the ORM reading of its rule.
"""

from datetime import date, datetime

from common.sql import model_params

from .models import DiaryEntry

# The latest-wins write of a patient's entry for a date, for a phone that may be offline:
# insert the entry, or update it if this write was recorded later than the stored one. A
# replay, or an older edit arriving last, changes nothing (the WHERE), so arrival order does
# not matter. Both databases make this one statement atomic: a concurrent writer of the same
# (patient, date) waits for the other and the WHERE sees the row as that one left it, so two
# racing writes end in one row holding the later `recorded_at`, with no transaction of ours.
# The entry is the latest write as a whole: both heels' values and the note are set together
# (morning_pain_other NULL when this write gave none), never merged from two writes.
#
# RETURNING gives the row written: none when the stored entry stands. `created_at` and
# `updated_at` both receive this write's time on an insert, while an update leaves
# `created_at` at an earlier write's time, so their equality tells which of the two happened.
DIARY_ENTRY_LATEST_WINS = """\
INSERT INTO diary_diaryentry AS stored
    (patient_id, "date", morning_pain, morning_pain_other, note, recorded_at, created_at,
     updated_at)
VALUES (%s, %s, %s, %s, %s, %s, %s, %s)
ON CONFLICT (patient_id, "date") DO UPDATE SET
    morning_pain = excluded.morning_pain,
    morning_pain_other = excluded.morning_pain_other,
    note = excluded.note,
    recorded_at = excluded.recorded_at,
    updated_at = excluded.updated_at
WHERE excluded.recorded_at > stored.recorded_at
RETURNING id, created_at = updated_at
"""


def diary_entry_write_latest(
    *,
    patient_id: int,
    day: date,
    morning_pain: int,
    morning_pain_other: int | None = None,
    note: str,
    recorded_at: datetime,
    now: datetime,
) -> tuple[DiaryEntry, bool] | None:
    """Run DIARY_ENTRY_LATEST_WINS. Returns (entry as written, created), or None when the
    stored entry was recorded at the same time or later and stands. `now` is the write's
    time, for `created_at` and `updated_at` (what save() would set)."""
    values = {
        "patient_id": patient_id,
        "date": day,
        "morning_pain": morning_pain,
        "morning_pain_other": morning_pain_other,
        "note": note,
        "recorded_at": recorded_at,
        "created_at": now,
        "updated_at": now,
    }
    connection, params = model_params(DiaryEntry, values)
    with connection.cursor() as cursor:
        cursor.execute(DIARY_ENTRY_LATEST_WINS, params)
        row = cursor.fetchone()
    if row is None:
        return None
    entry_id, created = row
    # The entry holds what this statement wrote; an update kept the stored `created_at`,
    # which is then left to load if anyone asks for it (a deferred field).
    written = {"id": entry_id, **values}
    if not created:
        del written["created_at"]
    entry = DiaryEntry.from_db(connection.alias, list(written), list(written.values()))
    return entry, bool(created)
