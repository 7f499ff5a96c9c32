from django.db import migrations


def load(apps, schema_editor):
    from lessons.sync import lessons_load

    lessons_load(apps.get_model("lessons", "Lesson"))


class Migration(migrations.Migration):
    dependencies = [("lessons", "0001_lessons")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
