"""The cart services keep their promises at the domain level (the pages are tested over HTTP)."""

import pytest

from cartshare.carts.services import cart_create, cart_item_add
from cartshare.common.errors import InvalidInput, NotFound
from tests.factories import CustomerFactory, ProductFactory

pytestmark = pytest.mark.django_db


def test_adding_a_sku_twice_raises_its_quantity():
    owner = CustomerFactory()
    product = ProductFactory()
    cart = cart_create(owner=owner, name="Office")
    cart_item_add(cart=cart, actor=owner, sku=product.sku, quantity=2)
    item = cart_item_add(cart=cart, actor=owner, sku=product.sku, quantity="3")
    assert item.quantity == 5
    cart.refresh_from_db()
    assert cart.version == 3


@pytest.mark.parametrize("quantity", [0, -1, 10_000, "abc", "1.5", "", None, True])
def test_bad_quantities_are_refused_and_change_nothing(quantity):
    owner = CustomerFactory()
    product = ProductFactory()
    cart = cart_create(owner=owner, name="Office")
    with pytest.raises(InvalidInput):
        cart_item_add(cart=cart, actor=owner, sku=product.sku, quantity=quantity)
    assert cart.items.count() == 0


def test_someone_elses_cart_is_not_found():
    owner, stranger = CustomerFactory(), CustomerFactory()
    product = ProductFactory()
    cart = cart_create(owner=owner, name="Office")
    with pytest.raises(NotFound):
        cart_item_add(cart=cart, actor=stranger, sku=product.sku, quantity=1)
    assert cart.items.count() == 0
