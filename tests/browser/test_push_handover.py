"""A browser whose push subscription is another patient's (they used the app here and did not
log out) gets a new one for the patient now logged in, instead of taking the other's over:
the server refuses the old endpoint (409) and the PWA subscribes afresh.

Chromium cannot reach a real push service here, so the page's PushManager is replaced by a
stand-in that hands out subscriptions with made-up endpoints; everything else is real.
"""

import pytest

from .conftest import log_in, wait_ready

pytestmark = pytest.mark.browser

OLD = "https://fcm.googleapis.com/fcm/send/left-behind"
NEW = "https://fcm.googleapis.com/fcm/send/fresh-one"
KEYS = {
    "p256dh": (
        "BNcRdreALRFXTkOOUHK1EtK2wtaz5Ry4YfYCA_0QTpQtUbVlUls0VJXg7A8u-Ts1XbjhazAkj7I99e8QcYP7DkM"
    ),
    "auth": "tBHItJI5svbpez7KI4CCXg",
}
STAND_IN = """
(() => {
  const keys = %(keys)s;
  let current = %(old)s;
  const make = endpoint => ({
    endpoint,
    toJSON: () => ({endpoint, expirationTime: null, keys}),
    unsubscribe: () => { if (current === endpoint) current = null; return Promise.resolve(true); }
  });
  PushManager.prototype.getSubscription = function () {
    return Promise.resolve(current && make(current));
  };
  PushManager.prototype.subscribe = function () {
    current = current || %(new)s;
    return Promise.resolve(make(current));
  };
})();
"""


def test_a_left_behind_subscription_is_replaced_not_taken_over(new_context, people, base_url):
    import json

    from reminders.models import PushSubscription
    from tests.factories import PatientFactory, UserFactory

    previous = people["patient"]
    PushSubscription.objects.create(
        patient=previous, endpoint=OLD, p256dh=KEYS["p256dh"], auth=KEYS["auth"]
    )
    patient = PatientFactory(
        physio=previous.physio, user=UserFactory(email="bo@example.org", name="Bo Berg")
    )

    context = new_context()
    context.grant_permissions(["notifications"], origin=base_url)
    context.add_init_script(
        STAND_IN % {"keys": json.dumps(KEYS), "old": json.dumps(OLD), "new": json.dumps(NEW)}
    )
    page = log_in(context, patient.user.email, people["password"])
    wait_ready(page)

    # The PWA re-sends its subscription at every start; here it is refused and replaced.
    for _ in range(200):
        if PushSubscription.objects.filter(patient=patient).exists():
            break
        page.wait_for_timeout(50)
    assert list(
        PushSubscription.objects.filter(patient=patient).values_list("endpoint", flat=True)
    ) == [NEW]
    assert PushSubscription.objects.get(endpoint=OLD).patient == previous
