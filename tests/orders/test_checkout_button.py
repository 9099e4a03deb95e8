"""The cart page's "Check out" button (an inclusion tag) shows only where checkout can succeed."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse

from cartshare.orders.services import cart_checkout
from tests.world import CALLERS

pytestmark = pytest.mark.django_db

BUTTON = Template('{% include "storefront/orders/_cart_checkout.html" %}')


def render_for(user, cart) -> str:
    request = RequestFactory().get("/")
    request.user = user
    return BUTTON.render(Context({"request": request, "cart": cart})).strip()


@pytest.mark.parametrize("caller", CALLERS)
def test_check_out_is_offered_to_owner_and_full_access_only(world, caller):
    html = render_for(world.caller(caller) or AnonymousUser(), world.trade_fair)
    checkout_url = reverse("storefront:cart_checkout", args=[world.trade_fair.pk])
    if caller in {"owner", "full_access"}:
        assert f'href="{checkout_url}">Check out</a>' in html
    else:
        assert html == ""


def test_an_empty_cart_offers_no_check_out(world):
    world.trade_fair.items.all().delete()
    assert render_for(world.alice, world.trade_fair) == ""


def test_an_ordered_cart_links_its_order_for_placer_and_owner_only(world):
    order = cart_checkout(cart=world.trade_fair, actor=world.bob)
    world.trade_fair.refresh_from_db()
    for person in (world.alice, world.bob):
        assert f"View order {order.reference}" in render_for(person, world.trade_fair)
    assert render_for(world.frank, world.trade_fair) == ""
