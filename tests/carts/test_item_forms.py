"""Quantity, remove and clear on the cart page: who may, bad input, stale versions."""

import pytest
from django.urls import reverse

from cartshare.carts.models import CartStatus
from tests.carts.helpers import messages_of, snapshot
from tests.factories import CartItemFactory

pytestmark = pytest.mark.django_db

STALE = "This cart was changed by someone else since you loaded it."
QUANTITY_MESSAGE = "Quantity must be a whole number from 1 to 9,999."


def update_url(cart, item):
    return reverse("storefront:cart_item_update", args=[cart.pk, item.pk])


def remove_url(cart, item):
    return reverse("storefront:cart_item_remove", args=[cart.pk, item.pk])


def clear_url(cart):
    return reverse("storefront:cart_clear", args=[cart.pk])


def stapler_item(world):
    return world.trade_fair.items.get(product=world.stapler)


# --- quantity ---------------------------------------------------------------------------
@pytest.mark.parametrize("who", ["alice", "bob"])
def test_owner_and_full_access_colleague_change_a_quantity(world, who):
    item = stapler_item(world)
    response = world.logged_in_client(world.user(who)).post(
        update_url(world.trade_fair, item), {"quantity": "7", "version": world.trade_fair.version}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("storefront:cart_detail", args=[world.trade_fair.pk])
    assert messages_of(response) == ["Stapler: quantity is now 7."]
    item.refresh_from_db()
    assert item.quantity == 7
    world.trade_fair.refresh_from_db()
    assert world.trade_fair.version == 2


def test_read_only_colleague_cannot_change_a_quantity(world):
    before = snapshot(world.trade_fair)
    response = world.logged_in_client(world.frank).post(
        update_url(world.trade_fair, stapler_item(world)), {"quantity": "7", "version": 1}
    )
    assert response.status_code == 403
    assert "Your access is read-only" in response.content.decode()
    assert snapshot(world.trade_fair) == before


def test_stranger_gets_404_and_nothing_changes(world):
    before = snapshot(world.trade_fair)
    response = world.logged_in_client(world.erin).post(
        update_url(world.trade_fair, stapler_item(world)), {"quantity": "7", "version": 1}
    )
    assert response.status_code == 404
    assert "Trade fair" not in response.content.decode()
    assert snapshot(world.trade_fair) == before


def test_anonymous_visitor_is_sent_to_log_in_and_nothing_changes(world, client):
    before = snapshot(world.trade_fair)
    response = client.post(update_url(world.trade_fair, stapler_item(world)), {"quantity": "7"})
    assert response.status_code == 302
    assert response["Location"].startswith("/login/?next=")
    assert snapshot(world.trade_fair) == before


@pytest.mark.parametrize("quantity", ["0", "-1", "10000", "abc", "", "2.5"])
def test_bad_quantities_are_refused_with_a_message(world, quantity):
    before = snapshot(world.trade_fair)
    client = world.logged_in_client(world.alice)
    response = client.post(
        update_url(world.trade_fair, stapler_item(world)), {"quantity": quantity, "version": 1}
    )
    assert response.status_code == 302
    assert messages_of(response) == [QUANTITY_MESSAGE]
    assert snapshot(world.trade_fair) == before
    page = client.get(response["Location"])
    assert QUANTITY_MESSAGE in page.content.decode()


def test_stale_version_is_refused_and_nothing_changes(world):
    item = stapler_item(world)
    client = world.logged_in_client(world.alice)
    client.post(
        update_url(world.trade_fair, item), {"quantity": "5", "version": 1}
    )  # now version 2
    client.get(reverse("storefront:cart_list"))  # shows (and consumes) the success message
    before = snapshot(world.trade_fair)
    response = client.post(update_url(world.trade_fair, item), {"quantity": "9", "version": 1})
    assert response.status_code == 409  # the same line changed since version 1
    assert "changed the quantity of Stapler to 5." in response.content.decode()
    assert snapshot(world.trade_fair) == before
    assert before[4] == (("PAPER-A4", 10), ("STAPLER-1", 5))


def test_a_malformed_version_is_refused(world):
    before = snapshot(world.trade_fair)
    response = world.logged_in_client(world.alice).post(
        update_url(world.trade_fair, stapler_item(world)), {"quantity": "5", "version": "abc"}
    )
    assert messages_of(response) == ["This form is out of date. Reload the page and try again."]
    assert snapshot(world.trade_fair) == before


def test_an_item_of_another_cart_answers_404(world):
    foreign_item = CartItemFactory(cart=world.office_supplies, product=world.lamp)
    before = snapshot(world.trade_fair)
    response = world.logged_in_client(world.alice).post(
        update_url(world.trade_fair, foreign_item), {"quantity": "3", "version": 1}
    )
    assert response.status_code == 404
    foreign_item.refresh_from_db()
    assert foreign_item.quantity == 1
    assert snapshot(world.trade_fair) == before


def test_an_ordered_cart_refuses_changes_with_a_message(world):
    world.trade_fair.status = CartStatus.ORDERED
    world.trade_fair.save()
    before = snapshot(world.trade_fair)
    response = world.logged_in_client(world.alice).post(
        update_url(world.trade_fair, stapler_item(world)), {"quantity": "3", "version": 1}
    )
    assert response.status_code == 302
    assert messages_of(response) == ["This cart has been ordered and can no longer be changed."]
    assert snapshot(world.trade_fair) == before


# --- remove -----------------------------------------------------------------------------
@pytest.mark.parametrize("who", ["alice", "bob"])
def test_owner_and_full_access_colleague_remove_an_item(world, who):
    response = world.logged_in_client(world.user(who)).post(
        remove_url(world.trade_fair, stapler_item(world)), {"version": 1}
    )
    assert response.status_code == 302
    assert messages_of(response) == ["Removed Stapler from “Trade fair”."]
    assert list(world.trade_fair.items.values_list("product__sku", flat=True)) == ["PAPER-A4"]


def test_read_only_colleague_cannot_remove_an_item(world):
    before = snapshot(world.trade_fair)
    response = world.logged_in_client(world.frank).post(
        remove_url(world.trade_fair, stapler_item(world))
    )
    assert response.status_code == 403
    assert snapshot(world.trade_fair) == before


def test_removing_with_a_stale_version_changes_nothing_when_the_line_changed(world):
    from cartshare.carts.services import cart_item_update

    stale = world.trade_fair.version
    cart_item_update(
        cart=world.trade_fair, actor=world.bob, item_id=stapler_item(world).pk, quantity=4
    )
    before = snapshot(world.trade_fair)
    response = world.logged_in_client(world.alice).post(
        remove_url(world.trade_fair, stapler_item(world)), {"version": stale}
    )
    assert response.status_code == 409
    assert "Bob Brandt changed the quantity of Stapler to 4." in response.content.decode()
    assert snapshot(world.trade_fair) == before


def test_a_version_the_cart_never_had_is_refused(world):
    before = snapshot(world.trade_fair)
    response = world.logged_in_client(world.alice).post(
        remove_url(world.trade_fair, stapler_item(world)), {"version": world.trade_fair.version + 1}
    )
    assert messages_of(response)[0].startswith(STALE)
    assert snapshot(world.trade_fair) == before


def test_stranger_cannot_remove_an_item(world):
    before = snapshot(world.trade_fair)
    response = world.logged_in_client(world.erin).post(
        remove_url(world.trade_fair, stapler_item(world))
    )
    assert response.status_code == 404
    assert snapshot(world.trade_fair) == before


# --- clear ------------------------------------------------------------------------------
@pytest.mark.parametrize("who", ["alice", "bob"])
def test_owner_and_full_access_colleague_clear_the_cart(world, who):
    response = world.logged_in_client(world.user(who)).post(
        clear_url(world.trade_fair), {"version": 1}
    )
    assert messages_of(response) == ["“Trade fair” is empty now."]
    assert world.trade_fair.items.count() == 0


@pytest.mark.parametrize(("who", "status"), [("frank", 403), ("erin", 404)])
def test_others_cannot_clear_the_cart(world, who, status):
    before = snapshot(world.trade_fair)
    response = world.logged_in_client(world.user(who)).post(
        clear_url(world.trade_fair), {"version": 1}
    )
    assert response.status_code == status
    assert snapshot(world.trade_fair) == before


def test_clearing_with_a_stale_version_changes_nothing(world):
    world.trade_fair.version = 3
    world.trade_fair.save()
    before = snapshot(world.trade_fair)
    response = world.logged_in_client(world.alice).post(clear_url(world.trade_fair), {"version": 2})
    assert messages_of(response)[0].startswith(STALE)
    assert snapshot(world.trade_fair) == before


# --- method and CSRF --------------------------------------------------------------------
def test_forms_refuse_posts_without_a_csrf_token(world, client):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(world.alice)
    before = snapshot(world.trade_fair)
    response = strict.post(clear_url(world.trade_fair), {"version": 1})
    assert response.status_code == 403
    assert snapshot(world.trade_fair) == before
