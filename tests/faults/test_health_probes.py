"""/healthz and /readyz (../shared/API.md, "Health"): at the site root, cheap enough to poll
every second: no session, no cookie, no rate limit, any Host a load balancer sends, no-store."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from tests.faults.unreachable import closed_port

pytestmark = pytest.mark.django_db(transaction=True)


def test_healthz_answers_without_touching_the_database(django_assert_num_queries):
    with django_assert_num_queries(0):
        response = Client().get("/healthz")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert json.loads(response.content) == {"status": "ok"}
    assert response["Cache-Control"] == "no-store"


def test_readyz_runs_one_query_and_says_the_database_answers(django_assert_num_queries, settings):
    settings.REDIS_URL = ""  # the database cache (or here the test's local memory): no Redis check
    with django_assert_num_queries(1):
        response = Client().get("/readyz")
    assert response.status_code == 200
    assert json.loads(response.content) == {"status": "ok", "checks": {"database": "ok"}}
    assert response["Cache-Control"] == "no-store"


@pytest.mark.parametrize("path", ["/healthz", "/readyz"])
def test_a_probe_sets_no_cookie_and_looks_no_session_up(world, path, django_assert_num_queries):
    client = world.logged_in_client(world.alice)
    with django_assert_num_queries(0 if path == "/healthz" else 1):  # readyz: its SELECT 1 only
        response = client.get(path)
    assert response.status_code == 200
    assert not response.cookies


@pytest.mark.parametrize("path", ["/healthz", "/readyz"])
def test_a_probe_answers_a_load_balancer_that_sends_its_own_address_as_host(path):
    response = Client(HTTP_HOST="10.1.2.3:8000").get(path)
    assert response.status_code == 200
    assert Client(HTTP_HOST="10.1.2.3:8000").get("/").status_code == 400  # pages still check


@pytest.mark.parametrize("path", ["/healthz", "/readyz"])
def test_a_probe_is_never_rate_limited(path, settings):
    settings.CARTSHARE_SHARE_RATE_LIMIT = "1/m"
    client = Client()
    assert {client.get(path).status_code for _ in range(5)} == {200}


@pytest.mark.parametrize("path", ["/healthz", "/readyz"])
def test_head_answers_like_get_and_other_methods_are_405(path):
    client = Client()
    assert client.head(path).status_code == 200
    response = client.post(path)
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"


def test_readyz_refuses_when_the_configured_redis_does_not_answer(settings):
    dead_redis = f"redis://127.0.0.1:{closed_port()}/0"
    settings.REDIS_URL = dead_redis
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": dead_redis,
        }
    }
    response = Client().get("/readyz")
    assert response.status_code == 503
    assert json.loads(response.content) == {
        "status": "unavailable",
        "checks": {"database": "ok", "redis": "unavailable"},
    }
    assert Client().get("/healthz").status_code == 200


def test_readyz_checks_the_configured_redis(redis_cache, settings):
    settings.REDIS_URL = settings.CACHES["default"]["LOCATION"]
    response = Client().get("/readyz")
    assert response.status_code == 200
    assert json.loads(response.content)["checks"] == {"database": "ok", "redis": "ok"}
