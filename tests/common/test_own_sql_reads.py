"""The two reads on the link-open path run SQL the project writes itself (`cartshare.common.rows`)
and give exactly what the ORM gives, on SQLite and PostgreSQL alike, in one query each."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cartshare.carts.models import CartItem
from cartshare.carts.selectors import CartLine, cart_line, cart_lines
from cartshare.sharing.link_services import share_link_get_or_create
from cartshare.sharing.link_visits import _link_by_hash
from cartshare.sharing.models import ShareLink
from cartshare.sharing.tokens import token_hash
from tests.factories import CartFactory, CartItemFactory, CustomerFactory, ProductFactory

pytestmark = pytest.mark.django_db


def orm_lines(cart) -> list[CartLine]:
    items = CartItem.objects.filter(cart_id=cart.pk).select_related("product").order_by("id")
    return [cart_line(item) for item in items]


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
    assert [line["quantity"] for line in cart_lines(first)] == [3, 1, 2]
    assert cart_lines(empty) == []
    assert cart_lines(first)[0]["total_price"] == 750


LINK_FIELDS = ("id", "cart_id", "share_option", "created_by_id", "created_at", "expires_at")
CART_FIELDS = ("id", "owner_id", "name", "note", "currency", "status", "version", "updated_at")


def test_a_resolved_link_has_the_same_fields_cart_and_owner_as_the_orms():
    owner = CustomerFactory(name="Olga Owner")
    cart = CartFactory(owner=owner, name="Fair", note="n")
    link, url, _ = share_link_get_or_create(
        cart=cart, actor=owner, share_option="PREVIEW", base_url="http://testserver"
    )
    ShareLink.objects.filter(pk=link.pk).update(expires_at=timezone.now() + timedelta(days=1))
    hash_ = token_hash(url.rsplit("/", 1)[-1])
    with CaptureQueriesContext(connection) as queries:
        ours = _link_by_hash(hash_)
        assert ours is not None
        assert ours.cart.owner.name == "Olga Owner"  # no further query for the relations
    assert len(queries) == 1
    orm = ShareLink.objects.select_related("cart__owner").get(token_hash=hash_)
    assert [getattr(ours, name) for name in LINK_FIELDS] == [
        getattr(orm, name) for name in LINK_FIELDS
    ]
    assert [getattr(ours.cart, name) for name in CART_FIELDS] == [
        getattr(orm.cart, name) for name in CART_FIELDS
    ]
    assert ours.cart.owner.email == orm.cart.owner.email
    assert ours.expires_at.tzinfo is not None
    assert not ours._state.adding
    assert ours.revoked_at is None


def test_a_link_whose_cart_was_deleted_resolves_without_a_cart():
    owner = CustomerFactory()
    cart = CartFactory(owner=owner)
    link, url, _ = share_link_get_or_create(
        cart=cart, actor=owner, share_option="PREVIEW", base_url="http://testserver"
    )
    cart.delete()
    ours = _link_by_hash(token_hash(url.rsplit("/", 1)[-1]))
    assert ours is not None and ours.pk == link.pk
    assert ours.cart is None


def test_an_unknown_hash_finds_nothing():
    assert _link_by_hash("0" * 64) is None
