"""Reads for exercises, in a fixed number of queries whatever the number of items or patients."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Prefetch, Q

from accounts.models import PatientProfile

from .models import Completion, Kind, Programme, ProgrammeChange, ProgrammeItem
from .schedule import (
    ADHERENCE_DAYS,
    ScheduledItem,
    adherence,
    effective_dosage,
    is_due,
    programme_week,
    sessions_per_day,
    stage_step_up_dates,
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
    sessions: int  # sessions a day (schedule.sessions_per_day)
    # The sessions done today, in order; None when the plan was made without them (a page's).
    sessions_done: list[int] | None

    @property
    def done_today(self) -> bool:
        """Every session of the day is done."""
        if self.sessions_done is None:
            raise ValueError("this plan was made without what is done (plan_for_day done=False)")
        return len(self.sessions_done) >= self.sessions


@dataclass
class Plan:
    programme: Programme
    today: date
    week: int
    items: list[PlannedItem]


def plan_for_day(programme: Programme, today: date, *, done: bool = True) -> Plan:
    """The programme as it applies on a local date: dosage of the week's stage, due, and (one
    query) the sessions done. `done=False` leaves them out (`sessions_done` None): the pages
    hold the programme only, their script asks the API what is done."""
    week = programme_week(programme.starts_on, today)
    items = list(programme.items.all())
    sessions: dict[int, list[int]] = {}
    if done:
        for item_id, session in (
            Completion.objects.filter(item__in=[i.pk for i in items], date=today)
            .order_by("session")
            .values_list("item_id", "session")
        ):
            sessions.setdefault(item_id, []).append(session)
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
                sessions=item.sessions_per_day,
                # A session beyond today's count (the physio lowered it) is not shown as done.
                sessions_done=[n for n in sessions.get(item.pk, []) if n <= item.sessions_per_day]
                if done
                else None,
            )
        )
    return Plan(programme=programme, today=today, week=week, items=planned)


def todays_plan(patient: PatientProfile, *, done: bool = True) -> Plan | None:
    """The patient's active programme as it applies on their local today (`plan_for_day`,
    `done` as there), or None without one."""
    programme = active_programme(patient)
    return plan_for_day(programme, patient.user.local_today(), done=done) if programme else None


def stage_step_ups(patient_ids, since: date | dict[int, date]) -> dict[int, list[date]]:
    """{patient id: the dates, in order, on which an item of one of their programmes moved up
    a stage (schedule.stage_step_up_dates)} on or after `since` (one date, or one per patient
    id), in one query; patients without any are absent. `patient_ids`: ids, or a query of
    them. Replaced programmes count until their end; held items never step up. The progress
    assessment reads them for its load-too-high prompt."""
    first = since if isinstance(since, date) else min(since.values(), default=None)
    items = ProgrammeItem.objects.filter(
        programme__patient_id__in=patient_ids, held_stage__isnull=True
    )
    if first is not None:
        items = items.filter(Q(programme__ends_on__isnull=True) | Q(programme__ends_on__gt=first))
    by_patient: dict[int, set[date]] = {}
    for patient_id, starts_on, ends_on, stages in items.values_list(
        "programme__patient_id", "programme__starts_on", "programme__ends_on", "stages"
    ):
        floor = since if isinstance(since, date) else since.get(patient_id)
        for day in stage_step_up_dates(starts_on, ends_on, stages or [], None):
            if floor is None or day >= floor:
                by_patient.setdefault(patient_id, set()).add(day)
    return {pk: sorted(days) for pk, days in by_patient.items()}


def adherence_by_patient(
    patients: list[PatientProfile], todays: dict[int, date] | None = None
) -> dict[int, Decimal | None]:
    """Adherence over the last 14 local days for many patients in two queries: programmes
    that ran in the window with their items, and the completions in the window, counted by
    the rule itself (exercises.schedule.adherence). `todays`: each patient's local date, if
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
            "times_per_day",
            "exercise__kind",
        )
    )
    scheduled: dict[int, list[ScheduledItem]] = {pk: [] for pk in todays}
    for pk, patient_id, starts_on, ends_on, every_n_days, times_per_day, kind in items:
        scheduled[patient_id].append(
            ScheduledItem(
                pk,
                starts_on,
                ends_on,
                every_n_days,
                counts=kind != Kind.ADVICE,
                sessions=sessions_per_day(times_per_day),
            )
        )
    done: dict[int, set] = {pk: set() for pk in todays}
    for patient_id, item_id, day, session in Completion.objects.filter(
        patient__in=todays.keys(), date__gt=earliest
    ).values_list("patient_id", "item_id", "date", "session"):
        done[patient_id].add((item_id, day, session))
    return {pk: adherence(scheduled[pk], done[pk], todays[pk]) for pk in todays}


@dataclass(frozen=True)
class ProgrammeNotice:
    """The unseen programme changes, for the patient's notice on Today: one line per
    (what, exercise), in the order they were made; `last_id` is what dismissing covers (a
    change made while the page was open stays for the next visit)."""

    programme_name: str | None  # when the physio gave a whole new programme
    lines: list[tuple[str, str]]  # (what, the exercise's name in the reader's language)
    last_id: int


def programme_notice(patient: PatientProfile) -> ProgrammeNotice | None:
    """None when nothing is unseen. One query."""
    changes = list(
        ProgrammeChange.objects.filter(patient=patient, seen_at__isnull=True)
        .select_related("exercise", "programme")
        .order_by("created_at", "pk")
    )
    if not changes:
        return None
    new_programmes = [c.programme for c in changes if c.what == ProgrammeChange.What.NEW_PROGRAMME]
    lines, shown = [], set()
    for change in changes:
        key = (change.what, change.exercise_id)
        if change.exercise_id is not None and key not in shown:
            shown.add(key)
            lines.append((change.what, change.exercise.name))
    return ProgrammeNotice(
        programme_name=new_programmes[-1].name if new_programmes else None,
        lines=lines,
        last_id=changes[-1].pk,
    )
