"""The cart page's "Check out" button (an inclusion tag) shows only where checkout can succeed."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse

from cartshare.orders.services import cart_checkout
from tests.discuss_helpers import CALLERS, shared_cart_world

pytestmark = pytest.mark.django_db

BUTTON = Template('{% include "storefront/orders/_cart_checkout.html" %}')


def render_for(user, cart) -> str:
    request = RequestFactory().get("/")
    request.user = user
    return BUTTON.render(Context({"request": request, "cart": cart})).strip()


@pytest.mark.parametrize("caller", CALLERS)
def test_check_out_is_offered_to_owner_and_full_access_only(caller):
    world = shared_cart_world()
    html = render_for(world.person(caller) or AnonymousUser(), world.cart)
    checkout_url = reverse("storefront:cart_checkout", args=[world.cart.pk])
    if caller in {"owner", "full_access"}:
        assert f'href="{checkout_url}">Check out</a>' in html
    else:
        assert html == ""


def test_an_empty_cart_offers_no_check_out():
    world = shared_cart_world(with_items=False)
    assert render_for(world.owner, world.cart) == ""


def test_an_ordered_cart_links_its_order_for_placer_and_owner_only():
    world = shared_cart_world()
    order = cart_checkout(cart=world.cart, actor=world.full_access)
    world.cart.refresh_from_db()
    for person in (world.owner, world.full_access):
        assert f"View order {order.reference}" in render_for(person, world.cart)
    assert render_for(world.read_only, world.cart) == ""
