"""Messages between a patient and their physio (api.md, issue 16): one thread per patient,
read receipts, the inbox's order, bad input, who may see what, and the notice that goes
through the outbox without the message's words, at most once a day per recipient."""

from datetime import UTC, datetime

import pytest
import time_machine

from accounts.models import AccessRecord
from diary.models import CheckIn
from messaging.models import Message
from reminders.models import Notification

from .factories import PatientFactory, PhysioFactory

NOON = datetime(2026, 3, 2, 11, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOON, tick=False):
        yield


def send(client, body, url="/api/v1/messages/"):
    return client.post(url, {"body": body}, format="json")


def test_patient_writes_physio_answers_and_reads_are_receipted(patient, physio, client_for):
    me, them = client_for(patient.user), client_for(physio.user)
    thread_url = f"/api/v1/patients/{patient.pk}/messages/"
    sent = send(me, "  My heel hurts more after running.  ")
    assert sent.status_code == 201, sent.content
    assert sent.json()["body"] == "My heel hurts more after running."  # stripped
    assert sent.json()["mine"] is True and sent.json()["read_at"] is None

    assert them.get("/api/v1/inbox/").json()[0] | {"last_at": None} == {
        "patient": patient.pk,
        "name": patient.user.name,
        "unread": 1,
        "last_at": None,
        "unanswered": True,
        "flagged": False,
    }
    thread = them.get(thread_url).json()
    assert [m["from_patient"] for m in thread] == [True]
    assert thread[0]["mine"] is False
    # Reading it is the receipt the patient sees, and it is in the patient's access log.
    assert me.get("/api/v1/messages/").json()[0]["read_at"] is not None
    assert AccessRecord.objects.filter(patient=patient, what="messages", action="read").exists()

    answer = send(them, "Rest two days, then start again gently.", thread_url)
    assert answer.status_code == 201
    assert AccessRecord.objects.filter(patient=patient, what="messages", action="write").exists()
    row = them.get("/api/v1/inbox/").json()[0]
    assert row["unread"] == 0 and row["unanswered"] is False
    thread = me.get("/api/v1/messages/").json()
    assert [m["body"] for m in thread] == [
        "My heel hurts more after running.",
        "Rest two days, then start again gently.",
    ]
    assert thread[1]["author"] == physio.user.name and thread[1]["mine"] is False


@pytest.mark.parametrize(
    "body, reason",
    [("", "blank"), ("   \n ", "blank"), ("x" * 2001, "2000"), (None, "null")],
)
def test_bad_bodies_are_400_naming_the_field_and_store_nothing(patient, client_for, body, reason):
    response = send(client_for(patient.user), body)
    assert response.status_code == 400
    assert "body" in response.json()
    assert not Message.objects.exists()
    assert not Notification.objects.exists()


def test_2000_characters_is_the_limit_and_the_constraint_holds(patient, client_for):
    assert send(client_for(patient.user), "x" * 2000).status_code == 201
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Message.objects.create(patient=patient, author=patient.user, from_patient=True, body="")


def test_html_is_stored_and_returned_as_text(patient, client_for):
    script = "<script>alert(1)</script><b>hi</b>"
    assert send(client_for(patient.user), script).json()["body"] == script
    assert Message.objects.get().body == script


def test_another_clinics_physio_and_another_physio_get_404(patient, client_for):
    stranger = PhysioFactory()  # another clinic
    colleague = PhysioFactory(clinic=patient.clinic)  # same clinic, not in charge
    url = f"/api/v1/patients/{patient.pk}/messages/"
    for physio in (stranger, colleague):
        client = client_for(physio.user)
        assert client.get(url).status_code == 404
        assert send(client, "hello", url).status_code == 404
        assert client.get("/api/v1/inbox/").json() == []
    assert not Message.objects.exists()


def test_roles_and_anonymous(patient, physio, client_for, api):
    other = PatientFactory(physio=physio)
    url = f"/api/v1/patients/{other.pk}/messages/"
    assert client_for(patient.user).get(url).status_code == 403  # a patient: not a physio
    assert client_for(physio.user).get("/api/v1/messages/").status_code == 403
    assert client_for(patient.user).get("/api/v1/inbox/").status_code == 403
    for path in ("/api/v1/messages/", url, "/api/v1/inbox/"):
        assert api.get(path).status_code in (401, 403)
    # A patient reads only their own thread.
    send(client_for(other.user), "mine")
    assert client_for(patient.user).get("/api/v1/messages/").json() == []


def test_a_physio_no_longer_in_charge_loses_the_thread(patient, physio, client_for):
    send(client_for(patient.user), "hello")
    successor = PhysioFactory(clinic=patient.clinic)
    patient.physio = successor
    patient.save()
    url = f"/api/v1/patients/{patient.pk}/messages/"
    assert client_for(physio.user).get(url).status_code == 404
    assert client_for(physio.user).get("/api/v1/inbox/").json() == []
    assert len(client_for(successor.user).get(url).json()) == 1


def test_a_flood_is_429_and_nothing_more_is_stored(patient, client_for, settings):
    client = client_for(patient.user)
    codes = [send(client, f"message {n}").status_code for n in range(21)]
    assert codes[:20] == [201] * 20
    assert codes[20] == 429
    assert Message.objects.count() == 20
    # Reading is not throttled.
    assert client.get("/api/v1/messages/").status_code == 200


def test_notice_once_a_day_per_recipient_without_content(patient, physio, client_for):
    me, them = client_for(patient.user), client_for(physio.user)
    send(me, "first secret words")
    send(me, "second secret words")
    notices = Notification.objects.filter(kind=Notification.Kind.PATIENT_MESSAGE)
    assert [(n.physio_id, n.patient_id) for n in notices] == [(physio.pk, None)]
    send(them, "an answer", f"/api/v1/patients/{patient.pk}/messages/")
    send(them, "another", f"/api/v1/patients/{patient.pk}/messages/")
    to_patient = Notification.objects.filter(kind=Notification.Kind.MESSAGE)
    assert [(n.patient_id, n.physio_id) for n in to_patient] == [(patient.pk, None)]
    # The next local day brings a new notice.
    with time_machine.travel(datetime(2026, 3, 3, 11, 0, tzinfo=UTC), tick=False):
        assert send(me, "third").status_code == 201
    assert notices.all().count() == 2


def test_inbox_order_unanswered_then_flagged_then_recent(physio, client_for):
    answered, flagged_answered, quiet = (PatientFactory(physio=physio) for _ in range(3))
    waiting = PatientFactory(physio=physio)
    them = client_for(physio.user)
    for patient in (waiting, answered, flagged_answered, quiet):
        with time_machine.travel(NOON.replace(hour=6 + Message.objects.count()), tick=False):
            send(client_for(patient.user), "hello")
    for patient in (answered, flagged_answered, quiet):
        send(them, "answer", f"/api/v1/patients/{patient.pk}/messages/")
    CheckIn.objects.create(patient=flagged_answered, kind="weekly", answers={}, urgency="same_day")
    rows = them.get("/api/v1/inbox/").json()
    assert [r["patient"] for r in rows][:2] == [waiting.pk, flagged_answered.pk]
    assert rows[1]["flagged"] is True


def test_pages_show_text_not_html_and_the_emergency_line(patient, physio, client):
    patient.clinic.answers_within = 2
    patient.clinic.save()
    client.force_login(patient.user)
    page = client.get("/messages/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "112" in text and "2" in text
    response = client.post("/messages/", {"body": "<script>alert(1)</script>"})
    assert response.status_code == 302
    text = client.get("/messages/").content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert "<script>alert(1)" not in text
    assert client.post("/messages/", {"body": "   "}).status_code == 400
    assert Message.objects.count() == 1

    client.force_login(physio.user)
    inbox = client.get("/inbox/").content.decode()
    assert f"/patients/{patient.pk}/messages/" in inbox
    thread = client.get(f"/patients/{patient.pk}/messages/").content.decode()
    assert "&lt;script&gt;" in thread
    assert AccessRecord.objects.filter(patient=patient, what="messages").exists()
    client.post(f"/patients/{patient.pk}/messages/", {"body": "Answer"})
    assert Message.objects.filter(from_patient=False).count() == 1
    assert client.get(f"/patients/{PatientFactory().pk}/messages/").status_code == 404


def test_times_are_the_readers_own_local_time_in_their_language(patient, physio, client):
    """The server keeps UTC; a Copenhagen reader sees 13.00 for 12:00 UTC in winter, and the
    day and month in Danish. The thread is not shown a second time as the page's status messages."""
    from datetime import UTC, datetime

    from messaging.services import message_send

    patient.user.language = "da"
    patient.user.save(update_fields=["language"])
    message_send(
        patient=patient, author=physio.user, body="Hej", now=datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
    )
    client.force_login(patient.user)
    page = client.get("/messages/").content.decode()
    # The one format of the pages (common.dates); the year only when it is not this year.
    assert "man. 2. mar." in page and " kl. 13.00</time>" in page
    assert 'class="messages"' not in page
