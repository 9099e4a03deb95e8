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


def pens_item(world):
    return world.cart.items.get(product=world.pens)


# --- quantity ---------------------------------------------------------------------------
@pytest.mark.parametrize("who", ["owner", "editor"])
def test_owner_and_full_access_colleague_change_a_quantity(world, as_user, who):
    item = pens_item(world)
    response = as_user(getattr(world, who)).post(
        update_url(world.cart, item), {"quantity": "7", "version": world.cart.version}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("storefront:cart_detail", args=[world.cart.pk])
    assert messages_of(response) == ["Blue pens: quantity is now 7."]
    item.refresh_from_db()
    assert item.quantity == 7
    world.cart.refresh_from_db()
    assert world.cart.version == 2


def test_read_only_colleague_cannot_change_a_quantity(world, as_user):
    before = snapshot(world.cart)
    response = as_user(world.reader).post(
        update_url(world.cart, pens_item(world)), {"quantity": "7", "version": 1}
    )
    assert response.status_code == 403
    assert "Your access is read-only" in response.content.decode()
    assert snapshot(world.cart) == before


def test_stranger_gets_404_and_nothing_changes(world, as_user):
    before = snapshot(world.cart)
    response = as_user(world.stranger).post(
        update_url(world.cart, pens_item(world)), {"quantity": "7", "version": 1}
    )
    assert response.status_code == 404
    assert "Office supplies" not in response.content.decode()
    assert snapshot(world.cart) == before


def test_anonymous_visitor_is_sent_to_log_in_and_nothing_changes(world, client):
    before = snapshot(world.cart)
    response = client.post(update_url(world.cart, pens_item(world)), {"quantity": "7"})
    assert response.status_code == 302
    assert response["Location"].startswith("/login/?next=")
    assert snapshot(world.cart) == before


@pytest.mark.parametrize("quantity", ["0", "-1", "10000", "abc", "", "2.5"])
def test_bad_quantities_are_refused_with_a_message(world, as_user, quantity):
    before = snapshot(world.cart)
    client = as_user(world.owner)
    response = client.post(
        update_url(world.cart, pens_item(world)), {"quantity": quantity, "version": 1}
    )
    assert response.status_code == 302
    assert messages_of(response) == [QUANTITY_MESSAGE]
    assert snapshot(world.cart) == before
    page = client.get(response["Location"])
    assert QUANTITY_MESSAGE in page.content.decode()


def test_stale_version_is_refused_and_nothing_changes(world, as_user):
    item = pens_item(world)
    client = as_user(world.owner)
    client.post(update_url(world.cart, item), {"quantity": "5", "version": 1})  # now version 2
    client.get(reverse("storefront:cart_list"))  # shows (and consumes) the success message
    before = snapshot(world.cart)
    response = client.post(update_url(world.cart, item), {"quantity": "9", "version": 1})
    assert response.status_code == 302
    assert messages_of(response)[0].startswith(STALE)
    assert snapshot(world.cart) == before
    assert before[4] == (("PAPER-A4", 2), ("PEN-BLUE", 5))


def test_a_malformed_version_is_refused(world, as_user):
    before = snapshot(world.cart)
    response = as_user(world.owner).post(
        update_url(world.cart, pens_item(world)), {"quantity": "5", "version": "abc"}
    )
    assert messages_of(response) == ["This form is out of date. Reload the page and try again."]
    assert snapshot(world.cart) == before


def test_an_item_of_another_cart_answers_404(world, as_user):
    foreign_item = CartItemFactory(cart=world.other_cart, product=world.stapler)
    before = snapshot(world.cart)
    response = as_user(world.owner).post(
        update_url(world.cart, foreign_item), {"quantity": "3", "version": 1}
    )
    assert response.status_code == 404
    foreign_item.refresh_from_db()
    assert foreign_item.quantity == 1
    assert snapshot(world.cart) == before


def test_an_ordered_cart_refuses_changes_with_a_message(world, as_user):
    world.cart.status = CartStatus.ORDERED
    world.cart.save()
    before = snapshot(world.cart)
    response = as_user(world.owner).post(
        update_url(world.cart, pens_item(world)), {"quantity": "3", "version": 1}
    )
    assert response.status_code == 302
    assert messages_of(response) == ["This cart has been ordered and can no longer be changed."]
    assert snapshot(world.cart) == before


# --- remove -----------------------------------------------------------------------------
@pytest.mark.parametrize("who", ["owner", "editor"])
def test_owner_and_full_access_colleague_remove_an_item(world, as_user, who):
    response = as_user(getattr(world, who)).post(
        remove_url(world.cart, pens_item(world)), {"version": 1}
    )
    assert response.status_code == 302
    assert messages_of(response) == ["Removed Blue pens from “Office supplies”."]
    assert list(world.cart.items.values_list("product__sku", flat=True)) == ["PAPER-A4"]


def test_read_only_colleague_cannot_remove_an_item(world, as_user):
    before = snapshot(world.cart)
    response = as_user(world.reader).post(remove_url(world.cart, pens_item(world)))
    assert response.status_code == 403
    assert snapshot(world.cart) == before


def test_removing_with_a_stale_version_changes_nothing(world, as_user):
    world.cart.version = 5
    world.cart.save()
    before = snapshot(world.cart)
    response = as_user(world.owner).post(remove_url(world.cart, pens_item(world)), {"version": 4})
    assert messages_of(response)[0].startswith(STALE)
    assert snapshot(world.cart) == before


def test_stranger_cannot_remove_an_item(world, as_user):
    before = snapshot(world.cart)
    response = as_user(world.stranger).post(remove_url(world.cart, pens_item(world)))
    assert response.status_code == 404
    assert snapshot(world.cart) == before


# --- clear ------------------------------------------------------------------------------
@pytest.mark.parametrize("who", ["owner", "editor"])
def test_owner_and_full_access_colleague_clear_the_cart(world, as_user, who):
    response = as_user(getattr(world, who)).post(clear_url(world.cart), {"version": 1})
    assert messages_of(response) == ["“Office supplies” is empty now."]
    assert world.cart.items.count() == 0


@pytest.mark.parametrize(("who", "status"), [("reader", 403), ("stranger", 404)])
def test_others_cannot_clear_the_cart(world, as_user, who, status):
    before = snapshot(world.cart)
    response = as_user(getattr(world, who)).post(clear_url(world.cart), {"version": 1})
    assert response.status_code == status
    assert snapshot(world.cart) == before


def test_clearing_with_a_stale_version_changes_nothing(world, as_user):
    world.cart.version = 3
    world.cart.save()
    before = snapshot(world.cart)
    response = as_user(world.owner).post(clear_url(world.cart), {"version": 2})
    assert messages_of(response)[0].startswith(STALE)
    assert snapshot(world.cart) == before


# --- method and CSRF --------------------------------------------------------------------
def test_forms_refuse_posts_without_a_csrf_token(world, client):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(world.owner)
    before = snapshot(world.cart)
    response = strict.post(clear_url(world.cart), {"version": 1})
    assert response.status_code == 403
    assert snapshot(world.cart) == before
