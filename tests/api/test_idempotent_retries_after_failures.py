"""A client that retries a POST with the same `Idempotency-Key` after a failure never gets a
duplicate (spec §14, issue 15): the key is taken in the transaction of the work, so a first
request that failed in any way (a crash after the work, the database going away before the
commit) leaves neither its work nor its key, and the retry does the work once; one that
committed leaves both, and the retry gets its answer. Two requests with one key at the same
time give one effect: the second waits for the first and gets its answer replayed. On SQLite
and on PostgreSQL."""

from __future__ import annotations

import threading
import time

import psycopg
import pytest
from django.db import OperationalError, connection

from cartshare.accounts.models import IdempotentRequest
from cartshare.api.routers import carts as carts_router
from cartshare.carts import services as cart_services
from cartshare.carts.models import Cart
from cartshare.common.database import RETRY_AFTER_SECONDS
from tests.api.client import assert_problem, client_for

pytestmark = pytest.mark.django_db(transaction=True)

KEY = {"Idempotency-Key": "spares-1"}
BODY = {"name": "Spares"}


def connection_lost() -> OperationalError:
    """What Django raises when PostgreSQL goes away in the middle of a request."""
    error = OperationalError("server closed the connection unexpectedly")
    error.__cause__ = psycopg.OperationalError("server closed the connection unexpectedly")
    return error


def failing_once_after_the_work(monkeypatch, error: Exception) -> None:
    """The cart is created (its service's transaction done), then the request fails."""
    real = carts_router._reloaded
    failures = [error]

    def reloaded(request, cart_id):
        if failures:
            raise failures.pop()
        return real(request, cart_id)

    monkeypatch.setattr(carts_router, "_reloaded", reloaded)


def spares_of(customer) -> int:
    return Cart.objects.filter(owner=customer, name="Spares").count()


def test_a_retry_after_a_crash_that_followed_the_work_creates_one_cart(world, monkeypatch):
    failing_once_after_the_work(monkeypatch, RuntimeError("a bug after the work"))
    api = client_for(world.alice)

    crashed = api.post("/carts", BODY, headers=KEY)
    assert_problem(crashed, 500)
    assert spares_of(world.alice) == 0  # the work was rolled back with the request
    assert not IdempotentRequest.objects.exists()  # and the key with it

    retry = api.post("/carts", BODY, headers=KEY)
    assert retry.status_code == 201
    assert "Idempotent-Replayed" not in retry
    again = api.post("/carts", BODY, headers=KEY)
    assert again["Idempotent-Replayed"] == "true"
    assert again.json()["id"] == retry.json()["id"]
    assert spares_of(world.alice) == 1


def test_a_retry_after_the_database_went_away_before_the_commit_creates_one_cart(
    world, monkeypatch
):
    failing_once_after_the_work(monkeypatch, connection_lost())
    api = client_for(world.alice)

    lost = api.post("/carts", BODY, headers=KEY)
    assert_problem(lost, 503)
    assert lost["Retry-After"] == str(RETRY_AFTER_SECONDS)
    assert spares_of(world.alice) == 0

    retry = api.post("/carts", BODY, headers=KEY)
    assert retry.status_code == 201
    assert spares_of(world.alice) == 1


def test_a_retry_after_a_refusal_does_the_work_and_a_retry_after_success_does_not(world):
    api = client_for(world.alice)
    path = f"/carts/{world.trade_fair.pk}/items"
    body = {"sku": world.lamp.sku, "quantity": 2}
    refused = api.post(path, body, headers={**KEY, "If-Match": '"999"'})
    assert_problem(refused, 412)
    assert not IdempotentRequest.objects.exists()

    first = api.post(path, body, headers=KEY)
    lost_answer_retry = api.post(path, body, headers=KEY)
    assert (first.status_code, lost_answer_retry.status_code) == (201, 201)
    assert lost_answer_retry.content == first.content
    assert world.trade_fair.items.get(product=world.lamp).quantity == 2
    stored = IdempotentRequest.objects.get()
    assert stored.status_code == 201
    assert world.lamp.name.encode() not in bytes(stored.sealed_response)  # encrypted


def test_two_requests_with_one_key_at_once_create_one_cart_and_answer_alike(world, monkeypatch):
    """The first is slow; the second arrives while it works, waits for it (the key's row on
    PostgreSQL, the write lock on SQLite) and gets its answer."""
    working = threading.Event()
    real_create = cart_services.cart_create

    def slow_create(**kwargs):
        cart = real_create(**kwargs)
        working.set()
        time.sleep(0.5)
        return cart

    monkeypatch.setattr(cart_services, "cart_create", slow_create)
    clients = [client_for(world.alice), client_for(world.alice)]
    responses: dict[int, object] = {}

    def post(number: int) -> None:
        try:
            if number == 1:
                assert working.wait(timeout=30)
            responses[number] = clients[number].post("/carts", BODY, headers=KEY)
        finally:
            connection.close()

    threads = [threading.Thread(target=post, args=(number,)) for number in (0, 1)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    first, second = responses[0], responses[1]
    assert (first.status_code, second.status_code) == (201, 201)
    assert second["Idempotent-Replayed"] == "true"
    assert second.content == first.content
    assert spares_of(world.alice) == 1
