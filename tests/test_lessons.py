"""Patient education lessons: plain language (LIX), both languages, sources, the topics, the
weekly unlock, read marks, pins, hidden lessons and who may see what."""

import io
import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command

from accounts.models import AccessRecord
from lessons import content
from lessons.models import ClinicLessonHidden, Lesson, LessonPin, LessonRead
from lessons.readability import lix, words
from lessons.render import body_html, body_text
from lessons.sync import lessons_load

from .factories import ClinicFactory, PatientFactory, PhysioFactory

CPH = ZoneInfo("Europe/Copenhagen")
JOINED = datetime(2026, 3, 2, 9, 0, tzinfo=CPH)  # a Monday: day 1 of week 1


def _text(lesson, language):
    return lesson[language]["title"] + ". " + body_text(lesson[language]["body"])


# --- the content ------------------------------------------------------------------------------


def test_lix_of_a_known_text():
    # 10 words, 2 sentences, 1 long word (morgenen): 10/2 + 100 * 1/10 = 15.
    assert lix("Jeg har ondt i hælen. Det gør ondt om morgenen.") == pytest.approx(15.0)
    # 4 words, 1 sentence, all long (more than 6 letters; æ, ø, å are letters): 4 + 100.
    assert lix("Fysioterapeuten anbefaler udspænding dagligt!") == pytest.approx(104.0)
    # A hyphenated word is one word (7 letters: long); a colon ends a sentence: 7/2 + 100/7.
    assert lix("To-trins hjælp: Gå en tur i dag.") == pytest.approx(7 / 2 + 100 / 7)
    assert lix("") == 0.0


@pytest.mark.parametrize("lesson", content.LESSONS, ids=lambda lesson: lesson["slug"])
def test_danish_lesson_is_plain(lesson):
    assert lix(_text(lesson, "da")) <= 40


@pytest.mark.parametrize("lesson", content.LESSONS, ids=lambda lesson: lesson["slug"])
def test_each_lesson_in_both_languages_short_and_sourced(lesson):
    for language in ("da", "en"):
        assert lesson[language]["title"].strip()
        assert lesson[language]["body"]
        # Under two minutes' reading.
        assert len(words(_text(lesson, language))) <= 250
    # The same shape in both languages: a translation, not another text.
    shape = [type(block) for block in lesson["da"]["body"]]
    assert shape == [type(block) for block in lesson["en"]["body"]]
    assert lesson["sources"]
    assert all(key in content.SOURCES for key in lesson["sources"])


def test_every_topic_has_its_lesson():
    slugs = {lesson["slug"] for lesson in content.LESSONS}
    assert set(content.TOPICS) == {
        "what is happening in the heel",
        "causes and risk factors",
        "symptoms",
        "how long it takes",
        "shoes and heel cups",
        "arch-support insoles",
        "load management",
        "weight",
        "ice",
        "pain relief from the pharmacy",
        "night splint",
        "taping",
        "what may come later",
        "prevention",
        "when to seek care",
    }
    assert set(content.TOPICS.values()) <= slugs
    assert len(slugs) == len(content.LESSONS)
    week_1 = {lesson["slug"] for lesson in content.LESSONS if lesson["unlock_week"] == 1}
    assert week_1 == {"what-is-happening", "how-long"}
    # Then one a week, with no gap.
    later = sorted(lesson["unlock_week"] for lesson in content.LESSONS if lesson["unlock_week"] > 1)
    assert later == list(range(2, 2 + len(later)))


def test_facts_that_must_be_there():
    by_slug = {lesson["slug"]: lesson for lesson in content.LESSONS}
    heel = _text(by_slug["what-is-happening"], "en")
    assert "X-ray" in heel and "rarely the cause" in heel
    later = _text(by_slug["later-treatments"], "en")
    assert "fat pad" in later and "tears" in later and "Surgery is rarely" in later
    seek = by_slug["when-to-seek-care"]
    assert "calf" in _text(seek, "en") and "112" in _text(seek, "da")
    assert 'href="/about/"' in body_html(seek["da"]["body"])


def test_body_is_escaped_and_links_stay_in_the_app():
    html = body_html(["<script>x</script> [ok](/about/) [no](//evil.example/) [no](https://x.y/)"])
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert html.count("<a ") == 1 and 'href="/about/"' in html


@pytest.mark.django_db
def test_sync_is_idempotent_and_a_version_bump_updates(monkeypatch):
    lessons_load(Lesson)
    assert Lesson.objects.count() == len(content.LESSONS)
    assert lessons_load(Lesson) == {"created": 0, "updated": 0, "unchanged": len(content.LESSONS)}
    changed = [dict(lesson) for lesson in content.LESSONS]
    changed[0] = {
        **changed[0],
        "version": changed[0]["version"] + 1,
        "en": {"title": "Changed", "body": ["New text."]},
    }
    monkeypatch.setattr(content, "LESSONS", changed)
    counts = lessons_load(Lesson)
    assert counts["updated"] == 1 and counts["created"] == 0
    row = Lesson.objects.get(slug=changed[0]["slug"])
    assert (row.title_en, row.version, row.body_en) == (
        "Changed",
        changed[0]["version"],
        "<p>New text.</p>",
    )
    out = io.StringIO()
    call_command("lessons_sync", stdout=out)
    assert "0 created" in out.getvalue()


# --- unlocking, reading, pinning, hiding ------------------------------------------------------


@pytest.fixture
def lessons(db):
    lessons_load(Lesson)


@pytest.fixture
def joined(lessons, physio):
    with time_machine.travel(JOINED, tick=False):
        return PatientFactory(physio=physio)


def _list(client):
    response = client.get("/api/v1/lessons/")
    assert response.status_code == 200
    return response.json()


def test_one_lesson_a_week(joined, client_for):
    client = client_for(joined.user)
    with time_machine.travel(JOINED + timedelta(days=6), tick=False):  # day 7: week 1
        rows = _list(client)
    assert [row["slug"] for row in rows] == [lesson["slug"] for lesson in content.LESSONS]
    assert set(rows[0]) == {"slug", "title", "minutes", "unlocked", "read", "pinned"}
    assert [row["slug"] for row in rows if row["unlocked"]] == ["what-is-happening", "how-long"]
    with time_machine.travel(JOINED + timedelta(days=7), tick=False):  # day 8: week 2
        assert sum(row["unlocked"] for row in _list(client)) == 3
    with time_machine.travel(JOINED + timedelta(days=7 * 20), tick=False):
        assert all(row["unlocked"] for row in _list(client))


def test_reading_marks_it_read(joined, client_for):
    client = client_for(joined.user)
    with time_machine.travel(JOINED + timedelta(days=1), tick=False):
        response = client.get("/api/v1/lessons/how-long/")
        assert response.status_code == 200
        body = response.json()
        assert set(body) == {"slug", "title", "body_html", "sources", "version"}
        assert body["title"] == "Hvor lang tid tager det?"
        assert body["sources"] and "<p>" in body["body_html"]
        assert response["Cache-Control"] == "no-store"
        read = {row["slug"]: row["read"] for row in _list(client)}
    assert read["how-long"] and not read["what-is-happening"]
    assert LessonRead.objects.get(patient=joined).version == body["version"]


def test_a_locked_lesson_is_404_and_not_marked(joined, client_for):
    client = client_for(joined.user)
    with time_machine.travel(JOINED + timedelta(days=1), tick=False):
        assert client.get("/api/v1/lessons/prevention/").status_code == 404
        assert client.get("/api/v1/lessons/no-such-lesson/").status_code == 404
        assert client.get("/learn/prevention/").status_code == 404
    assert not LessonRead.objects.exists()


def test_the_episode_start_is_the_clock_when_care_is_there(joined):
    """The current episode as the caller read it (Today reads it once for all it asks): its
    start is day 1; without one, the day the patient joined is."""
    from types import SimpleNamespace

    from lessons import clock

    episode = SimpleNamespace(starts_on=JOINED.date() - timedelta(days=21))
    with time_machine.travel(JOINED, tick=False):
        assert clock.current_week(joined, episode) == 4
        assert clock.current_week(joined, None) == 1


def test_physio_pins_a_lesson_and_it_unlocks(joined, physio, client_for):
    patient_client, physio_client = client_for(joined.user), client_for(physio.user)
    url = f"/api/v1/patients/{joined.pk}/lessons/prevention/pin/"
    with time_machine.travel(JOINED + timedelta(days=1), tick=False):
        assert physio_client.post(url).status_code == 201
        assert physio_client.post(url).status_code == 200  # twice: one pin
        row = next(r for r in _list(patient_client) if r["slug"] == "prevention")
        assert row["unlocked"] and row["pinned"]
        assert patient_client.get("/api/v1/lessons/prevention/").status_code == 200
        seen = physio_client.get(f"/api/v1/patients/{joined.pk}/lessons/").json()
        assert next(r for r in seen if r["slug"] == "prevention")["read"] is True
        assert physio_client.delete(url).status_code == 204
        assert patient_client.get("/api/v1/lessons/prevention/").status_code == 404
    assert LessonPin.objects.count() == 0
    records = AccessRecord.objects.filter(patient=joined, what="lessons")
    assert sorted(records.values_list("action", flat=True)) == ["read", "write", "write"]


def test_pin_from_the_patient_page(joined, physio, client):
    client.force_login(physio.user)
    page = client.get(f"/patients/{joined.pk}/")
    assert page.status_code == 200
    assert "Hvad sker der i hælen?" in page.content.decode()
    url = f"/patients/{joined.pk}/lessons/weight/pin/"
    assert client.post(url, {"pinned": "1"}).status_code == 302
    assert LessonPin.objects.filter(patient=joined, lesson__slug="weight").exists()
    assert client.post(url, {}).status_code == 400
    assert client.post(url, {"pinned": "0"}).status_code == 302
    assert not LessonPin.objects.exists()


def test_others_get_404(joined, client_for):
    other_clinic = PhysioFactory(clinic=ClinicFactory())
    colleague = PhysioFactory(clinic=joined.clinic)
    for physio in (other_clinic, colleague):
        client = client_for(physio.user)
        url = f"/api/v1/patients/{joined.pk}/lessons/"
        assert client.get(url).status_code == 404
        assert client.post(url + "weight/pin/").status_code == 404
        assert client.delete(url + "weight/pin/").status_code == 404
    assert not LessonPin.objects.exists()
    # Another patient: their own lessons, never this one's state.
    other = client_for(PatientFactory(physio=joined.physio).user)
    assert other.get(f"/api/v1/patients/{joined.pk}/lessons/").status_code == 403
    # Anonymous.
    from rest_framework.test import APIClient

    assert APIClient().get("/api/v1/lessons/").status_code in (401, 403)
    assert APIClient().get("/api/v1/lessons/how-long/").status_code in (401, 403)


def test_hidden_lessons_are_not_listed(joined, physio, client_for):
    ClinicLessonHidden.objects.create(
        clinic=joined.clinic, lesson=Lesson.objects.get(slug="how-long")
    )
    client = client_for(joined.user)
    with time_machine.travel(JOINED + timedelta(days=1), tick=False):
        assert "how-long" not in [row["slug"] for row in _list(client)]
        assert client.get("/api/v1/lessons/how-long/").status_code == 404
    assert (
        client_for(physio.user)
        .post(f"/api/v1/patients/{joined.pk}/lessons/how-long/pin/")
        .status_code
        == 404
    )
    # Another clinic still shows it.
    elsewhere = client_for(PatientFactory(physio=PhysioFactory(clinic=ClinicFactory())).user)
    assert "how-long" in [row["slug"] for row in _list(elsewhere)]


def test_pages_and_today_card(joined, client):
    client.force_login(joined.user)
    with time_machine.travel(JOINED + timedelta(days=1), tick=False):
        today = client.get("/").content.decode()
        assert 'href="/learn/what-is-happening/"' in today
        page = client.get("/learn/what-is-happening/")
        assert page.status_code == 200 and page["X-Offline"] == "keep"
        assert "Kilder" in page.content.decode() or "Sources" in page.content.decode()
        # The first is read: Today points to the next one.
        assert 'href="/learn/how-long/"' in client.get("/").content.decode()
        client.get("/learn/how-long/")
        # Every unlocked lesson is read: Today points to none (the Learn list may be linked).
        main = client.get("/").content.decode().split("<main")[1].split("</main>")[0]
        assert re.search(r'href="/learn/[^"]+/"', main) is None
        listing = client.get("/learn/")
        assert listing.status_code == 200 and listing["X-Offline"] == "keep"


def test_admin_staff_hide_for_their_own_clinic(client, joined, physio):
    from django.contrib.auth.models import Group, Permission

    from .conftest import verified_login

    group = Group.objects.create(name="Clinic staff")
    group.permissions.set(Permission.objects.filter(content_type__app_label="lessons"))
    physio.user.is_staff = True
    physio.user.save()
    physio.user.groups.add(group)
    verified_login(client, physio.user)
    assert client.get("/admin/lessons/lesson/").status_code == 200
    lesson = Lesson.objects.get(slug="ice")
    response = client.post(
        "/admin/lessons/lesson/",
        {"action": "hide_for_my_clinic", "_selected_action": [lesson.pk]},
    )
    assert response.status_code == 302
    assert list(ClinicLessonHidden.objects.values_list("clinic_id", "lesson__slug")) == [
        (physio.clinic_id, "ice")
    ]
    # Another clinic's hidden row is not in this staff member's list and answers 404.
    other = ClinicLessonHidden.objects.create(clinic=ClinicFactory(), lesson=lesson)
    assert client.get(f"/admin/lessons/cliniclessonhidden/{other.pk}/change/").status_code == 404
    client.post(
        "/admin/lessons/lesson/",
        {"action": "show_for_my_clinic", "_selected_action": [lesson.pk]},
    )
    assert list(ClinicLessonHidden.objects.values_list("pk", flat=True)) == [other.pk]
