"""The physiotherapist's pages. They read through the JSON API from the page's script, so that
every read of a patient's data is recorded in the access log in one place (the API)."""

from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from accounts.access import get_visible_patient, invitations_visible_to
from accounts.audit import LESSONS, READ_QUESTIONNAIRES, access_record
from accounts.models import Condition, Invitation, hash_invitation_code
from accounts.services import invitation_url
from common.qr import qr_svg
from lessons.selectors import lesson_states
from messaging.selectors import recent_departures
from outcomes.texts import history_in_words

from ..decorators import physio_required
from ..labels import js_labels
from .episodes import episode_section


@never_cache
@physio_required
def patient_list(request):
    context = {
        "labels": js_labels(),
        # Anonymous lines for patients who deleted their accounts lately (nothing identifies
        # them; messaging.models.Departure).
        "departures": recent_departures(request.user.physio_profile, request.user.local_today()),
        "page": "patients",
    }
    return render(request, "web/physio/patients.html", context)


@never_cache
@physio_required
def patient_detail(request, patient_id):
    # 404 for a patient who is not in this physio's care, before anything is shown.
    patient = get_visible_patient(request.user, patient_id)
    # The lessons read and pinned are shown in the page itself (no script reads them), so
    # this read is recorded here rather than by the API.
    lessons = lesson_states(patient)
    access_record(actor=request.user, patients=patient, what=LESSONS)
    # The same for the outcome questionnaires' scores.
    questionnaires = history_in_words(patient)
    access_record(actor=request.user, patients=patient, what=READ_QUESTIONNAIRES)
    context = {
        "patient_id": patient.pk,
        "patient_name": patient.user.name,
        # The episode of care, drawn in the page (web.views.episodes), with a form refused
        # just before shown again beside its errors.
        **episode_section(request, patient),
        "lessons": lessons,
        "questionnaires": questionnaires,
        "labels": js_labels(),
        "page": "patients",
    }
    return render(request, "web/physio/patient.html", context)


@never_cache  # no-store too: the POST answer carries the secret link
@physio_required
@require_http_methods(["GET", "HEAD", "POST"])
def invite(request):
    """GET: the page (its script invites through the API, which answers with the join link).
    POST `code`, the code of that link: the link as a QR code to scan from the physio's
    screen, an SVG drawn here (the page inlines it; no script draws it)."""
    if request.method == "POST":
        code = request.POST.get("code", "").strip()
        if not code:
            return HttpResponseBadRequest("code: this field is required", content_type="text/plain")
        invitation_own_usable(request.user, code)  # 404 unless it is this physio's, still open
        return HttpResponse(
            qr_svg(invitation_url(code), svgclass="invite-qr-code"), content_type="image/svg+xml"
        )
    context = {"conditions": Condition.choices, "labels": js_labels(), "page": "invite"}
    return render(request, "web/physio/invite.html", context)


def invitation_own_usable(user, code: str) -> Invitation:
    """The open invitation with this code if `user` made it (the physio who sees it in their
    list, as the invitations API lists them); otherwise 404, whether or not the code exists.
    A colleague or another clinic's physio with the link gets nothing more from here."""
    try:
        return invitations_visible_to(user).usable().get(code_hash=hash_invitation_code(code))
    except Invitation.DoesNotExist:
        raise Http404 from None
