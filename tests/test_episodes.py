"""The episode of care: its rules in the database, the services' refusals, the programme's
link to it, the selectors, and the data migration that gave every patient their first one."""

import importlib
from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.utils import translation

from accounts.models import AccessRecord, PatientProfile
from care import services as care_services
from care.models import Episode, EpisodeReview
from care.selectors import current_episode, episode_clocks, episode_week
from care.services import (
    episode_close,
    episode_ensure,
    episode_heels_set,
    episode_open,
    episode_review_record,
)
from exercises import services as exercise_services
from exercises.models import Programme

from .factories import PatientFactory

TODAY = date(2026, 3, 2)  # a Monday
NOON = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOON, tick=False):
        yield


def _open(patient, *, starts_on=TODAY, heels=("left",), reason="", condition="heel_bursitis"):
    return episode_open(
        actor=patient.physio.user,
        patient=patient,
        starts_on=starts_on,
        condition=condition,
        heels=list(heels),
        reason=reason,
    )


def _errors(excinfo) -> dict:
    return excinfo.value.message_dict


# --- the rules in the database -------------------------------------------------------------


def _row(patient, **fields):
    return Episode(patient=patient, **{"starts_on": TODAY, "condition": "unknown", **fields})


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("first", "second", "constraint"),
    [
        ({}, {"starts_on": TODAY + timedelta(days=1)}, "one open"),
        (
            {"closed_on": TODAY, "outcome": "recovered"},
            {"closed_on": TODAY, "outcome": "referred"},
            "one start a day",
        ),
    ],
)
def test_the_database_refuses_a_second_open_episode_and_two_on_one_day(
    patient, first, second, constraint
):
    _row(patient, **first).save()
    with pytest.raises(IntegrityError), transaction.atomic():
        _row(patient, **second).save()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "fields",
    [
        {"closed_on": TODAY - timedelta(days=1), "outcome": "recovered"},  # before the start
        {"closed_on": TODAY},  # closed without an outcome
        {"outcome": "recovered"},  # an outcome while open
        {"closed_on": TODAY, "outcome": "cured"},  # not an outcome
        {"condition": "flat_feet"},
    ],
)
def test_the_database_refuses_an_episode_that_breaks_a_rule(patient, fields):
    row = _row(patient)
    for name, value in fields.items():
        setattr(row, name, value)
    with pytest.raises(IntegrityError), transaction.atomic():
        row.save()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("kind", "outcome"),
    [
        ("week_12_outcome", ""),  # the week-12 record names what came of it
        ("week_12_outcome", "better"),
        ("week_6_review", "referred"),  # the week-6 review names nothing
        ("week_9_review", ""),
    ],
)
def test_the_database_refuses_a_review_that_breaks_a_rule(patient, kind, outcome):
    episode = _row(patient)
    episode.save()
    with pytest.raises(IntegrityError), transaction.atomic():
        EpisodeReview.objects.create(episode=episode, kind=kind, outcome=outcome, recorded_on=TODAY)


@pytest.mark.django_db
def test_the_database_keeps_one_review_of_each_kind(patient):
    episode = _row(patient)
    episode.save()
    EpisodeReview.objects.create(episode=episode, kind="week_6_review", recorded_on=TODAY)
    with pytest.raises(IntegrityError), transaction.atomic():
        EpisodeReview.objects.create(episode=episode, kind="week_6_review", recorded_on=TODAY)


# --- services ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_opening_records_the_episode_raises_the_data_version_and_logs_the_write(patient):
    version = patient.data_version
    episode = _open(patient, heels=["left", "right"])
    assert episode.heels == ["left", "right"]
    assert (episode.physio, episode.opened_by) == (patient.physio, patient.physio.user)
    assert episode.condition == "heel_bursitis" and episode.is_open
    patient.refresh_from_db()
    assert patient.data_version == version + 1
    record = AccessRecord.objects.get(patient=patient)
    assert (record.action, record.what, record.actor) == ("write", "episode", patient.physio.user)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"heels": []}, "heels"),
        ({"heels": ["middle"]}, "heels"),
        ({"heels": ["left", "left"]}, "heels"),
        ({"heels": "left"}, "heels"),
        ({"condition": "flat_feet"}, "condition"),
        ({"starts_on": TODAY - timedelta(days=366)}, "starts_on"),
        ({"starts_on": TODAY + timedelta(days=91)}, "starts_on"),
    ],
)
def test_opening_refuses_bad_input_by_field_and_writes_nothing(patient, changes, field):
    arguments = {
        "starts_on": TODAY,
        "condition": "plantar_fasciitis",
        "heels": ["left"],
        "reason": "",
        **changes,
    }
    with pytest.raises(ValidationError) as excinfo:
        episode_open(actor=patient.physio.user, patient=patient, **arguments)
    assert field in _errors(excinfo)
    assert not Episode.objects.exists() and not AccessRecord.objects.exists()


@pytest.mark.django_db
def test_the_start_bounds_are_the_programmes():
    assert care_services.MAX_START_PAST_DAYS == exercise_services.MAX_START_PAST_DAYS
    assert care_services.MAX_START_FUTURE_DAYS == exercise_services.MAX_START_FUTURE_DAYS


@pytest.mark.django_db
def test_a_second_episode_is_refused_while_one_is_open(patient):
    _open(patient)
    with pytest.raises(ValidationError) as excinfo:
        _open(patient, starts_on=TODAY + timedelta(days=1), reason="the other foot")
    assert "non_field_errors" in _errors(excinfo)
    assert Episode.objects.count() == 1


@pytest.mark.django_db
def test_a_new_episode_after_a_close_needs_a_reason_and_a_start_after_the_close(patient):
    first = _open(patient, starts_on=TODAY - timedelta(days=60))
    episode_close(
        actor=patient.physio.user,
        episode=first,
        closed_on=TODAY - timedelta(days=10),
        outcome="recovered",
    )
    with pytest.raises(ValidationError) as excinfo:
        _open(patient, reason="   ")
    assert "reason" in _errors(excinfo)
    with pytest.raises(ValidationError) as excinfo:
        _open(patient, starts_on=TODAY - timedelta(days=11), reason="relapse")
    assert "starts_on" in _errors(excinfo)
    second = _open(patient, starts_on=TODAY - timedelta(days=10), reason="relapse")
    assert second.reason == "relapse"
    assert current_episode(patient) == second
    assert list(patient.episodes.order_by("starts_on")) == [first, second]


@pytest.mark.django_db
def test_closing(patient):
    episode = _open(patient, starts_on=TODAY - timedelta(days=30))
    AccessRecord.objects.all().delete()
    closed = episode_close(
        actor=patient.physio.user, episode=episode, closed_on=TODAY, outcome="referred", note="GP"
    )
    closed.refresh_from_db()
    assert (closed.closed_on, closed.outcome, closed.close_note) == (TODAY, "referred", "GP")
    assert closed.closed_by == patient.physio.user and not closed.is_open
    assert AccessRecord.objects.filter(patient=patient, what="episode", action="write").count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("closed_on", "outcome", "field"),
    [
        (TODAY - timedelta(days=31), "recovered", "closed_on"),  # before the start
        (TODAY + timedelta(days=1), "recovered", "closed_on"),  # the future
        (TODAY, "cured", "outcome"),
        (TODAY, "", "outcome"),
    ],
)
def test_closing_refuses_bad_input_by_field(patient, closed_on, outcome, field):
    episode = _open(patient, starts_on=TODAY - timedelta(days=30))
    with pytest.raises(ValidationError) as excinfo:
        episode_close(
            actor=patient.physio.user, episode=episode, closed_on=closed_on, outcome=outcome
        )
    assert field in _errors(excinfo)
    episode.refresh_from_db()
    assert episode.is_open


@pytest.mark.django_db
def test_closing_twice_is_refused(patient):
    episode = _open(patient)
    episode_close(actor=patient.physio.user, episode=episode, closed_on=TODAY, outcome="stopped")
    stale = Episode.objects.get(pk=episode.pk)
    with pytest.raises(ValidationError) as excinfo:
        episode_close(
            actor=patient.physio.user, episode=stale, closed_on=TODAY, outcome="recovered"
        )
    assert "non_field_errors" in _errors(excinfo)
    stale.refresh_from_db()
    assert stale.outcome == "stopped"


@pytest.mark.django_db
def test_reviews_are_recorded_once_each_on_the_patients_local_date(patient):
    episode = _open(patient, starts_on=TODAY - timedelta(weeks=12))
    # 23:30 UTC on 2 March is already 3 March in Copenhagen.
    with time_machine.travel(datetime(2026, 3, 2, 23, 30, tzinfo=UTC), tick=False):
        review = episode_review_record(
            actor=patient.physio.user, episode=episode, kind="week_6_review", note="plan kept"
        )
    assert review.recorded_on == date(2026, 3, 3) and review.outcome == ""
    outcome = episode_review_record(
        actor=patient.physio.user, episode=episode, kind="week_12_outcome", outcome="declined"
    )
    assert outcome.outcome == "declined"
    with pytest.raises(ValidationError) as excinfo:
        episode_review_record(actor=patient.physio.user, episode=episode, kind="week_6_review")
    assert "kind" in _errors(excinfo)
    assert EpisodeReview.objects.count() == 2
    assert AccessRecord.objects.filter(what="episode", action="write").count() == 3


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("kind", "outcome", "field"),
    [
        ("week_12_outcome", None, "outcome"),
        ("week_12_outcome", "better", "outcome"),
        ("week_6_review", "referred", "outcome"),
        ("week_9_review", None, "kind"),
    ],
)
def test_reviews_refuse_bad_input_by_field(patient, kind, outcome, field):
    episode = _open(patient)
    with pytest.raises(ValidationError) as excinfo:
        episode_review_record(
            actor=patient.physio.user, episode=episode, kind=kind, outcome=outcome
        )
    assert field in _errors(excinfo)
    assert not EpisodeReview.objects.exists()


@pytest.mark.django_db
def test_a_closed_episode_takes_no_review(patient):
    episode = _open(patient)
    episode_close(actor=patient.physio.user, episode=episode, closed_on=TODAY, outcome="stopped")
    with pytest.raises(ValidationError) as excinfo:
        episode_review_record(actor=patient.physio.user, episode=episode, kind="week_6_review")
    assert "non_field_errors" in _errors(excinfo)


@pytest.mark.django_db
def test_setting_the_heels(patient):
    episode = _open(patient, heels=["left"])
    episode_heels_set(actor=patient.physio.user, episode=episode, heels=["right", "left"])
    episode.refresh_from_db()
    assert episode.heels == ["left", "right"]
    with pytest.raises(ValidationError) as excinfo:
        episode_heels_set(actor=patient.physio.user, episode=episode, heels=[])
    assert "heels" in _errors(excinfo)


# --- the programme and its episode ---------------------------------------------------------


@pytest.mark.django_db
def test_the_first_programme_opens_the_episode_and_a_replacement_keeps_its_start(patient, assign):
    start = TODAY - timedelta(weeks=6)
    assign(patient, starts_on=start)
    episode = Episode.objects.get(patient=patient)
    assert (episode.starts_on, episode.reason, episode.heels) == (start, "first programme", [])
    assert episode.condition == patient.condition and episode.physio == patient.physio

    # The week-6 review gives a new programme: day 1 stays where it was.
    assign(patient, "haelbursitis", starts_on=TODAY)
    assert Programme.objects.filter(patient=patient).count() == 2
    episode = Episode.objects.get(patient=patient)
    assert episode.starts_on == start
    assert current_episode(patient).starts_on == start
    assert episode_clocks([patient.pk])[patient.pk].starts_on == start


@pytest.mark.django_db
def test_a_programme_for_a_closed_episode_is_refused(patient, assign):
    assign(patient, starts_on=TODAY - timedelta(weeks=4))
    episode = Episode.objects.get(patient=patient)
    episode_close(actor=patient.physio.user, episode=episode, closed_on=TODAY, outcome="recovered")
    with pytest.raises(ValidationError) as excinfo, translation.override("en"):
        assign(patient, starts_on=TODAY)
    assert _errors(excinfo) == {
        "starts_on": ["The patient's episode of care is closed: open a new one first."]
    }
    assert Programme.objects.filter(patient=patient).count() == 1


@pytest.mark.django_db
def test_ensure_keeps_an_open_episode_as_it_is(patient):
    episode = _open(patient, starts_on=TODAY - timedelta(days=3))
    again = episode_ensure(
        actor=patient.physio.user, patient=patient, starts_on=TODAY - timedelta(days=20)
    )
    assert again == episode and again.starts_on == TODAY - timedelta(days=3)


# --- selectors ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_episode_clocks_in_one_query(patient, physio, django_assert_num_queries):
    both = PatientFactory(physio=physio)
    closed = PatientFactory(physio=physio)
    nothing = PatientFactory(physio=physio)
    first = _open(patient, starts_on=TODAY - timedelta(weeks=13))
    episode_review_record(actor=physio.user, episode=first, kind="week_6_review")
    episode_review_record(
        actor=physio.user, episode=first, kind="week_12_outcome", outcome="improving"
    )
    _open(both, heels=["left", "right"])
    old = _open(closed, starts_on=TODAY - timedelta(days=100))
    episode_close(
        actor=physio.user, episode=old, closed_on=TODAY - timedelta(days=50), outcome="stopped"
    )
    latest = _open(closed, starts_on=TODAY - timedelta(days=40), reason="relapse")
    episode_close(actor=physio.user, episode=latest, closed_on=TODAY, outcome="recovered")

    ids = [patient.pk, both.pk, closed.pk, nothing.pk]
    with django_assert_num_queries(1):
        clocks = episode_clocks(ids)
    assert set(clocks) == {patient.pk, both.pk, closed.pk}
    clock = clocks[patient.pk]
    assert clock.episode_id == first.pk and clock.starts_on == TODAY - timedelta(weeks=13)
    assert clock.reviews_done == frozenset({"week_6_review", "week_12_outcome"})
    assert clock.week_12_outcome == "improving" and not clock.both_heels
    assert clock.closed_on is None and clock.outcome is None
    assert clocks[both.pk].both_heels and clocks[both.pk].reviews_done == frozenset()
    assert clocks[closed.pk].episode_id == latest.pk
    assert (clocks[closed.pk].closed_on, clocks[closed.pk].outcome) == (TODAY, "recovered")


@pytest.mark.django_db
def test_current_episode_is_the_open_one_else_the_latest_closed(patient):
    assert current_episode(patient) is None
    first = _open(patient, starts_on=TODAY - timedelta(days=30))
    assert current_episode(patient) == first
    episode_close(actor=patient.physio.user, episode=first, closed_on=TODAY, outcome="stopped")
    assert current_episode(patient) == first


@pytest.mark.parametrize(
    ("days_since_start", "closed_after", "week"),
    [(-1, None, 0), (0, None, 1), (6, None, 1), (7, None, 2), (83, None, 12), (90, 20, 3)],
)
def test_episode_week(days_since_start, closed_after, week):
    start = TODAY - timedelta(days=days_since_start)
    episode = Episode(starts_on=start)
    if closed_after is not None:
        episode.closed_on = start + timedelta(days=closed_after)
    assert episode_week(episode, TODAY) == week


# --- erasure --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_erasing_the_patient_erases_their_episodes(patient):
    from accounts.services import user_erase

    episode = _open(patient)
    episode_review_record(actor=patient.physio.user, episode=episode, kind="week_6_review")
    user_erase(user=patient.user)
    assert not Episode.objects.exists() and not EpisodeReview.objects.exists()


# --- the data migration ----------------------------------------------------------------------

migration = importlib.import_module("care.migrations.0002_open_episode_per_patient")


def _historical_apps():
    state = MigrationExecutor(connection).loader.project_state(
        ("care", "0002_open_episode_per_patient")
    )
    return state.apps


@pytest.mark.django_db
def test_the_data_migration_opens_one_episode_per_patient_at_the_first_programme(physio):
    with_programmes = PatientFactory(physio=physio, condition="heel_bursitis")
    # Joined at 23:30 UTC on 1 March: 2 March in Copenhagen, 1 March in New York.
    joined = datetime(2026, 3, 1, 23, 30, tzinfo=UTC)
    joined_cph = PatientFactory(physio=physio)
    joined_ny = PatientFactory(physio=physio, user__timezone="America/New_York")
    already = PatientFactory(physio=physio)
    PatientProfile.objects.filter(pk__in=[joined_cph.pk, joined_ny.pk]).update(created_at=joined)
    # The first programme ended long ago; the active one started later.
    Programme.objects.create(
        patient=with_programmes,
        name="Old",
        starts_on=date(2025, 11, 3),
        ends_on=date(2026, 1, 5),
        ended_at=NOON,
    )
    Programme.objects.create(patient=with_programmes, name="New", starts_on=date(2026, 1, 5))
    kept = _open(already, starts_on=date(2026, 2, 1))

    migration.open_first_episodes(_historical_apps(), None)

    episodes = {e.patient_id: e for e in Episode.objects.all()}
    assert len(episodes) == 4
    first = episodes[with_programmes.pk]
    assert first.starts_on == date(2025, 11, 3)
    assert first.condition == "heel_bursitis" and first.physio_id == physio.pk
    assert (first.heel_left, first.heel_right, first.heels) == (False, False, [])
    assert first.is_open and first.outcome == ""
    assert episodes[joined_cph.pk].starts_on == date(2026, 3, 2)
    assert episodes[joined_ny.pk].starts_on == date(2026, 3, 1)
    assert episodes[already.pk] == kept and episodes[already.pk].starts_on == date(2026, 2, 1)

    # Run again (a re-applied migration): nothing new.
    migration.open_first_episodes(_historical_apps(), None)
    assert Episode.objects.count() == 4


def test_the_data_migration_reads_the_programmes_after_their_table_is_there():
    assert ("exercises", "0003_calf_stop_text") in migration.Migration.dependencies
