"""PostgreSQL triggers that delete a patient's stored list row (progress.PatientSummary) in the
same statement that changes anything the row is computed from. Written as triggers, not as
code in the services, so that no write path (the diary's raw upsert, the admin, demo data,
bulk imports, an erasure) can leave a stale status in front of a physio.

Row-level triggers: each is one index probe of the summary table (a statement-level trigger
with transition tables cost the diary PUT more, measured with pgbench). Other databases
(SQLite for the quick start) do not store the rows at all (progress.summaries.enabled), so
they get no triggers.
"""

from django.db import migrations

SUMMARY = "progress_patientsummary"
CLINIC_PATIENTS = "SELECT id FROM accounts_patientprofile WHERE clinic_id = {row}.clinic_id"

# (table, events, WHEN condition for an UPDATE or None, which rows of SUMMARY go: a condition
# on the changed row `{row}`, OLD or NEW).
WATCHED = [
    ("diary_diaryentry", "INSERT OR UPDATE OR DELETE", None, "patient_id = {row}.patient_id"),
    ("exercises_completion", "INSERT OR UPDATE OR DELETE", None, "patient_id = {row}.patient_id"),
    ("exercises_programme", "INSERT OR UPDATE OR DELETE", None, "patient_id = {row}.patient_id"),
    (
        "exercises_programmeitem",
        "INSERT OR UPDATE OR DELETE",
        None,
        "patient_id = (SELECT patient_id FROM exercises_programme WHERE id = {row}.programme_id)",
    ),
    # A patient's own settings, or their clinic's (which every patient there inherits).
    (
        "progress_assessmentsettings",
        "INSERT OR UPDATE OR DELETE",
        None,
        f"patient_id = {{row}}.patient_id OR patient_id IN ({CLINIC_PATIENTS})",
    ),
    # Another clinic means other inherited settings; the join date is day 1 without programme.
    (
        "accounts_patientprofile",
        "UPDATE",
        "OLD.clinic_id IS DISTINCT FROM NEW.clinic_id OR OLD.created_at IS DISTINCT FROM "
        "NEW.created_at",
        "patient_id = {row}.id",
    ),
    # The time zone decides the local date the programme-less assessment starts on.
    (
        "accounts_user",
        "UPDATE",
        "OLD.timezone IS DISTINCT FROM NEW.timezone",
        "patient_id IN (SELECT id FROM accounts_patientprofile WHERE user_id = {row}.id)",
    ),
    # Advice items do not count for adherence: a change of kind changes everyone's figure.
    ("exercises_exercise", "UPDATE", "OLD.kind IS DISTINCT FROM NEW.kind", "true"),
]


def _name(table):
    return f"summary_forget_{table}"


def _statements():
    create, drop = [], []
    for table, events, when, rows in WATCHED:
        name = _name(table)
        old, new = rows.format(row="OLD"), rows.format(row="NEW")
        # Only the constant table names and conditions above go into the text.
        create.append(
            f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "  # nosec B608
            f"IF TG_OP = 'INSERT' THEN DELETE FROM {SUMMARY} WHERE {new}; "
            f"ELSIF TG_OP = 'DELETE' THEN DELETE FROM {SUMMARY} WHERE {old}; "
            f"ELSE DELETE FROM {SUMMARY} WHERE ({old}) OR ({new}); END IF; "
            "RETURN NULL; END $$"
        )
        create.append(
            f"CREATE TRIGGER {name} AFTER {events} ON {table} FOR EACH ROW "
            + (f"WHEN ({when}) " if when else "")
            + f"EXECUTE FUNCTION {name}()"
        )
        drop.append(f"DROP TRIGGER IF EXISTS {name} ON {table}")
        drop.append(f"DROP FUNCTION IF EXISTS {name}()")
    return create, drop


def _run(which):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        create, drop = _statements()
        for sql in create if which == "create" else drop:
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("progress", "0002_patientsummary"),
        ("diary", "0001_initial"),
        ("exercises", "0002_seed_library"),
        ("accounts", "0002_accessrecord"),
    ]

    operations = [migrations.RunPython(_run("create"), _run("drop"))]
