"""Sending Web Push and e-mail for a batch of outbox rows.

One batch, one pooled HTTP session (aiohttp, keep-alive) and up to PUSH_CONCURRENCY messages
in flight; the VAPID header for each push service is signed once and reused while valid, so
the per-message cost is the payload encryption and the request. The event loop runs in its
own thread and hands results to the caller through a queue, so the caller records them in the
database as they come (a killed worker loses at most the messages still in flight).
"""

from __future__ import annotations

import asyncio
import json
import queue
import threading
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

import aiohttp
from django.conf import settings
from py_vapid import Vapid02
from pywebpush import WebPusher

PUSH_CONCURRENCY = 32
VAPID_VALIDITY = 12 * 3600
VAPID_RENEW_BEFORE = 3600
TIMEOUT_SECONDS = 10


@dataclass(frozen=True)
class PushJob:
    notification_id: int
    subscription_id: int
    subscription_info: dict
    payload: dict
    ttl: int
    topic: str
    urgency: str = "normal"


@dataclass(frozen=True)
class PushResult:
    job: PushJob
    outcome: str  # "sent" | "gone" | "retry" | "failed"
    status: int | None = None
    error: str = ""
    retry_after: int | None = None


class VapidSigner:
    """Signed VAPID headers per push-service origin, reused until shortly before expiry."""

    def __init__(self, private_key: str, contact: str):
        self._vapid = Vapid02.from_string(private_key)
        self._contact = contact
        self._cache: dict[str, tuple[float, dict]] = {}
        self._lock = threading.Lock()

    def headers(self, endpoint: str) -> dict:
        parts = urlsplit(endpoint)
        audience = f"{parts.scheme}://{parts.netloc}"
        now = time.time()
        with self._lock:
            cached = self._cache.get(audience)
            if cached and cached[0] - now > VAPID_RENEW_BEFORE:
                return cached[1]
            expires = int(now) + VAPID_VALIDITY
            signed = self._vapid.sign({"aud": audience, "exp": expires, "sub": self._contact})
            headers = {"Authorization": signed["Authorization"]}
            self._cache[audience] = (expires, headers)
            return headers


_signer: VapidSigner | None = None


def signer() -> VapidSigner:
    global _signer
    if _signer is None:
        _signer = VapidSigner(settings.VAPID_PRIVATE_KEY, settings.VAPID_CONTACT)
    return _signer


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


async def _send_all(jobs: list[PushJob], results: queue.Queue) -> None:
    vapid = signer()
    limit = asyncio.Semaphore(PUSH_CONCURRENCY)
    connector = aiohttp.TCPConnector(limit=PUSH_CONCURRENCY, limit_per_host=PUSH_CONCURRENCY)
    timeout = aiohttp.ClientTimeout(total=TIMEOUT_SECONDS)
    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as session:

        async def one(job: PushJob) -> None:
            async with limit:
                try:
                    pusher = WebPusher(job.subscription_info, aiohttp_session=session)
                    headers = {
                        **vapid.headers(job.subscription_info["endpoint"]),
                        "Topic": job.topic,
                        "Urgency": job.urgency,
                    }
                    response = await pusher.send_async(
                        json.dumps(job.payload, separators=(",", ":")),
                        headers=headers,
                        ttl=job.ttl,
                        content_encoding="aes128gcm",
                        timeout=timeout,
                    )
                    outcome, retry_after = classify(
                        response.status, response.headers.get("Retry-After")
                    )
                    results.put(PushResult(job, outcome, response.status, retry_after=retry_after))
                except (TimeoutError, aiohttp.ClientError) as exc:
                    results.put(PushResult(job, "retry", error=type(exc).__name__))
                except Exception as exc:  # a broken subscription must not stop the batch
                    results.put(
                        PushResult(job, "failed", error=f"{type(exc).__name__}: {exc}"[:300])
                    )

        await asyncio.gather(*(one(job) for job in jobs))


def send_pushes(jobs: list[PushJob]):
    """Send the jobs concurrently; yield PushResults as they arrive (in the caller's thread),
    and None every 50 ms of quiet so the caller can flush what it has."""
    results: queue.Queue = queue.Queue()
    thread = threading.Thread(target=lambda: asyncio.run(_send_all(jobs, results)), daemon=True)
    thread.start()
    remaining = len(jobs)
    while remaining:
        try:
            result = results.get(timeout=0.05)
        except queue.Empty:
            if not thread.is_alive() and results.empty():
                break
            yield None
            continue
        remaining -= 1
        yield result
    thread.join(timeout=TIMEOUT_SECONDS)
