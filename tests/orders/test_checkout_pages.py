"""Checkout, order confirmation and order history pages over HTTP, for every kind of caller."""

import pytest
from django.urls import reverse

from cartshare.carts.models import CartStatus
from cartshare.carts.services import cart_item_update, cart_update
from cartshare.orders.models import Order
from cartshare.orders.services import cart_checkout
from tests.world import CALLERS

pytestmark = pytest.mark.django_db

CAN_ORDER = {"owner", "full_access"}
READ_ONLY_MESSAGE = "Your access is read-only: you can view this cart and comment on it"


def url(name, cart, *extra):
    return reverse(f"storefront:{name}", args=[cart.pk, *extra])


def place(client, cart, version, **extra):
    data = {"version": str(version), "purchase_order_number": "", **extra}
    return client.post(url("cart_checkout_place", cart), data)


def assert_nothing_changed(world, version):
    world.trade_fair.refresh_from_db()
    assert (world.trade_fair.status, world.trade_fair.version) == (CartStatus.OPEN, version)
    assert not Order.objects.exists()


@pytest.mark.parametrize("caller", CALLERS)
def test_the_checkout_page_for_every_caller(world, caller):
    response = world.logged_in_client(world.caller(caller)).get(
        url("cart_checkout", world.trade_fair)
    )
    if caller == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("storefront:login") + "?next=")
    elif caller in CAN_ORDER:
        assert response.status_code == 200
        page = response.content.decode()
        assert "Stapler" in page and "€74.90" in page
        assert '<label for="purchase-order-number">Purchase-order number (optional)</label>' in page
        assert f'name="version" value="{world.trade_fair.version}"' in page
    elif caller == "read_only":
        assert response.status_code == 403
        assert READ_ONLY_MESSAGE in response.content.decode()
    else:
        assert response.status_code == 404
        assert b"Stapler" not in response.content


@pytest.mark.parametrize("caller", CALLERS)
def test_the_confirmation_step_for_every_caller(world, caller):
    version = world.trade_fair.version
    response = world.logged_in_client(world.caller(caller)).post(
        url("cart_checkout_confirm", world.trade_fair),
        {"version": str(version), "purchase_order_number": "PO-2026-17"},
    )
    if caller in CAN_ORDER:
        assert response.status_code == 200
        page = response.content.decode()
        assert "Place order" in page and "PO-2026-17" in page and "€74.90" in page
        assert url("cart_checkout_place", world.trade_fair) in page
    else:
        assert response.status_code == {"anonymous": 302, "read_only": 403}.get(caller, 404)
    assert_nothing_changed(world, version)


@pytest.mark.parametrize("caller", CALLERS)
def test_placing_the_order_for_every_caller(world, caller):
    version = world.trade_fair.version
    response = place(
        world.logged_in_client(world.caller(caller)),
        world.trade_fair,
        version,
        purchase_order_number="PO-9",
    )
    if caller in CAN_ORDER:
        order = Order.objects.get()
        assert response.status_code == 302
        assert response["Location"] == reverse("storefront:order_detail", args=[order.reference])
        assert order.placed_by == world.caller(caller) and order.purchase_order_number == "PO-9"
        world.trade_fair.refresh_from_db()
        assert world.trade_fair.status == CartStatus.ORDERED
        return
    if caller == "anonymous":
        assert response.status_code == 302
    elif caller == "read_only":
        assert response.status_code == 403
        assert READ_ONLY_MESSAGE in response.content.decode()
    else:
        assert response.status_code == 404
    assert_nothing_changed(world, version)


def test_the_whole_checkout_as_a_person_does_it(world):
    client = world.logged_in_client(world.bob)
    review = client.get(url("cart_checkout", world.trade_fair)).content.decode()
    assert "Continue to confirmation" in review
    confirm = client.post(
        url("cart_checkout_confirm", world.trade_fair),
        {"version": world.trade_fair.version, "purchase_order_number": "PO-1"},
    )
    assert b"Place order" in confirm.content
    response = place(
        client, world.trade_fair, world.trade_fair.version, purchase_order_number="PO-1"
    )
    order_page = client.get(response["Location"])
    page = order_page.content.decode()
    assert order_page.status_code == 200
    order = Order.objects.get()
    assert f"Thank you! Your order {order.reference} has been placed." in page
    assert "Stapler" in page and "€74.90" in page and "PO-1" in page


def test_an_empty_cart_is_refused_with_a_message(world):
    world.trade_fair.items.all().delete()
    client = world.logged_in_client(world.alice)
    response = client.get(url("cart_checkout", world.trade_fair))
    assert response.status_code == 409
    assert b"This cart is empty. Add products to it before you check out." in response.content
    response = place(client, world.trade_fair, world.trade_fair.version)
    assert response.status_code == 409
    assert_nothing_changed(world, world.trade_fair.version)


def test_an_ordered_cart_is_refused_and_the_page_links_to_the_order(world):
    order = cart_checkout(cart=world.trade_fair, actor=world.bob)
    world.trade_fair.refresh_from_db()
    for caller in ("owner", "full_access"):
        response = world.logged_in_client(world.caller(caller)).get(
            url("cart_checkout", world.trade_fair)
        )
        assert response.status_code == 409
        page = response.content.decode()
        assert "This cart has already been ordered" in page
        assert reverse("storefront:order_detail", args=[order.reference]) in page
    response = place(
        world.logged_in_client(world.alice), world.trade_fair, world.trade_fair.version
    )
    assert response.status_code == 409
    assert Order.objects.count() == 1


def test_a_stale_cart_is_refused_and_the_page_shows_what_changed(world):
    alice = world.logged_in_client(world.alice)
    review = alice.get(url("cart_checkout", world.trade_fair)).context
    stapler = world.trade_fair.items.get(product=world.stapler)
    cart_item_update(cart=world.trade_fair, actor=world.bob, item_id=stapler.pk, quantity=5)
    cart_update(cart=world.trade_fair, actor=world.bob, note="Booth 12")
    world.trade_fair.refresh_from_db()
    response = place(
        alice,
        world.trade_fair,
        review["cart"].version,
        seen=review["seen"],
        loaded_at=review["loaded_at"],
    )
    assert response.status_code == 412
    page = response.content.decode()
    assert "This cart changed while you were checking out" in page
    assert "Stapler: quantity 2 → 5" in page
    assert "<strong>Bob Brandt</strong> changed Stapler from 2 to 5" in page
    assert "<strong>Bob Brandt</strong> changed the note" in page
    assert f'name="version" value="{world.trade_fair.version}"' in page  # ready to confirm again
    assert_nothing_changed(world, world.trade_fair.version)


def test_a_stale_cart_is_also_caught_at_the_confirmation_step(world):
    old_version = world.trade_fair.version
    paper = world.trade_fair.items.get(product=world.paper)
    cart_item_update(cart=world.trade_fair, actor=world.bob, item_id=paper.pk, quantity=3)
    response = world.logged_in_client(world.alice).post(
        url("cart_checkout_confirm", world.trade_fair), {"version": str(old_version)}
    )
    assert response.status_code == 412
    assert b"Place order" not in response.content
    assert_nothing_changed(world, world.trade_fair.version)


@pytest.mark.parametrize("version", ["", "abc", "-1"])
def test_a_form_without_a_version_is_refused_with_a_message(world, version):
    response = world.logged_in_client(world.alice).post(
        url("cart_checkout_place", world.trade_fair), {"version": version}
    )
    assert response.status_code == 422
    assert b"The checkout form was incomplete" in response.content
    assert_nothing_changed(world, world.trade_fair.version)


def test_a_long_purchase_order_number_is_refused_with_a_message(world):
    response = world.logged_in_client(world.alice).post(
        url("cart_checkout_confirm", world.trade_fair),
        {"version": str(world.trade_fair.version), "purchase_order_number": "P" * 51},
    )
    assert response.status_code == 422
    assert b"A purchase-order number can have at most 50 characters." in response.content
    assert_nothing_changed(world, world.trade_fair.version)


def test_checkout_pages_answer_get_and_post_only_where_they_should(world):
    client = world.logged_in_client(world.alice)
    assert client.get(url("cart_checkout_place", world.trade_fair)).status_code == 405
    assert client.get(url("cart_checkout_confirm", world.trade_fair)).status_code == 405
    assert_nothing_changed(world, world.trade_fair.version)


@pytest.mark.parametrize("caller", CALLERS)
def test_the_order_page_for_every_caller(world, caller):
    order = cart_checkout(cart=world.trade_fair, actor=world.bob, purchase_order_number="PO-3")
    response = world.logged_in_client(world.caller(caller)).get(
        reverse("storefront:order_detail", args=[order.reference])
    )
    if caller in {"owner", "full_access"}:  # the cart's owner and the person who placed it
        assert response.status_code == 200
        page = response.content.decode()
        assert order.reference in page and "PO-3" in page and "Bob Brandt" in page
    elif caller == "anonymous":
        assert response.status_code == 302
    else:
        assert response.status_code == 404
        assert b"PO-3" not in response.content


def test_an_unknown_order_reference_is_a_404_page(world):
    response = world.logged_in_client(world.alice).get(
        reverse("storefront:order_detail", args=["CS-2026-999999"])
    )
    assert response.status_code == 404
    assert b"This order does not exist" in response.content


def test_the_order_history_lists_orders_i_placed_and_orders_from_my_carts(world):
    order = cart_checkout(cart=world.trade_fair, actor=world.bob)
    for caller, expected in [("owner", True), ("full_access", True), ("read_only", False)]:
        response = world.logged_in_client(world.caller(caller)).get(
            reverse("storefront:order_list")
        )
        assert response.status_code == 200
        assert (order.reference in response.content.decode()) is expected
    empty = (
        world.logged_in_client(world.erin).get(reverse("storefront:order_list")).content.decode()
    )
    assert "No orders yet" in empty
    assert world.logged_in_client(None).get(reverse("storefront:order_list")).status_code == 302


def test_the_order_history_query_count_does_not_grow_with_orders(
    world, django_assert_max_num_queries
):
    from tests.factories import CartFactory, CartItemFactory

    client = world.logged_in_client(world.alice)
    cart_checkout(cart=world.trade_fair, actor=world.alice)
    client.get(reverse("storefront:order_list"))
    with django_assert_max_num_queries(30) as one:
        client.get(reverse("storefront:order_list"))
    for index in range(5):
        cart = CartFactory(owner=world.alice, name=f"Extra {index}")
        CartItemFactory(cart=cart, product=world.stapler, quantity=index + 1)
        cart_checkout(cart=cart, actor=world.alice)
    with django_assert_max_num_queries(len(one.captured_queries)):
        client.get(reverse("storefront:order_list"))


def test_the_order_page_links_the_cart_only_while_the_viewer_can_see_it(world):
    from cartshare.sharing.models import CartShare

    order = cart_checkout(cart=world.trade_fair, actor=world.bob)
    order_url = reverse("storefront:order_detail", args=[order.reference])
    cart_url = reverse("storefront:cart_detail", args=[world.trade_fair.pk])
    assert cart_url in world.logged_in_client(world.bob).get(order_url).content.decode()
    CartShare.objects.filter(company_user__customer=world.bob).delete()
    page = world.logged_in_client(world.bob).get(order_url).content.decode()
    assert cart_url not in page and "Trade fair" in page
