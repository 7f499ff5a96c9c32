"""The guided exercise page (/today/guide/, web/views/guide.py): who may open it, what it
holds, and how it paces each kind of exercise. The flow itself runs in Chromium
(tests/browser/test_guide.py)."""

import json
import re
from datetime import timedelta
from urllib.parse import quote

import pytest
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from web.views.guide import pacing

from .conftest import verified_login
from .factories import PatientFactory, UserFactory

GUIDE = "/today/guide/"


def exercises_on(page) -> list[dict]:
    match = re.search(
        r'<script id="guide-exercises" type="application/json">(.*?)</script>', page.text, re.S
    )
    assert match, "the page carries the exercises as JSON"
    return json.loads(match.group(1))


@pytest.fixture
def week_three(patient, assign):
    """The standard programme on day 15 (week 3): the heel raise is at its 3 x 12 stage and
    due today (every other day from the start)."""
    return assign(patient, starts_on=patient.user.local_today() - timedelta(days=14))


def item(programme, slug):
    return programme.items.get(exercise__slug=slug)


def test_the_url_is_named_guide():
    assert reverse("guide") == GUIDE


def test_anonymous_is_sent_to_log_in(client, db):
    response = client.get(GUIDE)
    assert response.status_code == 302
    assert response.url.startswith("/login/")


def test_the_patient_gets_todays_due_exercises_with_their_pacing(client, patient, week_three):
    client.force_login(patient.user)
    page = client.get(GUIDE)
    assert page.status_code == 200
    assert "Guidet træning" in page.text
    by_id = {e["id"]: e for e in exercises_on(page)}
    heel = by_id[item(week_three, "heel-raise-high-load").pk]
    assert {k: heel[k] for k in ("mode", "sets", "reps", "up", "hold", "down", "rest")} == {
        "mode": "tempo",
        "sets": 3,
        "reps": 12,
        "up": 3,
        "hold": 2,
        "down": 3,
        "rest": 120,
    }
    assert heel["illustration"].endswith("heel-raise-high-load.svg")
    assert heel["steps"] and heel["stop_if"] and heel["due"] is True
    stretch = by_id[item(week_three, "plantar-fascia-stretch").pk]
    assert (stretch["mode"], stretch["hold"], stretch["reps"], stretch["sets"]) == (
        "hold",
        10,
        10,
        1,
    )
    assert stretch["sessions"] == 3  # three times a day: the script picks the next one
    # Advice is never guided.
    assert item(week_three, "footwear-advice").pk not in by_id
    # The programme only, nothing done or felt: the service worker may keep it offline.
    assert page.headers["X-Offline"] == "keep"
    assert "no-store" not in page.headers["Cache-Control"]
    assert "js/guide.js" in page.text


def test_an_item_not_due_today_can_be_asked_for(client, patient, assign):
    # Day 2: the every-other-day heel raise is not due, but the patient chose it.
    programme = assign(patient, starts_on=patient.user.local_today() - timedelta(days=1))
    heel = item(programme, "heel-raise-high-load")
    client.force_login(patient.user)
    assert heel.pk not in [e["id"] for e in exercises_on(client.get(GUIDE))]
    asked = exercises_on(client.get(f"{GUIDE}?item={heel.pk}"))
    assert next(e for e in asked if e["id"] == heel.pk)["due"] is False


def test_another_patients_item_is_404(client, patient, week_three, assign):
    other = PatientFactory(physio=patient.physio)
    theirs = item(assign(other), "heel-raise-high-load")
    client.force_login(patient.user)
    assert client.get(f"{GUIDE}?item={theirs.pk}").status_code == 404
    # Nor advice of one's own, nor a number that is nobody's.
    assert client.get(f"{GUIDE}?item={item(week_three, 'footwear-advice').pk}").status_code == 404
    assert client.get(f"{GUIDE}?item=999999").status_code == 404


def test_a_malformed_item_is_a_400_naming_it(client, patient, week_three):
    client.force_login(patient.user)
    response = client.get(f"{GUIDE}?item=abc")
    assert response.status_code == 400
    assert response.content.decode().startswith("item:")


def test_no_programme_is_a_friendly_page(client, patient):
    client.force_login(patient.user)
    page = client.get(GUIDE)
    assert page.status_code == 200
    assert "Intet program endnu" in page.text
    assert 'href="/"' in page.text  # back to Today
    assert "guide-exercises" not in page.text and "js/guide.js" not in page.text


def test_physio_and_staff_are_refused_like_any_other_patient_page(client, physio, settings):
    settings.REQUIRE_2FA = False
    client.force_login(physio.user)
    assert client.get(GUIDE).status_code == 404
    staff = UserFactory(is_staff=True)
    client.force_login(staff)
    assert client.get(GUIDE).status_code == 404


def test_a_verified_physio_is_refused_too(client, physio, settings):
    settings.REQUIRE_2FA = True
    verified_login(client, physio.user)
    assert client.get(GUIDE).status_code == 404


def test_a_password_only_session_of_a_second_factor_account_is_sent_to_verify(
    client, patient, week_three
):
    TOTPDevice.objects.create(user=patient.user, name="phone", confirmed=True)
    client.force_login(patient.user)  # the password step only
    response = client.get(f"{GUIDE}?item={item(week_three, 'heel-raise-high-load').pk}")
    assert response.status_code == 302
    assert response.url.startswith(reverse("otp-verify"))
    assert quote(GUIDE, safe="") in response.url or GUIDE in response.url
    # With the code given, the page opens.
    verified_login(client, patient.user)
    assert client.get(GUIDE).status_code == 200


def test_today_links_to_the_guide(client, patient, week_three):
    client.force_login(patient.user)
    page = client.get("/")
    assert f'href="{GUIDE}"' in page.text and "Start dagens træning" in page.text
    heel = item(week_three, "heel-raise-high-load")
    assert f'href="{GUIDE}?item={heel.pk}"' in page.text
    assert "Start guidet træning" in page.text
    assert "timer-toggle" not in page.text  # the single-set timer is gone


def test_pacing_of_each_kind_of_dosage():
    stretch = pacing({"reps": 3, "hold_seconds": 30, "times_per_day": 2})
    assert stretch["mode"] == "hold" and stretch["sets"] == 1 and stretch["relax"] > 0
    assert stretch["rest"] is None
    # No tempo and no hold prescribed: the patient's own tempo, no invented numbers.
    floor = pacing({"sets": 3, "reps": 15})
    assert (floor["mode"], floor["sets"], floor["reps"], floor["rest"]) == ("free", 3, 15, None)
    assert floor["up"] == floor["hold"] == floor["down"] == 0
    heavy = pacing(
        {
            "sets": 4,
            "reps": 10,
            "tempo_up": 3,
            "tempo_hold": 2,
            "tempo_down": 3,
            "rest_seconds": 120,
        }
    )
    assert (heavy["mode"], heavy["sets"], heavy["rest"], heavy["relax"]) == ("tempo", 4, 120, 0)
