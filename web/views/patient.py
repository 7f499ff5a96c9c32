"""The patient's pages: Today, Progress, Programme, Check-in."""

from django.shortcuts import render
from django.views.decorators.cache import never_cache

from diary.models import CheckIn
from diary.red_flags import CHECKIN_INTRO, ONBOARDING_INTRO, RED_FLAGS
from exercises.selectors import active_programme, plan_for_day
from lessons.selectors import lesson_new
from progress.payload import progress_payload

from ..decorators import offline_ok, patient_required
from ..labels import STATUS
from ..programme_view import cards_for
from .episodes import patient_episodes


def _plan(user):
    programme = active_programme(user.patient_profile)
    return plan_for_day(programme, user.local_today()) if programme else None


@patient_required
def today(request):
    """The morning-pain question and the day's exercises.

    The page holds the programme only; today's answer and what is done are fetched from the
    API by the page's script and never stored in the page, so the service worker may keep
    this page for offline use.
    """
    plan = _plan(request.user)
    cards = cards_for(plan)
    context = {
        "plan": plan,
        "due": [c for c in cards if not c.is_advice and c.due_today],
        "not_due": [c for c in cards if not c.is_advice and not c.due_today],
        "tips": [c for c in cards if c.is_advice],
        "pain_values": range(11),
        # General text only (a title), so the page stays safe to keep offline.
        "new_lesson": lesson_new(request.user.patient_profile),
        "page": "today",
    }
    return offline_ok(render(request, "web/today.html", context))


@patient_required
def programme(request):
    plan = _plan(request.user)
    cards = cards_for(plan)
    context = {
        "plan": plan,
        "exercises": [c for c in cards if not c.is_advice],
        "tips": [c for c in cards if c.is_advice],
        "page": "programme",
    }
    return offline_ok(render(request, "web/programme.html", context))


@never_cache
@patient_required
def progress(request):
    payload = progress_payload(request.user.patient_profile)
    series = list(reversed(payload["series"]))
    context = {
        "progress": payload,
        "series": series,
        "adherence_percent": round(payload["adherence_14d"] * 100)
        if payload["adherence_14d"] is not None
        else None,
        "status_label": STATUS.get(payload["status"], ""),
        "status_help": payload["status_help"],
        "both_heels": any(point.get("morning_pain_other") is not None for point in series),
        # The current and earlier episodes of care (web.views.episodes).
        **patient_episodes(request.user.patient_profile),
        "page": "progress",
    }
    return render(request, "web/progress.html", context)


@never_cache
@patient_required
def checkin(request):
    patient = request.user.patient_profile
    first = not CheckIn.objects.filter(patient=patient).exists()
    context = {
        "questions": RED_FLAGS,
        "intro": ONBOARDING_INTRO if first else CHECKIN_INTRO,
        "page": "checkin",
    }
    return render(request, "web/checkin.html", context)
