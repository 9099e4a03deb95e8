"""While the configured Redis (`REDIS_URL`) does not answer, nothing answers 500 (spec §14):

- Redis is only a counter store for rate limits, so those degrade: they are counted in the
  database table meanwhile and still hold; link opens, log-ins and every other page go on
  answering 200;
- `Idempotency-Key`s are kept in the database, so keyed POSTs go on too;
- anything else that would need Redis (nothing today: a test puts a cache read in the catalog)
  answers the 503 page or a 503 problem+json with `Retry-After`, the way a database outage
  does;
- `/readyz` answers 503, and 200 again once Redis is back, when Redis is used again.

Redis is reached through a TCP proxy (tests/faults/tcp_proxy.py) that the test cuts mid-test
(refusing new connections, resetting the open ones) and restores; the shared Redis is never
stopped."""

from __future__ import annotations

import json
import uuid
from urllib.parse import urlsplit

import pytest
import redis
from django.core.cache import caches
from django.test import Client

from cartshare.accounts.models import RateLimitCounter
from cartshare.carts.models import Cart
from cartshare.common import ratelimit
from cartshare.common.database import RETRY_AFTER_SECONDS, store_unavailable
from tests.api.client import assert_problem
from tests.cache_backends import REDIS_URL, redis_client
from tests.factories import PASSWORD
from tests.faults.tcp_proxy import TcpProxy
from tests.faults.unreachable import closed_port

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def redis_proxy(settings, monkeypatch):
    """The cache and the rate limits on Redis through a proxy; the keys are deleted after."""
    upstream = urlsplit(REDIS_URL)
    database = upstream.path or "/0"
    prefix = f"cartshare-test-{uuid.uuid4().hex}"
    monkeypatch.setattr(ratelimit, "_redis_resting_until", 0.0)
    monkeypatch.setattr(ratelimit, "REDIS_REST_SECONDS", 0.0)  # asks Redis again at once
    with TcpProxy((upstream.hostname or "127.0.0.1", upstream.port or 6379)) as proxy:
        url = f"redis://127.0.0.1:{proxy.port}{database}"
        settings.REDIS_URL = url
        settings.CACHES = {
            "default": {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": url,
                "KEY_PREFIX": prefix,
                "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
            }
        }
        yield proxy
    client = redis_client()
    for key in client.scan_iter(match=f"{prefix}:*"):
        client.delete(key)
    client.close()


def ready(client: Client) -> tuple[int, dict]:
    response = client.get("/readyz")
    return response.status_code, json.loads(response.content)


def test_link_opens_and_pages_go_on_while_redis_is_down_and_limits_count_in_the_database(
    world, redis_proxy, settings
):
    settings.CARTSHARE_SHARE_RATE_LIMIT = "3/m"
    token = world.link(world.trade_fair)
    visitor = Client()
    assert visitor.get(f"/share/{token}").status_code == 200  # counted in Redis: 1
    assert not RateLimitCounter.objects.exists()
    assert ready(visitor) == (200, {"status": "ok", "checks": {"database": "ok", "redis": "ok"}})

    redis_proxy.cut()
    assert ready(visitor) == (
        503,
        {"status": "unavailable", "checks": {"database": "ok", "redis": "unavailable"}},
    )
    answers = [visitor.get(f"/share/{token}").status_code for _ in range(4)]
    assert answers == [200, 200, 200, 429]  # the database's own window: 3 opens, then refused
    assert RateLimitCounter.objects.get().count == 4
    assert visitor.get("/").status_code == 200
    assert world.logged_in_client(world.alice).get("/carts/").status_code == 200

    redis_proxy.restore()
    assert ready(visitor)[0] == 200
    assert visitor.get(f"/share/{token}").status_code == 200  # Redis again: its 2nd open
    assert RateLimitCounter.objects.get().count == 4  # the database counted nothing more


def test_log_in_works_and_its_limit_still_holds_while_redis_is_down(world, redis_proxy, settings):
    settings.CARTSHARE_LOGIN_RATE_LIMIT = "2/m"
    redis_proxy.cut()
    guesser = Client()
    wrong = {"email": world.bob.email, "password": "not his password"}
    answers = [guesser.post("/login/", wrong).status_code for _ in range(3)]
    assert answers == [400, 400, 429]
    right = {"email": world.alice.email, "password": PASSWORD}
    assert Client(REMOTE_ADDR="10.0.0.9").post("/login/", right).status_code == 302


def test_idempotent_posts_go_on_while_redis_is_down_their_keys_are_in_the_database(
    world, redis_proxy
):
    api = world.api_client(world.alice)
    redis_proxy.cut()
    first = api.post("/carts", {"name": "Spares"}, headers={"Idempotency-Key": "k-1"})
    again = api.post("/carts", {"name": "Spares"}, headers={"Idempotency-Key": "k-1"})
    assert first.status_code == again.status_code == 201
    assert again["Idempotent-Replayed"] == "true"
    assert Cart.objects.filter(owner=world.alice, name="Spares").count() == 1


def test_a_page_or_endpoint_that_needs_redis_answers_503_while_it_is_down_then_200(
    world, redis_proxy, monkeypatch
):
    """Nothing but the rate limits uses Redis today; whatever uses the cache next gets the
    503 of an outage (page and problem+json), not a 500, from the same hooks as the database."""
    from cartshare.api.routers import catalog as api_catalog
    from cartshare.storefront.views import catalog as page_catalog

    real = page_catalog.products_list

    def products_list_through_the_cache(**kwargs):
        caches["default"].get("catalog-version")
        return real(**kwargs)

    monkeypatch.setattr(page_catalog, "products_list", products_list_through_the_cache)
    monkeypatch.setattr(api_catalog, "products_list", products_list_through_the_cache)
    page, api = Client(), world.api_client(None)
    assert (page.get("/").status_code, api.get("/products").status_code) == (200, 200)

    redis_proxy.cut()
    down_page, down_api = page.get("/"), api.get("/products")

    assert down_page.status_code == 503
    assert down_page["Retry-After"] == str(RETRY_AFTER_SECONDS)
    assert "Cart<span>share</span>" in down_page.content.decode()  # the shop's look
    assert "Traceback" not in down_page.content.decode()
    body = assert_problem(down_api, 503)
    assert body["type"] == "urn:cartshare:problem:service_unavailable"
    assert down_api["Retry-After"] == str(RETRY_AFTER_SECONDS)

    redis_proxy.restore()
    assert (page.get("/").status_code, api.get("/products").status_code) == (200, 200)


def test_redis_that_refuses_or_times_out_is_an_outage_and_a_wrong_password_is_a_bug():
    refused = redis.Redis(port=closed_port(), socket_connect_timeout=1)
    with pytest.raises(redis.RedisError) as caught:
        refused.ping()
    assert store_unavailable(caught.value)
    assert store_unavailable(redis.TimeoutError("Timeout reading from socket"))
    assert not store_unavailable(redis.AuthenticationError("invalid password"))
    assert not store_unavailable(redis.ResponseError("WRONGTYPE Operation against a key"))
