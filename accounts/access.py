"""Who may see which patient: decided here, once.

Every queryset for patient data starts from `patients_visible_to`, so the rule lives in one
place and a new endpoint cannot forget it:

- a patient sees only themselves;
- a physiotherapist sees only patients of their own clinic who are in their care;
- nobody else (anonymous users, staff without a physio profile) sees any patient through the
  app. Superusers manage data through the admin, not through these views.

The admin asks here too (the `*_managed_by` functions below): clinic staff manage their own
clinic's people, and the patients in their own care by the same rule as above.

Objects a caller may not see answer 404 (not 403), so their existence is not revealed.
"""

from django.db.models import Q, QuerySet
from django.http import Http404

from .models import AccessRecord, Clinic, Invitation, PatientProfile, PhysioProfile, User


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


def own_clinic(user: User) -> Clinic | None:
    """The clinic whose contacts `user` is shown: a patient's clinic, a physiotherapist's own;
    None for anyone else. One query."""
    if not user.is_authenticated or not user.is_active:
        return None
    return Clinic.objects.filter(Q(patients__user=user) | Q(physios__user=user)).order_by().first()


def invitations_visible_to(user: User) -> QuerySet[Invitation]:
    """The invitations a physiotherapist made in their own clinic (their list, and the join
    link and QR code of an open one); nobody else sees any through the app. The link is a
    secret: a colleague or another clinic's physio with the code gets nothing from it."""
    physio = getattr(user, "physio_profile", None) if user.is_authenticated else None
    if physio is None or not user.is_active:
        return Invitation.objects.none()
    return Invitation.objects.filter(invited_by=physio, clinic_id=physio.clinic_id)


def is_physio(user: User) -> bool:
    return user.is_authenticated and hasattr(user, "physio_profile")


def is_patient(user: User) -> bool:
    return user.is_authenticated and hasattr(user, "patient_profile")


# --- The admin --------------------------------------------------------------------------------
#
# Clinic staff (`is_staff`, with a physiotherapist profile at their clinic) manage their own
# clinic's people in the admin, superusers everyone's. The admin classes only call these, so
# the rule is the same on every admin page, and it is the app's rule where patients are
# concerned: staff see the patients in their own care, nobody else's.


def manages_all_clinics(user: User) -> bool:
    """Superusers: every clinic, and the only ones who move people between clinics."""
    return user.is_authenticated and user.is_active and user.is_superuser


def admin_clinic_id(user: User) -> int | None:
    """The clinic whose people and rows `user` manages in the admin as clinic staff; None for
    superusers (see `manages_all_clinics`) and for anyone who is not clinic staff."""
    if not user.is_authenticated or not user.is_active or not user.is_staff:
        return None
    if user.is_superuser:
        return None
    physio = getattr(user, "physio_profile", None)
    return physio.clinic_id if physio is not None else None


def clinics_managed_by(user: User) -> QuerySet[Clinic]:
    if manages_all_clinics(user):
        return Clinic.objects.all()
    return Clinic.objects.filter(pk=admin_clinic_id(user))


def users_managed_by(user: User) -> QuerySet[User]:
    """The accounts `user` may see and change in the admin: for clinic staff, the clinic's
    physiotherapists and the patients in their own care. Never a superuser's account: clinic
    staff must not be able to lock out, or send e-mails to, the people who administer them."""
    if manages_all_clinics(user):
        return User.objects.all()
    clinic_id = admin_clinic_id(user)
    if clinic_id is None:
        return User.objects.none()
    own_patients = patients_visible_to(user).values("user_id")
    return User.objects.filter(
        Q(physio_profile__clinic_id=clinic_id) | Q(pk__in=own_patients), is_superuser=False
    )


def may_erase_account(user: User, other: User) -> bool:
    """Deleting an account in the admin is erasure (accounts.services.user_erase). Superusers
    erase anyone; clinic staff erase a physiotherapist of their own clinic who has left, never
    themselves, and never a patient: a patient's erasure is the patient's own request."""
    if manages_all_clinics(user):
        return True
    return other.pk != user.pk and physios_managed_by(user).filter(user_id=other.pk).exists()


def physios_managed_by(user: User) -> QuerySet[PhysioProfile]:
    physios = PhysioProfile.objects.select_related("user", "clinic")
    if manages_all_clinics(user):
        return physios
    return physios.filter(clinic_id=admin_clinic_id(user), user__is_superuser=False)


def patients_managed_by(user: User) -> QuerySet[PatientProfile]:
    if manages_all_clinics(user):
        return PatientProfile.objects.select_related("user", "clinic", "physio__user")
    if admin_clinic_id(user) is None:
        return PatientProfile.objects.none()
    return patients_visible_to(user)


def invitations_managed_by(user: User) -> QuerySet[Invitation]:
    if manages_all_clinics(user):
        return Invitation.objects.all()
    return Invitation.objects.filter(clinic_id=admin_clinic_id(user))


def access_records_managed_by(user: User) -> QuerySet[AccessRecord]:
    if manages_all_clinics(user):
        return AccessRecord.objects.all()
    return AccessRecord.objects.filter(patient__in=patients_managed_by(user))


def may_edit_clinic_row(user: User, clinic_id: int | None) -> bool:
    """A clinic's own library rows (exercises, templates) are edited by that clinic's staff;
    the shared rows (no clinic) only by superusers."""
    if manages_all_clinics(user):
        return True
    return clinic_id is not None and clinic_id == admin_clinic_id(user)


def users_free_for_profile(user: User) -> QuerySet[User]:
    """Whom an admin may give a new patient or physiotherapist profile: accounts that have
    neither (a physiotherapist must not become a patient, nor the reverse), and only for
    superusers. Clinic staff add physiotherapists as new accounts of their own clinic, and
    patients come by invitation."""
    if not manages_all_clinics(user):
        return User.objects.none()
    return User.objects.filter(physio_profile__isnull=True, patient_profile__isnull=True)
