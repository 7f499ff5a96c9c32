"""The admin site: Django's, with the password change page that ends the other sessions and
the API tokens (accounts.views_password). Installed as the default site by
`accounts.apps.AdminConfig`, Django's documented way to replace it."""

from django.contrib import admin
from django.contrib.admin.forms import AdminPasswordChangeForm
from django.urls import reverse

from .views_password import PasswordChangeView


class AdminSite(admin.AdminSite):
    def password_change(self, request, extra_context=None):
        # As Django's AdminSite.password_change, with our view class.
        defaults = {
            "form_class": AdminPasswordChangeForm,
            "success_url": reverse("admin:password_change_done", current_app=self.name),
            "extra_context": {**self.each_context(request), **(extra_context or {})},
        }
        if self.password_change_template is not None:
            defaults["template_name"] = self.password_change_template
        request.current_app = self.name
        return PasswordChangeView.as_view(**defaults)(request)
