"""Who may open which page. Another role's page answers 404, like the API."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.utils.cache import patch_cache_control

from accounts.access import is_patient, is_physio


def _role_required(allowed):
    def decorator(view):
        @login_required
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not allowed(request.user):
                raise Http404
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


patient_required = _role_required(is_patient)
physio_required = _role_required(is_physio)


def offline_ok(response):
    """A page without diary, progress or check-in data: browsers revalidate it every time, and
    the service worker may keep a copy for offline use. The worker keeps only responses marked
    so, and never one sent `no-store`."""
    patch_cache_control(response, private=True, no_cache=True)
    response["X-Offline"] = "keep"
    return response
