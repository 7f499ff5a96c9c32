"""Writes for exercises: assigning and adjusting programmes, completions, clinic templates."""

from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.audit import WROTE_PROGRAMME, access_record
from accounts.models import AccessRecord, PatientProfile, PhysioProfile, User
from accounts.services import patient_data_changed
from care.services import episode_ensure

from . import sql
from .models import (
    Completion,
    Exercise,
    Programme,
    ProgrammeChange,
    ProgrammeItem,
    ProgrammeTemplate,
    TemplateItem,
)

# How far from today a programme may start: far enough back to record one begun at an
# earlier consultation, far enough ahead to plan after a holiday.
MAX_START_PAST_DAYS = 365
MAX_START_FUTURE_DAYS = 90


def programme_start_check(*, patient: PatientProfile, starts_on: date) -> None:
    """The bounds of a programme's start (programme_assign checks them too): for a form that
    shows its errors before anything is written."""
    today = patient.user.local_today()
    if starts_on < today - timedelta(days=MAX_START_PAST_DAYS):
        raise ValidationError({"starts_on": [_("The start date is more than a year ago.")]})
    if starts_on > today + timedelta(days=MAX_START_FUTURE_DAYS):
        raise ValidationError(
            {"starts_on": [_("The start date is more than 90 days in the future.")]}
        )


def _exercise_defaults(exercise: Exercise) -> dict:
    return exercise.dosage_dict()


@transaction.atomic
def programme_assign(
    *,
    physio: PhysioProfile,
    patient: PatientProfile,
    starts_on: date,
    template: ProgrammeTemplate | None = None,
    name: str | None = None,
    items: list[dict] | None = None,
) -> Programme:
    """Give the patient a new programme from a template or from a list of items.

    The active programme, if any, ends (and is kept for history). The patient's row is locked
    so two physios' simultaneous assignments cannot leave two active programmes.
    `items` are dicts with an `exercise` (an Exercise) and any dosage fields to override.
    """
    if (template is None) == (items is None):
        raise ValidationError(
            {"non_field_errors": [_("Give either a template or a list of items.")]}
        )
    programme_start_check(patient=patient, starts_on=starts_on)
    PatientProfile.objects.select_for_update().filter(pk=patient.pk).first()
    # The programme runs inside an episode of care: the first programme opens it; a later
    # one leaves its start (day 1 of the assessment) where it is; a closed one refuses.
    episode_ensure(actor=physio.user, patient=patient, starts_on=starts_on)

    if template is not None:
        rows = [
            {"exercise": item.exercise, **item.dosage_dict()}
            for item in template.items.select_related("exercise")
        ]
        # Stored in Danish (the default language); shown in the reader's language while it
        # is the template's own name (see ProgrammeSerializer).
        name = name or template.name_da
    else:
        if not items:
            raise ValidationError({"items": [_("A programme needs at least one exercise.")]})
        rows = [{**_exercise_defaults(item["exercise"]), **item} for item in items]
    if not name:
        raise ValidationError({"name": [_("Give the programme a name.")]})

    today = patient.user.local_today()
    before = set(
        ProgrammeItem.objects.filter(
            programme__in=Programme.objects.active().filter(patient=patient)
        ).values_list("exercise_id", flat=True)
    )
    for old in Programme.objects.active().filter(patient=patient):
        old.ended_at = timezone.now()
        old.ends_on = max(old.starts_on, min(today, starts_on))
        old.save(update_fields=["ended_at", "ends_on"])

    programme = Programme.objects.create(
        patient=patient,
        assigned_by=physio,
        template=template,
        name=name[:120],
        starts_on=starts_on,
    )
    ProgrammeItem.objects.bulk_create(
        ProgrammeItem(programme=programme, position=position, **row)
        for position, row in enumerate(rows)
    )
    # The patient's notice on Today: the new programme, and what came or went with it.
    after = [row["exercise"] for row in rows]
    changes = [(ProgrammeChange.What.NEW_PROGRAMME, None)]
    if before:
        changes += [(ProgrammeChange.What.ADDED, e.pk) for e in after if e.pk not in before]
        kept = {e.pk for e in after}
        changes += [(ProgrammeChange.What.REMOVED, pk) for pk in sorted(before - kept)]
    programme_changes_record(programme=programme, changes=changes)
    patient_data_changed(patients=patient)  # a new day 1 and other items: list and chart
    access_record(
        actor=physio.user, patients=patient, what=WROTE_PROGRAMME, action=AccessRecord.Action.WRITE
    )
    return programme


@transaction.atomic
def programme_item_update(
    *, actor: User, item: ProgrammeItem, stage=..., **dosage
) -> ProgrammeItem:
    """Adjust an item's dosage and/or stage. `stage`: a stage number holds the patient on it
    (stepping back one is holding on the previous number); None lets it follow the weeks."""
    programme_item_check(item=item, stage=stage, **dosage)
    dosage_before = item.dosage_dict()
    stage_before = item.held_stage
    for field, value in dosage.items():
        setattr(item, field, value)
    if stage is not ...:
        item.held_stage = stage
    if item.held_stage is not None and item.held_stage > len(item.stages or []):
        item.held_stage = len(item.stages) or None
    item.save()
    changes = []
    if item.dosage_dict() != dosage_before:
        changes.append((ProgrammeChange.What.DOSAGE, item.exercise_id))
    if item.held_stage != stage_before:
        changes.append((ProgrammeChange.What.STAGE, item.exercise_id))
    programme_changes_record(programme=item.programme, changes=changes)
    patient_data_changed(patients=item.programme.patient)  # which days are due: adherence
    access_record(
        actor=actor,
        patients=item.programme.patient,
        what=WROTE_PROGRAMME,
        action=AccessRecord.Action.WRITE,
    )
    return item


def programme_changes_record(*, programme: Programme, changes: list[tuple[str, int | None]]):
    """Note what changed for the patient (ProgrammeChange): their notice on Today, and the
    reminders tick's one notification. `changes`: (what, exercise id or None)."""
    now = timezone.now()
    ProgrammeChange.objects.bulk_create(
        ProgrammeChange(
            patient_id=programme.patient_id,
            programme=programme,
            what=what,
            exercise_id=exercise_id,
            created_at=now,
        )
        for what, exercise_id in changes
    )


def programme_notice_dismiss(*, patient: PatientProfile, up_to: int) -> int:
    """The patient has read the notice: the changes it showed (ids up to `up_to`) are seen,
    a later one stays. Returns how many."""
    return ProgrammeChange.objects.filter(
        patient=patient, seen_at__isnull=True, pk__lte=up_to
    ).update(seen_at=timezone.now())


def programme_item_check(*, item: ProgrammeItem, stage=..., **dosage) -> None:
    """The bounds programme_item_update keeps, checked without writing: for a form that shows
    its errors before anything is saved (the admin)."""
    if item.programme.ended_at is not None:
        # Its weeks are history (adherence was counted against them); a new one is assigned.
        raise ValidationError({"item": [_("This programme has ended and cannot be changed.")]})
    for field in dosage:
        if field not in ProgrammeItem.DOSAGE_FIELDS:
            raise ValidationError({field: [_("This field cannot be changed.")]})
    count = len(dosage.get("stages", item.stages) or [])
    if stage is not ... and stage is not None and not 1 <= stage <= count:
        message = (
            _("This exercise has no stages.")
            if count == 0
            else _("There is no stage %(stage)s; choose 1 to %(count)s.")
            % {"stage": stage, "count": count}
        )
        raise ValidationError({"stage": [message]})


@transaction.atomic
def programme_rename(*, actor: User, programme: Programme, name: str) -> Programme:
    """Give a programme another name (the admin); the name is the patient's data like the rest."""
    name = name.strip()
    if not name:
        raise ValidationError({"name": [_("Give the programme a name.")]})
    programme.name = name[:120]
    programme.save(update_fields=["name"])
    access_record(
        actor=actor,
        patients=programme.patient,
        what=WROTE_PROGRAMME,
        action=AccessRecord.Action.WRITE,
    )
    return programme


@transaction.atomic  # the completion and the patient's data version together
def completion_record(
    *,
    patient: PatientProfile,
    item: ProgrammeItem,
    day: date,
    sets_done: int,
    session: int = 1,
    recorded_at: datetime | None = None,
) -> Completion:
    """Mark one session of an item done on a local date (today or yesterday). Idempotent:
    replays change nothing, and of two writes the one recorded later wins (one statement,
    exercises/sql.py). Returns the completion as stored."""
    patient.check_writable_date(day)
    _check_item(patient, item, day)
    _check_session(item, session)
    now = timezone.now()
    while True:
        written = sql.completion_write_latest(
            patient_id=patient.pk,
            item_id=item.pk,
            day=day,
            session=session,
            sets_done=sets_done,
            recorded_at=recorded_at or now,
            now=now,
        )
        if written is not None:
            patient_data_changed(patients=patient)  # the physio's list counts adherence
            return written
        # The stored completion stands (as in diary_put: read it, or write again if a
        # delete came in between).
        try:
            return Completion.objects.get(item=item, date=day, session=session)
        except Completion.DoesNotExist:
            continue


def _check_item(patient: PatientProfile, item: ProgrammeItem, day: date) -> None:
    if item.programme.patient_id != patient.pk or (
        item.programme.ends_on is not None and day >= item.programme.ends_on
    ):
        raise ValidationError({"item": [_("This exercise is not in your programme.")]})
    if day < item.programme.starts_on:
        raise ValidationError({"date": [_("Your programme had not started on this date.")]})


def _check_session(item: ProgrammeItem, session: int) -> None:
    """Sessions are numbered 1 .. the item's times a day (once when it says nothing)."""
    sessions = item.sessions_per_day
    if not 1 <= session <= sessions:
        raise ValidationError(
            {
                "session": [
                    ngettext(
                        "This exercise is done %(n)s time a day: the session must be 1.",
                        "This exercise is done %(n)s times a day: the session must be from 1 "
                        "to %(n)s.",
                        sessions,
                    )
                    % {"n": sessions}
                ]
            }
        )


@transaction.atomic
def completion_delete(
    *, patient: PatientProfile, item: ProgrammeItem, day: date, session: int = 1
) -> None:
    """Undo one session of an item on a local date (today or yesterday)."""
    patient.check_writable_date(day)
    _check_session(item, session)
    deleted, _rows = Completion.objects.filter(
        patient=patient, item=item, date=day, session=session
    ).delete()
    if deleted:
        patient_data_changed(patients=patient)


@transaction.atomic
def template_create(
    *,
    physio: PhysioProfile,
    slug: str,
    name_da: str,
    condition: str,
    name_en: str = "",
    items: list[dict],
    description_da: str = "",
    description_en: str = "",
) -> ProgrammeTemplate:
    if not items:
        raise ValidationError({"items": [_("A template needs at least one exercise.")]})
    if ProgrammeTemplate.objects.filter(slug=slug).exists():
        raise ValidationError({"slug": [_("A template with this short name already exists.")]})
    template = ProgrammeTemplate.objects.create(
        clinic_id=physio.clinic_id,
        slug=slug,
        name_da=name_da,
        name_en=name_en or name_da,
        description_da=description_da,
        description_en=description_en,
        condition=condition,
    )
    TemplateItem.objects.bulk_create(
        TemplateItem(
            template=template,
            position=position,
            **{**_exercise_defaults(item["exercise"]), **item},
        )
        for position, item in enumerate(items)
    )
    return template


def exercise_kind_changed(*, exercise: Exercise) -> None:
    """After an exercise's kind changed (the admin): advice does not count for adherence, so
    the physio's list of every patient with it in a programme is computed afresh."""
    patient_data_changed(
        patients=PatientProfile.objects.filter(programmes__items__exercise=exercise)
    )
