"""Owner and full-access colleague adding the same product at the same moment lose nothing."""

import threading

import pytest
from django.db import connections

from cartshare.carts.models import CartItem
from cartshare.carts.services import cart_item_add

ADDS_PER_PERSON = 50

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
]


def test_owner_and_full_access_colleague_adding_the_same_sku_at_once_add_up_exactly(world):
    cart = world.trade_fair
    sku = cart.items.order_by("pk").first().product.sku
    CartItem.objects.filter(cart=cart, product__sku=sku).delete()
    start = threading.Barrier(2)
    errors: list[BaseException] = []

    def add_many(person):
        try:
            start.wait()
            for _ in range(ADDS_PER_PERSON):
                fresh_cart = type(cart).objects.get(pk=cart.pk)
                cart_item_add(cart=fresh_cart, actor=person, sku=sku, quantity=1)
        except BaseException as error:  # reported by the main thread
            errors.append(error)
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=add_many, args=(person,)) for person in (world.alice, world.bob)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert CartItem.objects.get(cart=cart, product__sku=sku).quantity == 2 * ADDS_PER_PERSON
