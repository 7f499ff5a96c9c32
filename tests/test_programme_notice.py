"""Programme changes reach the patient (issue 16, item 3): a notice on Today saying what
changed, until the patient dismisses it, and one notification through the outbox that says
nothing of what changed."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import translation

from diary.models import CheckIn
from exercises.models import Exercise, ProgrammeChange
from exercises.services import programme_assign, programme_item_update
from reminders.models import Notification, PushSubscription
from reminders.programme_changes import programme_changes_notify
from reminders.services import reminders_tick

from .celery_worker import Worker, wait_until
from .factories import PatientFactory


def _today(client):
    return client.get(reverse("home")).content.decode()


def _notice(client):
    page = _today(client)
    if 'id="programme-notice"' not in page:
        return None
    return page.split('id="programme-notice"', 1)[1].split("</aside>", 1)[0]


def _exercise_name(slug):
    with translation.override("da"):
        return Exercise.objects.get(slug=slug).name


def test_a_new_programme_shows_until_dismissed(patient, assign, client_for):
    client = client_for(patient.user)
    assert _notice(client) is None
    programme = assign(patient)
    notice = _notice(client)
    assert "Din fysioterapeut har ændret dit program" in notice
    assert f"Du har fået et nyt program: {programme.name}." in notice
    # Still there on the next visit: only the patient's "OK" ends it.
    assert _notice(client) is not None
    response = client.post(
        reverse("programme-notice-seen"),
        {"up_to": ProgrammeChange.objects.latest("pk").pk},
    )
    assert response.status_code == 302 and response["Location"] == reverse("home")
    assert _notice(client) is None


def test_a_replaced_programme_names_what_came_and_went(patient, physio, assign, client_for):
    assign(patient, "haelspore-standard")
    ProgrammeChange.objects.update(seen_at=datetime.now(UTC))
    old = set(patient.programmes.get().items.values_list("exercise__slug", flat=True))
    assign(patient, "haelpudedefekt")
    new = set(
        patient.programmes.filter(ended_at__isnull=True)
        .get()
        .items.values_list("exercise__slug", flat=True)
    )
    assert old - new and new - old  # the two templates differ, or the test proves nothing
    notice = _notice(client_for(patient.user))
    for slug in new - old:
        assert f"Ny øvelse: {_exercise_name(slug)}" in notice
    for slug in old - new:
        assert f"Ikke længere i dit program: {_exercise_name(slug)}" in notice
    for slug in old & new:
        assert _exercise_name(slug) not in notice


def test_dosage_and_stage_changes_each_say_so_and_no_change_says_nothing(
    patient, physio, assign, client_for
):
    programme = assign(patient)
    ProgrammeChange.objects.update(seen_at=datetime.now(UTC))
    staged = programme.items.get(exercise__slug="heel-raise-high-load")
    stretch = programme.items.get(exercise__slug="plantar-fascia-stretch")
    # The same values again: nothing changed, nothing to tell.
    programme_item_update(actor=physio.user, item=stretch, reps=stretch.reps)
    assert _notice(client_for(patient.user)) is None
    programme_item_update(actor=physio.user, item=stretch, reps=(stretch.reps or 10) + 2)
    programme_item_update(actor=physio.user, item=staged, stage=1)
    notice = _notice(client_for(patient.user))
    assert f"Ny dosering: {_exercise_name('plantar-fascia-stretch')}" in notice
    assert f"Nyt trin: {_exercise_name('heel-raise-high-load')}" in notice
    assert "nyt program" not in notice


def test_dismissing_covers_what_was_shown_not_what_came_after(patient, physio, assign, client):
    programme = assign(patient)
    shown = ProgrammeChange.objects.latest("pk").pk
    stretch = programme.items.get(exercise__slug="plantar-fascia-stretch")
    programme_item_update(actor=physio.user, item=stretch, reps=(stretch.reps or 10) + 1)
    client.force_login(patient.user)
    client.post(reverse("programme-notice-seen"), {"up_to": shown})
    notice = _notice(client)
    assert "Ny dosering" in notice and "nyt program" not in notice
    # Bad or missing input marks nothing and answers like the form: back to Today.
    for data in ({}, {"up_to": "x"}):
        assert client.post(reverse("programme-notice-seen"), data).status_code == 302
    assert _notice(client) is not None


def test_only_the_patient_dismisses_their_own(patient, physio, assign, client_for):
    assign(patient)
    other = PatientFactory(physio=physio)
    assign(other)
    up_to = ProgrammeChange.objects.latest("pk").pk
    client_for(other.user).post(reverse("programme-notice-seen"), {"up_to": up_to})
    assert _notice(client_for(patient.user)) is not None  # another's OK is not this one's
    # A physio has no notice to dismiss; a GET does nothing.
    assert (
        client_for(physio.user).post(reverse("programme-notice-seen"), {"up_to": up_to}).status_code
        == 404
    )
    assert client_for(patient.user).get(reverse("programme-notice-seen")).status_code == 405


def test_one_notification_a_day_without_what_changed(patient, physio, assign):
    with time_machine.travel(datetime(2026, 3, 2, 9, 0, tzinfo=UTC)):
        programme = assign(patient)
        stretch = programme.items.get(exercise__slug="plantar-fascia-stretch")
        programme_item_update(actor=physio.user, item=stretch, reps=15)
        assert programme_changes_notify() == 1
        programme_item_update(actor=physio.user, item=stretch, reps=16)
        assert programme_changes_notify() == 0  # the same local day: the outbox's key
        assert programme_changes_notify() == 0  # nothing left to claim
    rows = Notification.objects.filter(kind=Notification.Kind.PROGRAMME_CHANGED)
    assert rows.count() == 1 and rows.get().patient == patient
    assert not ProgrammeChange.objects.filter(notified_at__isnull=True).exists()
    with time_machine.travel(datetime(2026, 3, 3, 9, 0, tzinfo=UTC)):
        programme_item_update(actor=physio.user, item=stretch, reps=17)
        assert reminders_tick()["programme_changes"] == 1  # the beat's tick does it
    assert rows.count() == 2


def test_seen_in_the_app_or_an_inactive_account_is_not_notified(patient, physio, assign):
    assign(patient)
    ProgrammeChange.objects.update(seen_at=datetime.now(UTC))
    other = PatientFactory(physio=physio)
    assign(other)
    other.user.is_active = False
    other.user.save(update_fields=["is_active"])
    assert programme_changes_notify() == 0
    assert not Notification.objects.exists()
    assert not ProgrammeChange.objects.filter(notified_at__isnull=True).exists()


@pytest.mark.postgres
@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_through_the_real_worker_one_push_that_names_nothing(
    redis_url, tmp_path, push_service, library
):
    """Physio changes, two beat ticks, a Celery worker over Redis, the push stand-in that
    decrypts what arrives: one message, the programme-changed text, no exercise names."""
    from exercises.models import ProgrammeTemplate

    patient = PatientFactory(user__language="en")
    # Answered the safety questions already: no weekly check-in is due alongside.
    CheckIn.objects.create(patient=patient, kind="onboarding", answers={})
    info = push_service.new_subscription()
    PushSubscription.objects.create(patient=patient, endpoint=info["endpoint"], **info["keys"])
    programme = programme_assign(
        physio=patient.physio,
        patient=patient,
        template=ProgrammeTemplate.objects.get(slug="haelspore-standard"),
        starts_on=patient.user.local_today() - timedelta(days=3),
    )
    programme_item_update(
        actor=patient.physio.user, item=programme.items.order_by("pk").first(), reps=12
    )
    worker = Worker(redis_url, tmp_path, PUSH_SERVICE_HOSTS="http://127.0.0.1")
    worker.route_here()
    try:
        worker.start()
        reminders_tick()
        reminders_tick()
        push_service.wait_for(1)
        wait_until(
            lambda: Notification.objects.filter(kind="programme_changed", status="sent").exists(),
            message="the row marked sent",
        )
        worker.wait_until_done()
    finally:
        output = worker.stop()
        worker.restore()
    assert "Traceback" not in output, output
    # One message, not one per change or per tick, and nothing else was due.
    (message,) = push_service.accepted
    payload = message.payload
    assert payload["title"] == "Your programme has changed"
    names = programme.items.values_list("exercise__name_en", flat=True)
    assert not any(name.lower() in str(payload).lower() for name in names)
