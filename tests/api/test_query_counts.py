"""The list and cart endpoints run a number of queries that does not grow with items, carts,
grants, comments, activity entries or order lines."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cartshare.comments.services import comment_create
from cartshare.orders.services import cart_checkout
from tests.api.client import client_for
from tests.factories import CartFactory, CartItemFactory, CartShareFactory, CompanyUserFactory

pytestmark = pytest.mark.django_db


def queries_for(client, path) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured.captured_queries)


@pytest.mark.parametrize("path", ["/carts/{cart}", "/carts"])
def test_queries_do_not_grow_with_items_or_carts(path):
    small, large = CompanyUserFactory().customer, CompanyUserFactory().customer
    small_cart = CartFactory(owner=small)
    CartItemFactory(cart=small_cart)
    large_cart = CartFactory(owner=large)
    CartItemFactory.create_batch(60, cart=large_cart)
    CartFactory.create_batch(30, owner=large)
    small_client, large_client = client_for(small), client_for(large)
    assert queries_for(large_client, path.format(cart=large_cart.pk)) == queries_for(
        small_client, path.format(cart=small_cart.pk)
    )


def _discussed_cart(owner, size: int):
    """A cart with `size` grants, comments, activity entries and orders of `size` lines."""
    unit = owner.company_user.business_unit
    cart = CartFactory(owner=owner)
    for _ in range(size):
        colleague = CompanyUserFactory(business_unit=unit)
        CartShareFactory(cart=cart, company_user=colleague)
        comment_create(cart=cart, actor=colleague.customer, text="Fine by me")
    ordered = CartFactory(owner=owner)
    CartItemFactory.create_batch(size, cart=ordered)
    cart_checkout(cart=ordered, actor=owner)
    return cart


@pytest.mark.parametrize(
    "path",
    ["/carts/{cart}/shared-carts", "/carts/{cart}/comments", "/carts/{cart}/activity", "/orders"],
)
def test_list_queries_do_not_grow_with_grants_comments_or_order_lines(path):
    small, large = CompanyUserFactory().customer, CompanyUserFactory().customer
    small_cart, large_cart = _discussed_cart(small, 1), _discussed_cart(large, 15)
    small_client, large_client = client_for(small), client_for(large)
    assert queries_for(large_client, path.format(cart=large_cart.pk)) == queries_for(
        small_client, path.format(cart=small_cart.pk)
    )
