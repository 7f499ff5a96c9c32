"""The accounts app's hand-written SQL: a write and a read the ORM can say, but at several times
the cost.

Everything else in the app goes through the ORM. The statements here run unchanged on SQLite
and PostgreSQL; tests/test_access_records_sql.py checks that the write stores what the ORM
reading of its rule stores, and tests/test_second_factor_check.py that the read answers as
django-otp's own `user_has_device` (and the physiotherapist's profile as the ORM finds it).
"""

from datetime import datetime
from functools import cache
from typing import NamedTuple

from django.db import connections, router
from django_otp import device_classes

from common.sql import model_params

from .models import AccessRecord, PhysioProfile, User

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


class SecondFactorFacts(NamedTuple):
    physio: bool  # the account is a physiotherapist's (who must have a factor)
    has_factor: bool  # it holds a confirmed factor of some kind django-otp knows


@cache
def _second_factor_sql() -> tuple[str, int]:
    """The statement for the device models installed, and how many kinds it asks. The kinds are
    django-otp's `device_classes()` (authenticator apps, passkeys, recovery codes), fixed once
    the apps are loaded; each is asked as its `devices_for_user(user, confirmed=True)` asks."""
    connection = connections[router.db_for_read(User)]
    quote = connection.ops.quote_name

    def exists(model, *conditions: str) -> str:
        where = " AND ".join(
            f"{quote(model._meta.get_field(field).column)} = %s" for field in conditions
        )
        # Only quoted names from the models' own definitions go into the text; values are
        # parameters.
        table = quote(model._meta.db_table)
        return f"EXISTS (SELECT 1 FROM {table} WHERE {where})"  # noqa: S608  # nosec B608

    kinds = [exists(model, "user", "confirmed") for model in device_classes()]
    sql = f"SELECT {exists(PhysioProfile, 'user')}, {' OR '.join(kinds) or '0 = 1'}"
    return sql, len(kinds)


def second_factor_facts(user_id: int) -> SecondFactorFacts:
    """What the second-factor middleware asks on every request of a logged-in user, in one
    statement. The ORM's reading (an Exists per kind of device OR-ed, and the profile
    looked up apart) cost 1.7 ms of CPU to build and run, per request, against 0.2 ms for this
    one (both on the development machine); it is the most frequent question the service asks."""
    sql, kinds = _second_factor_sql()
    params = [user_id, *([user_id, True] * kinds)]
    with connections[router.db_for_read(User)].cursor() as cursor:
        cursor.execute(sql, params)
        physio, has_factor = cursor.fetchone()
    return SecondFactorFacts(physio=bool(physio), has_factor=bool(has_factor))
