"""What makes the web app installable and usable offline: the manifest, the service worker,
the offline page and the offline copy of the patient's programme."""

import hashlib
import json
from functools import cache
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import ManifestFilesMixin, staticfiles_storage
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.utils.translation import gettext as _

from ..decorators import offline_ok, patient_required
from ..programme_view import offline_copy, offline_version, page_plan

# Also answered before the session middleware (web.middleware), and exempt from the second
# factor (accounts.twofactor): it holds nothing of anyone's.
SERVICE_WORKER_PATH = "/sw.js"
THEME_COLOUR = "#1f5f8b"
BACKGROUND_COLOUR = "#f6f8fa"

# The app shell. The core is stored before the worker takes over: what Today itself loads, so
# that the install takes it from the HTTP cache the page has just filled and costs no round
# trip (bench/pwa.py: on the phone profile each one is 150 ms of the first load), and the
# offline page (see service_worker). The rest (the offline page's script, other pages'
# scripts, icons, every exercise illustration so that a new programme shows offline too)
# right after, when the page says it is idle: it is also when the offline copies of Today and
# the programme are stored.
SHELL_CORE = (
    "css/app.css",
    "js/outbox.js",
    "js/app.js",
    "js/today.js",
    "icons/icon.svg",
)
SHELL_LATER = (
    "js/offline.js",
    "icons/icon-192.png",
    "icons/favicon-32.png",
    "js/progress.js",
    "js/checkin.js",
    "js/settings.js",
    "js/questionnaire.js",
    "js/guide.js",
    "icons/icon-512.png",
    "icons/maskable-512.png",
    "icons/apple-touch-icon.png",
)


def manifest(request):
    body = {
        "name": _("haelapp: exercises and pain diary for heel pain"),
        "short_name": "haelapp",
        "description": _(
            "Follow your physiotherapist's exercise programme and keep a morning-pain diary."
        ),
        "lang": (getattr(request, "LANGUAGE_CODE", None) or settings.LANGUAGE_CODE),
        "id": "/",
        "start_url": "/",
        "scope": "/",
        "display": "standalone",
        "orientation": "any",
        "theme_color": THEME_COLOUR,
        "background_color": BACKGROUND_COLOUR,
        "categories": ["health", "medical"],
        "icons": [
            {"src": static("icons/icon-192.png"), "sizes": "192x192", "type": "image/png"},
            {"src": static("icons/icon-512.png"), "sizes": "512x512", "type": "image/png"},
            {
                "src": static("icons/maskable-512.png"),
                "sizes": "512x512",
                "type": "image/png",
                "purpose": "maskable",
            },
            {"src": static("icons/icon.svg"), "sizes": "any", "type": "image/svg+xml"},
        ],
    }
    response = HttpResponse(
        json.dumps(body, ensure_ascii=False), content_type="application/manifest+json"
    )
    response["Cache-Control"] = "no-cache"
    return response


def _illustrations() -> list[str]:
    folder = Path(settings.BASE_DIR) / "static" / "exercises"
    return sorted(f"exercises/{path.name}" for path in folder.glob("*.svg"))


def _asset_paths() -> list[str]:
    return [*SHELL_CORE, *SHELL_LATER, *_illustrations()]


def _fingerprint(paths: list[str]) -> str:
    """Changes whenever an asset changes, so that a new service worker replaces the caches.
    With hashed static names (production) the URLs alone would do; in development they are
    not hashed, so the contents count."""
    digest = hashlib.sha256()
    for path in paths:
        digest.update(static(path).encode())
        found = finders.find(path)
        if found:
            digest.update(Path(found).read_bytes())
    for template in ("base.html", "web/offline.html"):
        digest.update((Path(settings.BASE_DIR) / "templates" / template).read_bytes())
    return digest.hexdigest()[:12]


def _outbox_source() -> str:
    return Path(finders.find("js/outbox.js")).read_text(encoding="utf-8")


def _service_worker_source() -> str:
    """The worker's script. It depends on the static files only (their names, the offline
    helpers' source), never on who asks, so outside development it is made once per process:
    every navigation of every patient asks for it (the browser's update check)."""
    context = {
        "version": _fingerprint(_asset_paths()),
        # The offline page too: from the moment the worker is active, a page it cannot give
        # offline falls back to it, never to the browser's error (Chromium's own offline check
        # of an installed app asks for the page just then).
        "precache": json.dumps([static(path) for path in SHELL_CORE] + ["/offline/"]),
        "precache_later": json.dumps([static(path) for path in (*SHELL_LATER, *_illustrations())]),
        # Written into the worker rather than imported: importScripts() is one more round trip
        # before the install can start.
        "outbox_source": _outbox_source(),
        "icon": static("icons/icon-192.png"),
        # Hashed static names (production's manifest storage) never change content, so the
        # worker may take them from the HTTP cache the page has just filled instead of
        # downloading them again (bench/pwa.py: about 0.3 s on a slow phone line).
        "static_immutable": json.dumps(isinstance(staticfiles_storage, ManifestFilesMixin)),
        "static_url": settings.STATIC_URL,
    }
    return render_to_string("web/sw.js", context)


_service_worker_source_cached = cache(_service_worker_source)


def service_worker(request):
    source = _service_worker_source() if settings.DEBUG else _service_worker_source_cached()
    response = HttpResponse(source, content_type="application/javascript")
    response["Service-Worker-Allowed"] = "/"
    response["Cache-Control"] = "no-cache"
    return response


def offline(request):
    # The same page for everyone (the service worker keeps one copy): no user data in it.
    return offline_ok(render(request, "web/offline.html", {"shell": True}))


@patient_required
def programme_json(request):
    """The programme for offline use: exercises and dosage only (see offline_copy)."""
    copy = offline_copy(page_plan(request.user.patient_profile))
    response = JsonResponse(copy)
    response["X-Offline-Version"] = offline_version(copy)
    return offline_ok(response)
