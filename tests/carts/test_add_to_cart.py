""" "Add to cart" from the product list and page: it goes to my active cart, or tells me why not."""

import pytest
from django.urls import reverse

from cartshare.carts.models import CartStatus
from tests.carts.helpers import messages_of, snapshot

pytestmark = pytest.mark.django_db

URL = reverse("storefront:cart_add")
QUANTITY_MESSAGE = "Quantity must be a whole number from 1 to 9,999."


def test_owner_adds_a_product_to_her_active_cart_and_goes_back(world, as_user):
    response = as_user(world.owner).post(
        URL, {"sku": "STAPLER", "quantity": "3", "next": "/products/STAPLER/"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/products/STAPLER/"
    assert messages_of(response) == [
        "Added 3 \N{MULTIPLICATION SIGN} Stapler to “Office supplies” (now 3 in the cart)."
    ]
    assert world.cart.items.get(product=world.stapler).quantity == 3


def test_adding_a_product_already_in_the_cart_raises_its_quantity(world, as_user):
    response = as_user(world.owner).post(URL, {"sku": "PEN-BLUE", "quantity": "2"})
    assert messages_of(response) == [
        "Added 2 \N{MULTIPLICATION SIGN} Blue pens to “Office supplies” (now 6 in the cart)."
    ]
    assert world.cart.items.get(product=world.pens).quantity == 6


def test_without_next_it_goes_back_to_the_referring_page_of_this_site(world, as_user):
    response = as_user(world.owner).post(
        URL, {"sku": "STAPLER", "quantity": "1"}, headers={"referer": "http://testserver/?page=2"}
    )
    assert response["Location"] == "/?page=2"


@pytest.mark.parametrize("next_url", ["https://evil.example/", "//evil.example/x"])
def test_an_unsafe_next_is_ignored(world, as_user, next_url):
    response = as_user(world.owner).post(URL, {"sku": "STAPLER", "quantity": "1", "next": next_url})
    assert response["Location"] == "/"


def test_a_full_access_colleague_adds_to_the_shared_cart_she_made_active(world, as_user):
    client = as_user(world.editor)
    client.post(reverse("storefront:cart_activate", args=[world.cart.pk]))
    response = client.post(URL, {"sku": "STAPLER", "quantity": "1"})
    assert "to “Office supplies”" in messages_of(response)[-1]
    assert world.cart.items.get(product=world.stapler).quantity == 1


def test_read_only_active_cart_is_refused_with_a_message_and_nothing_is_added(world, as_user):
    client = as_user(world.reader)
    client.post(reverse("storefront:cart_activate", args=[world.cart.pk]))
    before = snapshot(world.cart)
    response = client.post(URL, {"sku": "STAPLER", "quantity": "1", "next": "/"})
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert messages_of(response)[-1] == (
        "Nothing was added to “Office supplies”. Your access is read-only: you can view this "
        "cart and comment on it, but not change it. Choose another active cart under “My carts”."
    )
    assert snapshot(world.cart) == before


def test_an_ordered_active_cart_is_never_filled_the_next_fillable_cart_is_and_says_so(
    world, as_user
):
    world.cart.status = CartStatus.ORDERED
    world.cart.save()
    before = snapshot(world.cart)
    response = as_user(world.owner).post(URL, {"sku": "STAPLER", "quantity": "1"})
    assert messages_of(response) == [
        "Added 1 \N{MULTIPLICATION SIGN} Stapler to “Trade fair” (now 1 in the cart)."
    ]
    assert snapshot(world.cart) == before
    assert [item.product.sku for item in world.other_cart.items.all()] == ["STAPLER"]


@pytest.mark.parametrize("quantity", ["0", "-1", "10000", "abc", ""])
def test_bad_quantities_add_nothing(world, as_user, quantity):
    before = snapshot(world.cart)
    response = as_user(world.owner).post(
        URL, {"sku": "STAPLER", "quantity": quantity, "next": "/products/STAPLER/"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/products/STAPLER/"
    assert messages_of(response) == [f"Nothing was added to “Office supplies”. {QUANTITY_MESSAGE}"]
    assert snapshot(world.cart) == before


@pytest.mark.parametrize(
    ("sku", "message"),
    [("NO-SUCH-SKU", "There is no product with SKU “NO-SUCH-SKU”."), ("", "Choose a product.")],
)
def test_unknown_sku_adds_nothing(world, as_user, sku, message):
    before = snapshot(world.cart)
    response = as_user(world.owner).post(URL, {"sku": sku, "quantity": "1"})
    assert messages_of(response) == [f"Nothing was added to “Office supplies”. {message}"]
    assert snapshot(world.cart) == before


def test_an_inactive_product_cannot_be_added(world, as_user):
    world.stapler.is_active = False
    world.stapler.save()
    before = snapshot(world.cart)
    as_user(world.owner).post(URL, {"sku": "STAPLER", "quantity": "1"})
    assert snapshot(world.cart) == before


def test_anonymous_visitor_is_asked_to_log_in_then_comes_back_to_the_product(world, client):
    before = snapshot(world.cart)
    response = client.post(URL, {"sku": "STAPLER", "quantity": "1", "next": "/products/STAPLER/"})
    assert response.status_code == 302
    assert response["Location"] == "/login/?next=/products/STAPLER/"
    assert snapshot(world.cart) == before


def test_anonymous_visitor_comes_back_to_the_referring_page_made_relative(world, client):
    response = client.post(
        URL, {"sku": "STAPLER"}, headers={"referer": "http://testserver/?q=pen&page=2"}
    )
    assert response["Location"] == "/login/?next=/%3Fq%3Dpen%26page%3D2"


def test_anonymous_visitor_with_a_foreign_next_goes_to_login_without_it(world, client):
    response = client.post(URL, {"sku": "STAPLER", "next": "https://evil.example/"})
    assert response["Location"] == "/login/?next=/"


def test_get_answers_405(world, as_user):
    assert as_user(world.owner).get(URL).status_code == 405
