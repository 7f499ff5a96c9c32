"""The progress app's hand-written SQL: one read the ORM cannot say as one cheap statement, and
the removal of the triggers an earlier version installed.

Everything else in the app goes through the ORM. `window_entries` runs unchanged on SQLite
and PostgreSQL; tests/test_progress_sql.py checks that it gives the same answer as the ORM
reading of the same windows.
"""

from datetime import date

from django.db import connections, router

from diary.models import DiaryEntry

# Patients per query: four parameters a patient, well within SQLite's limit of 32,766.
WINDOWS_PER_QUERY = 2000

# The windows are a table joined to the diary, and each half of the UNION is a range scan of
# the (patient, date) unique index per patient. (A correlated subquery for each patient's
# programme start instead took seconds for 1,000 patients with a year of entries each: it ran
# once per diary row.) Only the model's quoted table and column names go into the text.
# The pain is the worse heel of the day (the rule's reading, progress.assessment): the other
# heel's where it is logged and higher. A CASE rather than GREATEST, which SQLite spells MAX
# and which answers NULL there when one value is: the same text on both databases.
_WORSE_HEEL = "CASE WHEN e.{other} > e.{pain} THEN e.{other} ELSE e.{pain} END"
_WINDOWS = (
    "WITH w (patient_id, base_first, base_last, recent_first) AS (VALUES {values}) "
    "SELECT e.patient_id, e.{day}, {worse} FROM w JOIN {table} e "
    "ON e.patient_id = w.patient_id AND e.{day} BETWEEN w.base_first AND w.base_last "
    "UNION ALL "
    "SELECT e.patient_id, e.{day}, {worse} FROM w JOIN {table} e "
    "ON e.patient_id = w.patient_id AND e.{day} >= w.recent_first"
)


def window_entries(windows: dict[int, tuple[date, date, date]]) -> dict[int, dict[date, int]]:
    """Morning pain by date (the worse heel's, for a patient who logs both) for each patient id
    -> (baseline first, baseline last, recent first): the entries from `baseline first` to
    `baseline last`, and from `recent first` on. One query per `WINDOWS_PER_QUERY` patients."""
    pains: dict[int, dict[date, int]] = {pk: {} for pk in windows}
    if not windows:
        return pains
    connection = connections[router.db_for_read(DiaryEntry)]
    quote = connection.ops.quote_name
    table = quote(DiaryEntry._meta.db_table)
    day = quote(DiaryEntry._meta.get_field("date").column)
    worse = _WORSE_HEEL.format(
        pain=quote(DiaryEntry._meta.get_field("morning_pain").column),
        other=quote(DiaryEntry._meta.get_field("morning_pain_other").column),
    )
    items = list(windows.items())
    with connection.cursor() as cursor:
        for offset in range(0, len(items), WINDOWS_PER_QUERY):
            chunk = items[offset : offset + WINDOWS_PER_QUERY]
            values = ", ".join(["(%s, %s, %s, %s)"] * len(chunk))
            # Dates go as dates: psycopg sends them typed, so the VALUES columns are dates on
            # PostgreSQL too, and Django's SQLite adapter writes them as the diary stores them.
            cursor.execute(
                _WINDOWS.format(values=values, table=table, day=day, worse=worse),
                [value for pk, dates in chunk for value in (pk, *dates)],
            )
            for patient_id, entry_date, pain in cursor.fetchall():
                # SQLite answers a raw query's dates as text.
                if isinstance(entry_date, str):
                    entry_date = date.fromisoformat(entry_date)
                pains[patient_id][entry_date] = pain  # the windows may overlap: same entry
    return pains


# The row triggers migration 0003 installed on PostgreSQL before December 2026, to delete the
# stored list rows (progress.PatientSummary) on a write. Only for migration 0004, which removes
# them from databases that have them; nothing installs them any more.
OLD_TRIGGER_TABLES = (
    "diary_diaryentry",
    "exercises_completion",
    "exercises_programme",
    "exercises_programmeitem",
    "progress_assessmentsettings",
    "accounts_patientprofile",
    "accounts_user",
    "exercises_exercise",
)


def drop_old_summary_triggers(apps, schema_editor) -> None:
    """Migration 0004: drop the triggers and their functions where they exist. They were only
    ever made on PostgreSQL; SQLite has no such functions (nor this DROP syntax)."""
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in OLD_TRIGGER_TABLES:
        name = f"summary_forget_{table}"
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")
        schema_editor.execute(f"DROP FUNCTION IF EXISTS {name}()")
