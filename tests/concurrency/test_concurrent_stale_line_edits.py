"""Stale line edits at the same moment (issue 13): the merge decides after the cart is locked,
so of two edits of one line based on the same version exactly one is applied and the other is
refused naming the first; two edits of different lines based on the same version are both
applied. Real threads with their own connections, on SQLite (immediate transactions) and on
PostgreSQL (the row lock of `cart_touch`) when DATABASE_URL points there."""

from __future__ import annotations

import pytest

from cartshare.carts.conflicts import LineConflict
from cartshare.carts.models import Cart
from cartshare.carts.services import cart_item_update
from tests.concurrency.test_concurrent_cart_writers import describe, run_concurrently

pytestmark = pytest.mark.django_db(transaction=True)


def edit(world, person, item, quantity, loaded):
    def run() -> str:
        cart = Cart.objects.get(pk=world.trade_fair.pk)
        cart_item_update(
            cart=cart, actor=person, item_id=item.pk, quantity=quantity, expected_version=loaded
        )
        return person.name

    return run


def test_two_stale_edits_of_one_line_apply_once_and_refuse_the_other_naming_the_first(world):
    cart = world.trade_fair
    stapler = world.item(cart, world.stapler)
    loaded = cart.version
    results, errors = run_concurrently(
        [edit(world, world.alice, stapler, 7, loaded), edit(world, world.bob, stapler, 8, loaded)]
    )
    assert len(results) == 1 and len(errors) == 1, describe(errors)
    (winner,), (refused,) = results, errors
    assert isinstance(refused, LineConflict), describe(errors)
    value = {"Alice Archer": 7, "Bob Brandt": 8}[winner]
    assert refused.change.text == f"{winner} changed the quantity of Stapler to {value}."
    stapler.refresh_from_db()
    assert stapler.quantity == value
    assert Cart.objects.get(pk=cart.pk).version == loaded + 1


def test_two_stale_edits_of_different_lines_are_both_applied(world):
    cart = world.trade_fair
    stapler, paper = world.item(cart, world.stapler), world.item(cart, world.paper)
    loaded = cart.version
    results, errors = run_concurrently(
        [edit(world, world.alice, stapler, 7, loaded), edit(world, world.bob, paper, 30, loaded)]
    )
    assert not errors, describe(errors)
    assert sorted(results) == ["Alice Archer", "Bob Brandt"]
    assert dict(cart.items.values_list("product__sku", "quantity")) == {
        "STAPLER-1": 7,
        "PAPER-A4": 30,
    }
    assert Cart.objects.get(pk=cart.pk).version == loaded + 2
