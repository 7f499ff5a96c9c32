"""The stand-in push service (tests/push_standin.py), driven by pywebpush itself."""

import asyncio
import base64
import json
import signal
import socket
import struct
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor

import aiohttp
import httpx
import pytest
import requests
from cryptography.hazmat.primitives import serialization
from py_vapid import Vapid02
from pywebpush import WebPusher, WebPushException, webpush, webpush_async

from .push_standin import Reply, StandInPushService, _peer_gone

CONTACT = {"sub": "mailto:test@example.org"}


def _raw_vapid_key() -> str:
    """A VAPID private key as the app stores it: URL-safe base64 of the 32-byte scalar."""
    vapid = Vapid02()
    vapid.generate_keys()
    number = vapid.private_key.private_numbers().private_value
    return base64.urlsafe_b64encode(number.to_bytes(32, "big")).rstrip(b"=").decode()


@pytest.fixture
def push():
    with StandInPushService() as service:
        yield service


@pytest.fixture
def vapid_key() -> str:
    return _raw_vapid_key()


def send(subscription, vapid_key, payload=None, **kwargs):
    """Send like the app does, with the real pywebpush; returns the requests.Response."""
    kwargs.setdefault("ttl", 60)
    kwargs.setdefault("headers", {"Topic": "daily"})
    return webpush(
        subscription,
        data=json.dumps(payload if payload is not None else {"title": "Exercises"}),
        vapid_private_key=vapid_key,
        vapid_claims=dict(kwargs.pop("vapid_claims", CONTACT)),  # pywebpush fills in the dict
        **kwargs,
    )


def signed_request(push, subscription, vapid_key, *, data=b'{"n": 1}', claims=None, headers=None):
    """Headers and body of a push request built by hand (pywebpush's encoder, py_vapid's
    signer), to forge what pywebpush would not send."""
    claims = {
        "aud": push.origin,
        "exp": int(time.time()) + 3600,
        **CONTACT,
        **(claims or {}),
    }
    body = WebPusher(subscription).encode(data)["body"]
    all_headers = {
        "TTL": "60",
        "Content-Encoding": "aes128gcm",
        **Vapid02.from_string(vapid_key).sign(claims),
        **(headers or {}),
    }
    return {k: v for k, v in all_headers.items() if v is not None}, body


def test_a_message_is_accepted_once_and_recorded_decrypted(push, vapid_key):
    subscription = push.new_subscription()
    assert subscription["endpoint"].startswith(f"{push.origin}/push/")
    payload = {"title": "Time for your exercises", "url": "/today", "n": 3}

    response = send(subscription, vapid_key, payload, headers={"Topic": "daily", "Urgency": "low"})

    assert response.status_code == 201
    assert response.headers["Location"].startswith(f"{push.origin}/message/")
    assert response.headers["TTL"] == "60"
    [message] = push.wait_for(1)
    assert message.endpoint == subscription["endpoint"]
    assert message.payload == payload
    assert json.loads(message.plaintext) == payload
    assert message.headers == {
        "TTL": "60",
        "Content-Encoding": "aes128gcm",
        "Topic": "daily",
        "Urgency": "low",
    }
    assert (message.ttl, message.topic, message.urgency) == (60, "daily", "low")
    assert message.vapid["aud"] == push.origin
    assert message.vapid["sub"] == "mailto:test@example.org"
    assert time.time() < message.vapid["exp"] <= time.time() + 24 * 3600
    public_key = Vapid02.from_string(vapid_key).public_key.public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    assert message.vapid_key == base64.urlsafe_b64encode(public_key).rstrip(b"=").decode()
    assert response.headers["Location"].endswith(message.message_id)
    assert [r.status for r in push.requests] == [201]
    assert push.rejections == []


def test_a_payload_that_is_not_json_is_kept_as_bytes(push, vapid_key):
    subscription = push.new_subscription()
    webpush(
        subscription, data="plain text", vapid_private_key=vapid_key, vapid_claims=dict(CONTACT)
    )
    [message] = push.wait_for(1)
    assert message.payload == b"plain text"
    assert message.topic is None and message.urgency is None


def test_keep_alive_connections_are_reused(push, vapid_key):
    subscription = push.new_subscription()
    with requests.Session() as session:
        for n in range(3):
            assert send(subscription, vapid_key, {"n": n}, requests_session=session).ok

    async def pooled():
        async with aiohttp.ClientSession() as session:
            for n in range(3, 6):
                response = await webpush_async(
                    subscription,
                    data=json.dumps({"n": n}),
                    vapid_private_key=vapid_key,
                    vapid_claims=dict(CONTACT),
                    ttl=60,
                    aiohttp_session=session,
                )
                assert response.status == 201

    asyncio.run(pooled())

    messages = push.wait_for(6)
    assert [m.payload["n"] for m in messages] == list(range(6))
    peers = [r.peer for r in push.requests]
    assert len(set(peers[:3])) == 1 and len(set(peers[3:])) == 1


def test_a_signature_by_another_key_is_rejected(push, vapid_key):
    subscription = push.new_subscription()
    headers, body = signed_request(push, subscription, vapid_key)
    # Keep the token signed with vapid_key but claim to be another key.
    other = Vapid02.from_string(_raw_vapid_key()).sign({"aud": push.origin, **CONTACT})
    other_k = other["Authorization"].rsplit("k=", 1)[1]
    token = headers["Authorization"].split("t=", 1)[1].split(",", 1)[0]
    headers["Authorization"] = f"vapid t={token}, k={other_k}"

    response = httpx.post(subscription["endpoint"], headers=headers, content=body)

    assert response.status_code == 400
    [rejection] = push.rejections
    assert "signature does not verify" in rejection.reason
    assert push.accepted == []


def test_a_token_for_another_origin_is_rejected(push, vapid_key):
    subscription = push.new_subscription()
    with pytest.raises(WebPushException) as raised:
        send(subscription, vapid_key, vapid_claims={**CONTACT, "aud": "https://push.example.net"})
    assert raised.value.response.status_code == 400
    assert "aud" in push.rejections[0].reason
    assert push.accepted == []


@pytest.mark.parametrize(
    ("claims", "reason"),
    [
        ({"exp": int(time.time()) - 10}, "expired"),
        ({"exp": int(time.time()) + 25 * 3600}, "more than 24 h ahead"),
        ({"sub": "https://example.org", "exp": 1}, "expired"),
    ],
)
def test_vapid_exp_must_be_within_the_next_24_hours(push, vapid_key, claims, reason):
    subscription = push.new_subscription()
    headers, body = signed_request(push, subscription, vapid_key, claims=claims)
    response = httpx.post(subscription["endpoint"], headers=headers, content=body)
    assert response.status_code == 400
    assert reason in push.rejections[0].reason


@pytest.mark.parametrize(
    ("headers", "reason"),
    [
        ({"TTL": None}, "missing TTL"),
        ({"TTL": "-1"}, "TTL must be an integer"),
        ({"Content-Encoding": "aesgcm"}, "Content-Encoding must be aes128gcm"),
        ({"Topic": "x" * 33}, "Topic"),
        ({"Topic": "daily reminder"}, "Topic"),
        ({"Urgency": "urgent"}, "Urgency"),
        ({"Authorization": None}, "missing Authorization"),
        ({"Authorization": "WebPush abc.def.ghi"}, "scheme must be vapid"),
    ],
)
def test_malformed_requests_are_rejected_with_400(push, vapid_key, headers, reason):
    subscription = push.new_subscription()
    all_headers, body = signed_request(push, subscription, vapid_key, headers=headers)
    response = httpx.post(subscription["endpoint"], headers=all_headers, content=body)
    assert response.status_code == 400
    assert reason in response.json()["message"]
    [rejection] = push.rejections
    assert reason in rejection.reason
    assert push.accepted == []


def test_a_payload_for_another_subscription_cannot_be_decrypted(push, vapid_key):
    subscription, other = push.new_subscription(), push.new_subscription()
    headers, body = signed_request(push, other, vapid_key)
    response = httpx.post(subscription["endpoint"], headers=headers, content=body)
    assert response.status_code == 400
    assert "could not decrypt" in push.rejections[0].reason


def test_bodies_over_4096_bytes_are_too_large(push, vapid_key):
    subscription = push.new_subscription()
    headers, _ = signed_request(push, subscription, vapid_key)
    response = httpx.post(subscription["endpoint"], headers=headers, content=b"\0" * 4097)
    assert response.status_code == 413


def test_unknown_subscriptions_and_methods(push, vapid_key):
    subscription = push.new_subscription()
    with pytest.raises(WebPushException) as raised:
        send({**subscription, "endpoint": f"{push.origin}/push/nobody"}, vapid_key)
    assert raised.value.response.status_code == 404
    assert httpx.get(subscription["endpoint"]).status_code == 405
    assert [r.status for r in push.rejections] == [404, 405]


def test_503_twice_then_201(push, vapid_key):
    subscription = push.new_subscription()
    push.behave(subscription["endpoint"], 503, 503)
    statuses = []
    for _ in range(3):
        try:
            statuses.append(send(subscription, vapid_key).status_code)
        except WebPushException as exc:
            statuses.append(exc.response.status_code)
            assert exc.response.headers["Retry-After"] == "1"
    assert statuses == [503, 503, 201]
    assert len(push.accepted) == 1
    assert push.rejections == []


def test_429_comes_with_retry_after(push, vapid_key):
    subscription = push.new_subscription()
    push.behave(subscription, 429, Reply(429, retry_after=30), retry_after=7)
    retry_afters = []
    for _ in range(2):
        with pytest.raises(WebPushException) as raised:
            send(subscription, vapid_key)
        assert raised.value.response.status_code == 429
        retry_afters.append(raised.value.response.headers["Retry-After"])
    assert retry_afters == ["7", "30"]
    assert send(subscription, vapid_key).status_code == 201


@pytest.mark.parametrize(
    ("behaviour", "status"), [({"gone": True}, 410), ({"status": 404, "forever": True}, 404)]
)
def test_gone_subscriptions_stay_gone(push, vapid_key, behaviour, status):
    subscription = push.new_subscription()
    push.behave(subscription["endpoint"], **behaviour)
    for _ in range(3):
        with pytest.raises(WebPushException) as raised:
            send(subscription, vapid_key)
        assert raised.value.response.status_code == status
    assert push.accepted == []
    assert push.rejections == []  # scripted answers are not rejections
    push.behave(subscription["endpoint"])  # back to normal
    assert send(subscription, vapid_key).status_code == 201


def test_invalid_requests_do_not_use_up_the_script(push, vapid_key):
    subscription = push.new_subscription()
    push.behave(subscription["endpoint"], 503)
    with pytest.raises(WebPushException):
        send(subscription, vapid_key, vapid_claims={**CONTACT, "aud": "https://elsewhere.test"})
    with pytest.raises(WebPushException) as raised:
        send(subscription, vapid_key)
    assert raised.value.response.status_code == 503


def test_a_held_request_is_answered_on_release(push, vapid_key):
    subscription = push.new_subscription()
    push.behave(subscription["endpoint"], "hold")
    with ThreadPoolExecutor(1) as pool:
        pending = pool.submit(send, subscription, vapid_key, {"n": 1})
        push.wait_for_held(1, timeout=10)
        # Held: the handler waits for release(), so no answer can have been written.
        assert not pending.done()
        assert push.accepted == []
        push.release()
        assert pending.result(timeout=10).status_code == 201
    [message] = push.wait_for(1)
    assert message.payload == {"n": 1}
    assert push.requests[0].held
    assert push.held == 0


def test_a_held_request_whose_client_gives_up_is_not_accepted(push, vapid_key):
    subscription = push.new_subscription()
    push.behave(subscription["endpoint"], "hold")
    headers, body = signed_request(push, subscription, vapid_key)

    with pytest.raises(httpx.ReadTimeout):
        httpx.post(subscription["endpoint"], headers=headers, content=body, timeout=0.5)

    [request] = push.wait_for_requests(1, timeout=10)
    assert request.held and request.disconnected and request.status is None
    # Its handler ended when the client left (recorded as disconnected above): nothing is
    # held that release() could let through.
    assert push.held == 0
    push.release()
    assert push.accepted == []
    # The sender's retry gets through.
    assert httpx.post(subscription["endpoint"], headers=headers, content=body).status_code == 201
    assert len(push.wait_for(1)) == 1


SENDER = """
import json, sys
from pywebpush import webpush
webpush(json.loads(sys.argv[1]), data='{"n": 1}', vapid_private_key=sys.argv[2],
        vapid_claims={"sub": "mailto:test@example.org"}, ttl=60)
"""


def test_a_held_request_of_a_killed_sender_is_not_accepted(push, vapid_key):
    subscription = push.new_subscription()
    push.behave(subscription["endpoint"], "hold")
    sender = subprocess.Popen([sys.executable, "-c", SENDER, json.dumps(subscription), vapid_key])
    try:
        push.wait_for_held(1, timeout=30)
    finally:
        sender.send_signal(signal.SIGKILL)
        sender.wait(10)

    [request] = push.wait_for_requests(1, timeout=10)
    assert request.disconnected and request.status is None
    push.release()
    with pytest.raises(AssertionError, match="expected at least 1 accepted"):
        push.wait_for(1, timeout=0.3)
    assert push.accepted == []


def test_without_decryption_signatures_are_still_checked(vapid_key):
    with StandInPushService(decrypt=False) as push:
        subscription = push.new_subscription()
        assert send(subscription, vapid_key).status_code == 201
        [message] = push.wait_for(1)
        assert message.payload is None and message.plaintext is None
        assert message.vapid["aud"] == push.origin

        headers, body = signed_request(push, subscription, vapid_key)
        other_k = Vapid02.from_string(_raw_vapid_key()).sign({"aud": push.origin, **CONTACT})
        headers["Authorization"] = (
            headers["Authorization"].split(",k=")[0]
            + ",k="
            + other_k["Authorization"].rsplit("k=", 1)[1]
        )
        response = httpx.post(subscription["endpoint"], headers=headers, content=body)
        assert response.status_code == 400


def test_wait_for_explains_a_timeout(push, vapid_key):
    subscription = push.new_subscription()
    push.behave(subscription["endpoint"], gone=True)
    with pytest.raises(WebPushException):
        send(subscription, vapid_key)
    with pytest.raises(AssertionError, match=r"(?s)accepted: 0.*410: 1"):
        push.wait_for(1, timeout=0.1)


def test_behave_refuses_what_it_cannot_do(push):
    subscription = push.new_subscription()
    with pytest.raises(ValueError, match="not a subscription"):
        push.behave(f"{push.origin}/push/nobody", 503)
    with pytest.raises(ValueError, match="not a response"):
        push.behave(subscription["endpoint"], "slow")
    with pytest.raises(ValueError, match="forever"):
        push.behave(subscription["endpoint"], forever=True)


def test_stopping_drops_held_requests_unanswered(push, vapid_key):
    subscription = push.new_subscription()
    push.behave(subscription["endpoint"], "hold")
    with ThreadPoolExecutor(1) as pool:
        pending = pool.submit(send, subscription, vapid_key, timeout=30)
        push.wait_for_held(1, timeout=10)
        started = time.monotonic()
        push.stop()
        assert time.monotonic() - started < 5
        with pytest.raises(requests.ConnectionError):
            pending.result(timeout=10)
    assert push.accepted == []
    [request] = push.requests
    assert request.held and request.disconnected and request.status is None


class _FakeTransport:
    def __init__(self, sock):
        self.sock = sock

    def is_closing(self):
        return False

    def get_extra_info(self, name):
        return self.sock if name == "socket" else None


@pytest.mark.parametrize("reset", [False, True])
def test_a_closed_connection_is_seen_before_the_event_loop_reads_it(reset):
    """The check made just before a 201 is written: the client's FIN (or RST) may be waiting
    unread in the socket when the answer is due."""
    with socket.create_server(("127.0.0.1", 0)) as listener:
        client = socket.create_connection(listener.getsockname())
        served, _ = listener.accept()
        with served:
            assert not _peer_gone(_FakeTransport(served))
            if reset:  # SO_LINGER 0: close with RST, as the kernel does for a killed process
                client.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            client.close()
            deadline = time.monotonic() + 5
            while not _peer_gone(_FakeTransport(served)) and time.monotonic() < deadline:
                time.sleep(0.01)
            assert _peer_gone(_FakeTransport(served))
