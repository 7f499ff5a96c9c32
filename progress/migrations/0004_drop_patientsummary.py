"""The physio's list no longer stores rows (progress.cache keeps them in Django's cache,
keyed by each patient's data version): drop the triggers an earlier 0003 installed on
PostgreSQL, then the table they wrote to."""

from django.db import migrations

from progress.sql import drop_old_summary_triggers


class Migration(migrations.Migration):
    dependencies = [
        ("progress", "0003_patientsummary_triggers"),
    ]

    operations = [
        # Nothing to put back: a reversed 0003 does nothing either.
        migrations.RunPython(drop_old_summary_triggers, migrations.RunPython.noop),
        migrations.DeleteModel(name="PatientSummary"),
    ]
