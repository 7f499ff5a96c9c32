"""Who may see which patient: decided here, once.

Every queryset for patient data starts from `patients_visible_to`, so the rule lives in one
place and a new endpoint cannot forget it:

- a patient sees only themselves;
- a physiotherapist sees only patients of their own clinic who are in their care;
- nobody else (anonymous users, staff without a physio profile) sees any patient through the
  app. Superusers manage data through the admin, not through these views.

Objects a caller may not see answer 404 (not 403), so their existence is not revealed.
"""

from django.db.models import QuerySet
from django.http import Http404

from .models import PatientProfile, User


def patients_visible_to(user: User) -> QuerySet[PatientProfile]:
    patients = PatientProfile.objects.select_related("user", "clinic", "physio__user")
    if not user.is_authenticated or not user.is_active:
        return patients.none()
    patient = getattr(user, "patient_profile", None)
    if patient is not None:
        return patients.filter(pk=patient.pk)
    physio = getattr(user, "physio_profile", None)
    if physio is not None:
        return patients.filter(clinic_id=physio.clinic_id, physio_id=physio.pk)
    return patients.none()


def can_see_patient(user: User, patient: PatientProfile) -> bool:
    return patients_visible_to(user).filter(pk=patient.pk).exists()


def get_visible_patient(user: User, patient_id) -> PatientProfile:
    """The patient with this id if `user` may see them; otherwise 404, whether or not they exist."""
    try:
        return patients_visible_to(user).get(pk=int(patient_id))
    except (PatientProfile.DoesNotExist, TypeError, ValueError):
        raise Http404 from None


def is_physio(user: User) -> bool:
    return user.is_authenticated and hasattr(user, "physio_profile")


def is_patient(user: User) -> bool:
    return user.is_authenticated and hasattr(user, "patient_profile")
