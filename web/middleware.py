"""The service worker's script, answered before the session and the user are looked at."""

from .views.pwa import SERVICE_WORKER_PATH, service_worker


class ServiceWorkerScriptMiddleware:
    """`GET /sw.js` is the same script for everyone (web.views.pwa.service_worker), and the
    browser asks for it after every navigation (its update check): a tenth of a patient's
    morning requests (bench/morning.py). Answered here, before SessionMiddleware, it costs no
    session, user or second-factor lookup. It sits after the security, CSP and gzip
    middleware, so its headers and compression are those of every other answer; other
    methods go the normal way (to the same view)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info == SERVICE_WORKER_PATH and request.method in ("GET", "HEAD"):
            request.get_host()  # ALLOWED_HOSTS, as CommonMiddleware would check it
            return service_worker(request)
        return self.get_response(request)
