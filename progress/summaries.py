"""The physio's list, kept ready: each patient's row (status, current, baseline, adherence,
flags) is stored in progress.PatientSummary, so a list of a thousand patients reads a thousand
stored rows instead of assessing a thousand diaries on every request.

A stored row is used only if it was computed for the patient's local date today and by
today's rules (`VERSION`); any write to what it was computed from deletes it (the triggers of
migration 0003). What is missing or stale is computed by the rule itself
(`compute_rows`, the same code as without storing) and stored again. The red-flag flag is
never stored: it expires with time, not with a write (diary.selectors).

Only PostgreSQL stores rows (`enabled`): the triggers are PostgreSQL's, and the quick start's
SQLite database is for a handful of demo patients, where computing is quick.

Computing while someone writes: `refresh` first claims the rows with a fresh random `token`
(one statement, committed), then reads and computes, then fills only the rows that still hold
its token. A write that lands after the claim deletes the row, so the computation that may
have read the data before the write fills nothing; a write before the claim is in the data
the computation reads. Either way the stored row is never older than the data.
"""

from __future__ import annotations

import json
import secrets
from datetime import date

from django.db import connections, router
from django.db.models import DateField, F, Func, QuerySet, Value
from django.utils import timezone

from accounts.models import PatientProfile
from accounts.services import for_patients_still_there
from exercises.selectors import adherence_by_patient

from .assessment import RULE_VERSION
from .models import PatientSummary
from .selectors import patient_summaries

# Raise when what a stored row holds, or how it is computed outside the rule, changes.
SUMMARY_FORMAT = 1
VERSION = f"{RULE_VERSION}/{SUMMARY_FORMAT}"

# The stored values, in the order the list shows them (api.md).
FIELDS = ("week", "last_entry_on", "current", "baseline", "status", "adherence_14d", "flags")


def _connection():
    return connections[router.db_for_write(PatientSummary)]


def enabled() -> bool:
    return _connection().vendor == "postgresql"


def compute_rows(
    patients: list[PatientProfile],
    todays: dict[int, date] | None = None,
    scope: QuerySet | None = None,
) -> dict[int, dict]:
    """Each patient's list values (`FIELDS`, flags without the red flag), from the rule,
    without reading or writing stored rows."""
    todays = todays or {p.pk: p.user.local_today() for p in patients}
    adherence = adherence_by_patient(patients, todays)
    return {
        summary.patient.pk: {
            "week": summary.programme_week,
            "last_entry_on": summary.last_entry_on,
            "current": summary.assessment.current,
            "baseline": summary.assessment.baseline,
            "status": summary.assessment.status,
            "adherence_14d": adherence[summary.patient.pk],
            "flags": summary.flags,
        }
        for summary in patient_summaries(patients, set(), scope=scope, todays=todays)
    }


def list_values(patients: list[PatientProfile], scope: QuerySet | None = None) -> dict[int, dict]:
    """`compute_rows` for these patients, from the stored rows where they are current. The
    number of queries does not depend on the number of patients: one read, and if any row is
    missing or stale, `refresh`'s."""
    if not patients:
        return {}
    todays = {p.pk: p.user.local_today() for p in patients}
    if not enabled():
        return compute_rows(patients, todays, scope)
    among = [p.pk for p in patients] if scope is None else scope.values("pk")
    values = {}
    for pk, computed_for, version, *stored in PatientSummary.objects.filter(
        patient__in=among
    ).values_list("patient_id", "computed_for", "version", *FIELDS):
        if computed_for == todays.get(pk) and version == VERSION:
            values[pk] = dict(zip(FIELDS, stored, strict=True))
    stale = [p for p in patients if p.pk not in values]
    if stale:
        # All stale (the first list of the day): the patients' own query selects them.
        values.update(refresh(stale, todays, scope if len(stale) == len(patients) else None))
    return values


def refresh(
    patients: list[PatientProfile],
    todays: dict[int, date] | None = None,
    scope: QuerySet | None = None,
) -> dict[int, dict]:
    """Compute these patients' rows and store them (PostgreSQL), in three statements around
    `compute_rows`'s queries: claim, compute, fill where still claimed (see the module).

    Both the claim and the fill lock their rows in the order of the patients' ids, so two
    of them (a physio's list and the periodic task) cannot deadlock on each other."""
    todays = todays or {p.pk: p.user.local_today() for p in patients}
    ids = sorted(p.pk for p in patients)
    token = secrets.randbits(63)
    table = PatientSummary._meta.db_table
    # Only the model's table name goes into the text; the values are parameters.
    claim = (
        f"INSERT INTO {table} (patient_id, token, version, status, flags) "  # nosec B608
        "SELECT unnest(%s::bigint[]), %s, '', '', '[]' "
        "ON CONFLICT (patient_id) DO UPDATE SET token = EXCLUDED.token"
    )
    fill = (
        f"UPDATE {table} s SET version = %s, computed_for = v.computed_for, week = v.week, "  # noqa: S608  # nosec B608
        "last_entry_on = v.last_entry_on, current = v.current, baseline = v.baseline, "
        "status = v.status, adherence_14d = v.adherence_14d, flags = v.flags::jsonb "
        "FROM unnest(%s::bigint[], %s::date[], %s::int[], %s::date[], %s::numeric[], "
        "%s::numeric[], %s::text[], %s::numeric[], %s::text[]) AS v (patient_id, computed_for, "
        "week, last_entry_on, current, baseline, status, adherence_14d, flags) "
        "WHERE s.patient_id = v.patient_id AND s.patient_id IN (SELECT patient_id FROM mine)"
    )
    mine = (
        f"WITH mine AS (SELECT patient_id FROM {table} WHERE patient_id = ANY(%s) "  # noqa: S608  # nosec B608
        "AND token = %s ORDER BY patient_id FOR UPDATE) "
    )

    def claim_rows(patient_ids: list[int]) -> None:
        with _connection().cursor() as cursor:
            cursor.execute(claim, [patient_ids, token])

    # A patient erased since the list loaded them has no row to claim (nor to show again).
    for_patients_still_there(claim_rows, ids)
    rows = compute_rows(patients, todays, scope)
    order = [pk for pk in ids if pk in rows]
    columns = [[rows[pk][field] for pk in order] for field in FIELDS]
    columns[-1] = [json.dumps(flags) for flags in columns[-1]]
    with _connection().cursor() as cursor:
        cursor.execute(
            mine + fill, [order, token, VERSION, order, [todays[pk] for pk in order], *columns]
        )
    return rows


class _LocalDate(Func):
    """The date of an instant in the time zone a second expression names (PostgreSQL)."""

    template = "(%(expressions)s)::date"
    arg_joiner = " AT TIME ZONE "
    output_field = DateField()


def refresh_stale(batch: int = 1000) -> int:
    """Compute the rows that are missing (a write deleted them) or not for the patient's
    local date, in batches. For the periodic task, so that the physio's list finds them
    ready: the morning's diary entries delete most rows, and each patient's midnight makes
    the rest stale. Returns the number of patients refreshed."""
    if not enabled():
        return 0
    stale = list(
        PatientProfile.objects.select_related("user")
        # The app's clock, not the database's: one "now" for every rule.
        .annotate(local_today=_LocalDate(Value(timezone.now()), F("user__timezone")))
        .exclude(list_summary__version=VERSION, list_summary__computed_for=F("local_today"))
        .order_by("pk")
    )
    for offset in range(0, len(stale), batch):
        refresh(stale[offset : offset + batch])
    return len(stale)
