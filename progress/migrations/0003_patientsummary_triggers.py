"""Once installed PostgreSQL triggers to keep the physio list's stored rows fresh. Now does
nothing: the rows are gone (0004), and a fresh database never gets the triggers. A database
that applied the old version of this migration has them until 0004 drops them; kept as a
step so that both kinds of database share one migration history."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("progress", "0002_patientsummary"),
        ("diary", "0001_initial"),
        ("exercises", "0002_seed_library"),
        ("accounts", "0002_accessrecord"),
    ]

    operations = []
