"""Lists say whether there is more (`has_more`, beside `next`), and take the filters clients
need: carts by status and by my level on them, orders by when they were placed. `next` keeps
the filters."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from cartshare.carts.models import Cart, CartStatus
from cartshare.orders.services import cart_checkout
from tests.api.client import assert_problem, client_for

pytestmark = pytest.mark.django_db


def names(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [cart["name"] for cart in response.json()["results"]]


def test_has_more_is_true_until_the_last_page(world):
    alice = client_for(world.alice)
    first = alice.get("/carts?limit=1").json()
    assert first["has_more"] is True
    assert first["next"]
    second = alice.get(first["next"].removeprefix("http://testserver/api/v1")).json()
    assert second["has_more"] is False
    assert second["next"] is None
    assert len(first["results"]) == len(second["results"]) == 1


def test_lists_that_fit_one_page_say_there_is_no_more(world):
    body = client_for(world.alice).get("/cart-permission-groups").json()
    assert body["has_more"] is False
    assert client_for(world.bob).get("/notifications").json()["has_more"] is False


def test_carts_by_my_level_on_them(world):
    bob = client_for(world.bob)
    assert names(bob.get("/carts")) == ["My cart", "Trade fair"]
    assert names(bob.get("/carts?access=OWNER")) == ["My cart"]
    assert names(bob.get("/carts?access=FULL_ACCESS")) == ["Trade fair"]
    assert names(bob.get("/carts?access=READ_ONLY&access=CONTRIBUTOR")) == []
    frank = client_for(world.frank)
    assert names(frank.get("/carts?access=READ_ONLY&access=FULL_ACCESS")) == ["Trade fair"]


def test_carts_by_status(world):
    Cart.objects.filter(pk=world.office_supplies.pk).update(status=CartStatus.ORDERED)
    alice = client_for(world.alice)
    assert names(alice.get("/carts?status=ORDERED")) == ["Office supplies"]
    assert names(alice.get("/carts?status=OPEN&access=OWNER")) == ["Trade fair"]


def test_next_keeps_the_filters(world):
    world.cart(world.alice, "Spare")
    page = client_for(world.alice).get("/carts?access=OWNER&limit=2").json()
    assert "access=OWNER" in page["next"]
    rest = client_for(world.alice).get(page["next"].removeprefix("http://testserver/api/v1"))
    assert len(names(rest)) == 1


@pytest.mark.parametrize("query", ["status=CLOSED", "access=PREVIEW", "access=owner"])
def test_an_unknown_filter_value_answers_422_naming_it(world, query):
    body = assert_problem(client_for(world.alice).get(f"/carts?{query}"), 422)
    assert body["code"] == "validation_error"
    (field,) = body["errors"]
    assert query.split("=")[0] in field.split(".")


def test_orders_by_when_they_were_placed(world):
    start = timezone.now()
    with time_machine.travel(start - timedelta(days=10), tick=False):
        old = cart_checkout(cart=world.office_supplies, actor=world.alice)
    new = cart_checkout(cart=world.trade_fair, actor=world.alice)
    alice = client_for(world.alice)
    since = (start - timedelta(days=1)).isoformat().replace("+00:00", "Z")

    def ids(query: str) -> list[int]:
        response = alice.get(f"/orders?{query}")
        assert response.status_code == 200, response.content
        return [order["id"] for order in response.json()["results"]]

    assert ids("") == [new.pk, old.pk]
    assert ids(f"created_after={since}") == [new.pk]
    assert ids(f"created_before={since}") == [old.pk]
    assert ids(f"created_after={since}&created_before={since}") == []


def test_an_order_date_without_a_time_zone_answers_422(world):
    body = assert_problem(
        client_for(world.alice).get("/orders?created_after=2026-12-01T10:00"), 422
    )
    assert set(body["errors"]) == {"created_after"}
