"""The physiotherapist's view of their patients: one row per patient in a fixed number of
queries, whatever the number of patients (the list is the physio's start page)."""

from __future__ import annotations

from accounts.access import patients_visible_to
from accounts.models import User
from exercises.selectors import adherence_by_patient, current_weeks


def patient_rows(user: User) -> list[dict]:
    patients = list(patients_visible_to(user).order_by("user__name", "pk"))
    adherence = adherence_by_patient(patients)
    weeks = current_weeks(patients)
    return [
        {
            "id": patient.pk,
            "name": patient.user.name,
            "email": patient.user.email,
            "condition": patient.condition,
            "week": weeks[patient.pk],
            "adherence_14d": adherence[patient.pk],
        }
        for patient in patients
    ]
