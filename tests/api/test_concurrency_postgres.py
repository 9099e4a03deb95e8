"""Through the API, on PostgreSQL with real threads: concurrent adds never lose quantity, a
stale If-Match changes nothing, and concurrent checkouts of one cart create one order."""

import threading

import pytest
from django.db import connection

from cartshare.carts.models import Cart, CartItem
from cartshare.orders.models import Order
from tests.api.client import client_for
from tests.factories import CartFactory, CartItemFactory, CompanyUserFactory, ProductFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

THREADS = 20
ADDS_PER_THREAD = 25


def test_twenty_threads_adding_25_units_each_end_with_exactly_500():
    assert connection.vendor == "postgresql"
    owner = CompanyUserFactory()
    cart = CartFactory(owner=owner.customer)
    product = ProductFactory()
    clients = [client_for(owner.customer) for _ in range(THREADS)]
    failures: list[str] = []
    start = threading.Barrier(THREADS)

    def add_units(client):
        try:
            start.wait()
            for _ in range(ADDS_PER_THREAD):
                response = client.post(
                    f"/carts/{cart.pk}/items", {"sku": product.sku, "quantity": 1}
                )
                if response.status_code != 201:
                    failures.append(f"{response.status_code} {response.content[:200]!r}")
        finally:
            connection.close()

    threads = [threading.Thread(target=add_units, args=(client,)) for client in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert failures == []
    assert CartItem.objects.get(cart=cart, product=product).quantity == THREADS * ADDS_PER_THREAD
    assert Cart.objects.get(pk=cart.pk).version == 1 + THREADS * ADDS_PER_THREAD


def test_a_stale_if_match_gets_412_and_the_cart_is_unchanged():
    owner = CompanyUserFactory()
    cart = CartFactory(owner=owner.customer, name="Before")
    first, second = client_for(owner.customer), client_for(owner.customer)
    etag = first.get(f"/carts/{cart.pk}")["ETag"]
    assert (
        second.patch(
            f"/carts/{cart.pk}", {"name": "Second"}, headers={"If-Match": etag}
        ).status_code
        == 200
    )
    stale = first.patch(f"/carts/{cart.pk}", {"name": "First"}, headers={"If-Match": etag})
    assert stale.status_code == 412
    cart.refresh_from_db()
    assert (cart.name, cart.version) == ("Second", 2)


CHECKOUT_THREADS = 10


def _checkout_at_once(cart, clients, headers) -> list:
    responses: list = []
    start = threading.Barrier(len(clients))

    def check_out(client):
        try:
            start.wait()
            responses.append(client.post(f"/carts/{cart.pk}/checkout", headers=headers))
        finally:
            connection.close()

    threads = [threading.Thread(target=check_out, args=(client,)) for client in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return responses


def _cart_to_order():
    owner = CompanyUserFactory()
    cart = CartFactory(owner=owner.customer)
    CartItemFactory(cart=cart, quantity=3)
    return owner.customer, cart


def test_a_checkout_repeated_at_once_with_one_idempotency_key_creates_one_order():
    owner, cart = _cart_to_order()
    clients = [client_for(owner) for _ in range(CHECKOUT_THREADS)]
    responses = _checkout_at_once(cart, clients, {"Idempotency-Key": "order-once"})

    assert Order.objects.filter(cart_uuid=cart.pk).count() == 1
    statuses = sorted(response.status_code for response in responses)
    # The key is taken in the checkout's transaction: every other request waits for the first
    # to commit, then gets its answer replayed.
    assert statuses == [201] * CHECKOUT_THREADS, statuses
    replayed = [response.get("Idempotent-Replayed") for response in responses]
    assert replayed.count("true") == CHECKOUT_THREADS - 1
    created = [response.json() for response in responses]
    assert all(body == created[0] for body in created)
    # Once the first is done, a retry with the key gets the order, not a second one.
    retry = clients[0].post(f"/carts/{cart.pk}/checkout", headers={"Idempotency-Key": "order-once"})
    assert retry.status_code == 201
    assert retry.json() == created[0]
    assert Order.objects.filter(cart_uuid=cart.pk).count() == 1


def test_concurrent_checkouts_without_a_key_create_exactly_one_order():
    owner, cart = _cart_to_order()
    clients = [client_for(owner) for _ in range(CHECKOUT_THREADS)]
    responses = _checkout_at_once(cart, clients, {})

    statuses = sorted(response.status_code for response in responses)
    assert statuses == [201] + [409] * (CHECKOUT_THREADS - 1), statuses
    assert Order.objects.filter(cart_uuid=cart.pk).count() == 1
    assert Cart.objects.get(pk=cart.pk).status == "ORDERED"
