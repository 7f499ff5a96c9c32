from django.db import migrations


def seed(apps, schema_editor):
    from exercises.seed import load_library

    load_library(
        apps.get_model("exercises", "Exercise"),
        apps.get_model("exercises", "ProgrammeTemplate"),
        apps.get_model("exercises", "TemplateItem"),
    )


class Migration(migrations.Migration):
    dependencies = [("exercises", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
