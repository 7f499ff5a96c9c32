"""The service worker's offline copy of the programme (/programme.json) is fetched again when
the page shows another programme than the copy holds, not at every start of the app
(web.programme_view.offline_version, templates/web/sw.js 'warm')."""

import pytest
from django.core.signals import request_started

from .conftest import log_in, wait_for_service_worker, wait_ready, wait_until

pytestmark = pytest.mark.browser

COPY_IS = (
    "shown => caches.open('haelapp-user').then(c => c.match('/programme.json'))"
    ".then(r => !!r && r.headers.get('X-Offline-Version') === shown)"
)
GUIDE = "/today/guide/"


@pytest.fixture
def paths():
    """The paths the live server was asked for (it runs in this process)."""
    seen = []

    def started(sender, environ, **kwargs):
        seen.append(environ["PATH_INFO"])

    request_started.connect(started)
    yield seen
    request_started.disconnect(started)


def guide_cached(page):
    wait_until(page, f"caches.open('haelapp-user').then(c => c.match('{GUIDE}')).then(Boolean)")


def reload_and_warm(page, paths):
    """Load Today again and wait for the worker's 'warm' that follows: its copy of the guided
    exercise page is deleted first, so the worker fetches it again, in the same step and after
    the offline copy when it fetches that too. The warm before has stored the guide already
    (guide_cached), so no earlier fetch can put it back in between."""
    guide_cached(page)
    page.evaluate(f"caches.open('haelapp-user').then(c => c.delete('{GUIDE}'))")
    paths.clear()
    page.reload()
    wait_ready(page)
    guide_cached(page)
    assert GUIDE in paths
    return page.evaluate("document.body.dataset.offline")


def test_the_offline_copy_is_fetched_again_only_when_the_programme_changed(
    new_context, people, paths
):
    from exercises.models import Programme
    from exercises.services import programme_rename

    page = log_in(new_context(), people["patient"].user.email, people["password"])
    wait_ready(page)
    wait_for_service_worker(page)
    shown = page.evaluate("document.body.dataset.offline")
    assert shown
    wait_until(page, COPY_IS, shown)

    # The same programme: the copy stays, no request for it.
    assert reload_and_warm(page, paths) == shown
    assert "/programme.json" not in paths

    # The physio renames the programme: Today shows another copy, and the worker fetches it.
    programme = Programme.objects.get(patient=people["patient"], ended_at__isnull=True)
    programme_rename(actor=people["physio"].user, programme=programme, name="Hælspore, uge 3")
    changed = reload_and_warm(page, paths)
    assert changed and changed != shown
    wait_until(page, COPY_IS, changed)
    assert "/programme.json" in paths
    name = page.evaluate(
        "caches.open('haelapp-user').then(c => c.match('/programme.json'))"
        ".then(r => r.json()).then(copy => copy.programme.name)"
    )
    assert name == "Hælspore, uge 3"
