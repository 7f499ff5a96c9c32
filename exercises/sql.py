"""The exercises app's hand-written SQL: the one write the ORM cannot say in a single statement.

Everything else in the app goes through the ORM. The statement here runs unchanged on SQLite
(3.35 and later) and on PostgreSQL, and tests/test_latest_wins_sql.py checks that it gives the
same answers as the ORM reading of its rule.
"""

from datetime import date, datetime

from common.sql import model_params

from .models import Completion

# The latest-wins write of a completion (one session of an item done on a date), for a phone
# that may be offline: insert it, or update it if this write was recorded later than the
# stored one; a replay or an older edit arriving last changes nothing. One atomic statement on
# both databases, as the diary's (diary/sql.py says how racing writers end in one row).
# RETURNING gives the row written: none when the stored completion stands.
COMPLETION_LATEST_WINS = """\
INSERT INTO exercises_completion AS stored
    (patient_id, item_id, "date", session, sets_done, recorded_at, updated_at)
VALUES (%s, %s, %s, %s, %s, %s, %s)
ON CONFLICT (item_id, "date", session) DO UPDATE SET
    patient_id = excluded.patient_id,
    sets_done = excluded.sets_done,
    recorded_at = excluded.recorded_at,
    updated_at = excluded.updated_at
WHERE excluded.recorded_at > stored.recorded_at
RETURNING id
"""


def completion_write_latest(
    *,
    patient_id: int,
    item_id: int,
    day: date,
    session: int,
    sets_done: int,
    recorded_at: datetime,
    now: datetime,
) -> Completion | None:
    """Run COMPLETION_LATEST_WINS. Returns the completion as written, or None when the stored
    one was recorded at the same time or later and stands. `now` is the write's time, for
    `updated_at` (what save() would set)."""
    values = {
        "patient_id": patient_id,
        "item_id": item_id,
        "date": day,
        "session": session,
        "sets_done": sets_done,
        "recorded_at": recorded_at,
        "updated_at": now,
    }
    connection, params = model_params(Completion, values)
    with connection.cursor() as cursor:
        cursor.execute(COMPLETION_LATEST_WINS, params)
        row = cursor.fetchone()
    if row is None:
        return None
    written = {"id": row[0], **values}
    return Completion.from_db(connection.alias, list(written), list(written.values()))
