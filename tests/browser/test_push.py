"""A push message from the server, delivered to the service worker, shows as a notification
with the server's text; tapping it is handled by the worker."""

import json

import pytest

from .conftest import log_in, wait_for_service_worker, wait_ready, wait_until

pytestmark = pytest.mark.browser


def test_a_pushed_reminder_is_shown_with_the_servers_text(new_context, people, base_url):
    from django.utils import timezone

    from reminders.messages import push_payload
    from reminders.models import Notification

    patient = people["patient"]
    context = new_context()
    context.grant_permissions(["notifications"], origin=base_url)
    page = log_in(context, patient.user.email, people["password"])
    wait_ready(page)
    wait_for_service_worker(page)

    notification = Notification.objects.create(
        patient=patient,
        kind=Notification.Kind.NUDGE,
        local_date=people["today"],
        due_at=timezone.now(),
    )
    payload = push_payload(notification, "da")

    cdp = context.new_cdp_session(page)
    registrations = []
    cdp.on(
        "ServiceWorker.workerRegistrationUpdated",
        lambda event: registrations.extend(event["registrations"]),
    )
    cdp.send("ServiceWorker.enable")
    for _ in range(200):  # CDP events arrive while Playwright runs its loop
        if registrations:
            break
        page.wait_for_timeout(25)
    registration = next(r for r in registrations if r["scopeURL"] == base_url + "/")
    # CDP hands the message to the worker without an answer; a message that arrives while
    # Chromium is still starting the worker can be dropped, so it is sent again until shown
    # (the tag makes the notifications replace each other: one shows).
    expression = """tag => navigator.serviceWorker.ready
        .then(r => r.getNotifications({tag}))
        .then(list => list.length ? list.map(n => ({title: n.title, body: n.body,
            tag: n.tag, url: n.data && n.data.url})) : null)"""
    shown = None
    for _ in range(10):
        cdp.send(
            "ServiceWorker.deliverPushMessage",
            {
                "origin": base_url,
                "registrationId": registration["registrationId"],
                "data": json.dumps(payload),
            },
        )
        try:
            shown = wait_until(page, expression, payload["tag"], timeout_ms=3000)
            break
        except AssertionError:
            continue
    assert shown, "the pushed message never showed as a notification"
    assert shown == [
        {"title": payload["title"], "body": payload["body"], "tag": payload["tag"], "url": "/"}
    ]
    # No health value on a lock screen.
    assert not any(char.isdigit() for char in payload["title"] + payload["body"])
