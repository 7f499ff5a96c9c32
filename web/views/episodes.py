"""The episode of care on the pages: the physio's "Forløb" section (read, open, record the
week-6 review and the week-12 outcome, set the heels, close) and the patient's summary on the
progress page.

The physio's forms post here and come back to the patient page (POST-redirect-GET); a form
with errors is shown again on that page, with the errors beside the fields. The
section is drawn in the page itself, so its read is recorded in the access log here; the
writes are recorded by care.services."""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.http import Http404, QueryDict
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from accounts.access import get_visible_patient
from accounts.audit import EPISODE, access_record
from accounts.models import PatientProfile
from care.models import Episode, ReviewKind
from care.selectors import episode_week, episodes_of
from care.services import episode_close, episode_heels_set, episode_open, episode_review_record

from ..decorators import physio_required
from ..episode_forms import (
    REVIEW_FORMS,
    EpisodeCloseForm,
    EpisodeHeelsForm,
    EpisodeOpenForm,
    add_service_errors,
)

ANCHOR = "#episode-heading"


def _episode_view(episode: Episode, today) -> dict:
    reviews = {review.kind: review for review in episode.reviews.all()}
    return {
        "episode": episode,
        "week": episode_week(episode, today),
        "week_6_review": reviews.get(ReviewKind.WEEK_6_REVIEW),
        "week_12_outcome": reviews.get(ReviewKind.WEEK_12_OUTCOME),
    }


def episode_section(request, patient: PatientProfile) -> dict:
    """The context of templates/web/physio/_episodes.html, with a refused form shown again
    (see `_refused`)."""
    forms = _form_again(request, patient)
    today = patient.user.local_today()
    episodes = list(episodes_of(patient))
    access_record(actor=request.user, patients=patient, what=EPISODE)
    current = episodes[0] if episodes else None
    is_open = current is not None and current.is_open
    latest_closed = current.closed_on if current is not None else None
    section = {
        "current": _episode_view(current, today) if current else None,
        "past": [_episode_view(episode, today) for episode in episodes[1:]],
        "heels_form": forms.get("heels")
        or EpisodeHeelsForm(initial={"heels": current.heels} if current else None),
        "today": today,
    }
    if is_open:
        section["review_forms"] = {
            kind: forms.get(f"review_{kind}") or form() for kind, form in REVIEW_FORMS.items()
        }
        section["close_form"] = forms.get("close") or EpisodeCloseForm(initial={"closed_on": today})
    else:
        start = max(today, latest_closed + timedelta(days=1)) if latest_closed else today
        section["open_form"] = forms.get("open") or EpisodeOpenForm(
            initial={"starts_on": start, "condition": patient.condition}
        )
    return {"episodes": section}


# A refused form goes back to the page too (POST-redirect-GET), its input and errors kept in
# the session for the one page view that shows them again beside the fields. Drawing the page
# in the POST's answer instead would record a read of the patient's data in the access log
# for a request that was refused, and a refused request writes nothing.
SESSION_KEY = "episode_form_refused"


def _forms_by_name() -> dict:
    return {
        "open": EpisodeOpenForm,
        "heels": EpisodeHeelsForm,
        "close": EpisodeCloseForm,
        **{f"review_{kind}": form for kind, form in REVIEW_FORMS.items()},
    }


def _refused(request, patient: PatientProfile, name: str, form):
    request.session[SESSION_KEY] = {
        "patient": patient.pk,
        "name": name,
        "data": {k: v for k, v in request.POST.lists() if k != "csrfmiddlewaretoken"},
        "errors": {field: [str(m) for m in messages] for field, messages in form.errors.items()},
    }
    return _back(patient.pk)


def _form_again(request, patient: PatientProfile) -> dict:
    saved = request.session.pop(SESSION_KEY, None)
    if not saved or saved.get("patient") != patient.pk:
        return {}
    form_class = _forms_by_name().get(saved.get("name"))
    if form_class is None:
        return {}
    data = QueryDict(mutable=True)
    for key, values in saved.get("data", {}).items():
        data.setlist(key, values)
    form = form_class(data)
    if form.is_valid():
        # The field checks passed: the errors were the service's.
        for field, messages in saved.get("errors", {}).items():
            form.add_error(field if field in form.fields else None, messages)
    return {saved["name"]: form}


def _back(patient_id):
    return redirect(reverse("patient", args=[patient_id]) + ANCHOR)


def _episode(patient: PatientProfile, episode_id) -> Episode:
    return get_object_or_404(
        Episode.objects.select_related("patient__user"), pk=episode_id, patient=patient
    )


@require_POST
@physio_required
def episode_open_form(request, patient_id):
    patient = get_visible_patient(request.user, patient_id)
    form = EpisodeOpenForm(request.POST)
    if form.is_valid():
        try:
            episode_open(actor=request.user, patient=patient, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
    if form.errors:
        return _refused(request, patient, "open", form)
    return _back(patient.pk)


@require_POST
@physio_required
def episode_heels_form(request, patient_id, episode_id):
    patient = get_visible_patient(request.user, patient_id)
    episode = _episode(patient, episode_id)
    form = EpisodeHeelsForm(request.POST)
    if form.is_valid():
        try:
            episode_heels_set(actor=request.user, episode=episode, heels=form.cleaned_data["heels"])
        except ValidationError as exc:
            add_service_errors(form, exc)
    if form.errors:
        return _refused(request, patient, "heels", form)
    return _back(patient.pk)


@require_POST
@physio_required
def episode_review_form(request, patient_id, episode_id, kind):
    patient = get_visible_patient(request.user, patient_id)
    episode = _episode(patient, episode_id)
    form_class = REVIEW_FORMS.get(kind)
    if form_class is None:
        raise Http404
    form = form_class(request.POST)
    if form.is_valid():
        try:
            episode_review_record(
                actor=request.user, episode=episode, kind=kind, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
    if form.errors:
        return _refused(request, patient, f"review_{kind}", form)
    return _back(patient.pk)


@require_POST
@physio_required
def episode_close_form(request, patient_id, episode_id):
    patient = get_visible_patient(request.user, patient_id)
    episode = _episode(patient, episode_id)
    form = EpisodeCloseForm(request.POST)
    if form.is_valid():
        try:
            episode_close(actor=request.user, episode=episode, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
    if form.errors:
        return _refused(request, patient, "close", form)
    return _back(patient.pk)


def patient_episodes(patient: PatientProfile) -> dict:
    """The patient's own view of their episodes, for the progress page (not access-logged:
    their own data)."""
    today = patient.user.local_today()
    episodes = [_episode_view(episode, today) for episode in episodes_of(patient)]
    return {"episode": episodes[0] if episodes else None, "past_episodes": episodes[1:]}
