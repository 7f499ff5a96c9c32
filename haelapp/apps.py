from django.apps import AppConfig


class HaelappConfig(AppConfig):
    """The project package as an app, only so its lookups register at start-up."""

    name = "haelapp"

    def ready(self):
        from . import lookups  # noqa: F401 - registers the `any` lookup
