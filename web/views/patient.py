"""The patient's pages: Today, Progress, Programme, Check-in."""

from django.core.exceptions import ValidationError
from django.http import HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from accounts.access import own_clinic
from accounts.contacts import Contacts, clinic_contacts
from accounts.services import patient_welcome_dismiss
from care.selectors import current_episode
from diary.models import CheckIn
from diary.red_flags import (
    CHECKIN_INTRO,
    DIABETES_HELP,
    DIABETES_QUESTION,
    ONBOARDING_INTRO,
    questions,
)
from exercises.selectors import programme_notice
from exercises.services import programme_notice_dismiss
from lessons.clock import current_week
from lessons.selectors import lesson_new, lesson_states
from outcomes.episodes import clock_of
from outcomes.services import questionnaires_prepare
from progress.payload import assessed, progress_payload
from reminders.models import ReminderSchedule

from ..decorators import offline_ok, patient_required
from ..labels import STATUS
from ..programme_view import cards_for, offline_copy, offline_version, page_plan
from ..progress_page import progress_page
from .episodes import patient_episodes


def _contacts(user) -> Contacts | None:
    """Who to call, shown beside advice (templates/web/_contacts.html): one query."""
    clinic = own_clinic(user)
    return clinic_contacts(clinic) if clinic is not None else None


def _both_heels(episode) -> bool:
    return bool(episode and episode.heel_left and episode.heel_right)


def _welcome(patient, plan, week: int) -> dict | None:
    """The welcome card after joining, until the patient dismisses it (PatientProfile.
    welcome_pending): who the physio is, what happens now and the first lesson. Names and
    settings only, no diary data, so the page may still be kept offline."""
    if not patient.welcome_pending:
        return None
    physio = patient.physio
    # The reminder as it will be: every patient gets the default schedule (07:30 every day)
    # from the reminder tick if they have none yet (reminders.services.schedules_ensure).
    schedule = ReminderSchedule.objects.filter(patient=patient).first() or ReminderSchedule()
    first = next((state.lesson for state in lesson_states(patient, week) if state.unlocked), None)
    return {
        "physio": physio.user.name if physio else "",
        "clinic": patient.clinic.name,
        "has_programme": plan is not None,
        "reminder_at": schedule.local_time if schedule.enabled else None,
        "lesson": first,
    }


@patient_required
def today(request):
    """The morning-pain question and the day's exercises.

    The page holds the programme only; today's answer and what is done are fetched from the
    API by the page's script and never stored in the page, so the service worker may keep
    this page for offline use.
    """
    patient = request.user.patient_profile
    # Read once for what Today asks of it: the lessons' week, the heels, the questionnaires.
    episode = current_episode(patient)
    week = current_week(patient, episode)
    plan = page_plan(patient)
    cards = cards_for(plan)
    welcome = _welcome(patient, plan, week)
    new_lesson = lesson_new(patient, week)
    context = {
        "plan": plan,
        "welcome": welcome,
        "due": [c for c in cards if not c.is_advice and c.due_today],
        "not_due": [c for c in cards if not c.is_advice and not c.due_today],
        "tips": [c for c in cards if c.is_advice],
        "pain_values": range(11),
        # Two pain scales when the current episode has both heels (left: morning_pain, right:
        # morning_pain_other). Structural, like the programme, so the page may stay offline.
        "both_heels": _both_heels(episode),
        # The clinic's contacts for the advice banner: the same for every day, so they may be
        # kept offline with the page.
        "contacts": _contacts(request.user),
        # General text only (a title), so the page stays safe to keep offline. Not twice: the
        # welcome card already points to the first lesson.
        "new_lesson": None
        if welcome and welcome["lesson"] and welcome["lesson"] == new_lesson
        else new_lesson,
        # What the physio changed in the programme, until the patient dismisses it:
        # structural like the programme itself.
        "programme_notice": programme_notice(request.user.patient_profile),
        # How many outcome questionnaires wait for answers (made when they fall due): a count,
        # no answer, so the page stays safe to keep offline.
        "questionnaires_due": len(questionnaires_prepare(patient=patient, clock=clock_of(episode))),
        # Which offline copy of the programme this page shows (web.programme_view).
        "offline_version": offline_version(offline_copy(plan, cards)),
        "page": "today",
    }
    return offline_ok(render(request, "web/today.html", context))


@patient_required
@require_POST
def welcome_seen(request):
    """The patient dismissed the welcome card on Today."""
    patient_welcome_dismiss(patient=request.user.patient_profile)
    return redirect("home")


@patient_required
@require_POST
def programme_notice_seen(request):
    """The patient dismissed the notice: the changes it showed are seen (`up_to`, the last
    one it showed; one made meanwhile stays for the next visit)."""
    try:
        up_to = int(request.POST.get("up_to", ""))
    except ValueError:
        up_to = 0  # a form without the field: nothing is marked, the notice stays
    programme_notice_dismiss(patient=request.user.patient_profile, up_to=up_to)
    return redirect("home")


@patient_required
def programme(request):
    plan = page_plan(request.user.patient_profile)
    cards = cards_for(plan)
    context = {
        "plan": plan,
        "exercises": [c for c in cards if not c.is_advice],
        "tips": [c for c in cards if c.is_advice],
        "offline_version": offline_version(offline_copy(plan, cards)),
        "page": "programme",
    }
    return offline_ok(render(request, "web/programme.html", context))


@never_cache
@patient_required
def progress(request):
    patient = request.user.patient_profile
    done = assessed(patient)  # once, for the advice, the summary and the chart
    try:
        # The chart's period, the table's week and the chosen day (web.progress_page).
        shown = progress_page(patient, request.GET, done)
    except ValidationError as error:
        return HttpResponseBadRequest(" ".join(error.messages))
    payload = progress_payload(patient, done)
    context = {
        "progress": payload,
        **shown,
        "adherence_percent": round(payload["adherence_14d"] * 100)
        if payload["adherence_14d"] is not None
        else None,
        "status_label": STATUS.get(payload["status"], ""),
        "contacts": _contacts(request.user),
        "status_help": payload["status_help"],
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
        # A patient with diabetes is asked about a foot wound first (diary.red_flags).
        "questions": questions(has_diabetes=patient.has_diabetes),
        # The onboarding text (18 and over, no diagnosis) once; after that, what is new.
        "intro": ONBOARDING_INTRO if first else CHECKIN_INTRO,
        # Background, asked until answered (once, at onboarding, for new patients).
        "ask_diabetes": patient.has_diabetes is None,
        "diabetes_question": DIABETES_QUESTION,
        "diabetes_help": DIABETES_HELP,
        # The wound question's words once the patient says yes (checkin.js swaps them in).
        "wound_with_diabetes": questions(has_diabetes=True)[0].question,
        "contacts": _contacts(request.user),
        "page": "checkin",
    }
    return render(request, "web/checkin.html", context)
