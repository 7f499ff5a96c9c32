"""The live sessions logged in through Django's password backend or django-otp-webauthn's
passkey backend now name accounts.backends' (the same, loading the user with their profile):
a session whose backend is no longer in AUTHENTICATION_BACKENDS is logged out, and nobody
should have to log in again for this change."""

from django.contrib.auth import BACKEND_SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.db import migrations
from django.utils import timezone

BATCH = 1000
RENAMED = {
    "django.contrib.auth.backends.ModelBackend": "accounts.backends.PasswordBackend",
    "django_otp_webauthn.backends.WebAuthnBackend": "accounts.backends.PasskeyBackend",
}


def rename(apps, schema_editor, renamed=RENAMED):
    UserSession = apps.get_model("usersessions", "UserSession")
    # The signature's salt is the store's class name, "SessionStore" for Django's database
    # store and ours (usersessions.backend) alike (see 0002).
    store = SessionStore()
    live = UserSession.objects.filter(expire_date__gt=timezone.now()).order_by("pk")
    batch = []
    for session in live.iterator(chunk_size=BATCH):
        data = store.decode(session.session_data)
        if data.get(BACKEND_SESSION_KEY) not in renamed:
            continue
        data[BACKEND_SESSION_KEY] = renamed[data[BACKEND_SESSION_KEY]]
        session.session_data = store.encode(data)
        batch.append(session)
        if len(batch) >= BATCH:
            UserSession.objects.bulk_update(batch, ["session_data"])
            batch = []
    UserSession.objects.bulk_update(batch, ["session_data"])


def rename_back(apps, schema_editor):
    rename(apps, schema_editor, {new: old for old, new in RENAMED.items()})


class Migration(migrations.Migration):
    dependencies = [("usersessions", "0002_move_django_sessions")]

    operations = [migrations.RunPython(rename, rename_back)]
