"""Move the live sessions from Django's own table into this one, with their user, so nobody
is logged out by the switch of SESSION_ENGINE and the old table keeps no one's sessions."""

from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.db import migrations
from django.utils import timezone

BATCH = 1000


def move(apps, schema_editor):
    Session = apps.get_model("sessions", "Session")
    UserSession = apps.get_model("usersessions", "UserSession")
    # The signature's salt is the store's class name, "SessionStore" for Django's database
    # store and for ours (usersessions.backend) alike, so the data is copied as it is.
    decoder = SessionStore()
    live = Session.objects.filter(expire_date__gt=timezone.now()).order_by("pk")
    batch = []
    for session in live.iterator(chunk_size=BATCH):
        user_id = decoder.decode(session.session_data).get(SESSION_KEY)
        batch.append(
            UserSession(
                session_key=session.session_key,
                session_data=session.session_data,
                expire_date=session.expire_date,
                user_id=int(user_id) if str(user_id or "").isdigit() else None,
            )
        )
        if len(batch) >= BATCH:
            UserSession.objects.bulk_create(batch, ignore_conflicts=True)
            batch = []
    UserSession.objects.bulk_create(batch, ignore_conflicts=True)
    Session.objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("sessions", "0001_initial"),
        ("usersessions", "0001_usersession"),
    ]

    # Backwards, the sessions stay here: going back logs everyone out, nothing worse.
    operations = [migrations.RunPython(move, migrations.RunPython.noop)]
