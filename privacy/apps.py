from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    """The patient's rights over their data (GDPR art. 15, 17, 20): export and erasure.
    It sits on top of every data app, like `web`; nothing imports it."""

    name = "privacy"
