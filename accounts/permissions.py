from rest_framework.permissions import BasePermission

from .access import is_patient, is_physio


class IsPatient(BasePermission):
    def has_permission(self, request, view):
        return is_patient(request.user)


class IsPhysio(BasePermission):
    def has_permission(self, request, view):
        return is_physio(request.user)
