"""Both heels on the patient's Today page: two pain scales when the current episode has both
heels (the left heel fills morning_pain, the right morning_pain_other; static/js/today.js
sends both in one PUT), one scale otherwise. The API side is in tests/test_diary.py."""

from datetime import timedelta

import pytest

from care.models import Episode


def _episode(patient, *, left: bool, right: bool) -> Episode:
    Episode.objects.filter(patient=patient).delete()
    return Episode.objects.create(
        patient=patient,
        physio=patient.physio,
        starts_on=patient.user.local_today() - timedelta(days=10),
        heel_left=left,
        heel_right=right,
    )


def _today_page(client_for, patient) -> str:
    response = client_for(patient.user).get("/")
    assert response.status_code == 200
    return response.content.decode()


def test_both_heels_show_a_labelled_scale_each_for_today_and_yesterday(client_for, patient):
    _episode(patient, left=True, right=True)
    page = _today_page(client_for, patient)
    for day in ("today", "yesterday"):
        assert f'data-day="{day}" data-heel="left"' in page
        assert f'data-day="{day}" data-heel="right"' in page
        assert f'data-status-for="{day}-left"' in page
        assert f'data-status-for="{day}-right"' in page
    # Danish first: the heels are named on the page.
    assert "Venstre hæl" in page and "Højre hæl" in page
    # The left heel's scale comes first (it is morning_pain).
    assert page.index('data-heel="left"') < page.index('data-heel="right"')


@pytest.mark.parametrize(("left", "right"), [(True, False), (False, True), (False, False)])
def test_one_heel_or_none_recorded_shows_one_scale(client_for, patient, left, right):
    _episode(patient, left=left, right=right)
    page = _today_page(client_for, patient)
    assert "data-heel=" not in page
    assert page.count('class="pain-scale"') == 2  # today and yesterday
    assert 'data-status-for="today"' in page


def test_no_episode_shows_one_scale(client_for, patient):
    Episode.objects.filter(patient=patient).delete()
    page = _today_page(client_for, patient)
    assert "data-heel=" not in page


def test_the_current_episode_decides_not_an_older_one(client_for, patient):
    old = _episode(patient, left=True, right=True)
    Episode.objects.filter(pk=old.pk).update(
        starts_on=old.starts_on - timedelta(days=60),
        closed_on=old.starts_on - timedelta(days=30),
        outcome="recovered",
    )
    Episode.objects.create(
        patient=patient, starts_on=old.starts_on, heel_left=True, heel_right=False
    )
    assert "data-heel=" not in _today_page(client_for, patient)
