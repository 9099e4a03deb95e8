"""Checkout at the domain level: who may order, what the order keeps, and what it refuses."""

import re

import pytest

from cartshare.access.policies import CartAction, can, ensure_can
from cartshare.activity.models import CartActivity
from cartshare.activity.services import Verb
from cartshare.carts.models import CartStatus
from cartshare.carts.services import cart_activate, cart_delete, cart_item_add, cart_update
from cartshare.common.errors import Conflict, InvalidInput, NotFound, PermissionDenied, StaleVersion
from cartshare.orders.models import Order
from cartshare.orders.selectors import order_get_for, orders_for
from cartshare.orders.services import cart_checkout, checkout_validate
from cartshare.sharing.models import SharePermission
from tests.factories import CartFactory, CartItemFactory

pytestmark = pytest.mark.django_db


def assert_nothing_changed(world, version):
    world.trade_fair.refresh_from_db()
    assert world.trade_fair.status == CartStatus.OPEN
    assert world.trade_fair.version == version
    assert not Order.objects.exists()
    assert not CartActivity.objects.filter(verb=Verb.ORDERED).exists()


@pytest.mark.parametrize("caller", ["owner", "full_access"])
def test_owner_and_full_access_place_the_order(world, caller):
    person = world.caller(caller)
    version = world.trade_fair.version
    order = cart_checkout(
        cart=world.trade_fair,
        actor=person,
        expected_version=version,
        purchase_order_number=" PO-7 ",
    )
    assert re.fullmatch(r"CS-\d{4}-\d{6}", order.reference)
    assert order.placed_by == person and order.owner == world.alice
    assert (order.cart_uuid, order.cart_name) == (world.trade_fair.pk, "Trade fair")
    assert order.purchase_order_number == "PO-7"
    lines = [(line.sku, line.name, line.quantity, line.unit_price, line.total_price)
             for line in order.lines.all()]  # fmt: skip
    assert lines == [
        ("STAPLER-1", "Stapler", 2, 1250, 2500),
        ("PAPER-A4", "Paper A4", 10, 499, 4990),
    ]
    assert (order.item_count, order.quantity, order.grand_total) == (2, 12, 7490)
    world.trade_fair.refresh_from_db()
    assert world.trade_fair.status == CartStatus.ORDERED
    assert world.trade_fair.version == version + 1
    activity = CartActivity.objects.get(verb=Verb.ORDERED)
    assert activity.actor == person
    assert activity.details["reference"] == order.reference


def test_a_read_only_colleague_cannot_order_and_nothing_changes(world):
    version = world.trade_fair.version
    with pytest.raises(PermissionDenied, match="read-only"):
        cart_checkout(cart=world.trade_fair, actor=world.frank, expected_version=version)
    assert_nothing_changed(world, version)


@pytest.mark.parametrize("caller", ["other_unit", "other_company", "b2c"])
def test_people_who_cannot_see_the_cart_get_not_found(world, caller):
    version = world.trade_fair.version
    with pytest.raises(NotFound):
        cart_checkout(cart=world.trade_fair, actor=world.caller(caller), expected_version=version)
    assert_nothing_changed(world, version)


def test_an_empty_cart_is_refused(world):
    world.trade_fair.items.all().delete()
    version = world.trade_fair.version
    with pytest.raises(Conflict, match="This cart is empty"):
        cart_checkout(cart=world.trade_fair, actor=world.alice, expected_version=version)
    assert_nothing_changed(world, version)


def test_an_ordered_cart_cannot_be_ordered_again(world):
    cart_checkout(cart=world.trade_fair, actor=world.alice)
    world.trade_fair.refresh_from_db()
    with pytest.raises(Conflict, match="already been ordered"):
        cart_checkout(
            cart=world.trade_fair, actor=world.bob, expected_version=world.trade_fair.version
        )
    assert Order.objects.count() == 1


def test_a_stale_version_is_refused_and_nothing_changes(world):
    seen_version = world.trade_fair.version
    cart_update(cart=world.trade_fair, actor=world.bob, note="Booth 12")
    current = world.trade_fair.version
    with pytest.raises(StaleVersion) as refusal:
        cart_checkout(cart=world.trade_fair, actor=world.alice, expected_version=seen_version)
    assert refusal.value.current_version == current
    assert_nothing_changed(world, current)


def test_an_unavailable_product_is_named_and_refused(world):
    world.paper.is_active = False
    world.paper.save()
    with pytest.raises(Conflict, match="no longer sold: Paper A4"):
        cart_checkout(cart=world.trade_fair, actor=world.alice)
    assert not Order.objects.exists()


@pytest.mark.parametrize("number", ["x" * 51, "PO\n7", "PO\x007"])
def test_a_bad_purchase_order_number_is_refused(world, number):
    version = world.trade_fair.version
    with pytest.raises(InvalidInput) as refusal:
        cart_checkout(cart=world.trade_fair, actor=world.alice, purchase_order_number=number)
    assert "purchase_order_number" in refusal.value.errors
    assert_nothing_changed(world, version)


def test_the_order_keeps_the_prices_of_that_moment(world):
    order = cart_checkout(cart=world.trade_fair, actor=world.alice)
    world.stapler.unit_price = 9_999
    world.stapler.name = "Stapler Deluxe"
    world.stapler.save()
    order = order_get_for(world.alice, order.pk)
    stapler_line = order.lines.get(sku="STAPLER-1")
    assert (stapler_line.name, stapler_line.unit_price, stapler_line.total_price) == (
        "Stapler",
        1250,
        2500,
    )
    assert order.grand_total == 7490


def test_an_ordered_cart_is_read_only_for_everyone(world):
    cart_checkout(cart=world.trade_fair, actor=world.bob)
    world.trade_fair.refresh_from_db()
    for person in (world.alice, world.bob):
        assert not can(person, CartAction.EDIT, world.trade_fair)
        assert can(person, CartAction.VIEW, world.trade_fair)
        assert can(person, CartAction.COMMENT, world.trade_fair)
        with pytest.raises(Conflict, match="ordered"):
            ensure_can(person, CartAction.EDIT, world.trade_fair)
        with pytest.raises(Conflict):
            cart_item_add(cart=world.trade_fair, actor=person, sku="STAPLER-1", quantity=1)
    assert world.trade_fair.items.get(product=world.stapler).quantity == 2


def test_checkout_validate_gives_the_same_refusals_without_writing(world):
    with pytest.raises(PermissionDenied):
        checkout_validate(cart=world.trade_fair, actor=world.frank)
    with pytest.raises(StaleVersion):
        checkout_validate(cart=world.trade_fair, actor=world.alice, expected_version=999)
    assert (
        checkout_validate(cart=world.trade_fair, actor=world.alice, purchase_order_number=" A ")
        == "A"
    )
    assert_nothing_changed(world, world.trade_fair.version)


def test_orders_survive_the_deletion_of_their_cart(world):
    CartFactory(owner=world.alice, name="Another one")
    order = cart_checkout(cart=world.trade_fair, actor=world.bob)
    cart_id = world.trade_fair.pk
    cart_delete(cart=world.trade_fair, actor=world.alice)
    order.refresh_from_db()
    assert order.cart is None
    assert (order.cart_uuid, order.cart_name) == (cart_id, "Trade fair")
    assert order_get_for(world.bob, order.reference) == order


def test_the_history_holds_orders_i_placed_and_orders_from_my_carts(
    world, django_assert_num_queries
):
    from_alices_cart = cart_checkout(cart=world.trade_fair, actor=world.bob)
    bobs_cart = CartFactory(owner=world.bob, name="Bob's cart")
    CartItemFactory(cart=bobs_cart, product=world.stapler, quantity=1)
    bobs_own = cart_checkout(cart=bobs_cart, actor=world.bob)
    assert list(orders_for(world.bob)) == [bobs_own, from_alices_cart]
    assert list(orders_for(world.alice)) == [from_alices_cart]
    assert list(orders_for(world.frank)) == []
    with django_assert_num_queries(2):  # orders with people and carts, then all their lines
        for order in orders_for(world.bob):
            _ = [line.sku for line in order.lines.all()], order.placed_by.name, order.cart


@pytest.mark.parametrize("caller", ["read_only", "other_unit", "other_company", "b2c"])
def test_an_order_is_seen_only_by_its_placer_and_the_cart_owner(world, caller):
    order = cart_checkout(cart=world.trade_fair, actor=world.bob)
    assert order_get_for(world.alice, order.reference) == order
    assert order_get_for(world.bob, str(order.pk)) == order
    with pytest.raises(NotFound):
        order_get_for(world.caller(caller), order.reference)
    with pytest.raises(NotFound):
        order_get_for(world.caller(caller), order.pk)


def test_references_are_unique_and_readable(world):
    first = cart_checkout(cart=world.trade_fair, actor=world.alice)
    second_cart = CartFactory(owner=world.alice)
    CartItemFactory(cart=second_cart, product=world.paper)
    second = cart_checkout(cart=second_cart, actor=world.alice)
    assert first.reference != second.reference
    assert second.reference == f"CS-{second.created_at.year}-{second.pk:06d}"


def test_the_placer_gets_a_new_active_cart_when_the_ordered_one_was_their_last_open_cart(world):
    world.office_supplies.delete()  # "Trade fair" is the last open cart of alice's
    cart_activate(cart=world.trade_fair, actor=world.alice)
    cart_checkout(cart=world.trade_fair, actor=world.alice)
    world.alice.refresh_from_db()
    new_cart = world.alice.active_cart
    assert new_cart.name == "My cart" and new_cart.status == CartStatus.OPEN
    assert new_cart.owner == world.alice and not new_cart.items.exists()


def test_colleagues_with_the_ordered_cart_active_move_to_their_latest_open_cart(world):
    bobs_cart = CartFactory(owner=world.bob, name="Bob's cart")
    cart_activate(cart=world.trade_fair, actor=world.bob)
    older_open = world.office_supplies
    cart_activate(cart=world.trade_fair, actor=world.alice)
    cart_checkout(cart=world.trade_fair, actor=world.bob)
    world.alice.refresh_from_db()
    world.bob.refresh_from_db()
    assert world.bob.active_cart == bobs_cart
    assert world.alice.active_cart == older_open
    assert not world.alice.carts.filter(name="My cart").exists()


def test_a_placer_with_another_active_cart_keeps_it_and_gets_no_new_cart(world):
    shared_with_bob = world.office_supplies
    world.share(shared_with_bob, world.bob, SharePermission.FULL_ACCESS)
    cart_activate(cart=shared_with_bob, actor=world.bob)
    cart_checkout(cart=world.trade_fair, actor=world.bob)
    world.bob.refresh_from_db()
    assert world.bob.active_cart == shared_with_bob
    assert list(world.bob.carts.values_list("name", flat=True)) == ["My cart"]  # no new cart
