"""Message pages: the patient's thread with the clinic, the physio's inbox and a patient's
thread. Plain forms (no script): the page works on any phone, and a message is text shown
escaped by the template, never HTML."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache

from accounts.access import get_visible_patient
from accounts.audit import READ_MESSAGES, access_record
from accounts.contacts import clinic_contacts
from accounts.models import AccessRecord
from accounts.throttling import throttle_attempt
from messaging.selectors import inbox as inbox_rows
from messaging.selectors import thread
from messaging.services import message_send, thread_read

from ..decorators import patient_required, physio_required
from .account import too_many_attempts


def _thread_page(request, patient, *, template, context, on_write=None):
    error = ""
    body = ""
    if request.method == "POST":
        # The API's 'message' scope, per account: the page and the API share one count.
        wait = throttle_attempt(scope="message", ident=f"user-{request.user.pk}")
        if wait is not None:
            return too_many_attempts(request, wait)
        body = request.POST.get("body", "")
        try:
            message_send(patient=patient, author=request.user, body=body)
        except ValidationError as exc:
            error = " ".join(exc.message_dict.get("body", []))
        else:
            if on_write:
                on_write()
            return redirect(request.path + "#latest")
    # Not "messages": that name is Django's flash messages, which base.html shows.
    thread_messages = []
    if not error:
        # A refused message is answered with the form and its error alone: a refusal
        # writes nothing, not even a read receipt or an access record.
        with transaction.atomic():
            thread_messages = list(thread(patient))
            thread_read(patient=patient, reader=request.user)
    context = {
        **context,
        "thread_messages": thread_messages,
        "contacts": clinic_contacts(patient.clinic),
        "error": error,
        "body": body,
    }
    return render(request, template, context, status=400 if error else 200)


@never_cache
@patient_required
def patient_thread(request):
    patient = request.user.patient_profile
    return _thread_page(
        request, patient, template="web/messages.html", context={"page": "messages"}
    )


@never_cache
@physio_required
def inbox(request):
    return render(
        request, "web/physio/inbox.html", {"rows": inbox_rows(request.user), "page": "inbox"}
    )


@never_cache
@physio_required
def physio_thread(request, patient_id):
    patient = get_visible_patient(request.user, patient_id)

    def wrote():
        access_record(
            actor=request.user,
            patients=patient,
            what=READ_MESSAGES,
            action=AccessRecord.Action.WRITE,
        )

    response = _thread_page(
        request,
        patient,
        template="web/physio/thread.html",
        context={
            "patient_name": patient.user.name,
            "patient_url": reverse("patient", kwargs={"patient_id": patient.pk}),
            "page": "inbox",
        },
        on_write=wrote,
    )
    if response.status_code == 200:  # the thread was shown
        access_record(actor=request.user, patients=patient, what=READ_MESSAGES)
    return response
