"""Fixtures for the throttle tests.

`redis_cache`: the Django cache on a real Redis, for counters that must hold across processes.
Each test gets its own key prefix and deletes only its own keys afterwards: `cache.clear()`
would empty the whole Redis database, which may be shared (with the broker, or other runs).

`window_start`: the clock just past the start of an hour. Throttles count in windows of a
minute, a quarter or an hour (accounts.throttling); a test that crossed a boundary halfway
through would see part of its count discounted.
"""

import uuid
from datetime import UTC, datetime

import pytest
import time_machine
from django.core.cache import cache
from django.test import override_settings


@pytest.fixture
def redis_cache(redis_url):
    import redis

    prefix = f"test-{uuid.uuid4().hex}"
    caches = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": redis_url,
            "KEY_PREFIX": prefix,
        }
    }
    with override_settings(CACHES=caches):
        yield cache
    client = redis.Redis.from_url(redis_url)
    try:
        keys = list(client.scan_iter(match=f"{prefix}:*"))
        if keys:
            client.delete(*keys)
    finally:
        client.close()


@pytest.fixture
def window_start():
    with time_machine.travel(datetime(2031, 3, 3, 9, 0, 1, tzinfo=UTC), tick=True) as traveller:
        yield traveller
