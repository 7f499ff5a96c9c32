"""Error views. A database that is down answers 503 with a clear body, never 500."""

import sys

from django.db import InterfaceError, OperationalError
from django.http import JsonResponse
from django.shortcuts import render

DB_DOWN = "The service is temporarily unavailable. Please try again shortly."


def server_error(request):
    exc = sys.exc_info()[1]
    if isinstance(exc, OperationalError | InterfaceError):
        if request.path.startswith("/api/") or request.path == "/healthz":
            response = JsonResponse({"detail": DB_DOWN}, status=503)
        else:
            response = render(request, "503.html", status=503)
        response["Retry-After"] = "30"
        return response
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "Internal error."}, status=500)
    return render(request, "500.html", status=500)
