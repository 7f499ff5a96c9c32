"""The patient's lessons (Learn) and the physio's pin form.

A lesson page holds general text and nothing of the patient's health, so it is marked safe for
the service worker to keep: a lesson read once can be read again offline. The list shows which
lessons are read, which is not health data either."""

from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from accounts.access import get_visible_patient
from lessons.selectors import lesson_states, lessons_listed, unlocked_lesson
from lessons.services import lesson_pin, lesson_read_mark, lesson_unpin

from ..decorators import offline_ok, patient_required, physio_required


@patient_required
def lesson_list(request):
    states = lesson_states(request.user.patient_profile)
    context = {
        "unlocked": [state for state in states if state.unlocked],
        "locked": [state for state in states if not state.unlocked],
        "page": "lessons",
    }
    return offline_ok(render(request, "web/lessons.html", context))


@patient_required
def lesson_detail(request, lesson):
    patient = request.user.patient_profile
    found = unlocked_lesson(patient, lesson)
    if found is None:
        raise Http404
    lesson_read_mark(patient=patient, lesson=found)
    context = {
        "lesson": found,
        "body": found.body_safe(),
        "page": "lessons",
    }
    return offline_ok(render(request, "web/lesson.html", context))


@require_POST
@physio_required
def lesson_pin_form(request, patient_id, lesson):
    """The pin/unpin buttons on the physio's patient page (`pinned` = "1" or "0")."""
    patient = get_visible_patient(request.user, patient_id)
    found = lessons_listed(patient).filter(slug=lesson).first()
    if found is None:
        raise Http404
    pinned = request.POST.get("pinned")
    if pinned not in ("0", "1"):
        return HttpResponseBadRequest("pinned: must be 1 (pin) or 0 (unpin)")
    if pinned == "1":
        lesson_pin(actor=request.user, patient=patient, lesson=found)
    else:
        lesson_unpin(actor=request.user, patient=patient, lesson=found)
    return redirect(reverse("patient", args=[patient.pk]) + "#lessons-heading")
