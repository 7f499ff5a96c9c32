"""Every exercise's stop text sends a swollen, red, warm calf to a doctor the same day, not to
the physiotherapist (clinical.md, "Red flags"; issue 13).

Only the shipped library's stop texts change (clinic None, by slug): a clinic's own exercises
and everything else in the library rows, which staff may have edited, stay as they are.
"""

from django.db import migrations


def update_stop_texts(apps, schema_editor):
    from exercises.seed_data import EXERCISES

    Exercise = apps.get_model("exercises", "Exercise")
    for data in EXERCISES:
        Exercise.objects.filter(clinic__isnull=True, slug=data["slug"]).update(
            stop_if_da=data["stop_if"]["da"], stop_if_en=data["stop_if"]["en"]
        )


class Migration(migrations.Migration):
    dependencies = [("exercises", "0002_seed_library")]

    operations = [migrations.RunPython(update_stop_texts, migrations.RunPython.noop)]
