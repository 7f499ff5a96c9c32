"""Web Push for the send tasks: one long-lived sender per worker process.

A reminder minute brings tens of thousands of messages to each worker process, in batches of
about a thousand. What a batch shares is therefore built once per process, not per batch or
per message: the event loop, the aiohttp session with its keep-alive connections, and the
VAPID header, signed once per push-service origin (py_vapid) and reused while it is valid.
What is left per message is what has to be: a fresh ECDH key and the aes128gcm encryption
(RFC 8291) by `http_ece.encrypt`, the call pywebpush's own `WebPusher.encode` makes, and one
request. `WebPusher` itself is not used in this path: its constructor deep-copies the
subscription and decodes its keys for every message, which made encryption cost about 37 %
more CPU a message (measured: 272 against 197 us), and `send_async` reads every answer's body
as text.

The caller (the send task) gets the results as they arrive and records them before the lanes
that sent them take their next message: a worker killed mid-batch sends again only what was
still in flight, never more than PUSH_CONCURRENCY messages.
"""

from __future__ import annotations

import asyncio
import atexit
import logging
import os
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass

import aiohttp
import http_ece
from cryptography.hazmat.primitives.asymmetric import ec
from django.conf import settings
from py_vapid import Vapid02
from py_vapid.utils import b64urldecode

logger = logging.getLogger(__name__)

PUSH_CONCURRENCY = 32
VAPID_VALIDITY = 12 * 3600
VAPID_RENEW_BEFORE = 3600
TIMEOUT_SECONDS = 10


@dataclass(frozen=True, slots=True)
class PushJob:
    notification_id: int
    subscription_id: int
    endpoint: str
    p256dh: str
    auth: str
    payload: bytes
    # TTL, Topic, Urgency, Content-Encoding: one dict shared by the jobs of a kind in a batch.
    headers: dict


@dataclass(frozen=True, slots=True)
class PushResult:
    job: PushJob
    outcome: str  # "sent" | "gone" | "retry" | "failed"
    status: int | None = None
    error: str = ""
    retry_after: int | None = None


def push_headers(*, ttl: int, topic: str, urgency: str) -> dict:
    return {
        "TTL": str(ttl),
        "Topic": topic,
        "Urgency": urgency,
        "Content-Encoding": "aes128gcm",
    }


class VapidSigner:
    """Signed VAPID headers per push-service origin, reused until shortly before expiry."""

    def __init__(self, private_key: str, contact: str):
        self._vapid = Vapid02.from_string(private_key)
        self._contact = contact
        self._cache: dict[str, tuple[float, dict]] = {}
        self._lock = threading.Lock()

    def headers(self, endpoint: str) -> dict:
        audience = origin(endpoint)
        now = time.time()
        cached = self._cache.get(audience)
        if cached and cached[0] - now > VAPID_RENEW_BEFORE:
            return cached[1]
        with self._lock:
            expires = int(now) + VAPID_VALIDITY
            signed = self._vapid.sign({"aud": audience, "exp": expires, "sub": self._contact})
            headers = {"Authorization": signed["Authorization"]}
            self._cache[audience] = (expires, headers)
            return headers


def origin(endpoint: str) -> str:
    """scheme://host[:port] of an endpoint URL (the VAPID audience). Sliced, not parsed: it
    is asked once per message and the push-service allow-list has already checked the URL."""
    path = endpoint.find("/", endpoint.find("//") + 2)
    return endpoint if path < 0 else endpoint[:path]


def classify(status: int, retry_after: str | None) -> tuple[str, int | None]:
    if 200 <= status < 300:
        return "sent", None
    if status in (404, 410):
        return "gone", None  # the subscription has expired or was withdrawn
    if status == 429 or status >= 500:
        try:
            return "retry", int(retry_after) if retry_after else None
        except ValueError:
            return "retry", None
    return "failed", None  # 400, 401, 403, 413: our request is wrong; retrying won't help


def encrypt(payload: bytes, p256dh: str, auth: str) -> bytes:
    """The aes128gcm body for one subscription (RFC 8291). The ephemeral key must be new for
    every message: it is what keeps two messages to one browser unlinkable."""
    return http_ece.encrypt(
        payload,
        private_key=ec.generate_private_key(ec.SECP256R1()),
        dh=b64urldecode(p256dh.encode()),
        auth_secret=b64urldecode(auth.encode()),
        version="aes128gcm",
    )


class _Handover:
    """Results passed from the sending lanes to the caller. A lane that handed over a result
    waits until the caller has taken and recorded it (`released()`) before it sends again."""

    def __init__(self, loop: asyncio.AbstractEventLoop):
        self._loop = loop
        self.results: list[PushResult] = []
        self.arrived: asyncio.Future = loop.create_future()
        self._recorded = asyncio.Event()

    async def put(self, result: PushResult) -> None:
        self.results.append(result)
        if not self.arrived.done():
            self.arrived.set_result(None)
        await self._recorded.wait()

    def take(self) -> list[PushResult]:
        results, self.results = self.results, []
        return results

    def released(self) -> None:
        """The caller recorded what it took: its lanes may go on (when the loop next runs)."""
        self._recorded.set()
        self._recorded = asyncio.Event()
        self.arrived = self._loop.create_future()


class PushSender:
    """An event loop with one pooled HTTP session, kept by the thread that sends (in a worker,
    its pool process's main thread) for as long as it lives. Never shared across a fork or
    between threads: `sender()` makes one per process and thread.

    The loop runs in the caller's thread until a result arrives; then the caller gets the
    results of that loop pass and writes them to the database (Django refuses database calls
    while a loop runs in the thread, and a second thread would hand the GIL back and forth
    with this one for every message). Meanwhile requests in flight wait in the kernel, and the
    more of them answer during a write, the more the next write takes at once.
    """

    def __init__(self, signer: VapidSigner, concurrency: int = PUSH_CONCURRENCY):
        self.signer = signer
        self.concurrency = concurrency
        self._loop = asyncio.new_event_loop()
        self._session = self._loop.run_until_complete(self._open())
        atexit.register(self.close)

    async def _open(self) -> aiohttp.ClientSession:
        # The connector's keep-alive (15 s) is shorter than push services' idle timeouts, so a
        # batch never starts on a connection the server is about to drop.
        connector = aiohttp.TCPConnector(
            limit=self.concurrency, limit_per_host=self.concurrency, ttl_dns_cache=300
        )
        return aiohttp.ClientSession(
            connector=connector,
            timeout=aiohttp.ClientTimeout(total=TIMEOUT_SECONDS),
            cookie_jar=aiohttp.DummyCookieJar(),  # push services keep no session state
        )

    @property
    def alive(self) -> bool:
        return not self._loop.is_closed() and not self._session.closed

    def close(self) -> None:
        if self._loop.is_closed() or self._loop.is_running():
            return
        try:
            self._loop.run_until_complete(self._session.close())
        finally:
            self._loop.close()

    def send(self, jobs: list[PushJob]) -> Iterator[list[PushResult]]:
        """Send the jobs, `concurrency` at a time, and yield the results as they arrive (never
        an empty list). The caller records each list before it asks for the next: only then
        do the lanes that sent them take new jobs, so messages answered but not yet recorded
        are never more than `concurrency`, all of them requests in flight or just answered."""
        handover = _Handover(self._loop)
        task = self._loop.create_task(self._send_all(jobs, handover))
        try:
            while True:
                if not task.done():
                    self._loop.run_until_complete(
                        asyncio.wait([task, handover.arrived], return_when=asyncio.FIRST_COMPLETED)
                    )
                results = handover.take()
                if results:
                    yield results
                handover.released()
                if task.done() and not handover.results:
                    break
        finally:
            if not task.done():
                # The caller gave up (an error): stop sending what it would not record.
                task.cancel()
                self._loop.run_until_complete(asyncio.gather(task, return_exceptions=True))
        if not task.cancelled() and task.exception():
            logger.error("Push sending stopped early", exc_info=task.exception())

    async def _send_all(self, jobs: list[PushJob], handover: _Handover) -> None:
        # A few lanes taking jobs in turn, rather than a task per job behind a semaphore.
        pending = iter(jobs)

        async def lane() -> None:
            for job in pending:
                await handover.put(await self._send_one(job))

        await asyncio.gather(*(lane() for _ in range(min(self.concurrency, len(jobs)))))

    async def _send_one(self, job: PushJob) -> PushResult:
        try:
            body = encrypt(job.payload, job.p256dh, job.auth)
            headers = {**job.headers, **self.signer.headers(job.endpoint)}
            async with self._session.post(job.endpoint, data=body, headers=headers) as response:
                await response.read()
                outcome, retry_after = classify(
                    response.status, response.headers.get("Retry-After")
                )
                return PushResult(job, outcome, response.status, retry_after=retry_after)
        except (TimeoutError, aiohttp.ClientError) as exc:
            return PushResult(job, "retry", error=type(exc).__name__)
        except Exception as exc:  # a broken subscription must not stop the batch
            return PushResult(job, "failed", error=f"{type(exc).__name__}: {exc}"[:300])


_local = threading.local()


def sender() -> PushSender:
    """This thread's sender, made on first use: in a worker's pool process, after the fork;
    one per thread, as its event loop runs in the thread that sends."""
    key = (os.getpid(), settings.VAPID_PRIVATE_KEY, settings.VAPID_CONTACT)
    current = getattr(_local, "sender", None)
    if current is None or current[0] != key or not current[1].alive:
        if current is not None and current[0][0] == key[0]:
            current[1].close()  # same process, other VAPID settings (tests)
        signer = VapidSigner(settings.VAPID_PRIVATE_KEY, settings.VAPID_CONTACT)
        current = _local.sender = (key, PushSender(signer))
    return current[1]


def close_sender() -> None:
    """Close this thread's sender, if it has one (at worker process shutdown)."""
    current = getattr(_local, "sender", None)
    if current is not None and current[0][0] == os.getpid():
        current[1].close()
    _local.sender = None


def send_pushes(jobs: list[PushJob]) -> Iterator[list[PushResult]]:
    return sender().send(jobs)
