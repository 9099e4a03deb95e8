"""The cache backends production runs on, for tests whose subject lives in the cache (the test
settings use the local-memory cache): `database_cache` (the `cartshare_cache` table that
`createcachetable` makes), `redis_cache` (Redis at
`CARTSHARE_TEST_REDIS_URL`, default redis://127.0.0.1:6379/2, under a key prefix of its own that
is deleted afterwards) and `production_cache`, which runs a test once with each.

Registered for every test by `pytest_plugins` in tests/conftest.py. A Redis that does not answer
fails the Redis runs (`.ci/run` starts one): they are never skipped."""

from __future__ import annotations

import os
import uuid

import pytest
from django.core.management import call_command

REDIS_URL = os.environ.get("CARTSHARE_TEST_REDIS_URL", "redis://127.0.0.1:6379/2")
DATABASE_CACHE = {
    "BACKEND": "django.core.cache.backends.db.DatabaseCache",
    "LOCATION": "cartshare_cache",
}


def redis_client():
    import redis

    return redis.Redis.from_url(REDIS_URL)


@pytest.fixture
def database_cache(request, settings) -> str:
    """The test database is made while the test settings name the local-memory cache, so the
    table is created here (inside the test's transaction, or kept by a transactional test)."""
    request.getfixturevalue("db")  # honours `django_db(transaction=True)` and live servers
    settings.CACHES = {"default": dict(DATABASE_CACHE)}
    call_command("createcachetable", verbosity=0)
    return "database"


@pytest.fixture
def redis_cache(settings):
    prefix = f"cartshare-test-{uuid.uuid4().hex}"
    client = redis_client()
    client.ping()
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": prefix,
        }
    }
    yield "redis"
    for key in client.scan_iter(match=f"{prefix}:*"):
        client.delete(key)
    client.close()


@pytest.fixture(params=["database", "redis"])
def production_cache(request) -> str:
    """The test runs twice: with the database cache table, and with Redis."""
    return request.getfixturevalue(f"{request.param}_cache")
