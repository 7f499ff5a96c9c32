"""Cross-cutting API behaviour: errors that name the field, and no 500s for known failures."""

import logging

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DatabaseError, InterfaceError, OperationalError
from django.utils.translation import gettext as _
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

logger = logging.getLogger(__name__)


def exception_handler(exc, context):
    if isinstance(exc, DjangoValidationError):
        # Model and service validation speak Django's language; answer like a serializer.
        if hasattr(exc, "error_dict"):
            detail = exc.message_dict
        else:
            detail = {"non_field_errors": exc.messages}
        exc = ValidationError(detail)
    elif isinstance(exc, (OperationalError, InterfaceError)):
        # The database is unreachable: say so, and let the client retry. Nothing was written
        # (every write runs in a transaction).
        logger.error("Database unavailable: %s", type(exc).__name__)
        return Response(
            {"detail": _("The service is temporarily unavailable. Please try again shortly.")},
            status=status.HTTP_503_SERVICE_UNAVAILABLE,
            headers={"Retry-After": "30"},
        )
    elif isinstance(exc, DatabaseError):
        logger.exception("Database error")
        return Response(
            {"detail": _("The request could not be stored. Please try again.")},
            status=status.HTTP_503_SERVICE_UNAVAILABLE,
        )
    return drf_exception_handler(exc, context)


class NoStoreMixin:
    """Health data must not linger in browser or proxy caches (or a service worker's)."""

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        response["Cache-Control"] = "no-store"
        return response
