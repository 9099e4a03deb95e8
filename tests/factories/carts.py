"""Factories of cartshare.carts: carts and their items (rows only: no activity is recorded)."""

import factory

from cartshare.carts.models import Cart, CartItem
from tests.factories.accounts import CustomerFactory
from tests.factories.catalog import ProductFactory


class CartFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cart

    owner = factory.SubFactory(CustomerFactory)
    name = factory.Sequence(lambda n: f"Cart {n}")


class CartItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CartItem

    cart = factory.SubFactory(CartFactory)
    product = factory.SubFactory(ProductFactory)
    quantity = 1
