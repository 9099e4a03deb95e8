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


def test_the_owner_sees_who_has_access_and_a_link_to_the_share_page(cast):
    html = render_for(cast.owner, cast.cart)
    assert "Bob Brandt" in html and "Read-only" in html
    assert "Frank Fischer" in html and "Full access" in html
    assert reverse("storefront:cart_share", args=[cast.cart.pk]) in html


@pytest.mark.parametrize("caller", ["read_only", "full_access"])
def test_a_grantee_sees_who_shared_it_their_level_and_a_dismiss_link(cast, caller):
    html = render_for(cast.customer(caller), cast.cart)
    assert "Alice Archer shared this cart with you" in html
    assert reverse("storefront:cart_dismiss", args=[cast.cart.pk]) in html
    assert reverse("storefront:cart_share", args=[cast.cart.pk]) not in html


def test_the_panel_shows_nothing_to_outsiders(cast):
    assert render_for(cast.other_unit, cast.cart).strip() == ""


def test_an_ordered_cart_offers_no_sharing_only_taking_access_away(cast):
    Cart.objects.filter(pk=cast.cart.pk).update(status=CartStatus.ORDERED)
    cast.cart.refresh_from_db()
    html = render_for(cast.owner, cast.cart)
    assert "Share with colleagues" not in html
    assert "Change or remove access" in html
    assert reverse("storefront:cart_share", args=[cast.cart.pk]) in html
