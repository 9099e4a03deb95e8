"""The cart page's sharing box (`{% cart_sharing_panel cart %}`) shows what each person may do."""

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse

from cartshare.carts.models import Cart, CartStatus

pytestmark = pytest.mark.django_db

PANEL = Template("{% load cart_sharing %}{% cart_sharing_panel cart %}")


def render_for(customer, cart) -> str:
    request = RequestFactory().get("/")
    request.user = customer
    return PANEL.render(Context({"request": request, "cart": cart}))


def test_the_owner_sees_who_has_access_and_a_link_to_the_share_page(world):
    html = render_for(world.alice, world.trade_fair)
    assert "Frank Fischer" in html and "Read-only" in html
    assert "Bob Brandt" in html and "Full access" in html
    assert reverse("storefront:cart_share", args=[world.trade_fair.pk]) in html


@pytest.mark.parametrize("caller", ["read_only", "full_access"])
def test_a_grantee_sees_who_shared_it_their_level_and_a_dismiss_link(world, caller):
    html = render_for(world.caller(caller), world.trade_fair)
    assert "Alice Archer shared this cart with you" in html
    assert reverse("storefront:cart_dismiss", args=[world.trade_fair.pk]) in html
    assert reverse("storefront:cart_share", args=[world.trade_fair.pk]) not in html


def test_the_panel_shows_nothing_to_outsiders(world):
    assert render_for(world.carol, world.trade_fair).strip() == ""


def test_an_ordered_cart_offers_no_sharing_only_taking_access_away(world):
    Cart.objects.filter(pk=world.trade_fair.pk).update(status=CartStatus.ORDERED)
    world.trade_fair.refresh_from_db()
    html = render_for(world.alice, world.trade_fair)
    assert "Share with colleagues" not in html
    assert "Change or remove access" in html
    assert reverse("storefront:cart_share", args=[world.trade_fair.pk]) in html
