"""Through the API, on PostgreSQL with real threads: concurrent adds never lose quantity, and a
stale If-Match changes nothing."""

import threading

import pytest
from django.db import connection

from cartshare.carts.models import Cart, CartItem
from tests.api.conftest import client_for
from tests.factories import CartFactory, CompanyUserFactory, ProductFactory

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
