from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts and clinics")

    def ready(self):
        from . import schema  # noqa: F401 - registers the OpenAPI authentication extensions


class AdminConfig(admin_apps.AdminConfig):
    """`django.contrib.admin`, with our admin site as the default one (accounts.adminsite)."""

    default = False  # named in INSTALLED_APPS; "accounts" itself is AccountsConfig
    default_site = "accounts.adminsite.AdminSite"
