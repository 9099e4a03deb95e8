"""Querysets compiled once (cartshare.common.prepared) give exactly what the ORM gives, on
SQLite and PostgreSQL alike, in one query, for every value they are run with."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cartshare.carts.models import Cart, CartItem
from cartshare.carts.selectors import CartLine, cart_lines
from cartshare.common.prepared import PreparedQuery
from cartshare.sharing.links import _link_by_hash, share_link_get_or_create, token_hash
from cartshare.sharing.models import ShareLink
from tests.factories import CartFactory, CartItemFactory, CustomerFactory, ProductFactory

pytestmark = pytest.mark.django_db


def orm_lines(cart) -> list[CartLine]:
    rows = (
        CartItem.objects.filter(cart_id=cart.pk)
        .order_by("id")
        .values_list("id", "product__sku", "product__name", "quantity", "product__unit_price")
    )
    return [CartLine._make(row) for row in rows]


def test_cart_lines_are_the_orms_rows_in_order_for_every_cart_in_one_query():
    first, second, empty = CartFactory(), CartFactory(), CartFactory()
    for quantity in (3, 1, 2):
        CartItemFactory(cart=first, quantity=quantity, product=ProductFactory(unit_price=250))
    CartItemFactory(cart=second, quantity=7)
    for cart in (first, second, empty):
        with CaptureQueriesContext(connection) as queries:
            lines = cart_lines(cart)
        assert len(queries) == 1
        assert lines == orm_lines(cart)
    assert [line.quantity for line in cart_lines(first)] == [3, 1, 2]
    assert cart_lines(empty) == []
    assert cart_lines(first)[0].total_price == 750


def test_a_resolved_link_has_the_same_fields_cart_and_owner_as_the_orms(db):
    owner = CustomerFactory(name="Olga Owner")
    cart = CartFactory(owner=owner, name="Fair", note="n")
    link, url, _ = share_link_get_or_create(
        cart=cart, actor=owner, share_option="PREVIEW", base_url="http://testserver"
    )
    ShareLink.objects.filter(pk=link.pk).update(expires_at=timezone.now() + timedelta(days=1))
    hash_ = token_hash(url.rsplit("/", 1)[-1])
    with CaptureQueriesContext(connection) as queries:
        (prepared,) = _link_by_hash.instances(hash_)
        assert prepared.cart.owner.name == "Olga Owner"  # no further query for the relations
    assert len(queries) == 1
    orm = ShareLink.objects.select_related("cart__owner").get(token_hash=hash_)

    def fields(obj) -> dict:
        return {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields}

    assert fields(prepared) == fields(orm)
    assert fields(prepared.cart) == fields(orm.cart)
    assert fields(prepared.cart.owner) == fields(orm.cart.owner)
    assert isinstance(prepared.cart, Cart)
    assert prepared.expires_at.tzinfo is not None
    assert not prepared._state.adding


def test_a_link_of_a_deleted_cart_resolves_with_no_cart(db):
    owner = CustomerFactory()
    cart = CartFactory(owner=owner)
    link, url, _ = share_link_get_or_create(
        cart=cart, actor=owner, share_option="PREVIEW", base_url="http://testserver"
    )
    Cart.objects.filter(pk=cart.pk).delete()
    (prepared,) = _link_by_hash.instances(token_hash(url.rsplit("/", 1)[-1]))
    assert prepared.pk == link.pk
    assert prepared.cart is None


def test_an_unknown_hash_finds_nothing():
    assert _link_by_hash.instances("f" * 64) == []


def test_a_queryset_with_other_parameters_than_the_one_value_is_refused():
    query = PreparedQuery(
        CartItem,
        lambda cart_id: CartItem.objects.filter(cart_id=cart_id, quantity__gt=1),
        sample=CartFactory().pk,
        prepare=lambda cart_id, connection: Cart._meta.pk.get_db_prep_value(cart_id, connection),
    )
    with pytest.raises(RuntimeError, match="one parameter"):
        query.instances(CartFactory().pk)
