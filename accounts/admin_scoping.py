"""What every admin page shares: clinic staff reach only their own clinic's rows (the querysets
come from accounts.access), and the admin pages that know nothing of clinics are for
superusers only.

`tests/test_admin_scoping.py` checks that every registered admin is one or the other, so a new
app's admin cannot silently show one clinic's rows to another.
"""

from django.apps import apps
from django.contrib import admin
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.options import TO_FIELD_VAR
from django.contrib.admin.utils import unquote
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseBadRequest

from .access import manages_all_clinics

# Apps whose admins are written here, clinic-scoped through accounts.access.
OWN_APPS = {
    "accounts",
    "exercises",
    "diary",
    "progress",
    "reminders",
    "privacy",
    "web",
    "lessons",
    "care",
}


def _bad_selection(model_admin, request) -> HttpResponseBadRequest | None:
    """A 400 naming the field when an action is posted with an id that cannot be one (the
    admin would fail with a server error filtering by it)."""
    for value in request.POST.getlist(ACTION_CHECKBOX_NAME) if request.method == "POST" else []:
        try:
            model_admin.opts.pk.to_python(value)
        except ValidationError as exc:
            return HttpResponseBadRequest(f"{ACTION_CHECKBOX_NAME}: {' '.join(exc.messages)}")
    return None


class ClinicScopedAdmin(admin.ModelAdmin):
    """An admin whose `get_queryset` is one of accounts.access's `*_managed_by`.

    Another clinic's object answers 404, as everywhere else in the service, and the same 404
    as an id nobody has (Django's admin would redirect to its index with a "does not exist"
    message, which tells no more, but a 404 is what the authorization matrix expects of every
    page)."""

    def _404_unless_managed(self, request, object_id):
        if request.POST.get(TO_FIELD_VAR, request.GET.get(TO_FIELD_VAR)) is not None:
            return  # Django checks that field itself, and finds the row in the same queryset.
        if self.get_object(request, unquote(object_id)) is None:
            raise Http404

    def changelist_view(self, request, extra_context=None):
        return _bad_selection(self, request) or super().changelist_view(request, extra_context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        self._404_unless_managed(request, object_id)
        return super().change_view(request, object_id, form_url, extra_context)

    def delete_view(self, request, object_id, extra_context=None):
        self._404_unless_managed(request, object_id)
        return super().delete_view(request, object_id, extra_context)

    def history_view(self, request, object_id, extra_context=None):
        self._404_unless_managed(request, object_id)
        return super().history_view(request, object_id, extra_context)


class SuperusersOnly:
    """Mixed into a library's own ModelAdmin: with it, only superusers see the model at all.

    Groups, API tokens, log-in attempts and authenticator devices belong to no clinic, so
    clinic staff given model permissions would see and change every clinic's; and staff who
    could edit a group could give themselves any permission."""

    def changelist_view(self, request, extra_context=None):
        return _bad_selection(self, request) or super().changelist_view(request, extra_context)

    def has_module_permission(self, request):
        return manages_all_clinics(request.user) and super().has_module_permission(request)

    def has_view_permission(self, request, obj=None):
        return manages_all_clinics(request.user) and super().has_view_permission(request, obj)

    def has_add_permission(self, request, *args):
        return manages_all_clinics(request.user) and super().has_add_permission(request, *args)

    def has_change_permission(self, request, obj=None):
        return manages_all_clinics(request.user) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return manages_all_clinics(request.user) and super().has_delete_permission(request, obj)


def libraries_for_superusers_only(site: admin.AdminSite) -> None:
    """Re-register every admin registered so far by another app (Django's and the libraries'
    own: they are discovered before ours, in INSTALLED_APPS order) with `SuperusersOnly`.
    Called once, at the end of accounts/admin.py."""
    for model in apps.get_models():
        if model._meta.app_label in OWN_APPS or not site.is_registered(model):
            continue
        model_admin = type(site.get_model_admin(model))
        if issubclass(model_admin, SuperusersOnly):
            continue
        site.unregister(model)
        site.register(
            model, type(f"SuperusersOnly{model_admin.__name__}", (SuperusersOnly, model_admin), {})
        )
