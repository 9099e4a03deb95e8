"""The cart endpoints run a number of queries that does not grow with items or carts."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.api.conftest import client_for
from tests.factories import CartFactory, CartItemFactory, CompanyUserFactory

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
