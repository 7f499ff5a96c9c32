"""One open episode for every patient who was there before episodes existed.

Day 1 of the assessment used to be the active programme's start; from now on it is the
episode's. Each existing patient gets one open episode starting on their *first* programme's
start (any programme, ended ones too: clinical.md "an episode starts when the physio first
assigns a programme"), or, without any programme, on the day they joined in their own time
zone. Nobody recorded which heel, so both heel flags stay False: "not recorded" until the
physio sets them (care.models.Episode).
"""

import zoneinfo

from django.conf import settings
from django.db import migrations
from django.db.models import Min
from django.utils import timezone


def _local_date(instant, tz_name):
    try:
        tz = zoneinfo.ZoneInfo(tz_name or settings.DEFAULT_PATIENT_TIMEZONE)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        tz = zoneinfo.ZoneInfo(settings.DEFAULT_PATIENT_TIMEZONE)
    return timezone.localdate(instant, tz)


def open_first_episodes(apps, schema_editor):
    PatientProfile = apps.get_model("accounts", "PatientProfile")
    Episode = apps.get_model("care", "Episode")
    patients = (
        PatientProfile.objects.filter(episodes__isnull=True)
        .annotate(first_programme=Min("programmes__starts_on"))
        .values("pk", "physio_id", "condition", "created_at", "user__timezone", "first_programme")
    )
    now = timezone.now()
    Episode.objects.bulk_create(
        Episode(
            patient_id=row["pk"],
            physio_id=row["physio_id"],
            condition=row["condition"],
            starts_on=row["first_programme"]
            or _local_date(row["created_at"], row["user__timezone"]),
            opened_at=now,
        )
        for row in patients.iterator()
    )


class Migration(migrations.Migration):
    dependencies = [
        ("care", "0001_initial"),
        # The programmes are read: after exercises' latest migration, the table is as the
        # models say.
        ("exercises", "0003_calf_stop_text"),
    ]

    # Going back removes the table anyway (0001); nothing to undo here.
    operations = [migrations.RunPython(open_first_episodes, migrations.RunPython.noop)]
