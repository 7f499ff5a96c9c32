"""Red flags as clinical.md lists them since issue 13, for the check-ins already stored.

The answers stay as the patient gave them (history is not rewritten; old codes keep their old
words through diary.red_flags.LEGACY). What changes is what they count as now:

- `diabetes` is background, no longer a warning sign: a yes is dropped from `red_flags`, so a
  check-in whose only yes was diabetes flags nobody and pauses nothing. The answer moves to
  the profile (`has_diabetes`), the latest answer of each patient.
- `numbness_tingling` (which also asked about burning) stays a yes to nerve symptoms, advised
  within days, as it was: its meaning for the patient who answered has not changed.

`urgency` is recomputed from what is left. The urgencies are frozen here, as they stand at
this migration, so that later changes to diary.red_flags do not change what it did.
"""

from django.db import migrations

URGENCY = {
    "injury_cannot_bear_weight": "same_day",
    "sudden_pop": "same_day",
    "red_hot_swollen_fever": "same_day",
    "calf_swollen_red": "same_day",
    "diabetes_wound": "same_day",
    "cold_pale_foot": "same_day",
    "new_numbness": "soon",
    "numbness_tingling": "soon",
    "night_or_rest_pain": "soon",
    "weight_loss_cancer": "soon",
    "inflammatory_signs": "soon",
    "severe_or_rapidly_worse": "soon",
}
RANK = {"none": 0, "review": 1, "soon": 2, "same_day": 3}


def recount(apps, schema_editor):
    CheckIn = apps.get_model("diary", "CheckIn")
    PatientProfile = apps.get_model("accounts", "PatientProfile")
    latest_diabetes: dict[int, bool] = {}
    for checkin in CheckIn.objects.order_by("created_at", "pk").iterator():
        if isinstance(checkin.answers, dict) and isinstance(checkin.answers.get("diabetes"), bool):
            latest_diabetes[checkin.patient_id] = checkin.answers["diabetes"]
        flags = [code for code in checkin.red_flags if code in URGENCY]
        urgency = max((URGENCY[code] for code in flags), key=RANK.get, default="none")
        if (flags, urgency) != (checkin.red_flags, checkin.urgency):
            CheckIn.objects.filter(pk=checkin.pk).update(red_flags=flags, urgency=urgency)
    for has in (True, False):
        ids = [pk for pk, value in latest_diabetes.items() if value is has]
        PatientProfile.objects.filter(pk__in=ids, has_diabetes__isnull=True).update(
            has_diabetes=has
        )


class Migration(migrations.Migration):
    dependencies = [
        ("diary", "0002_second_heel"),
        ("accounts", "0006_clinic_contacts_has_diabetes"),
    ]

    # Backwards: nothing to undo by computation (the dropped diabetes flag is still in the
    # answers); the rows stay as they are.
    operations = [migrations.RunPython(recount, migrations.RunPython.noop)]
