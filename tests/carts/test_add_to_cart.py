""" "Add to cart" from the product list and page: it goes to my active cart, or tells me why not."""

import pytest
from django.urls import reverse

from cartshare.carts.models import CartStatus
from tests.carts.helpers import messages_of, snapshot

pytestmark = pytest.mark.django_db

URL = reverse("storefront:cart_add")
QUANTITY_MESSAGE = "Quantity must be a whole number from 1 to 9,999."


def test_owner_adds_a_product_to_her_active_cart_and_goes_back(world):
    response = world.logged_in_client(world.alice).post(
        URL, {"sku": "LAMP-1", "quantity": "3", "next": "/products/LAMP-1/"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/products/LAMP-1/"
    assert messages_of(response) == [
        "Added 3 \N{MULTIPLICATION SIGN} Desk lamp to “Trade fair” (now 3 in the cart)."
    ]
    assert world.trade_fair.items.get(product=world.lamp).quantity == 3


def test_adding_a_product_already_in_the_cart_raises_its_quantity(world):
    response = world.logged_in_client(world.alice).post(URL, {"sku": "STAPLER-1", "quantity": "2"})
    assert messages_of(response) == [
        "Added 2 \N{MULTIPLICATION SIGN} Stapler to “Trade fair” (now 4 in the cart)."
    ]
    assert world.trade_fair.items.get(product=world.stapler).quantity == 4


def test_without_next_it_goes_back_to_the_referring_page_of_this_site(world):
    response = world.logged_in_client(world.alice).post(
        URL, {"sku": "LAMP-1", "quantity": "1"}, headers={"referer": "http://testserver/?page=2"}
    )
    assert response["Location"] == "/?page=2"


@pytest.mark.parametrize("next_url", ["https://evil.example/", "//evil.example/x"])
def test_an_unsafe_next_is_ignored(world, next_url):
    response = world.logged_in_client(world.alice).post(
        URL, {"sku": "LAMP-1", "quantity": "1", "next": next_url}
    )
    assert response["Location"] == "/"


def test_a_full_access_colleague_adds_to_the_shared_cart_she_made_active(world):
    client = world.logged_in_client(world.bob)
    client.post(reverse("storefront:cart_activate", args=[world.trade_fair.pk]))
    response = client.post(URL, {"sku": "LAMP-1", "quantity": "1"})
    assert "to “Trade fair”" in messages_of(response)[-1]
    assert world.trade_fair.items.get(product=world.lamp).quantity == 1


def test_a_read_only_cart_picked_to_fill_is_refused_with_the_reason_and_nothing_is_added(world):
    client = world.logged_in_client(world.frank)
    active = world.frank.active_cart_id
    before = snapshot(world.trade_fair)
    response = client.post(
        URL, {"sku": "LAMP-1", "quantity": "1", "cart": str(world.trade_fair.pk), "next": "/"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert messages_of(response)[-1] == (
        "Nothing was added. Your access to “Trade fair” is read-only, so “Add to cart” cannot "
        "fill it: it cannot be your active cart. Ask its owner for full access."
    )
    assert snapshot(world.trade_fair) == before
    world.frank.refresh_from_db()
    assert world.frank.active_cart_id == active


def test_an_ordered_active_cart_is_never_filled_the_next_fillable_cart_is_and_says_so(world):
    world.trade_fair.status = CartStatus.ORDERED
    world.trade_fair.save()
    before = snapshot(world.trade_fair)
    response = world.logged_in_client(world.alice).post(URL, {"sku": "LAMP-1", "quantity": "1"})
    assert messages_of(response) == [
        "Added 1 \N{MULTIPLICATION SIGN} Desk lamp to “Office supplies” (now 1 in the cart)."
    ]
    assert snapshot(world.trade_fair) == before
    assert [item.product.sku for item in world.office_supplies.items.all()] == [
        "PEN-001",
        "DESK-9",
        "LAMP-1",
    ]


@pytest.mark.parametrize("quantity", ["0", "-1", "10000", "abc", ""])
def test_bad_quantities_add_nothing(world, quantity):
    before = snapshot(world.trade_fair)
    response = world.logged_in_client(world.alice).post(
        URL, {"sku": "LAMP-1", "quantity": quantity, "next": "/products/LAMP-1/"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/products/LAMP-1/"
    assert messages_of(response) == [f"Nothing was added to “Trade fair”. {QUANTITY_MESSAGE}"]
    assert snapshot(world.trade_fair) == before


@pytest.mark.parametrize(
    ("sku", "message"),
    [("NO-SUCH-SKU", "There is no product with SKU “NO-SUCH-SKU”."), ("", "Choose a product.")],
)
def test_unknown_sku_adds_nothing(world, sku, message):
    before = snapshot(world.trade_fair)
    response = world.logged_in_client(world.alice).post(URL, {"sku": sku, "quantity": "1"})
    assert messages_of(response) == [f"Nothing was added to “Trade fair”. {message}"]
    assert snapshot(world.trade_fair) == before


def test_an_inactive_product_cannot_be_added(world):
    world.lamp.is_active = False
    world.lamp.save()
    before = snapshot(world.trade_fair)
    world.logged_in_client(world.alice).post(URL, {"sku": "LAMP-1", "quantity": "1"})
    assert snapshot(world.trade_fair) == before


def test_anonymous_visitor_is_asked_to_log_in_then_comes_back_to_the_product(world, client):
    before = snapshot(world.trade_fair)
    response = client.post(URL, {"sku": "LAMP-1", "quantity": "1", "next": "/products/LAMP-1/"})
    assert response.status_code == 302
    assert response["Location"] == "/login/?next=/products/LAMP-1/"
    assert snapshot(world.trade_fair) == before


def test_anonymous_visitor_comes_back_to_the_referring_page_made_relative(world, client):
    response = client.post(
        URL, {"sku": "LAMP-1"}, headers={"referer": "http://testserver/?q=pen&page=2"}
    )
    assert response["Location"] == "/login/?next=/%3Fq%3Dpen%26page%3D2"


def test_anonymous_visitor_with_a_foreign_next_goes_to_login_without_it(world, client):
    response = client.post(URL, {"sku": "LAMP-1", "next": "https://evil.example/"})
    assert response["Location"] == "/login/?next=/"


def test_get_answers_405(world):
    assert world.logged_in_client(world.alice).get(URL).status_code == 405
