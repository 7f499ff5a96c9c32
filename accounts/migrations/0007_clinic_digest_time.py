import datetime

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0006_clinic_contacts_has_diabetes"),
    ]

    operations = [
        migrations.AddField(
            model_name="clinic",
            name="digest_time",
            field=models.TimeField(default=datetime.time(8, 0), verbose_name="daily digest at"),
        ),
    ]
