"""The accounts app's hand-written SQL: one write the ORM can say, but at several times the cost.

Everything else in the app goes through the ORM. The statement here runs unchanged on SQLite
and PostgreSQL, and tests/test_access_records_sql.py checks that it stores what the ORM reading
of its rule stores.
"""

from datetime import datetime

from common.sql import model_params

from .models import AccessRecord

# One access record for each of these patients, with the same actor, action and time: a
# physio's list of 1,000 patients writes 1,000 of them on every look. The ORM's bulk_create
# builds 1,000 model objects and sends seven parameters a row, which cost several times what
# the statement itself does; here the record's values are sent once and the rows come from
# the patients' own table. A patient not (or no longer) there gets no record.
ACCESS_RECORDS_FOR_PATIENTS = """\
INSERT INTO accounts_accessrecord
    (patient_id, actor_id, actor_name, actor_role, "action", what, "at")
SELECT id, %s, %s, %s, %s, %s, %s
FROM accounts_patientprofile
WHERE id IN ({patients})
"""


def access_records_insert(
    *,
    patient_ids: list[int],
    actor_id: int,
    actor_name: str,
    actor_role: str,
    action: str,
    what: str,
    at: datetime,
) -> int:
    """Run ACCESS_RECORDS_FOR_PATIENTS for the distinct `patient_ids`; returns the number of
    records written (one for each patient still there)."""
    patient_ids = list(dict.fromkeys(patient_ids))
    if not patient_ids:
        return 0
    values = {
        "actor": actor_id,
        "actor_name": actor_name,
        "actor_role": actor_role,
        "action": action,
        "what": what,
        "at": at,
    }
    connection, params = model_params(AccessRecord, values)
    # Only placeholders go into the text: one for each id, each id a parameter.
    sql = ACCESS_RECORDS_FOR_PATIENTS.format(patients=", ".join(["%s"] * len(patient_ids)))
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, *patient_ids])
        return cursor.rowcount
