# The outbox kind of the outcome questionnaires (outcomes.tasks). Choices only: no schema change.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('reminders', '0003_care_loop_outbox'),
    ]

    operations = [
        migrations.AlterField(
            model_name='notification',
            name='kind',
            field=models.CharField(choices=[('daily_reminder', 'daily reminder'), ('weekly_checkin', 'weekly check-in'), ('advice', 'advice'), ('nudge', 'nudge from the physiotherapist'), ('message', 'new message from the clinic'), ('patient_message', 'new message from a patient'), ('programme_changed', 'programme changed'), ('digest', "physiotherapist's daily digest"), ('questionnaire_due', 'questionnaire due')], max_length=20),
        ),
    ]
