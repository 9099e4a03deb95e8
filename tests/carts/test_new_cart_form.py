"""The "New cart" form on My carts: a valid name creates the cart, bad names say why."""

import pytest
from django.urls import reverse

from cartshare.carts.models import Cart
from tests.carts.helpers import messages_of

pytestmark = pytest.mark.django_db

URL = reverse("storefront:cart_create")


def own_cart_names(customer):
    return sorted(Cart.objects.filter(owner=customer).values_list("name", flat=True))


def test_owner_creates_a_cart_and_it_becomes_active(world):
    response = world.logged_in_client(world.alice).post(
        URL, {"name": "  Kitchen  ", "note": "Coffee and tea", "activate": "1"}
    )
    cart = Cart.objects.get(owner=world.alice, name="Kitchen")
    assert response.status_code == 302
    assert response["Location"] == reverse("storefront:cart_detail", args=[cart.pk])
    assert cart.note == "Coffee and tea"
    world.alice.refresh_from_db()
    assert world.alice.active_cart_id == cart.pk
    assert messages_of(response) == ["Your new cart “Kitchen” is ready."]


def test_a_new_cart_without_the_checkbox_leaves_the_active_cart_alone(world):
    world.logged_in_client(world.alice).post(URL, {"name": "Later"})
    world.alice.refresh_from_db()
    assert world.alice.active_cart_id == world.trade_fair.pk


def test_a_colleague_creates_her_own_cart(world):
    world.logged_in_client(world.frank).post(URL, {"name": "Trade fair"})
    assert own_cart_names(world.frank) == ["My cart", "Trade fair"]


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("", "A cart name must have 1 to 100 characters."),
        ("   ", "A cart name must have 1 to 100 characters."),
        ("x" * 101, "A cart name must have 1 to 100 characters."),
        (
            "Office supplies",
            "You already have a cart named “Office supplies”. Choose another name.",
        ),
    ],
    ids=["empty", "blank", "101 characters", "duplicate"],
)
def test_bad_names_are_refused_with_a_clear_message(world, name, message):
    before = own_cart_names(world.alice)
    response = world.logged_in_client(world.alice).post(URL, {"name": name, "note": "kept"})
    assert response.status_code == 422
    html = response.content.decode()
    assert message in html
    assert 'aria-invalid="true"' in html
    assert ">kept</textarea>" in html  # what was typed is kept
    assert own_cart_names(world.alice) == before


def test_a_100_character_name_is_accepted(world):
    world.logged_in_client(world.alice).post(URL, {"name": "y" * 100})
    assert Cart.objects.filter(owner=world.alice, name="y" * 100).exists()


def test_get_answers_405(world):
    assert world.logged_in_client(world.alice).get(URL).status_code == 405


def test_anonymous_visitor_is_sent_to_log_in_and_nothing_is_created(client):
    count = Cart.objects.count()
    response = client.post(URL, {"name": "Sneaky", "next": "/carts/"})
    assert response.status_code == 302
    assert response["Location"] == "/login/?next=/carts/"
    assert Cart.objects.count() == count
