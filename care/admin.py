"""Episodes in the admin: read-only, clinic-scoped like every patient's data
(accounts.admin_scoping). They are opened, closed and reviewed by the physio on the patient's
page or through the API, where the services keep the rules and the access log; an episode
edited here would move the assessment's clock without a trace."""

from django.contrib import admin

from accounts.access import manages_all_clinics, patients_managed_by
from accounts.admin_scoping import ClinicScopedAdmin

from .models import Episode, EpisodeReview


class ReadOnlyMixin:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class EpisodeReviewInline(ReadOnlyMixin, admin.TabularInline):
    model = EpisodeReview
    fields = ["kind", "outcome", "note", "recorded_on", "recorded_by", "recorded_at"]
    readonly_fields = fields
    extra = 0


@admin.register(Episode)
class EpisodeAdmin(ReadOnlyMixin, ClinicScopedAdmin):
    list_display = ["patient", "starts_on", "condition", "closed_on", "outcome"]
    list_select_related = ["patient__user"]
    list_filter = ["outcome", "condition"]
    fields = [
        "patient",
        "physio",
        "condition",
        "heel_left",
        "heel_right",
        "starts_on",
        "reason",
        "opened_by",
        "opened_at",
        "closed_on",
        "outcome",
        "close_note",
        "closed_by",
        "closed_at",
    ]
    readonly_fields = fields
    inlines = [EpisodeReviewInline]

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if manages_all_clinics(request.user):
            return qs
        return qs.filter(patient__in=patients_managed_by(request.user))
