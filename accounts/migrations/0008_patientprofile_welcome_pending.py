from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0007_clinic_digest_time"),
    ]

    operations = [
        migrations.AddField(
            model_name="patientprofile",
            name="welcome_pending",
            field=models.BooleanField(default=False, editable=False),
        ),
    ]
