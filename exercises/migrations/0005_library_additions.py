"""Library additions (issue 14): the advice items on low-Dye taping, arch-support insoles and
load management, with the sources each names; and the standard heel-pain template's heel
raise starts with two weeks on both legs before the high-load stages (clinical.md).

Only these shipped rows change (clinic None): other library rows, which staff may have
edited, and every programme already assigned (each keeps its own copy of the stages) stay as
they are.
"""

from django.db import migrations, models


def add_items_and_restage(apps, schema_editor):
    from exercises.seed import exercise_upsert, template_upsert
    from exercises.seed_data import ADVICE_ADDED, TEMPLATES

    Exercise = apps.get_model("exercises", "Exercise")
    for data in ADVICE_ADDED:
        exercise_upsert(Exercise, data)
    (standard,) = [t for t in TEMPLATES if t["slug"] == "haelspore-standard"]
    slugs = [item["exercise"] for item in standard["items"]]
    exercises = {e.slug: e for e in Exercise.objects.filter(clinic__isnull=True, slug__in=slugs)}
    template_upsert(
        apps.get_model("exercises", "ProgrammeTemplate"),
        apps.get_model("exercises", "TemplateItem"),
        standard,
        exercises,
    )


class Migration(migrations.Migration):
    dependencies = [("exercises", "0004_programme_change")]

    operations = [
        migrations.AddField(
            model_name="exercise",
            name="sources",
            field=models.JSONField(blank=True, default=list, verbose_name="sources"),
        ),
        migrations.RunPython(add_items_and_restage, migrations.RunPython.noop),
    ]
