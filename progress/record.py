"""What the clinician report (progress.report) and the FHIR export (progress.fhir) are made of:
one patient's current episode, read once, as plain data.

Both outputs show the same facts, so they read them here and only differ in how they write
them down. Reads only; the caller records the physio's reading in the access log.

The episode of care is care's (care.selectors.current_episode). Until that app is installed the
episode is the one it would have been (clinical.md "Episode of care": it starts when the physio
first assigns a programme, and is open), as outcomes.episodes does for the questionnaires.
The second heel's morning pain (`DiaryEntry.morning_pain_other`) is read when the diary has it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.utils.translation import get_language

from accounts.models import PatientProfile
from diary.models import CheckIn, DiaryEntry
from exercises.models import Programme, ProgrammeItem
from exercises.schedule import effective_dosage, programme_week
from exercises.selectors import adherence_by_patient

from .assessment import Assessment
from .selectors import patient_assessment


@dataclass(frozen=True)
class Review:
    kind: str
    outcome: str
    recorded_on: date | None


@dataclass(frozen=True)
class Episode:
    id: int | None  # care.Episode's id; None for the episode read from the programmes
    starts_on: date
    condition: str
    heels: tuple[str, ...]  # "left" / "right"; empty when not recorded
    closed_on: date | None
    outcome: str
    physio_name: str
    reviews: tuple[Review, ...] = ()


@dataclass(frozen=True)
class Entry:
    date: date
    morning_pain: int
    morning_pain_other: int | None  # the second heel, when the patient logs both


@dataclass(frozen=True)
class ProgrammeLine:
    exercise_slug: str
    exercise_name: str
    kind: str
    dosage: dict  # the dosage that applies today (or on the programme's last day), stage applied
    stage: int | None
    stage_count: int
    held_stage: int | None


@dataclass(frozen=True)
class ProgrammeRecord:
    id: int
    name: str
    starts_on: date
    ends_on: date | None
    active: bool
    items: tuple[ProgrammeLine, ...]

    @property
    def last_day(self) -> date | None:
        """The last date it applied (`ends_on` is the first date it no longer does)."""
        if self.ends_on is None:
            return None
        return max(self.starts_on, self.ends_on - timedelta(days=1))


@dataclass(frozen=True)
class Questionnaire:
    id: int
    instrument: str
    title: str
    version: str
    canonical: str
    language: str
    validated_translation: bool
    timepoint: str
    due_on: date
    submitted_at: object  # datetime
    answers: dict
    scores: dict
    is_baseline: bool
    change: dict


@dataclass
class Record:
    patient: PatientProfile
    today: date
    episode: Episode
    assessment: Assessment
    chart_start: date  # day 1 of the assessment (the chart's x axis)
    advice: dict | None  # progress.payload.advice_payload
    adherence_14d: Decimal | None
    entries: list[Entry] = field(default_factory=list)
    programmes: list[ProgrammeRecord] = field(default_factory=list)
    red_flag_checkins: list[CheckIn] = field(default_factory=list)
    questionnaires: list[Questionnaire] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.patient.user.name

    @property
    def clinic_name(self) -> str:
        return self.patient.clinic.name


def current_episode(patient: PatientProfile) -> Episode | None:
    """The patient's current episode (the latest, open or closed), or None if there is none."""
    try:
        from care import selectors as care_selectors
    except ImportError:
        return _episode_from_programmes(patient)
    episode = care_selectors.current_episode(patient)
    if episode is None:
        return None
    reviews = getattr(episode, "reviews", None)
    physio = getattr(episode, "physio", None)
    return Episode(
        id=episode.pk,
        starts_on=episode.starts_on,
        condition=episode.condition,
        heels=tuple(side for side in ("left", "right") if getattr(episode, f"heel_{side}", False)),
        closed_on=episode.closed_on,
        outcome=episode.outcome or "",
        physio_name=_physio_name(physio) or _physio_name(patient.physio),
        reviews=tuple(
            Review(kind=r.kind, outcome=r.outcome or "", recorded_on=r.recorded_on)
            for r in (reviews.all() if reviews is not None else ())
        ),
    )


def _physio_name(physio) -> str:
    return (physio.user.name or physio.user.email) if physio is not None else ""


def _episode_from_programmes(patient: PatientProfile) -> Episode | None:
    first = (
        Programme.objects.filter(patient=patient)
        .order_by("starts_on")
        .values_list("starts_on", flat=True)
        .first()
    )
    if first is None:
        return None
    return Episode(
        id=None,
        starts_on=first,
        condition=patient.condition,
        heels=(),
        closed_on=None,
        outcome="",
        physio_name=_physio_name(patient.physio),
    )


def clinical_record(patient: PatientProfile, episode: Episode) -> Record:
    """Everything the report and the export show about `episode` of `patient`."""
    from .payload import advice_payload  # payload imports the cache, which imports selectors

    today = patient.user.local_today()
    last_day = min(today, episode.closed_on) if episode.closed_on else today
    assessment = patient_assessment(patient, today)
    # Day 1 of the assessment's clock, whichever clock it runs on: today is day `day`.
    start = today - timedelta(days=assessment.day - 1)

    has_other = any(f.name == "morning_pain_other" for f in DiaryEntry._meta.get_fields())
    columns = (
        ("date", "morning_pain", "morning_pain_other") if has_other else ("date", "morning_pain")
    )
    rows = DiaryEntry.objects.filter(
        patient=patient, date__gte=episode.starts_on, date__lte=last_day
    ).values_list(*columns)
    entries = [Entry(row[0], row[1], row[2] if has_other else None) for row in rows]

    return Record(
        patient=patient,
        today=today,
        episode=episode,
        assessment=assessment,
        chart_start=start,
        advice=advice_payload(assessment, patient) if episode.closed_on is None else None,
        adherence_14d=adherence_by_patient([patient], {patient.pk: today})[patient.pk],
        entries=entries,
        programmes=_programmes(patient, episode, today),
        red_flag_checkins=list(
            CheckIn.objects.filter(patient=patient, created_at__date__gte=episode.starts_on)
            .exclude(red_flags=[])
            .order_by("created_at")
        ),
        questionnaires=_questionnaires(patient, episode),
    )


def _programmes(patient: PatientProfile, episode: Episode, today: date) -> list[ProgrammeRecord]:
    """The episode's programmes, oldest first: the changes of programme are the list itself
    (assigning a new one ends the old one, which is kept)."""
    programmes = (
        Programme.objects.filter(patient=patient, starts_on__gte=episode.starts_on)
        .order_by("starts_on", "pk")
        .prefetch_related("items__exercise")
    )
    records = []
    for programme in programmes:
        # An ended programme is shown as it was on its last day.
        on = (
            today
            if programme.ends_on is None
            else max(programme.starts_on, programme.ends_on - timedelta(days=1))
        )
        week = programme_week(programme.starts_on, on)
        lines = []
        item: ProgrammeItem
        for item in programme.items.all():
            dosage, stage = effective_dosage(item.dosage_dict(), week, item.held_stage)
            lines.append(
                ProgrammeLine(
                    exercise_slug=item.exercise.slug,
                    exercise_name=item.exercise.name,
                    kind=item.exercise.kind,
                    dosage=dosage,
                    stage=stage,
                    stage_count=len(item.stages or []),
                    held_stage=item.held_stage,
                )
            )
        records.append(
            ProgrammeRecord(
                id=programme.pk,
                name=programme.name,
                starts_on=programme.starts_on,
                ends_on=programme.ends_on,
                active=programme.ended_at is None,
                items=tuple(lines),
            )
        )
    return records


def _questionnaires(patient: PatientProfile, episode: Episode) -> list[Questionnaire]:
    try:
        from outcomes.instruments import instrument
        from outcomes.selectors import history
    except ImportError:
        return []
    rows = []
    for row in history(patient):
        response = row["response"]
        if response.episode_starts_on != episode.starts_on:
            continue
        spec = instrument(response.instrument)
        wording = spec.wordings.get(response.language or "da")
        rows.append(
            Questionnaire(
                id=response.pk,
                instrument=response.instrument,
                # In the reader's language; `language` says which wording was answered.
                title=spec.title.get((get_language() or "da")[:2]) or spec.title["da"],
                version=response.instrument_version,
                canonical=spec.canonical.split("|")[0] + "|" + response.instrument_version,
                language=response.language or "da",
                validated_translation=bool(wording and wording.validated_translation),
                timepoint=response.timepoint,
                due_on=response.due_on,
                submitted_at=response.submitted_at,
                answers=response.answers,
                scores=response.scores,
                is_baseline=row["is_baseline"],
                change=row["change"],
            )
        )
    return rows
