"""The patient's rights: export everything, erase everything; physio writes are logged."""

import csv
import io
from datetime import timedelta

import pytest

from accounts.models import AccessRecord, Invitation, User
from diary.models import CheckIn, DiaryEntry
from exercises.models import Completion, Programme
from reminders.models import Notification, PushSubscription
from reminders.services import notification_create, schedule_for

from .factories import PASSWORD, diary_series


@pytest.fixture
def rich_patient(patient, assign, client_for):
    """A patient with something in every table."""
    start = patient.user.local_today() - timedelta(days=9)
    programme = assign(patient, starts_on=start)
    diary_series(patient, start, [6, 5] + [4] * 8)
    DiaryEntry.objects.filter(patient=patient).order_by("-date").update(note="=HYPERLINK(x)")
    item = programme.items.first()
    Completion.objects.create(
        patient=patient, item=item, date=start, sets_done=2, recorded_at=programme.created_at
    )
    CheckIn.objects.create(patient=patient, kind="onboarding", answers={"diabetes": False})
    schedule_for(patient)
    PushSubscription.objects.create(
        patient=patient, endpoint="https://fcm.googleapis.com/x", p256dh="k", auth="a"
    )
    notification_create(patient=patient, kind=Notification.Kind.NUDGE)
    client_for(patient.physio.user).get(f"/api/v1/patients/{patient.pk}/diary/")
    return patient


def test_export_has_everything(client_for, rich_patient):
    response = client_for(rich_patient.user).get("/api/v1/export/")
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    assert "attachment" in response["Content-Disposition"]
    body = response.json()
    assert body["profile"]["email"] == rich_patient.user.email
    assert body["programmes"][0]["name"] == "Hælspore - standard"
    assert len(body["programmes"][0]["items"]) == 5
    # The first programme opened the episode of care, heels not yet recorded.
    [episode] = body["episodes"]
    assert episode["starts_on"] == body["programmes"][0]["starts_on"]
    assert episode["heels"] == [] and episode["reason"] == "first programme"
    assert episode["closed_on"] is None
    assert len(body["diary"]) == 10 and body["diary"][0]["morning_pain"] == 6
    assert body["completions"][0]["sets_done"] == 2
    assert body["checkins"][0]["answers"] == {"diabetes": False}
    assert body["reminders"]["time"] == "07:30"
    assert body["notifications"][0]["kind"] == "nudge"
    whats = {(r["action"], r["what"]) for r in body["access_log"]}
    assert ("read", "diary") in whats and ("write", "programme") in whats


def test_diary_csv_neutralises_formulas(client_for, rich_patient):
    response = client_for(rich_patient.user).get("/api/v1/export/?as=csv")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["date", "morning_pain", "morning_pain_other", "note", "recorded_at"]
    assert len(rows) == 11
    assert rows[-1][3] == "'=HYPERLINK(x)"


def test_export_is_for_patients_only(client_for, physio):
    assert client_for(physio.user).get("/api/v1/export/").status_code == 403


def test_erase_needs_the_password(client_for, rich_patient):
    response = client_for(rich_patient.user).delete(
        "/api/v1/me/", {"password": "wrong"}, format="json"
    )
    assert response.status_code == 400 and "password" in response.json()
    assert User.objects.filter(pk=rich_patient.user.pk).exists()


def test_erase_removes_the_account_and_all_health_data(client_for, rich_patient):
    user = rich_patient.user
    Invitation.objects.create(
        clinic=rich_patient.clinic,
        invited_by=rich_patient.physio,
        email=user.email,
        name=user.name,
        code_hash="x" * 64,
        expires_at=user.date_joined + timedelta(days=1),
    )
    client = client_for(user)
    assert client.delete("/api/v1/me/", {"password": PASSWORD}, format="json").status_code == 204
    assert not User.objects.filter(pk=user.pk).exists()
    for model in (
        DiaryEntry,
        Completion,
        Programme,
        CheckIn,
        Notification,
        PushSubscription,
        AccessRecord,
        Invitation,
    ):
        assert not model.objects.exists(), model.__name__
    # The session ended with the account.
    assert client.get("/api/v1/me/").status_code in (401, 403)
    # The physio keeps their own account.
    assert User.objects.filter(pk=rich_patient.physio.user.pk).exists()


def test_physios_cannot_erase_through_the_patient_endpoint(client_for, physio):
    response = client_for(physio.user).delete("/api/v1/me/", {"password": PASSWORD}, format="json")
    assert response.status_code == 403
    assert User.objects.filter(pk=physio.user.pk).exists()


def test_physio_writes_appear_in_the_patients_log(client_for, physio, patient, assign):
    programme = assign(patient)
    item = programme.items.get(exercise__slug="plantar-fascia-stretch")
    client_for(physio.user).patch(
        f"/api/v1/patients/{patient.pk}/programme/items/{item.pk}/", {"reps": 8}, format="json"
    )
    log = client_for(patient.user).get("/api/v1/access-log/").json()["results"]
    assert [(r["action"], r["what"]) for r in log] == [
        ("write", "programme"),
        ("write", "programme"),
        ("write", "episode"),  # the first programme opened the episode of care
    ]
    assert {r["who"] for r in log} == {physio.user.name}


def test_access_records_cannot_be_changed_in_the_admin(client, patient, physio):
    from django.contrib.auth.models import Permission

    record = AccessRecord.objects.create(
        patient=patient, actor=physio.user, actor_name="X", actor_role="physio", what="diary"
    )
    admin = User.objects.create_superuser(email="root@example.org", password=PASSWORD, name="R")
    admin.user_permissions.add(*Permission.objects.all())
    client.force_login(admin)
    url = f"/admin/accounts/accessrecord/{record.pk}/"
    assert client.post(url + "change/", {"what": "nothing"}).status_code == 403
    assert client.post(url + "delete/", {"post": "yes"}).status_code == 403
    assert AccessRecord.objects.get(pk=record.pk).what == "diary"


# --- Erasure leaves nothing that names the person (issue 18, item 4) ------------------------

ERASED_EMAIL = "bodil.slettesen@example.org"
ERASED_NAME = "Bodil Slettesen"
ERASED_ADDRESS = "203.0.113.77"
ERASED_AGENT = "SlettesenPhone/4.2"


def _rows_naming(*, texts: list[str], user_id: int) -> list[str]:
    """Every place in the database that names the person: a text column containing one of
    `texts` (any case), a column that points at their user id, or a session whose data
    names their id. Every table of every installed app, axes' and the sessions' included."""
    from django.apps import apps
    from django.db import connection

    from accounts.models import User
    from usersessions.backend import SessionStore

    needles = [text.lower() for text in texts]
    found = []
    with connection.cursor() as cursor:
        for model in apps.get_models(include_auto_created=True):
            meta = model._meta
            if meta.proxy or not meta.managed:
                continue
            fields = {field.column: field for field in meta.concrete_fields}
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(meta.db_table)}")  # noqa: S608
            columns = [column[0] for column in cursor.description]
            for row in cursor.fetchall():
                for column, value in zip(columns, row, strict=True):
                    field = fields.get(column)
                    if field is not None and (
                        field.related_model is User or (model is User and field.primary_key)
                    ):
                        if value == user_id:
                            found.append(f"{meta.db_table}.{column} = user id")
                        continue
                    text = str(value).lower()
                    if column == "session_data":
                        decoded = SessionStore().decode(value)
                        if decoded.get("_auth_user_id") == str(user_id):
                            found.append(f"{meta.db_table}.{column} names the user id")
                        text = repr(decoded).lower()
                    for needle in needles:
                        if needle in text:
                            found.append(f"{meta.db_table}.{column} contains {needle!r}")
    return found


def test_erasure_leaves_no_row_naming_the_person(physio, assign, settings):
    """A patient who joined by invitation, logged in on the web and in the app, mistyped the
    password, was locked out of an attacker's guesses, got reminders and was seen by their
    physio, then erased the account: afterwards no table holds their e-mail address, name,
    address or browser, no column points at their id and no session names them. Before,
    axes' log-in records kept the address, browser and e-mail, and sessions their id."""
    from django.core import mail
    from django.test import Client

    from accounts.audit import account_event_record
    from accounts.models import AccountEvent
    from accounts.services import invitation_accept, invitation_create
    from reminders.models import ReminderSchedule
    from reminders.tasks import send_notifications

    settings.AXES_ENABLE_ACCESS_FAILURE_LOG = True
    _invitation, code = invitation_create(physio=physio, email=ERASED_EMAIL, name=ERASED_NAME)
    user = invitation_accept(code=code, password=PASSWORD)
    patient = user.patient_profile
    start = user.local_today() - timedelta(days=6)
    assign(patient, starts_on=start)
    diary_series(patient, start, [6, 5, 5, 4, 4, 3, 3])

    phone = {"REMOTE_ADDR": ERASED_ADDRESS, "HTTP_USER_AGENT": ERASED_AGENT}
    web = Client(**phone)
    mistyped = {"username": ERASED_EMAIL.title(), "password": "not-my-password"}
    assert web.post("/login/", mistyped).status_code == 200
    assert web.post("/login/", {"username": ERASED_EMAIL, "password": PASSWORD}).status_code == 302
    app = Client(**phone)
    token = app.post(
        "/api/v1/auth/token/",
        {"email": ERASED_EMAIL, "password": PASSWORD},
        content_type="application/json",
    ).json()["token"]
    attacker = Client(REMOTE_ADDR="198.51.100.9")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attacker.post("/login/", {"username": ERASED_EMAIL.upper(), "password": "guess"})
    assert attacker.post("/login/", {"username": ERASED_EMAIL, "password": "x"}).status_code == 429
    web.post("/language/", {"language": "en", "next": "/"})
    account_event_record(user=user, kind=AccountEvent.Kind.RECOVERY_CODES_ISSUED)
    ReminderSchedule.objects.filter(pk=schedule_for(patient).pk).update(channels=["email"])
    nudge = notification_create(patient=patient, kind=Notification.Kind.NUDGE)
    send_notifications([nudge.pk])
    assert [message.to for message in mail.outbox][-1] == [ERASED_EMAIL]
    physio_client = Client()
    physio_client.force_login(physio.user)
    assert physio_client.get("/").status_code == 200
    assert physio_client.get(f"/patients/{patient.pk}/").status_code == 200

    # Clinic staff changed the account in the admin: Django's history copies "name <e-mail>".
    from django.contrib.admin.models import CHANGE, LogEntry
    from django.contrib.contenttypes.models import ContentType

    for obj in (user, patient):
        LogEntry.objects.create(
            user=physio.user,
            content_type=ContentType.objects.get_for_model(type(obj)),
            object_id=str(obj.pk),
            object_repr=str(obj),
            action_flag=CHANGE,
            change_message="[]",
        )

    needles = [ERASED_EMAIL, ERASED_NAME, ERASED_ADDRESS, ERASED_AGENT]
    before = _rows_naming(texts=needles, user_id=user.pk)
    for place in (
        "django_admin_log.object_repr",
        "axes_accessattempt.username",
        "axes_accesslog.ip_address",
        "axes_accesslog.user_agent",
        "axes_accessfailurelog.username",
        "usersessions_usersession.user_id = user id",
        "usersessions_usersession.session_data names the user id",
        "knox_authtoken.user_id = user id",
        "accounts_invitation.email",
    ):
        assert any(hit.startswith(place) for hit in before), (place, before)

    response = web.delete("/api/v1/me/", {"password": PASSWORD}, content_type="application/json")
    assert response.status_code == 204

    assert _rows_naming(texts=needles, user_id=user.pk) == []
    assert web.get("/api/v1/me/").status_code == 401
    assert Client(HTTP_AUTHORIZATION=f"Token {token}").get("/api/v1/me/").status_code == 401
    # The physio's own traces are theirs, not the patient's: kept.
    assert physio_client.get("/").status_code == 200


def test_export_has_the_care_around_the_diary(client_for, rich_patient):
    """Messages (as written, markup too, as text), programme changes, lessons read and pinned,
    and questionnaires are the patient's data like the diary; the document keeps in step with
    the schema that describes it."""
    from lessons.models import Lesson
    from lessons.services import lesson_pin, lesson_read_mark
    from messaging.services import message_send
    from outcomes.models import QuestionnaireResponse
    from privacy.serializers import ExportSerializer

    patient, physio = rich_patient, rich_patient.physio
    message_send(patient=patient, author=patient.user, body="<script>alert(1)</script> Hej")
    message_send(patient=patient, author=physio.user, body="Godt gået")
    lesson = Lesson.objects.order_by("order").first()
    lesson_read_mark(patient=patient, lesson=lesson)
    lesson_pin(actor=physio.user, patient=patient, lesson=lesson)
    QuestionnaireResponse.objects.create(
        patient=patient,
        episode_starts_on=patient.episodes.get().starts_on,
        instrument="pass",
        instrument_version="1",
        language="da",
        timepoint="week_6",
        due_on=patient.user.local_today(),
        answers={"acceptable": True},
    )
    body = client_for(patient.user).get("/api/v1/export/").json()
    assert [(m["sender"], m["body"]) for m in body["messages"]] == [
        ("patient", "<script>alert(1)</script> Hej"),
        ("clinic", "Godt gået"),
    ]
    assert body["messages"][1]["author"] == physio.user.name
    assert body["programme_changes"][0]["what"] == "new_programme"
    assert body["lessons"]["read"][0]["lesson"] == lesson.slug
    assert body["lessons"]["pinned"][0]["lesson"] == lesson.slug
    [answered] = body["questionnaires"]
    assert answered["instrument"] == "pass" and answered["answers"] == {"acceptable": True}
    assert body["follow_ups"] == []
    assert set(body) == set(ExportSerializer().fields)
