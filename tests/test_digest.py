"""The physio's daily digest (issue 16): at the clinic's time on the physio's clock, once per
physio per local day (across daylight saving and however many beats), counts without names or
values, nothing when nothing needs them."""

from datetime import UTC, date, datetime, time, timedelta

import time_machine
from django.core import mail

from messaging.services import message_send
from reminders.digest import digests_queue
from reminders.dispatch import outbox_send
from reminders.models import Notification

from .factories import PatientFactory, PhysioFactory


def digests(physio=None):
    rows = Notification.objects.filter(kind=Notification.Kind.DIGEST)
    return rows.filter(physio=physio) if physio else rows


def test_once_a_day_at_the_clinics_time_across_dst(physio, patient, assign):
    with time_machine.travel(datetime(2026, 3, 1, 9, tzinfo=UTC), tick=False):
        assign(patient, starts_on=date(2026, 3, 1))  # then silent: the digest has a reason
    # Every 20 minutes from 26 to 31 March; Copenhagen springs forward on 29 March.
    moment = datetime(2026, 3, 26, 0, 0, tzinfo=UTC)
    while moment < datetime(2026, 3, 31, 0, 0, tzinfo=UTC):
        with time_machine.travel(moment, tick=False):
            digests_queue()
            digests_queue()  # a second beat in the same minute
        moment += timedelta(minutes=20)
    rows = list(digests(physio).order_by("local_date"))
    assert [r.local_date for r in rows] == [date(2026, 3, d) for d in range(26, 31)]
    # 08:00 on the wall clock: 07:00 UTC before the change, 06:00 after.
    assert [r.due_at.astimezone(UTC).hour for r in rows] == [7, 7, 7, 6, 6]
    assert {r.status for r in rows} == {"queued"}


def test_the_clinics_own_time_and_nothing_when_nothing_needs_them(clinic):
    clinic.digest_time = time(14, 30)
    clinic.save()
    idle = PhysioFactory(clinic=clinic)
    with time_machine.travel(datetime(2026, 3, 2, 13, 29, tzinfo=UTC), tick=False):
        digests_queue()
    assert not digests().exists()
    with time_machine.travel(datetime(2026, 3, 2, 13, 30, tzinfo=UTC), tick=False):
        assert digests_queue() == 0
    (row,) = digests(idle)
    assert row.status == "skipped" and row.last_error == "nothing needs them"


def test_the_email_counts_without_names_words_or_values(physio, patient, assign):
    physio.user.language = "en"
    physio.user.save()
    with time_machine.travel(datetime(2026, 3, 1, 9, tzinfo=UTC), tick=False):
        assign(patient, starts_on=date(2026, 3, 1))
        message_send(patient=patient, author=patient.user, body="secret words about my heel")
    other = PatientFactory(physio=physio)
    with time_machine.travel(datetime(2026, 3, 9, 7, 5, tzinfo=UTC), tick=False):
        assert digests_queue() == 1
        (row,) = digests(physio)
        assert outbox_send([row.pk])["email_sent"] == 1
    (email,) = [m for m in mail.outbox if m.to == [physio.user.email]]
    assert "1 waiting for an answer to a message" in email.body
    assert "silent for 4 days" in email.body
    for secret in ("secret", patient.user.name, other.user.name, patient.user.email):
        assert secret not in email.body and secret not in email.subject
    assert "List-Unsubscribe" not in email.extra_headers
    row.refresh_from_db()
    assert row.status == "sent" and row.channel == "email"
