"""The patient's programme shaped for the pages (Today, Programme) and the offline copy."""

import hashlib
import json
from dataclasses import dataclass, field

from django.core.serializers.json import DjangoJSONEncoder
from django.templatetags.static import static
from django.utils.translation import get_language

from exercises.models import Kind, localized
from exercises.schedule import dosage_notes, dosage_tempo
from exercises.selectors import Plan, PlannedItem, todays_plan

from .dosage import dosage_lines, load_help

RELAX_SECONDS = 5  # between held repetitions


def page_plan(patient) -> Plan | None:
    """Today's plan as the pages hold it (Today, Programme, the guide, the offline copy):
    without what is done today. Their script asks the API for that, so that the service
    worker may keep the pages offline with no diary data in them."""
    return todays_plan(patient, done=False)


@dataclass
class Card:
    id: int
    slug: str
    name: str
    kind: str
    illustration: str
    purpose: str
    steps: list[str]
    stop_if: str
    lines: list[str]
    notes: str
    load_help: str
    due_today: bool
    sets: int
    stage: dict | None
    sources: list[str] = field(default_factory=list)
    sessions: int = 1  # sessions a day, each ticked on its own (schedule.sessions_per_day)

    @property
    def is_advice(self) -> bool:
        return self.kind == Kind.ADVICE

    @property
    def session_numbers(self) -> range:
        return range(1, self.sessions + 1)


def timer_for(dosage: dict) -> dict | None:
    """What the guided exercise paces (web/views/guide.py), or None for an exercise without a
    hold or tempo."""
    reps = dosage.get("reps") or 1
    tempo = dosage_tempo(dosage)
    if tempo and any(tempo.values()):
        return {"mode": "tempo", **tempo, "reps": reps}
    if dosage.get("hold_seconds"):
        return {
            "mode": "hold",
            "hold": dosage["hold_seconds"],
            "relax": RELAX_SECONDS,
            "reps": reps,
        }
    return None


def card_for(planned: PlannedItem) -> Card:
    exercise = planned.item.exercise
    language = (get_language() or "da")[:2]
    stage = None
    if planned.stage:
        stages = planned.item.stages or []
        stage = {
            "number": planned.stage,
            "count": planned.stage_count,
            "held": planned.item.held_stage is not None,
            "from_week": stages[planned.stage - 1].get("from_week") if stages else None,
        }
    return Card(
        id=planned.item.pk,
        slug=exercise.slug,
        name=localized(exercise, "name"),
        kind=exercise.kind,
        illustration=static(exercise.illustration) if exercise.illustration else "",
        purpose=localized(exercise, "purpose"),
        steps=list(localized(exercise, "steps") or []),
        stop_if=localized(exercise, "stop_if"),
        lines=dosage_lines(planned.dosage),
        notes=dosage_notes(planned.dosage, language),
        load_help=load_help(planned.dosage.get("load") or ""),
        due_today=planned.due_today,
        sets=planned.dosage.get("sets") or 1,
        stage=stage,
        sources=list(exercise.sources or []),
        sessions=planned.sessions,
    )


def cards_for(plan: Plan | None) -> list[Card]:
    return [card_for(planned) for planned in plan.items] if plan else []


def offline_copy(plan: Plan | None, cards: list[Card] | None = None) -> dict:
    """The programme as JSON for the offline page: exercises and dosage, nothing about what
    was done or how it felt (that is health data and stays off the device). `cards`: the
    plan's, when the caller has them already."""
    if plan is None:
        return {"programme": None}
    return {
        "programme": {
            "name": plan.programme.name,
            "items": [
                {
                    "id": card.id,
                    "name": card.name,
                    "kind": card.kind,
                    "illustration": card.illustration,
                    "lines": card.lines,
                    "notes": card.notes,
                    "steps": card.steps,
                    "stop_if": card.stop_if,
                }
                for card in (cards_for(plan) if cards is None else cards)
            ],
        }
    }


def offline_version(copy: dict) -> str:
    """A name for one offline copy's content. /programme.json sends it in `X-Offline-Version`,
    and Today and Programme, which draw the same programme, on the page (`data-offline`):
    the service worker fetches the copy again only when the two differ (templates/web/sw.js,
    'warm'), not at every start of the app."""
    text = json.dumps(copy, sort_keys=True, cls=DjangoJSONEncoder)
    return hashlib.sha256(text.encode()).hexdigest()[:20]
