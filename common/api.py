"""Cross-cutting API behaviour: errors that name the field, and no 500s for known failures."""

import logging

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DatabaseError, DataError, InterfaceError, OperationalError
from django.utils.translation import gettext as _
from drf_spectacular import openapi
from drf_spectacular.extensions import OpenApiSerializerExtension, OpenApiSerializerFieldExtension
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers, status
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
    elif isinstance(exc, DataError) and "NUL" in str(exc):
        # A last line of defence: fields refuse the NUL character before any query (see
        # exercises.serializers.ExerciseRefField), but should one slip through, PostgreSQL
        # refuses it in any text parameter. That is the client's input, not an outage: a 503
        # would invite the PWA's offline outbox to retry a request that can never succeed.
        logger.warning("NUL character reached the database")
        return Response(
            {"detail": _("The text contains a NUL character, which is not allowed.")},
            status=status.HTTP_400_BAD_REQUEST,
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


# --- OpenAPI ---------------------------------------------------------------------------------


class ErrorSerializer(serializers.Serializer):
    """The body of every error that is not about particular fields (401, 403, 404, 429...)."""

    detail = serializers.CharField()


class ValidationErrorSerializer(serializers.Serializer):
    """The body of a 400, for the schema only (see ValidationErrorSchema): each key names a
    field at fault with a list of reasons; nested input answers in the same shape
    (`{"items": [{}, {"exercise": ["..."]}]}`); errors about no one field come under
    `non_field_errors`, a body that cannot be parsed under `detail`."""


VALIDATION_ERROR_SCHEMA = {
    "type": "object",
    "description": "Each key names a field at fault and maps to a list of reasons (nested "
    "objects and lists for nested input); `non_field_errors` for errors about no one field, "
    "`detail` for a body that cannot be read.",
    "additionalProperties": {
        "anyOf": [{"type": "string"}, {"type": "array", "items": {}}, {"type": "object"}]
    },
    "example": {"morning_pain": ["Ensure this value is less than or equal to 10."]},
}


class ValidationErrorSchema(OpenApiSerializerExtension):
    # Its keys are the fields of whichever input was at fault: no fixed properties.
    target_class = ValidationErrorSerializer

    def map_serializer(self, auto_schema, direction):
        return VALIDATION_ERROR_SCHEMA


# What str.strip() removes, which DRF's CharField does before it asks "is it blank?". Spelled
# out rather than `\s`, which means other characters in the ECMA regular expressions of
# JSON Schema than in Python.
_SPACE = "".join(f"\\u{code:04x}" for code in range(0x10000) if chr(code).isspace())


class TextFieldSchema(OpenApiSerializerFieldExtension):
    """A text field's schema says what DRF's CharField refuses besides the length: the NUL
    character (ProhibitNullCharactersValidator) and, unless blank is allowed, a value that is
    only white space once trimmed. Without that a generated client's valid-looking " " or a
    NUL would be a surprise 400."""

    target_class = serializers.CharField  # itself only, not its subclasses (e-mail, URL...)

    def map_serializer_field(self, auto_schema, direction):
        field = self.target
        if direction != "request":
            return {"type": "string"}
        if not field.allow_blank and field.trim_whitespace:
            pattern = f"^[^\\u0000]*[^\\u0000{_SPACE}][^\\u0000]*$"
        else:
            pattern = "^[^\\u0000]*$"
        return {"type": "string", "pattern": pattern}


class StrictTextFieldSchema(TextFieldSchema):
    target_class = "common.fields.StrictCharField"


# For views that answer 400 on input the schema cannot show (a DELETE's body).
VALIDATION = OpenApiResponse(
    ValidationErrorSerializer, description="Invalid input; the body names each field at fault."
)


class AutoSchema(openapi.AutoSchema):
    """drf-spectacular's schema, plus the error answers api.md promises.

    Views declare their successes (and any unusual error); the errors every operation shares
    are added here, once, from what the operation is: one that needs a login can answer 401
    and 403, one that takes input 400, one with an object in its path 404, a paginated list
    404 for a page past the end, a throttled one 429.
    """

    def get_operation(self, path, path_regex, path_prefix, method, registry):
        operation = super().get_operation(path, path_regex, path_prefix, method, registry)
        if operation is None:
            return None
        responses = operation["responses"]

        def add(code: str, description: str, schema=ErrorSerializer):
            if code not in responses:
                answer = OpenApiResponse(schema, description=description)
                responses[code] = self._get_response_for_code(answer, code)

        if "requestBody" in operation or operation.get("parameters"):
            add("400", VALIDATION.description, VALIDATION.response)
        if {} not in operation.get("security", [{}]):
            add("401", "Not logged in, or the token has expired.")
            add("403", "The caller's role may not use this operation.")
        if "{" in path or (self.method == "GET" and self._is_paginated_list()):
            add("404", "Not found, or not visible to the caller (or no such page).")
            if "{" in path:
                # A path parameter that does not fit the URL pattern (`/patients/x/`) never
                # reaches the API: Django's own HTML page answers.
                html = self._get_response_for_code(OpenApiTypes.STR, "404", ("text/html",))
                responses["404"].setdefault("content", {}).update(html.get("content", {}))
        if self.view.throttle_classes:
            add("429", "Too many requests; try again later.")
        return operation

    def _is_paginated_list(self) -> bool:
        return self._get_paginator() is not None and self._is_list_view()
