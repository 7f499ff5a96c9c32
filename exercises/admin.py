"""Admin for the library, templates and programmes, usable by clinic staff.

The shared (seeded) library is read-only to everyone but superusers; clinic staff add and edit
their clinic's own exercises and templates, and assign programmes to patients in their care.
"""

from django import forms
from django.contrib import admin
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext_lazy as _

from accounts.access import (
    admin_clinic_id,
    manages_all_clinics,
    may_edit_clinic_row,
    patients_managed_by,
)
from accounts.admin_scoping import ClinicScopedAdmin

from .models import Exercise, Programme, ProgrammeItem, ProgrammeTemplate, TemplateItem
from .services import (
    exercise_kind_changed,
    programme_assign,
    programme_item_check,
    programme_item_update,
    programme_rename,
    programme_start_check,
)


def _physio(request):
    return getattr(request.user, "physio_profile", None)


def _library_for(request, queryset):
    """The library rows `request.user` may see and pick: all for superusers, the shared rows
    and their own clinic's for clinic staff (accounts.access decides who that is)."""
    if manages_all_clinics(request.user):
        return queryset
    clinic_id = admin_clinic_id(request.user)
    return queryset.available_to(clinic_id) if clinic_id is not None else queryset.none()


class ClinicOwnedAdmin(ClinicScopedAdmin):
    """Seeded rows (clinic null) are shared and read-only; a clinic edits only its own."""

    def get_queryset(self, request):
        return _library_for(request, super().get_queryset(request))

    def has_add_permission(self, request):
        # A clinic's new row is its own; staff of no clinic would add a shared one.
        allowed = manages_all_clinics(request.user) or admin_clinic_id(request.user) is not None
        return allowed and super().has_add_permission(request)

    def has_change_permission(self, request, obj=None):
        if obj is not None and not may_edit_clinic_row(request.user, obj.clinic_id):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self.has_change_permission(request, obj) and super().has_delete_permission(
            request, obj
        )

    def get_exclude(self, request, obj=None):
        return [] if manages_all_clinics(request.user) else ["clinic"]

    def save_model(self, request, obj, form, change):
        if not manages_all_clinics(request.user) and not change:
            obj.clinic_id = admin_clinic_id(request.user)
        super().save_model(request, obj, form, change)


class LibraryItemInline(admin.TabularInline):
    """An item of a template or programme: its exercise is one the editor may pick, checked
    on submit too (the autocomplete only lists them; a posted id of another clinic's
    exercise must not be accepted)."""

    extra = 0
    autocomplete_fields = ["exercise"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "exercise":
            kwargs["queryset"] = _library_for(request, Exercise.objects.all())
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Exercise)
class ExerciseAdmin(ClinicOwnedAdmin):
    list_display = ["slug", "name_da", "name_en", "kind", "clinic"]
    list_filter = ["kind"]
    search_fields = ["slug", "name_da", "name_en"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and "kind" in form.changed_data:
            exercise_kind_changed(exercise=obj)


class TemplateItemInline(LibraryItemInline):
    model = TemplateItem
    fields = ["position", "exercise", "sets", "reps", "hold_seconds", "load", "every_n_days"]


@admin.register(ProgrammeTemplate)
class ProgrammeTemplateAdmin(ClinicOwnedAdmin):
    list_display = ["name_da", "slug", "condition", "clinic"]
    inlines = [TemplateItemInline]


# What the admin may change of a programme's item: its dosage and the stage it is held on.
ITEM_DOSAGE = [
    "sets",
    "reps",
    "hold_seconds",
    "load",
    "rest_seconds",
    "times_per_day",
    "every_n_days",
]


def _item_changes(form) -> dict:
    """The changed fields of an item's form as programme_item_update takes them."""
    changes = {
        field: form.cleaned_data[field] for field in form.changed_data if field in ITEM_DOSAGE
    }
    if "held_stage" in form.changed_data:
        changes["stage"] = form.cleaned_data["held_stage"]
    return changes


class ProgrammeItemForm(forms.ModelForm):
    def clean(self):
        cleaned = super().clean()
        if self.instance.pk is not None and not self.errors:
            try:
                programme_item_check(item=self.instance, **_item_changes(self))
            except ValidationError as exc:
                # The service calls held_stage `stage`; an error about no field of this form
                # (an ended programme) is about the whole item.
                errors = {}
                for key, messages in exc.message_dict.items():
                    field = "held_stage" if key == "stage" else key
                    errors[field if field in self.fields else NON_FIELD_ERRORS] = messages
                raise ValidationError(errors) from None
        return cleaned


class ProgrammeItemInline(admin.TabularInline):
    """A programme's items change only through the programme service (ProgrammeAdmin
    .save_formset): their dosage and held stage, within its bounds. The exercise stays, as
    its stages and dosage were copied for it; other exercises come with a new programme,
    which keeps this one for history."""

    model = ProgrammeItem
    form = ProgrammeItemForm
    extra = 0
    can_delete = False
    fields = ["position", "exercise", *ITEM_DOSAGE, "held_stage"]
    readonly_fields = ["position", "exercise"]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        # An ended programme is history (programme_item_check refuses it too).
        if obj is not None and obj.ended_at is not None:
            return False
        return super().has_change_permission(request, obj)


class ProgrammeAssignForm(forms.ModelForm):
    class Meta:
        model = Programme
        fields = ["patient", "template", "starts_on"]

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.request = request
        self.fields["template"].required = True
        if request is not None:
            self.fields["patient"].queryset = patients_managed_by(request.user)
            self.fields["template"].queryset = _library_for(
                request, ProgrammeTemplate.objects.all()
            )

    def clean(self):
        # Only checks: the programme is assigned when the admin saves (save()).
        cleaned = super().clean()
        if _physio(self.request) is None:
            raise ValidationError(_("Only a physiotherapist can assign a programme."))
        if cleaned.get("patient") and cleaned.get("starts_on"):
            programme_start_check(patient=cleaned["patient"], starts_on=cleaned["starts_on"])
        return cleaned

    def save(self, commit=True):
        # Through the service, whatever `commit` (the admin asks for an unsaved instance): it
        # ends the active programme, copies the template's items and records the write.
        self.instance = programme_assign(
            physio=_physio(self.request),
            patient=self.cleaned_data["patient"],
            template=self.cleaned_data["template"],
            starts_on=self.cleaned_data["starts_on"],
        )
        self.save_m2m = lambda: None
        return self.instance


@admin.register(Programme)
class ProgrammeAdmin(ClinicScopedAdmin):
    list_display = ["name", "patient", "starts_on", "ended_at"]
    list_select_related = ["patient__user"]
    list_filter = ["ended_at"]
    readonly_fields = ["patient", "assigned_by", "template", "starts_on", "ends_on", "ended_at"]
    fields = ["name", *readonly_fields]
    inlines = [ProgrammeItemInline]

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if manages_all_clinics(request.user):
            return qs
        return qs.filter(patient__in=patients_managed_by(request.user))

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            form = ProgrammeAssignForm

            class RequestForm(form):
                def __init__(self, *args, **kw):
                    super().__init__(*args, request=request, **kw)

            kwargs["form"] = RequestForm
            kwargs["fields"] = ["patient", "template", "starts_on"]
        return super().get_form(request, obj, change, **kwargs)

    def has_add_permission(self, request):
        # Only a physiotherapist assigns a programme: it is assigned by them (programme_assign).
        return _physio(request) is not None and super().has_add_permission(request)

    def get_fields(self, request, obj=None):
        return self.fields if obj else ["patient", "template", "starts_on"]

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_fields if obj else []

    def get_inlines(self, request, obj):
        return self.inlines if obj else []

    def save_model(self, request, obj, form, change):
        # On add, the form's save() assigned the programme through the service. On change,
        # only the name is the programme's own to edit.
        if change and "name" in form.changed_data:
            programme_rename(actor=request.user, programme=obj, name=form.cleaned_data["name"])

    def save_formset(self, request, form, formset, change):
        # Each changed item through the service, with its bounds, the write in the patient's
        # access log and their data version raised (the items decide adherence in the
        # physio's list). Items are neither added nor deleted here (ProgrammeItemInline).
        formset.save(commit=False)  # writes nothing; lists the changes for the admin's history
        for item_form in formset.initial_forms:
            if item_form.has_changed() and (changes := _item_changes(item_form)):
                item = ProgrammeItem.objects.select_related("programme__patient").get(
                    pk=item_form.instance.pk
                )
                programme_item_update(actor=request.user, item=item, **changes)
