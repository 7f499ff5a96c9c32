"""A stand-in Web Push service on 127.0.0.1, for testing the reminder sender for real.

It behaves like a push service (RFC 8030) as far as a sender can tell: it checks every request
(VAPID per RFC 8292 with the ES256 signature verified, `TTL`, `Content-Encoding: aes128gcm`,
`Topic`, `Urgency`, body size) and decrypts the payload (RFC 8291, via `http_ece`) with the private
key of a subscription it handed out, records what it accepted, and misbehaves on demand::

    with StandInPushService() as push:
        subscription = push.new_subscription()      # what the browser would POST to the app
        push.behave(subscription["endpoint"], 503, 503)
        ...                                          # run the sender
        [message] = push.wait_for(1)
        assert message.payload == {...} and message.ttl == 60
        assert push.rejections == []

A message counts as accepted only when the 201 was actually written to a still-connected client
(RFC 8030 section 5: a 201 response says the push service accepted the message). A client that
disconnects while its request is held (`"hold"`), for instance a worker that was SIGKILLed or gave
up on a timeout, leaves a request recorded with `disconnected=True` and nothing accepted.

Status codes: unknown subscription 404, wrong method 405, body over 4096 bytes 413 (the code RFC
8030 section 7.2 names), every other failed check 400; each with the reason in `rejections`.

Speed: the server is aiohttp (C HTTP parser) in its own thread and event loop; HTTP/1.1
keep-alive works as with any aiohttp server. With `decrypt=False` the payload is not decrypted
(only its aes128gcm header is checked) and each distinct VAPID token's signature is verified once
and cached (`exp` is still checked on every request). Measured on a 2-core machine against a
keep-alive client in another process: `decrypt=False` costs the server 170-190 us of CPU a
request (5,000-6,000 requests/s on one core; 2,600-3,700/s end to end with client and server
sharing the two cores); `decrypt=True` about 380 us (2,600/s). Records are kept in memory: call
`clear()` between benchmark rounds.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import contextlib
import json
import os
import re
import secrets
import select
import socket
import threading
import time
import uuid
from collections import Counter, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import http_ece
from aiohttp import web
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

__all__ = ["Accepted", "Reply", "SeenRequest", "StandInPushService"]

MAX_BODY = 4096  # RFC 8030 section 7.2: a push service must accept at least 4096 octets
MAX_EXP_AHEAD = 24 * 60 * 60  # RFC 8292 section 2: exp no more than 24 hours ahead
URGENCIES = frozenset({"very-low", "low", "normal", "high"})  # RFC 8030 section 5.3
_TOPIC = re.compile(r"[A-Za-z0-9_-]{1,32}")  # RFC 8030 section 5.4
_PUSH_PATH = re.compile(r"/push/([A-Za-z0-9_-]+)")
_DIGITS = re.compile(r"[0-9]+")
_B64URL = re.compile(r"[A-Za-z0-9_-]*")
_JWT_CACHE_SIZE = 4096
_AES128GCM_HEADER = 16 + 4 + 1  # salt, record size, key id length (RFC 8188 section 2.1)
_POLLRDHUP = getattr(select, "POLLRDHUP", 0)
_GONE_EVENTS = _POLLRDHUP | select.POLLHUP | select.POLLERR


def _b64url_decode(text: str) -> bytes:
    if not _B64URL.fullmatch(text):
        raise ValueError("not URL-safe base64 without padding")
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _b64url_encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


@dataclass(frozen=True)
class Reply:
    """One scripted answer for `behave()`; plain ints and `"hold"` are shorthands for these.

    `hold=True` blocks the request until `release()` and then answers `status`.
    `retry_after` (seconds) is sent as the `Retry-After` header.
    """

    status: int = 201
    hold: bool = False
    retry_after: int | str | None = None


@dataclass(frozen=True)
class Accepted:
    """A push message answered 201 to a still-connected client."""

    endpoint: str
    payload: Any  # decrypted JSON object/array, else the raw plaintext bytes; None if decrypt=False
    plaintext: bytes | None  # decrypted bytes; None if decrypt=False
    headers: dict[str, str]  # TTL, Topic, Urgency, Content-Encoding: those the sender sent
    ttl: int
    topic: str | None
    urgency: str | None
    vapid: dict[str, Any]  # the verified JWT claims: aud, exp, sub (and any others sent)
    vapid_key: str  # the `k` parameter: the sender's VAPID public key, URL-safe base64
    received_at: float  # time.time()
    answered_at: float
    message_id: str  # the id in the Location header answered


@dataclass(frozen=True)
class SeenRequest:
    """Any request the stand-in saw, with what it answered."""

    method: str
    path: str
    endpoint: str | None  # None when the path names no known subscription
    status: int | None  # None when the client was gone before an answer could be written
    reason: str | None  # why the request was rejected (400/404/405/413), else None
    scripted: bool  # the answer came from behave()
    held: bool  # the request was held until release()
    disconnected: bool  # the client went away before the answer was written
    headers: dict[str, str]
    payload: Any
    vapid: dict[str, Any] | None
    peer: str  # "host:port" of the client: the same for requests on one kept-alive connection
    received_at: float
    answered_at: float | None


@dataclass
class _Subscription:
    id: str
    endpoint: str
    private_key: ec.EllipticCurvePrivateKey
    auth_secret: bytes
    script: deque[Reply] = field(default_factory=deque)
    forever: Reply | None = None


class _Rejected(Exception):
    def __init__(self, status: int, reason: str):
        super().__init__(reason)
        self.status = status
        self.reason = reason


class StandInPushService:
    """A Web Push service on an ephemeral port of 127.0.0.1, run in a background thread."""

    def __init__(self, *, decrypt: bool = True):
        self.decrypt = decrypt
        # Re-entrant: the event-loop thread holds it while it writes a response and records it
        # (so a client never sees an answer before the record), and could re-enter meanwhile.
        self._lock = threading.RLock()
        self._changed = threading.Condition(self._lock)
        self._subscriptions: dict[str, _Subscription] = {}
        self._accepted: list[Accepted] = []
        self._requests: list[SeenRequest] = []
        self._held = 0
        self._jwt_cache: dict[str, tuple[dict[str, Any], str]] = {}
        self._port: int | None = None
        self._thread: threading.Thread | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._release_event: asyncio.Event | None = None
        self._startup_error: BaseException | None = None

    # -- life cycle ------------------------------------------------------------------------------

    def start(self) -> StandInPushService:
        if self._port is not None:
            raise RuntimeError("a stand-in push service starts once; make a new one")
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.bind(("127.0.0.1", 0))
        self._port = sock.getsockname()[1]
        ready = threading.Event()
        self._thread = threading.Thread(
            target=self._run, args=(sock, ready), name=f"push-standin:{self._port}", daemon=True
        )
        self._thread.start()
        if not ready.wait(10):
            raise RuntimeError("the stand-in push service did not start within 10 s")
        if self._startup_error is not None:
            raise RuntimeError("the stand-in push service failed to start") from (
                self._startup_error
            )
        return self

    def stop(self) -> None:
        """Stop serving; requests still held are dropped unanswered (not accepted)."""
        thread, loop = self._thread, self._loop
        if thread is None or loop is None:
            return
        with contextlib.suppress(RuntimeError):  # the loop may have closed already
            loop.call_soon_threadsafe(loop.stop)
        thread.join(15)
        self._thread = self._loop = None

    def __enter__(self) -> StandInPushService:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    @property
    def origin(self) -> str:
        if self._port is None:
            raise RuntimeError("start() the stand-in push service first")
        return f"http://127.0.0.1:{self._port}"

    # -- set-up by the test ----------------------------------------------------------------------

    def new_subscription(self) -> dict:
        """A subscription as a browser's `PushSubscription.toJSON()` gives it (without
        `expirationTime`); the stand-in keeps its private key and auth secret to decrypt."""
        private_key = ec.generate_private_key(ec.SECP256R1())
        auth_secret = os.urandom(16)
        sub_id = secrets.token_urlsafe(16)
        endpoint = f"{self.origin}/push/{sub_id}"
        with self._lock:
            self._subscriptions[sub_id] = _Subscription(sub_id, endpoint, private_key, auth_secret)
        p256dh = private_key.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
        return {
            "endpoint": endpoint,
            "keys": {"p256dh": _b64url_encode(p256dh), "auth": _b64url_encode(auth_secret)},
        }

    def behave(
        self,
        endpoint: str | dict,
        *responses: int | str | Reply,
        gone: bool = False,
        status: int | None = None,
        forever: bool = False,
        retry_after: int | str = 1,
    ) -> None:
        """Script the answers to valid requests for `endpoint` (or a subscription dict).

        Replaces the endpoint's previous script. `responses` are used in order, one a request:
        an int is a status (429 and 503 come with `Retry-After: retry_after`), `"hold"` blocks
        the request until `release()` and then answers 201, a `Reply` says it all. Afterwards
        every request gets 201, or `status` if `forever=True`, or 410 if `gone=True`.
        `status` without `forever` is one more answer at the end of the queue. `behave(ep)`
        restores plain 201s. Invalid requests are rejected without using up the script.
        """
        sub = self._subscription_for(endpoint)
        script = deque(self._as_reply(r, retry_after) for r in responses)
        permanent = None
        if gone:
            if forever or status not in (None, 410):
                raise ValueError("gone=True means 410 forever; don't combine it with status")
            permanent = Reply(410)
        elif status is not None:
            reply = self._as_reply(status, retry_after)
            if forever:
                permanent = reply
            else:
                script.append(reply)
        elif forever:
            raise ValueError("forever=True needs status=...")
        with self._lock:
            sub.script = script
            sub.forever = permanent

    def release(self) -> None:
        """Let the requests held now proceed (answering their scripted status, 201 for "hold",
        if the client is still connected). A request held after this call waits for the next."""
        if self._loop is None or self._thread is None:
            return
        asyncio.run_coroutine_threadsafe(self._release(), self._loop).result(10)

    def clear(self) -> None:
        """Forget the records (accepted, requests), e.g. between benchmark rounds."""
        with self._lock:
            self._accepted.clear()
            self._requests.clear()

    # -- what happened ---------------------------------------------------------------------------

    @property
    def accepted(self) -> list[Accepted]:
        """A snapshot of the messages answered 201, in order."""
        with self._lock:
            return list(self._accepted)

    @property
    def requests(self) -> list[SeenRequest]:
        """A snapshot of every request seen, in the order they were answered (or dropped)."""
        with self._lock:
            return list(self._requests)

    @property
    def rejections(self) -> list[SeenRequest]:
        """Requests that failed a check (404/405/400/413 with a reason): a correct sender has
        none."""
        with self._lock:
            return [r for r in self._requests if r.reason is not None]

    @property
    def held(self) -> int:
        """How many requests are held right now."""
        with self._lock:
            return self._held

    def wait_for(self, count: int, timeout: float = 30) -> list[Accepted]:
        """Block until at least `count` messages are accepted; return them all. Raise
        AssertionError with a summary of what the stand-in saw on timeout."""
        with self._changed:
            if self._changed.wait_for(lambda: len(self._accepted) >= count, timeout):
                return list(self._accepted)
        raise AssertionError(
            f"expected at least {count} accepted push messages within {timeout} s\n"
            + self.summary()
        )

    def wait_for_requests(self, count: int, timeout: float = 30) -> list[SeenRequest]:
        """Block until at least `count` requests were answered (or dropped); return them all."""
        with self._changed:
            if self._changed.wait_for(lambda: len(self._requests) >= count, timeout):
                return list(self._requests)
        raise AssertionError(
            f"expected at least {count} requests within {timeout} s\n" + self.summary()
        )

    def wait_for_held(self, count: int = 1, timeout: float = 30) -> None:
        """Block until at least `count` requests are being held (so `release()` will free them)."""
        with self._changed:
            if self._changed.wait_for(lambda: self._held >= count, timeout):
                return
        raise AssertionError(
            f"expected at least {count} held requests within {timeout} s\n" + self.summary()
        )

    def summary(self) -> str:
        with self._lock:
            requests = list(self._requests)
            accepted, held = len(self._accepted), self._held
        statuses = Counter(
            "dropped (client gone)" if r.status is None else str(r.status) for r in requests
        )
        lines = [
            f"accepted: {accepted}; held now: {held}; requests: {len(requests)} "
            f"({', '.join(f'{s}: {n}' for s, n in sorted(statuses.items())) or 'none'})"
        ]
        reasons = Counter(f"{r.status} {r.reason}" for r in requests if r.reason)
        lines += [f"  rejected {n}x: {reason}" for reason, n in reasons.most_common(10)]
        for r in requests[-5:]:
            lines.append(
                f"  last: {r.method} {r.path} -> {r.status}"
                + (" held" if r.held else "")
                + (" disconnected" if r.disconnected else "")
                + (f" ({r.reason})" if r.reason else "")
            )
        return "\n".join(lines)

    # -- internals -------------------------------------------------------------------------------

    def _subscription_for(self, endpoint: str | dict) -> _Subscription:
        if isinstance(endpoint, dict):
            endpoint = endpoint["endpoint"]
        match = (
            _PUSH_PATH.fullmatch(endpoint[len(self.origin) :])
            if endpoint.startswith(self.origin)
            else None
        )
        with self._lock:
            sub = self._subscriptions.get(match.group(1)) if match else None
        if sub is None:
            raise ValueError(f"not a subscription of this stand-in: {endpoint}")
        return sub

    @staticmethod
    def _as_reply(response: int | str | Reply, retry_after: int | str) -> Reply:
        if isinstance(response, Reply):
            return response
        if response == "hold":
            return Reply(201, hold=True)
        if isinstance(response, int) and not isinstance(response, bool) and 100 <= response < 600:
            return Reply(response, retry_after=retry_after if response in (429, 503) else None)
        raise ValueError(f"not a response: {response!r} (an HTTP status, 'hold' or a Reply)")

    def _run(self, sock: socket.socket, ready: threading.Event) -> None:
        loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)
        self._loop = loop
        runner = None
        try:

            async def setup() -> web.ServerRunner:
                self._release_event = asyncio.Event()
                server = web.Server(self._handle, handler_cancellation=True, access_log=None)
                runner = web.ServerRunner(server, shutdown_timeout=0.5)
                await runner.setup()
                await web.SockSite(runner, sock, backlog=1024).start()
                return runner

            runner = loop.run_until_complete(setup())
        except BaseException as exc:
            self._startup_error = exc
            sock.close()
            ready.set()
            loop.close()
            return
        ready.set()
        try:
            loop.run_forever()
        finally:
            loop.run_until_complete(runner.cleanup())
            loop.close()

    async def _release(self) -> None:
        assert self._release_event is not None
        event, self._release_event = self._release_event, asyncio.Event()
        event.set()

    def _record(self, seen: dict[str, Any], accepted: Accepted | None = None) -> None:
        request = SeenRequest(**{k: v for k, v in seen.items() if not k.startswith("_")})
        seen["_recorded"] = True
        with self._changed:
            self._requests.append(request)
            if accepted is not None:
                self._accepted.append(accepted)
            self._changed.notify_all()

    async def _handle(self, request: web.BaseRequest) -> web.StreamResponse:
        received_at = time.time()
        seen: dict[str, Any] = {
            "method": request.method,
            "path": request.path,
            "endpoint": None,
            "status": None,
            "reason": None,
            "scripted": False,
            "held": False,
            "disconnected": False,
            "headers": dict(request.headers),
            "payload": None,
            "vapid": None,
            "peer": _peer(request),
            "received_at": received_at,
            "answered_at": None,
        }
        try:
            match = _PUSH_PATH.fullmatch(request.path)
            with self._lock:
                sub = self._subscriptions.get(match.group(1)) if match else None
            if sub is None:
                return await self._reject(request, seen, 404, "no such subscription")
            seen["endpoint"] = sub.endpoint
            if request.method != "POST":
                return await self._reject(
                    request, seen, 405, "a push message is a POST", {"Allow": "POST"}
                )
            body = await request.read()
            try:
                message = self._check(request, body, sub)
            except _Rejected as rejected:
                return await self._reject(request, seen, rejected.status, rejected.reason)
            seen["payload"], seen["vapid"] = message["payload"], message["vapid"]

            with self._lock:
                reply = sub.script.popleft() if sub.script else (sub.forever or Reply(201))
            seen["scripted"] = reply != Reply(201)
            if reply.hold:
                seen["held"] = True
                await self._hold()

            message_id = uuid.uuid4().hex
            headers = {}
            if reply.status == 201:
                headers = {
                    "Location": f"{self.origin}/message/{message_id}",
                    "TTL": str(message["ttl"]),
                }
            if reply.retry_after is not None:
                headers["Retry-After"] = str(reply.retry_after)

            def record(sent: bool) -> None:
                answered_at = time.time()
                seen.update(status=reply.status if sent else None, disconnected=not sent)
                seen["answered_at"] = answered_at if sent else None
                accepted = None
                if sent and reply.status == 201:
                    accepted = Accepted(
                        endpoint=sub.endpoint,
                        payload=message["payload"],
                        plaintext=message["plaintext"],
                        headers=message["headers"],
                        ttl=message["ttl"],
                        topic=message["headers"].get("Topic"),
                        urgency=message["headers"].get("Urgency"),
                        vapid=message["vapid"],
                        vapid_key=message["vapid_key"],
                        received_at=received_at,
                        answered_at=answered_at,
                        message_id=message_id,
                    )
                self._record(seen, accepted)

            return await self._send(
                request, web.Response(status=reply.status, headers=headers), record
            )
        except asyncio.CancelledError:
            # The client went away (aiohttp cancels the handler) or the stand-in is stopping.
            if not seen.get("_recorded"):
                seen.update(status=None, disconnected=True, answered_at=None)
                self._record(seen)
            raise

    async def _hold(self) -> None:
        assert self._release_event is not None
        event = self._release_event
        with self._changed:
            self._held += 1
            self._changed.notify_all()
        try:
            await event.wait()
        finally:
            with self._changed:
                self._held -= 1
                self._changed.notify_all()

    async def _send(
        self,
        request: web.BaseRequest,
        response: web.Response,
        record: Callable[[bool], None],
    ) -> web.Response:
        """Write the response now, unless the client is gone, and `record(sent)` it.

        The lock is held from the write to the record, so whoever reads the records after
        getting the answer finds it recorded. The writes do not suspend: a response of a few
        hundred bytes never fills the transport's buffer.
        """
        with self._changed:
            transport = request.transport
            if _peer_gone(transport):
                if transport is not None:
                    transport.close()
                record(False)
                return response
            try:
                await response.prepare(request)
                await response.write_eof()
            except ConnectionError:
                record(False)
            else:
                record(True)
            return response

    async def _reject(
        self,
        request: web.BaseRequest,
        seen: dict[str, Any],
        status: int,
        reason: str,
        headers: dict[str, str] | None = None,
    ) -> web.Response:
        body = json.dumps({"code": status, "message": reason})

        def record(sent: bool) -> None:
            seen.update(status=status if sent else None, reason=reason, disconnected=not sent)
            seen["answered_at"] = time.time() if sent else None
            self._record(seen)

        return await self._send(
            request,
            web.Response(
                status=status, text=body, content_type="application/json", headers=headers
            ),
            record,
        )

    def _check(self, request: web.BaseRequest, body: bytes, sub: _Subscription) -> dict:
        """Check a push request as a push service does; return what it carries, or raise
        _Rejected."""
        headers = request.headers
        sent: dict[str, str] = {}

        ttl_text = headers.get("TTL")
        if ttl_text is None:
            raise _Rejected(400, "missing TTL header (RFC 8030 section 5.2)")
        if not _DIGITS.fullmatch(ttl_text.strip()):
            raise _Rejected(400, f"TTL must be an integer >= 0, got {ttl_text!r}")
        sent["TTL"] = ttl_text

        encoding = headers.get("Content-Encoding")
        if encoding is None or encoding.strip().lower() != "aes128gcm":
            raise _Rejected(400, f"Content-Encoding must be aes128gcm (RFC 8291), got {encoding!r}")
        sent["Content-Encoding"] = encoding

        topic = headers.get("Topic")
        if topic is not None:
            if not _TOPIC.fullmatch(topic):
                raise _Rejected(
                    400, f"Topic must be 1-32 URL-safe base64 characters, got {topic!r}"
                )
            sent["Topic"] = topic

        urgency = headers.get("Urgency")
        if urgency is not None:
            if urgency not in URGENCIES:
                raise _Rejected(400, f"Urgency must be one of {sorted(URGENCIES)}, got {urgency!r}")
            sent["Urgency"] = urgency

        claims, vapid_key = self._check_vapid(headers.get("Authorization"))

        if not body:
            raise _Rejected(400, "empty body: a reminder must carry an encrypted payload")
        if len(body) > MAX_BODY:
            raise _Rejected(413, f"body of {len(body)} bytes is over {MAX_BODY}")
        _check_aes128gcm_header(body)
        plaintext = payload = None
        if self.decrypt:
            try:
                plaintext = http_ece.decrypt(
                    body,
                    private_key=sub.private_key,
                    auth_secret=sub.auth_secret,
                    version="aes128gcm",
                )
            except Exception as exc:
                raise _Rejected(
                    400,
                    f"could not decrypt the aes128gcm payload with the subscription's keys: {exc}",
                ) from exc
            payload = plaintext
            with contextlib.suppress(ValueError):
                decoded = json.loads(plaintext)
                if isinstance(decoded, dict | list):
                    payload = decoded
        return {
            "headers": sent,
            "ttl": int(ttl_text),
            "vapid": claims,
            "vapid_key": vapid_key,
            "plaintext": plaintext,
            "payload": payload,
        }

    def _check_vapid(self, authorization: str | None) -> tuple[dict[str, Any], str]:
        if authorization is None:
            raise _Rejected(400, "missing Authorization header (VAPID, RFC 8292)")
        cached = self._jwt_cache.get(authorization)
        if cached is None:
            claims, key = _verify_vapid(authorization)
            aud, sub = claims.get("aud"), claims.get("sub")
            if aud != self.origin:
                raise _Rejected(400, f"VAPID aud must be {self.origin!r}, got {aud!r}")
            if not isinstance(sub, str) or not sub.startswith(("mailto:", "https:")):
                raise _Rejected(400, f"VAPID sub must be a mailto: or https: URI, got {sub!r}")
            exp = claims.get("exp")
            if not isinstance(exp, int) or isinstance(exp, bool):
                raise _Rejected(400, f"VAPID exp must be an integer, got {exp!r}")
            if len(self._jwt_cache) >= _JWT_CACHE_SIZE:
                self._jwt_cache.clear()
            cached = self._jwt_cache[authorization] = (claims, key)
        claims, key = cached
        now = time.time()
        if claims["exp"] <= now:
            raise _Rejected(400, f"VAPID token expired (exp {claims['exp']}, now {now:.0f})")
        if claims["exp"] > now + MAX_EXP_AHEAD:
            raise _Rejected(
                400, f"VAPID exp {claims['exp']} is more than 24 h ahead (now {now:.0f})"
            )
        return dict(claims), key


def _verify_vapid(authorization: str) -> tuple[dict[str, Any], str]:
    """Parse `vapid t=<JWT>, k=<key>` and verify the ES256 signature; return (claims, k)."""
    scheme, _, params_text = authorization.strip().partition(" ")
    if scheme.lower() != "vapid":
        raise _Rejected(400, f"Authorization scheme must be vapid (RFC 8292), got {scheme!r}")
    params = {}
    for part in params_text.split(","):
        name, _, value = part.strip().partition("=")
        params[name.strip().lower()] = value.strip()
    token, key = params.get("t"), params.get("k")
    if not token or not key:
        raise _Rejected(400, "Authorization vapid needs both t= and k= parameters")
    try:
        public_bytes = _b64url_decode(key)
        public_key = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), public_bytes)
    except (ValueError, binascii.Error) as exc:
        raise _Rejected(400, f"VAPID k is not an uncompressed P-256 public key: {exc}") from exc
    if len(public_bytes) != 65:
        raise _Rejected(400, "VAPID k must be the 65-byte uncompressed P-256 point")
    parts = token.split(".")
    if len(parts) != 3:
        raise _Rejected(400, "VAPID t is not a JWT (header.claims.signature)")
    try:
        header = json.loads(_b64url_decode(parts[0]))
        claims = json.loads(_b64url_decode(parts[1]))
        signature = _b64url_decode(parts[2])
    except (ValueError, binascii.Error) as exc:
        raise _Rejected(400, f"VAPID t is not a well-formed JWT: {exc}") from exc
    if not isinstance(header, dict) or header.get("alg") != "ES256":
        raise _Rejected(400, f"VAPID JWT alg must be ES256, header {header!r}")
    if not isinstance(claims, dict):
        raise _Rejected(400, "VAPID JWT claims are not a JSON object")
    if len(signature) != 64:
        raise _Rejected(400, "VAPID JWT signature must be 64 bytes (r || s)")
    der = encode_dss_signature(
        int.from_bytes(signature[:32], "big"), int.from_bytes(signature[32:], "big")
    )
    try:
        public_key.verify(der, f"{parts[0]}.{parts[1]}".encode("ascii"), ec.ECDSA(hashes.SHA256()))
    except InvalidSignature as exc:
        raise _Rejected(400, "VAPID JWT signature does not verify with key k") from exc
    return claims, key


def _check_aes128gcm_header(body: bytes) -> None:
    """RFC 8188 section 2.1 header as RFC 8291 section 4 requires it: key id = the sender's
    65-byte ephemeral public key, one record."""
    if len(body) < _AES128GCM_HEADER + 65 + 17:
        raise _Rejected(400, f"body of {len(body)} bytes is too short for aes128gcm")
    record_size = int.from_bytes(body[16:20], "big")
    key_id_length = body[20]
    if key_id_length != 65 or body[_AES128GCM_HEADER] != 0x04:
        raise _Rejected(
            400, "aes128gcm key id must be the sender's 65-byte uncompressed P-256 key (RFC 8291)"
        )
    if record_size < 18:
        raise _Rejected(400, f"aes128gcm record size {record_size} is too small")
    if len(body) - _AES128GCM_HEADER - 65 > record_size:
        raise _Rejected(400, "aes128gcm payload must be a single record (RFC 8291 section 4)")


def _peer(request: web.BaseRequest) -> str:
    transport = request.transport
    peer = transport.get_extra_info("peername") if transport is not None else None
    return f"{peer[0]}:{peer[1]}" if peer else "?"


def _peer_gone(transport: asyncio.BaseTransport | None) -> bool:
    """True if the client has closed the connection, even if the event loop has not yet read
    the end of the stream."""
    if transport is None or transport.is_closing():
        return True
    sock = transport.get_extra_info("socket")
    if sock is None:
        return False
    if _POLLRDHUP:  # Linux: one poll(2) tells whether the peer has shut down or reset
        poller = select.poll()
        poller.register(sock.fileno(), select.POLLIN | _POLLRDHUP)
        return any(events & _GONE_EVENTS for _, events in poller.poll(0))
    try:  # elsewhere: peek; the end of the stream reads as b""
        with socket.socket(fileno=os.dup(sock.fileno())) as probe:
            data = probe.recv(1, socket.MSG_PEEK | socket.MSG_DONTWAIT)
    except (BlockingIOError, InterruptedError):
        return False
    except OSError:
        return True
    return data == b""
