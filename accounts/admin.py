"""Admin for accounts, usable by clinic staff.

Superusers see everything. Staff who are physiotherapists see their own clinic, and patient
data only through `patients_visible_to`, the same rule as the app.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .access import patients_visible_to
from .models import AccessRecord, Clinic, Invitation, PatientProfile, PhysioProfile, User
from .services import invitation_create, invitation_url


def _staff_physio(request):
    return getattr(request.user, "physio_profile", None)


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ["email"]
    list_display = ["email", "name", "is_staff", "is_active", "date_joined"]
    search_fields = ["email", "name"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Profile"), {"fields": ["name", "language", "timezone"]}),
        (_("Permissions"), {"fields": ["is_active", "is_staff", "is_superuser", "groups"]}),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["email", "name", "password1", "password2"]}),
    ]

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if request.user.is_superuser:
            return qs
        physio = _staff_physio(request)
        if physio is None:
            return qs.none()
        visible = patients_visible_to(request.user).values("user_id")
        return qs.filter(pk__in=visible) | qs.filter(physio_profile__clinic_id=physio.clinic_id)

    def get_readonly_fields(self, request, obj=None):
        if request.user.is_superuser:
            return super().get_readonly_fields(request, obj)
        return ["email", "is_staff", "is_superuser", "groups", "last_login", "date_joined"]


@admin.register(Clinic)
class ClinicAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if request.user.is_superuser:
            return qs
        physio = _staff_physio(request)
        return qs.filter(pk=physio.clinic_id) if physio else qs.none()


@admin.register(PhysioProfile)
class PhysioProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "clinic"]
    list_select_related = ["user", "clinic"]
    autocomplete_fields = ["user"]

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if request.user.is_superuser:
            return qs
        physio = _staff_physio(request)
        return qs.filter(clinic_id=physio.clinic_id) if physio else qs.none()


@admin.register(PatientProfile)
class PatientProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "condition", "physio", "clinic", "created_at"]
    list_filter = ["condition"]
    list_select_related = ["user", "clinic", "physio__user"]
    search_fields = ["user__name", "user__email"]
    autocomplete_fields = ["user"]

    def get_queryset(self, request):
        if request.user.is_superuser:
            return super().get_queryset(request)
        return patients_visible_to(request.user)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        physio = _staff_physio(request)
        if physio is not None and not request.user.is_superuser:
            if db_field.name == "physio":
                kwargs["queryset"] = PhysioProfile.objects.filter(clinic_id=physio.clinic_id)
            elif db_field.name == "clinic":
                kwargs["queryset"] = Clinic.objects.filter(pk=physio.clinic_id)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        obj.full_clean()
        super().save_model(request, obj, form, change)


class InvitationAddForm(forms.ModelForm):
    class Meta:
        model = Invitation
        fields = ["email", "name", "condition"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "name", "clinic", "invited_by", "status", "expires_at"]
    list_select_related = ["clinic", "invited_by__user"]
    readonly_fields = [
        "clinic",
        "invited_by",
        "email",
        "name",
        "condition",
        "created_at",
        "expires_at",
        "accepted_at",
        "accepted_by",
        "revoked_at",
    ]

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if request.user.is_superuser:
            return qs
        physio = _staff_physio(request)
        return qs.filter(clinic_id=physio.clinic_id) if physio else qs.none()

    def has_add_permission(self, request):
        # Only physiotherapists invite: an invitation makes the patient theirs.
        return _staff_physio(request) is not None and super().has_add_permission(request)

    def has_change_permission(self, request, obj=None):
        return False

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = InvitationAddForm
            kwargs["fields"] = ["email", "name", "condition"]
        return super().get_form(request, obj, change, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_fields if obj else []

    def save_model(self, request, obj, form, change):
        try:
            invitation, code = invitation_create(
                physio=_staff_physio(request),
                email=form.cleaned_data["email"],
                name=form.cleaned_data["name"],
                condition=form.cleaned_data["condition"],
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return
        obj.pk = invitation.pk
        messages.success(
            request,
            _("Invitation created. Send the patient this link (it works once): %(url)s")
            % {"url": invitation_url(code)},
        )


@admin.register(AccessRecord)
class AccessRecordAdmin(admin.ModelAdmin):
    """Read-only: an access log that can be edited proves nothing."""

    list_display = ["at", "actor_name", "actor_role", "action", "what", "patient"]
    list_select_related = ["patient__user"]
    list_filter = ["action", "what"]

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if request.user.is_superuser:
            return qs
        return qs.filter(patient__in=patients_visible_to(request.user))

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
