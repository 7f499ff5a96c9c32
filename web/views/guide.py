"""The guided exercise (/today/guide/): one exercise after another, each repetition paced with
its tempo or hold, the sets counted and the rests timed (static/js/guide.js).

The page holds the programme only (what to do and how), never what is done or how it felt:
guide.js reads that from the API and the offline outbox, as Today does, so the service worker
may keep this page for offline use too."""

from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import render
from django.utils.translation import gettext as _

from exercises.models import Kind
from exercises.selectors import PlannedItem

from ..decorators import offline_ok, patient_required
from ..programme_view import RELAX_SECONDS, card_for, page_plan, timer_for

READY_SECONDS = 3  # "get ready" before each set: time to get into position after a tap


def pacing(dosage: dict) -> dict:
    """How the guide paces one exercise, from its effective dosage (the week's stage applied).

    - "tempo": each repetition up, hold, down for the prescribed seconds (heel raises);
    - "hold": each repetition a timed hold, with a short relax between holds (stretches);
    - "free": repetitions in the patient's own tempo, the set ended with a tap (no tempo or
      hold prescribed, so the guide does not invent one).
    `rest`: seconds between sets, or None when none is prescribed: then the patient rests as
    long as they need and starts the next set themselves."""
    timer = timer_for(dosage) or {"mode": "free"}
    return {
        "mode": timer["mode"],
        "sets": dosage.get("sets") or 1,
        "reps": dosage.get("reps") or 1,
        "up": timer.get("up", 0),
        "hold": timer.get("hold", 0),
        "down": timer.get("down", 0),
        "relax": RELAX_SECONDS if timer["mode"] == "hold" else 0,
        "rest": dosage.get("rest_seconds") or None,
        "ready": READY_SECONDS,
    }


def _exercise(planned: PlannedItem) -> dict:
    card = card_for(planned)
    return {
        "id": card.id,
        "name": card.name,
        "illustration": card.illustration,
        "lines": card.lines,
        "steps": card.steps,
        "stop_if": card.stop_if,
        "stage": card.stage["number"] if card.stage else None,
        "due": card.due_today,
        "sessions": card.sessions,
        **pacing(planned.dosage),
    }


def _texts() -> dict:
    """What guide.js shows, translated here (no JavaScript catalogue to fetch)."""
    return {
        "up": _("Up"),
        "hold": _("Hold"),
        "down": _("Down"),
        "relax": _("Relax"),
        "ready": _("Get ready"),
        "rest": _("Rest"),
        "work": _("Your own tempo"),
        "repOf": _("Repetition %(n)s of %(total)s"),
        "setOf": _("Set %(n)s of %(total)s"),
        "exerciseOf": _("Exercise %(n)s of %(total)s"),
        "sessionOf": _("Time %(n)s of %(total)s today"),
        "allSessionsDone": _(
            "Already done today. You can do it again, but it is not recorded again."
        ),
        "freeReps": _(
            "%(reps)s repetitions in your own tempo. Tap the button when the set is done."
        ),
        "restFree": _("Rest as long as you need, then start the next set."),
        "restFor": _("Rest for %(time)s"),
        "restLeft": _("%(time)s rest left."),
        "nextSet": _("Next: set %(n)s of %(total)s"),
        "startSet": _("Start set %(n)s"),
        "pause": _("Pause"),
        "resume": _("Resume"),
        "pausedHelp": _("Paused. Press Resume when you are ready."),
        "resumed": _("Resumed."),
        "stopped": _("Stopped. Nothing was recorded."),
        "exerciseDone": _("Well done! %(name)s is done."),
        "recorded": _("Recorded as done today."),
        "recordedSession": _("Recorded as time %(n)s of %(total)s today."),
        "notRecordedAgain": _("Already recorded for today, so nothing more was recorded."),
        "nextExercise": _("Next exercise: %(name)s"),
        "finish": _("Finish"),
        "minutes": _("%(n)s min"),
        "seconds": _("%(n)s s"),
    }


@patient_required
def guide(request):
    """Today's due exercises in programme order; `?item=` starts at one exercise of the
    patient's programme (one not due today included: the patient chose it)."""
    plan = page_plan(request.user.patient_profile)
    raw_item = request.GET.get("item")
    start = None
    if raw_item is not None:
        try:
            start = int(raw_item)
        except ValueError:
            return HttpResponseBadRequest(
                _("item: give the number of an exercise in your programme.")
            )
    planned = [p for p in plan.items if p.item.exercise.kind != Kind.ADVICE] if plan else []
    if start is not None and not any(p.item.pk == start for p in planned):
        # Another patient's item, an old programme's, or advice: not one to guide.
        raise Http404
    exercises = [_exercise(p) for p in planned if p.due_today or p.item.pk == start]
    context = {
        "plan": plan,
        "exercises": exercises,
        "texts": _texts(),
        "page": "today",
    }
    return offline_ok(render(request, "web/guide.html", context))
