"""The lessons in the admin: everyone on staff reads them (the text comes from
lessons/content.py with a version, so it is changed in the repository, not here), and clinic
staff hide a lesson for their own clinic or show it again. Hidden rows are clinic-scoped like
every other admin (accounts.admin_scoping)."""

from django.contrib import admin, messages
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts.access import admin_clinic_id, clinics_managed_by, manages_all_clinics
from accounts.admin_scoping import ClinicScopedAdmin

from .models import ClinicLessonHidden, Lesson


@admin.register(Lesson)
class LessonAdmin(ClinicScopedAdmin):
    list_display = ["order", "title_da", "title_en", "unlock_week", "minutes", "version", "hidden"]
    list_display_links = ["title_da"]
    fields = [
        "slug",
        "order",
        "unlock_week",
        "minutes",
        "version",
        "title_da",
        "text_da",
        "title_en",
        "text_en",
        "sources",
    ]
    readonly_fields = fields
    actions = ["hide_for_my_clinic", "show_for_my_clinic"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("text (Danish)"))
    def text_da(self, obj):
        return _as_html(obj.body_safe("da"))

    @admin.display(description=_("text (English)"))
    def text_en(self, obj):
        return _as_html(obj.body_safe("en"))

    @admin.display(description=_("hidden for your clinic"), boolean=True)
    def hidden(self, obj):
        return obj.pk in self._hidden_ids

    def changelist_view(self, request, extra_context=None):
        clinic_id = admin_clinic_id(request.user)
        self._hidden_ids = set(
            ClinicLessonHidden.objects.filter(clinic_id=clinic_id).values_list(
                "lesson_id", flat=True
            )
        )
        return super().changelist_view(request, extra_context)

    def get_actions(self, request):
        # The actions act on the staff member's own clinic; a superuser has none (they use
        # the hidden-lessons admin, choosing the clinic).
        actions = super().get_actions(request)
        if admin_clinic_id(request.user) is None or not self._may_hide(request):
            actions.pop("hide_for_my_clinic", None)
            actions.pop("show_for_my_clinic", None)
        return actions

    def _may_hide(self, request):
        return request.user.has_perm("lessons.add_cliniclessonhidden") and request.user.has_perm(
            "lessons.delete_cliniclessonhidden"
        )

    @admin.action(description=_("Hide the selected lessons for my clinic"))
    def hide_for_my_clinic(self, request, queryset):
        clinic_id = admin_clinic_id(request.user)
        rows = [ClinicLessonHidden(clinic_id=clinic_id, lesson=lesson) for lesson in queryset]
        ClinicLessonHidden.objects.bulk_create(rows, ignore_conflicts=True)
        count = len(rows)
        self.message_user(
            request,
            ngettext(
                "%(count)d lesson is hidden for your clinic.",
                "%(count)d lessons are hidden for your clinic.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )

    @admin.action(description=_("Show the selected lessons to my clinic's patients again"))
    def show_for_my_clinic(self, request, queryset):
        clinic_id = admin_clinic_id(request.user)
        count, _ = ClinicLessonHidden.objects.filter(
            clinic_id=clinic_id, lesson__in=queryset
        ).delete()
        self.message_user(
            request,
            ngettext(
                "%(count)d lesson is shown again.", "%(count)d lessons are shown again.", count
            )
            % {"count": count},
            messages.SUCCESS,
        )


def _as_html(body):
    return format_html("<div class='lesson-body'>{}</div>", body)


@admin.register(ClinicLessonHidden)
class ClinicLessonHiddenAdmin(ClinicScopedAdmin):
    list_display = ["lesson", "clinic"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .filter(clinic__in=clinics_managed_by(request.user))
            .select_related("lesson", "clinic")
        )

    def get_exclude(self, request, obj=None):
        return [] if manages_all_clinics(request.user) else ["clinic"]

    def has_add_permission(self, request):
        allowed = manages_all_clinics(request.user) or admin_clinic_id(request.user) is not None
        return allowed and super().has_add_permission(request)

    def has_change_permission(self, request, obj=None):
        # A row says only "hidden"; it is added or deleted, never changed into another.
        return False

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "clinic":
            kwargs["queryset"] = clinics_managed_by(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        if manages_all_clinics(request.user):
            super().save_model(request, obj, form, change)
            return
        # The form has no clinic field, so it cannot see a row that is already there: hiding
        # a hidden lesson again keeps the one row (the constraint would refuse a second).
        row, _created = ClinicLessonHidden.objects.get_or_create(
            clinic_id=admin_clinic_id(request.user), lesson=obj.lesson
        )
        obj.pk, obj.clinic_id = row.pk, row.clinic_id
