"""Reads for exercises, in a fixed number of queries whatever the number of items or patients."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db import connection
from django.db.models import Prefetch, Q

from accounts.models import PatientProfile

from .models import Completion, Kind, Programme, ProgrammeItem
from .schedule import (
    ADHERENCE_DAYS,
    ScheduledItem,
    adherence,
    adherence_from_counts,
    effective_dosage,
    is_due,
    programme_week,
)


def active_programme(patient: PatientProfile) -> Programme | None:
    items = ProgrammeItem.objects.select_related("exercise").order_by("position", "pk")
    return (
        Programme.objects.active()
        .filter(patient=patient)
        .select_related("assigned_by__user", "template")
        .prefetch_related(Prefetch("items", queryset=items))
        .first()
    )


@dataclass
class PlannedItem:
    item: ProgrammeItem
    dosage: dict  # effective dosage for the week, stage applied
    stage: int | None
    stage_count: int
    due_today: bool
    done_today: bool


@dataclass
class Plan:
    programme: Programme
    today: date
    week: int
    items: list[PlannedItem]


def plan_for_day(programme: Programme, today: date) -> Plan:
    """The programme as it applies on a local date: dosage of the week's stage, due, done."""
    week = programme_week(programme.starts_on, today)
    items = list(programme.items.all())
    done = set(
        Completion.objects.filter(item__in=[i.pk for i in items], date=today).values_list(
            "item_id", flat=True
        )
    )
    planned = []
    for item in items:
        dosage, stage = effective_dosage(item.dosage_dict(), week, item.held_stage)
        counts = item.exercise.kind != Kind.ADVICE
        planned.append(
            PlannedItem(
                item=item,
                dosage=dosage,
                stage=stage,
                stage_count=len(item.stages or []),
                due_today=counts and is_due(programme.starts_on, item.every_n_days, today),
                done_today=item.pk in done,
            )
        )
    return Plan(programme=programme, today=today, week=week, items=planned)


def adherence_by_patient(
    patients: list[PatientProfile], todays: dict[int, date] | None = None
) -> dict[int, Decimal | None]:
    """Adherence over the last 14 local days for many patients in two queries: programmes
    that ran in the window with their items, and the completions in the window (on
    PostgreSQL counted per item in the database). `todays`: each patient's local date, if
    the caller has them."""
    if not patients:
        return {}
    todays = {p.pk: todays[p.pk] if todays else p.user.local_today() for p in patients}
    earliest = min(todays.values()) - timedelta(days=ADHERENCE_DAYS)
    items = (
        ProgrammeItem.objects.filter(programme__patient__in=todays.keys())
        .filter(Q(programme__ends_on__isnull=True) | Q(programme__ends_on__gt=earliest))
        .values_list(
            "pk",
            "programme__patient_id",
            "programme__starts_on",
            "programme__ends_on",
            "every_n_days",
            "exercise__kind",
        )
    )
    scheduled: dict[int, list[ScheduledItem]] = {pk: [] for pk in todays}
    for pk, patient_id, starts_on, ends_on, every_n_days, kind in items:
        scheduled[patient_id].append(
            ScheduledItem(pk, starts_on, ends_on, every_n_days, counts=kind != Kind.ADVICE)
        )
    if connection.vendor != "postgresql":
        done: dict[int, set] = {pk: set() for pk in todays}
        for patient_id, item_id, day in Completion.objects.filter(
            patient__in=todays.keys(), date__gt=earliest
        ).values_list("patient_id", "item_id", "date"):
            done[patient_id].add((item_id, day))
        return {pk: adherence(scheduled[pk], done[pk], todays[pk]) for pk in todays}
    counts, done_today = _completions_on_due_days(todays)
    return {
        pk: adherence_from_counts(scheduled[pk], counts, done_today, todays[pk]) for pk in todays
    }


def _completions_on_due_days(todays: dict[int, date]) -> tuple[dict[int, int], set[int]]:
    """PostgreSQL: per item, the completions on its due dates in each patient's own 14-day
    window, and the items done today, counted in the database: a physio's list of 1,000
    patients otherwise loads ~25,000 completions to count them in Python. The due-date
    condition is `is_due`'s; tests/test_patient_list_assessment.py checks that both paths
    give one answer."""
    completion, item, programme = (
        model._meta.db_table for model in (Completion, ProgrammeItem, Programme)
    )
    patient_ids, todays_list = list(todays), list(todays.values())
    firsts = [today - timedelta(days=ADHERENCE_DAYS - 1) for today in todays_list]
    # Only table names from the models go into the text; the values are three parameters.
    # LATERAL: one range scan of the (patient, date) index per patient; a plain join made
    # the planner scan every completion ever made.
    sql = (
        "SELECT c.item_id, count(*), bool_or(c.date = w.today) "  # noqa: S608  # nosec B608
        "FROM unnest(%s::bigint[], %s::date[], %s::date[]) AS w (patient_id, first_day, today) "
        f"CROSS JOIN LATERAL (SELECT item_id, date FROM {completion} "
        "WHERE patient_id = w.patient_id AND date BETWEEN w.first_day AND w.today OFFSET 0) c "
        f"JOIN {item} i ON i.id = c.item_id JOIN {programme} p ON p.id = i.programme_id "
        "WHERE c.date >= p.starts_on AND (p.ends_on IS NULL OR c.date < p.ends_on) "
        "AND (c.date - p.starts_on) %% COALESCE(i.every_n_days, 1) = 0 "
        "GROUP BY c.item_id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [patient_ids, firsts, todays_list])
        rows = cursor.fetchall()
    return {item_id: n for item_id, n, _today in rows}, {i for i, _n, today in rows if today}
