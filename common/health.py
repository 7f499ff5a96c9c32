"""`GET /healthz`: 200 when the database and the Celery broker answer, 503 naming what failed.

The broker is reached through Celery's current app (the project's, made current when Django
loads `haelapp`), with its transport options, so this module imports no app."""

import logging

from celery import current_app
from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)


def check_database() -> str | None:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any failure means "not reachable" to a probe
        return type(exc).__name__
    return None


def check_broker() -> str | None:
    try:
        # The URL from settings (not the app's cached copy) so an override is honoured.
        with current_app.connection_for_write(settings.CELERY_BROKER_URL) as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
            # Redis answers the connect even when it refuses commands; make it do one.
            conn.default_channel  # noqa: B018
    except Exception as exc:
        return type(exc).__name__
    return None


@never_cache
@require_safe  # load balancers and uptime monitors often probe with HEAD
def healthz(request):
    failures = {}
    for name, check in (("database", check_database), ("broker", check_broker)):
        error = check()
        if error:
            failures[name] = error
            logger.warning("healthz: %s unreachable (%s)", name, error)
    body = {
        "status": "ok" if not failures else "unavailable",
        "database": "ok" if "database" not in failures else "unreachable",
        "broker": "ok" if "broker" not in failures else "unreachable",
    }
    if not failures:
        return JsonResponse(body)
    response = JsonResponse(body, status=503)
    # The same pause the API asks for when the database is down (common.api).
    response["Retry-After"] = "30"
    return response
