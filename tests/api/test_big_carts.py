"""`GET /api/v1/carts/{id}` at the spec's limit of 1,000 items (issue 16): the items are written
by the declared shape without validating each (`cart_out_json`), so these check that the answer
is still exactly the declared one, that a wrong value is refused rather than sent, and that the
query count does not grow with the items."""

from __future__ import annotations

import pydantic_core
import pytest
from pydantic_core import PydanticSerializationError

from cartshare.api.schemas import CartOut, cart_out_json
from cartshare.carts.models import CartItem
from cartshare.carts.selectors import cart_get_for, cart_lines, cart_seen_by
from cartshare.catalog.models import Product
from tests.api.client import client_for
from tests.api.openapi import assert_answer_matches_openapi
from tests.factories import (
    CartFactory,
    CartItemFactory,
    CartShareFactory,
    CompanyUserFactory,
    ProductFactory,
)

pytestmark = pytest.mark.django_db


def _fill(cart, count: int, *, added_by=None) -> None:
    """`count` more items, each of a product of its own (bulk: 1,000 factories are slow)."""
    category = ProductFactory().category
    start = Product.objects.count()
    products = Product.objects.bulk_create(
        Product(
            sku=f"BIG-{start + n:05d}",
            name=f"Big product {n} «ü»",
            category=category,
            unit_price=100 + n,
        )
        for n in range(count)
    )
    CartItem.objects.bulk_create(
        CartItem(
            cart=cart,
            product=product,
            quantity=1 + n % 5,
            note="Blue, please" if n % 3 == 0 else "",
            added_by=added_by if n % 2 == 0 else None,
        )
        for n, product in enumerate(products)
    )


def _validated_json(seen) -> bytes:
    """What ninja's validated path sent before: validate, dump, render (FastJSONRenderer)."""
    return pydantic_core.to_json(CartOut.model_validate(seen).model_dump(by_alias=True))


def test_the_cart_is_written_byte_for_byte_as_the_validated_shape_writes_it(world):
    cart = world.trade_fair
    _fill(cart, 40, added_by=world.frank)
    for customer in (world.alice, world.frank):
        loaded = cart_get_for(customer, cart.pk, with_items=False)
        seen = cart_seen_by(customer, loaded, lines=cart_lines(loaded))
        assert len(seen.items) > 40
        assert cart_out_json(seen) == _validated_json(seen)


def test_a_line_value_of_the_wrong_type_is_refused_not_sent(world):
    cart = cart_get_for(world.alice, world.trade_fair.pk, with_items=False)
    seen = cart_seen_by(world.alice, cart, lines=cart_lines(cart))
    assert cart_out_json(seen)  # as read, it is written
    seen.items[0]["quantity"] = "3"  # a string where the shape says integer
    with pytest.raises(PydanticSerializationError, match="quantity"):
        cart_out_json(seen)


def test_a_1000_item_cart_answers_as_documented_with_exact_totals(world):
    cart = world.trade_fair
    _fill(cart, 1_000 - cart.items.count(), added_by=world.frank)
    response = client_for(world.frank).get(f"/carts/{cart.pk}")

    assert response.status_code == 200
    assert_answer_matches_openapi(response, "GET", "/carts/{cart_id}")
    body = response.json()
    items = list(CartItem.objects.filter(cart=cart).select_related("product"))
    assert len(body["items"]) == len(items) == 1_000
    assert body["totals"]["item_count"] == 1_000
    assert body["totals"]["quantity"] == sum(item.quantity for item in items)
    assert body["totals"]["grand_total"] == sum(
        item.quantity * item.product.unit_price for item in items
    )
    assert response["ETag"] == f'"{cart.version}"'


@pytest.mark.parametrize("size", [10, 1_000])
def test_the_api_cart_runs_the_same_few_queries_at_10_and_1000_items(
    size, django_assert_max_num_queries
):
    owner = CompanyUserFactory().customer
    colleague = CompanyUserFactory(business_unit=owner.company_user.business_unit).customer
    cart = CartFactory(owner=owner)
    CartItemFactory(cart=cart)
    _fill(cart, size - 1, added_by=owner)

    CartShareFactory(cart=cart, company_user=colleague.company_user, permission="FULL_ACCESS")
    for customer in (owner, colleague):
        client = client_for(customer)
        assert client.get("/me").status_code == 200  # the token's first use is written once
        with django_assert_max_num_queries(6):
            response = client.get(f"/carts/{cart.pk}")
        assert response.status_code == 200
        assert len(response.json()["items"]) == size
