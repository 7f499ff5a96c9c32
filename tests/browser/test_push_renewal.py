"""At a start of the app, the push subscription goes to the server only when the server does
not hold it as it is (static/js/app.js `push.renew`, the pages' `data-push`): a new one, one
renewed with other keys, or one the server dropped. Not at every start.

Chromium here reaches no push service, so the browser's subscription is a stand-in with the
shape of a real one (PushManager.getSubscription); everything else is real: the page, the
script, its SHA-256, the server's list and the API."""

import base64
import json

import pytest

from .conftest import log_in, wait_for_service_worker

pytestmark = pytest.mark.browser

ENDPOINT = "https://fcm.googleapis.com/fcm/send/renewal-test"
P256DH = base64.urlsafe_b64encode(bytes([4]) + bytes(range(64))).decode().rstrip("=")

STAND_IN = """
(() => {
  const keys = () => JSON.parse(localStorage.getItem('test-push-keys'));
  PushManager.prototype.getSubscription = function () {
    return Promise.resolve({
      endpoint: ENDPOINT,
      expirationTime: null,
      toJSON() { return {endpoint: this.endpoint, expirationTime: null, keys: keys()}; },
      unsubscribe() { return Promise.resolve(true); },
    });
  };
})();
""".replace("ENDPOINT", json.dumps(ENDPOINT))


def keys(auth: str) -> dict:
    return {"p256dh": P256DH, "auth": auth}


def start(page, auth: str) -> str:
    """Open Today with the browser's subscription holding these keys: what the start did."""
    page.evaluate("k => localStorage.setItem('test-push-keys', JSON.stringify(k))", keys(auth))
    page.goto("/")
    return page.evaluate("window.haelapp.push.started")


def held(patient) -> list[tuple[str, str]]:
    from reminders.models import PushSubscription

    return list(PushSubscription.objects.filter(patient=patient).values_list("endpoint", "auth"))


def test_the_subscription_is_sent_when_the_server_does_not_hold_it_as_it_is(new_context, people):
    from reminders.models import PushSubscription

    patient = people["patient"]
    context = new_context()
    context.grant_permissions(["notifications"])
    context.add_init_script(STAND_IN)
    page = log_in(context, patient.user.email, people["password"])
    wait_for_service_worker(page)

    posts = []
    page.on(
        "request",
        lambda request: (
            posts.append(request.url)
            if request.method == "POST" and "/push-subscriptions/" in request.url
            else None
        ),
    )
    assert start(page, "AAAAAAAAAAAAAAAAAAAAAA") == "sent"  # new to the server
    assert held(patient) == [(ENDPOINT, "AAAAAAAAAAAAAAAAAAAAAA")]
    assert start(page, "AAAAAAAAAAAAAAAAAAAAAA") == "held"  # nothing changed: no request
    assert start(page, "BBBBBBBBBBBBBBBBBBBBBB") == "sent"  # renewed with other keys
    assert held(patient) == [(ENDPOINT, "BBBBBBBBBBBBBBBBBBBBBB")]
    assert start(page, "BBBBBBBBBBBBBBBBBBBBBB") == "held"
    PushSubscription.objects.filter(patient=patient).delete()  # e.g. the push service said 410
    assert start(page, "BBBBBBBBBBBBBBBBBBBBBB") == "sent"
    assert held(patient) == [(ENDPOINT, "BBBBBBBBBBBBBBBBBBBBBB")]
    assert len(posts) == 3
