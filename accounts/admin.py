"""Admin for accounts, usable by clinic staff.

Superusers see and change everything. Clinic staff (staff with a physiotherapist profile) see
and change their own clinic's people only, and patients only those in their own care, as
accounts.access decides (`*_managed_by`). They never change anyone's clinic, staff flags,
groups or permissions, nor set another person's password: they send a reset link instead.
Only superusers move people between clinics. Deleting an account is erasure
(accounts.services.user_erase): clinic staff erase a physio of their clinic who has left.

Every write on a person goes through accounts.staff, which writes it to that person's security
log (`AccountEvent`).
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .access import (
    access_records_managed_by,
    admin_clinic_id,
    clinics_managed_by,
    invitations_managed_by,
    manages_all_clinics,
    may_erase_account,
    patients_managed_by,
    physios_managed_by,
    users_free_for_profile,
    users_managed_by,
)
from .admin_scoping import ClinicScopedAdmin, libraries_for_superusers_only
from .models import (
    AccessRecord,
    AccountEvent,
    Clinic,
    Invitation,
    PatientProfile,
    PhysioProfile,
    User,
)
from .services import invitation_create, invitation_url, user_erase, user_password_changed
from .staff import (
    admin_change_record,
    password_reset_link_send,
    patient_profile_save,
    physio_account_create,
    physio_profile_save,
    profile_delete_record,
)


def _staff_physio(request):
    return getattr(request.user, "physio_profile", None)


def _changed_fields(form) -> list[str]:
    """The fields a form changed, as the account's log names them (a password is "password",
    whichever of Django's password fields carried it)."""
    fields = []
    for name in form.changed_data:
        name = "password" if name.startswith(("password", "usable_password")) else name
        if name not in fields:
            fields.append(name)
    return fields


class PhysioAccountAddForm(forms.ModelForm):
    """Clinic staff add a colleague: a physiotherapist account of their own clinic, without a
    password (the new colleague sets it through the e-mailed link)."""

    clinic = forms.ModelChoiceField(queryset=Clinic.objects.none(), label=_("clinic"))

    class Meta:
        model = User
        fields = ["email", "name", "language", "timezone"]


@admin.register(User)
class UserAdmin(ClinicScopedAdmin, DjangoUserAdmin):
    ordering = ["email"]
    list_display = ["email", "name", "is_staff", "is_active", "date_joined"]
    # Not Django's default filters: its group filter would list every group's name.
    list_filter = ["is_staff", "is_active"]
    search_fields = ["email", "name"]
    actions = ["send_password_reset_link"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Profile"), {"fields": ["name", "language", "timezone"]}),
        (_("Permissions"), {"fields": ["is_active", "is_staff", "is_superuser", "groups"]}),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["email", "name", "password1", "password2"]}),
    ]
    # What clinic staff see. The e-mail address is fixed for them: whoever can change it can
    # have the account's reset link sent to themselves.
    staff_fieldsets = [
        (None, {"fields": ["email", "password_reset_hint"]}),
        (_("Profile"), {"fields": ["name", "language", "timezone"]}),
        (_("Permissions"), {"fields": ["is_active", "is_staff"]}),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    staff_add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["email", "name", "language", "timezone"]}),
        (_("Physiotherapist"), {"fields": ["clinic"]}),
    ]
    staff_readonly_fields = [
        "email",
        "password_reset_hint",
        "is_staff",
        "last_login",
        "date_joined",
    ]

    def get_queryset(self, request):
        return users_managed_by(request.user).order_by(*self.get_ordering(request))

    def get_fieldsets(self, request, obj=None):
        if manages_all_clinics(request.user):
            return super().get_fieldsets(request, obj)
        return self.staff_fieldsets if obj else self.staff_add_fieldsets

    def get_readonly_fields(self, request, obj=None):
        if manages_all_clinics(request.user) or obj is None:
            return super().get_readonly_fields(request, obj)
        return self.staff_readonly_fields

    def get_form(self, request, obj=None, **kwargs):
        if obj is None and not manages_all_clinics(request.user):
            clinics = clinics_managed_by(request.user)

            class StaffAddForm(PhysioAccountAddForm):
                def __init__(self, *args, **kw):
                    super().__init__(*args, **kw)
                    self.fields["clinic"].queryset = clinics
                    self.fields["clinic"].initial = admin_clinic_id(request.user)

            kwargs["form"] = StaffAddForm
        return super().get_form(request, obj, **kwargs)

    def has_add_permission(self, request):
        # Clinic staff add physiotherapists of their own clinic; staff of no clinic add nobody.
        allowed = manages_all_clinics(request.user) or admin_clinic_id(request.user) is not None
        return allowed and super().has_add_permission(request)

    def has_delete_permission(self, request, obj=None):
        # Per account (accounts.access.may_erase_account); the list's bulk delete is for
        # superusers only.
        if not super().has_delete_permission(request, obj):
            return False
        if obj is None:
            return manages_all_clinics(request.user)
        return may_erase_account(request.user, obj)

    def get_deleted_objects(self, objs, request):
        # The account's own rows (profile, second factors, tokens) go with it as part of the
        # erasure that may_erase_account allowed, whether or not the admin lets this person
        # delete such rows one by one.
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        if all(may_erase_account(request.user, user) for user in objs):
            perms_needed = set()
        return deleted, counts, perms_needed, protected

    def delete_model(self, request, obj):
        user_erase(user=obj)

    def delete_queryset(self, request, queryset):
        for user in queryset:
            user_erase(user=user)

    def user_change_password(self, request, id, form_url=""):
        if not manages_all_clinics(request.user):
            # Nobody but a superuser sets another person's password, nor their own without
            # the old one: the site's password change page asks for it.
            if self.get_object(request, unquote(id)) is None:
                raise Http404
            raise PermissionDenied
        response = super().user_change_password(request, id, form_url)
        if request.method == "POST" and response.status_code == 302:  # saved; else the form
            # As after any password change: whoever held a session or token is out.
            user = self.get_object(request, unquote(id))
            own = user.pk == request.user.pk
            user_password_changed(
                user=user,
                keep_session_key=request.session.session_key if own else None,
                actor=request.user,
            )
        return response

    def save_model(self, request, obj, form, change):
        if not change and not manages_all_clinics(request.user):
            physio_account_create(actor=request.user, user=obj, clinic=form.cleaned_data["clinic"])
            password_reset_link_send(actor=request.user, user=obj)
            messages.info(
                request,
                _("%(email)s has been sent a link to choose a password.") % {"email": obj.email},
            )
            return
        super().save_model(request, obj, form, change)
        admin_change_record(
            actor=request.user,
            user=obj,
            kind=AccountEvent.Kind.ADMIN_CHANGED if change else AccountEvent.Kind.ADMIN_ADDED,
            fields=_changed_fields(form),
        )

    @admin.display(description=_("Password"))
    def password_reset_hint(self, obj):
        return _(
            "Staff do not set other people's passwords. To let this person choose a new one, "
            "select them in the list of users and choose the action “Send password reset link”."
        )

    @admin.action(permissions=["change"], description=_("Send password reset link"))
    def send_password_reset_link(self, request, queryset):
        sent = sum(password_reset_link_send(actor=request.user, user=user) for user in queryset)
        messages.success(
            request,
            ngettext(
                "A password reset link has been sent to %(count)d person.",
                "A password reset link has been sent to %(count)d people.",
                sent,
            )
            % {"count": sent},
        )


@admin.register(Clinic)
class ClinicAdmin(ClinicScopedAdmin):
    list_display = ["name", "slug", "region"]
    prepopulated_fields = {"slug": ["name"]}
    # The contacts every advice shows the clinic's patients (accounts.contacts): clinic staff
    # keep their own clinic's up to date.
    fieldsets = [
        (None, {"fields": ["name", "slug"]}),
        (
            _("Contacts shown to patients"),
            {
                "fields": [
                    "region",
                    "phone",
                    "email",
                    "booking_url",
                    "answers_within",
                    "after_hours_phone",
                ]
            },
        ),
    ]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "booking_url":
            kwargs["assume_scheme"] = "https"  # a booking page typed without its scheme
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def get_queryset(self, request):
        return clinics_managed_by(request.user)

    def has_add_permission(self, request):
        return manages_all_clinics(request.user) and super().has_add_permission(request)

    def has_delete_permission(self, request, obj=None):
        return manages_all_clinics(request.user) and super().has_delete_permission(request, obj)


class ProfileAdmin(ClinicScopedAdmin):
    """A patient's or physio's profile: whose it is never changes; which clinic, only a
    superuser changes. Clinic staff add physios as accounts (the user admin), patients come by
    invitation, and removing a profile takes a person out of their clinic: neither is theirs."""

    log_name = ""  # what the account's log calls the profile (not translated: it is data)

    def has_add_permission(self, request):
        return manages_all_clinics(request.user) and super().has_add_permission(request)

    def has_delete_permission(self, request, obj=None):
        return manages_all_clinics(request.user) and super().has_delete_permission(request, obj)

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        return ["user"] if manages_all_clinics(request.user) else ["user", "clinic"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "user":
            kwargs["queryset"] = users_free_for_profile(request.user)
        elif db_field.name == "clinic":
            kwargs["queryset"] = clinics_managed_by(request.user)
        elif db_field.name == "physio":
            kwargs["queryset"] = physios_managed_by(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def log_deletions(self, request, queryset):
        for profile in queryset:
            profile_delete_record(actor=request.user, user=profile.user, what=self.log_name)
        return super().log_deletions(request, queryset)


@admin.register(PhysioProfile)
class PhysioProfileAdmin(ProfileAdmin):
    list_display = ["user", "clinic"]
    list_select_related = ["user", "clinic"]
    fields = ["user", "clinic"]
    log_name = "physio profile"

    def get_queryset(self, request):
        return physios_managed_by(request.user).order_by("user__name", "pk")

    def save_model(self, request, obj, form, change):
        physio_profile_save(
            actor=request.user, physio=obj, fields=form.changed_data, added=not change
        )


@admin.register(PatientProfile)
class PatientProfileAdmin(ProfileAdmin):
    list_display = ["user", "condition", "physio", "clinic", "created_at"]
    list_filter = ["condition"]
    list_select_related = ["user", "clinic", "physio__user"]
    search_fields = ["user__name", "user__email"]
    fields = ["user", "clinic", "physio", "condition"]
    log_name = "patient profile"

    def get_queryset(self, request):
        return patients_managed_by(request.user).order_by("-created_at", "-pk")

    def save_model(self, request, obj, form, change):
        # The form has run the model's own checks (the physio works at the patient's clinic).
        patient_profile_save(
            actor=request.user, patient=obj, fields=form.changed_data, added=not change
        )


class InvitationAddForm(forms.ModelForm):
    class Meta:
        model = Invitation
        fields = ["email", "name", "condition"]


@admin.register(Invitation)
class InvitationAdmin(ClinicScopedAdmin):
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
        return invitations_managed_by(request.user)

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
class AccessRecordAdmin(ClinicScopedAdmin):
    """Read-only: an access log that can be edited proves nothing."""

    list_display = ["at", "actor_name", "actor_role", "action", "what", "patient"]
    list_select_related = ["patient__user"]
    list_filter = ["action", "what"]

    def get_queryset(self, request):
        return access_records_managed_by(request.user)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# Django's and the libraries' admins (groups, API tokens, log-in attempts, authenticator
# devices) know nothing of clinics: superusers only.
libraries_for_superusers_only(admin.site)
