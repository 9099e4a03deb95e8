"""The cart page for each kind of caller: what they see and which controls they get."""

import uuid

import pytest
from django.urls import reverse

from cartshare.carts.models import CartStatus
from tests.factories import BusinessUnitFactory, CartFactory

pytestmark = pytest.mark.django_db


def page_url(cart):
    return reverse("storefront:cart_detail", args=[cart.pk])


def edit_urls(world):
    item = world.trade_fair.items.first()
    return [
        reverse("storefront:cart_item_update", args=[world.trade_fair.pk, item.pk]),
        reverse("storefront:cart_item_remove", args=[world.trade_fair.pk, item.pk]),
        reverse("storefront:cart_clear", args=[world.trade_fair.pk]),
        reverse("storefront:cart_update", args=[world.trade_fair.pk]),
    ]


def test_owner_sees_items_prices_totals_and_every_control(world):
    response = world.logged_in_client(world.alice).get(page_url(world.trade_fair))
    assert response.status_code == 200
    html = response.content.decode()
    for text in ["Stapler", "STAPLER-1", "€12.50", "€25.00", "Paper A4", "€49.90", "€74.90"]:
        assert text in html
    for url in edit_urls(world):
        assert url in html
    assert reverse("storefront:cart_delete", args=[world.trade_fair.pk]) in html
    assert f'name="version" value="{world.trade_fair.version}"' in html
    assert "Shared with you by" not in html
    assert reverse("storefront:cart_share", args=[world.trade_fair.pk]) in html
    assert response.context["is_active"] is True


def test_read_only_colleague_sees_the_banner_and_no_edit_controls(world):
    response = world.logged_in_client(world.frank).get(page_url(world.trade_fair))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Shared with you by Alice Archer — your access: Read-only" in html
    assert "Stapler" in html and "€74.90" in html
    for url in edit_urls(world):
        assert url not in html
    assert reverse("storefront:cart_delete", args=[world.trade_fair.pk]) not in html
    assert 'name="quantity"' not in html
    assert 'name="version"' not in html
    # A read-only cart never becomes the active cart: the control is not offered.
    assert "Make active" not in html and "Duplicate" in html
    assert reverse("storefront:cart_activate", args=[world.trade_fair.pk]) not in html


def test_full_access_colleague_edits_but_cannot_delete(world):
    html = world.logged_in_client(world.bob).get(page_url(world.trade_fair)).content.decode()
    assert "Shared with you by Alice Archer — your access: Full access" in html
    for url in edit_urls(world):
        assert url in html
    assert reverse("storefront:cart_delete", args=[world.trade_fair.pk]) not in html


def test_ordered_cart_is_shown_read_only_with_a_marker(world):
    world.trade_fair.status = CartStatus.ORDERED
    world.trade_fair.save()
    html = world.logged_in_client(world.alice).get(page_url(world.trade_fair)).content.decode()
    assert "pill-ordered" in html and "This cart has been ordered" in html
    assert "Stapler" in html
    for url in edit_urls(world):
        assert url not in html


def test_stranger_gets_a_404_page_that_does_not_reveal_the_cart(world):
    response = world.logged_in_client(world.erin).get(page_url(world.trade_fair))
    assert response.status_code == 404
    html = response.content.decode()
    assert "This cart does not exist or is not shared with you." in html
    assert "Trade fair" not in html and "Stapler" not in html


def test_unknown_cart_id_gets_a_404_page(world):
    response = world.logged_in_client(world.alice).get(
        reverse("storefront:cart_detail", args=[uuid.uuid4()])
    )
    assert response.status_code == 404


def test_anonymous_visitor_is_asked_to_log_in_and_comes_back(world, client):
    response = client.get(page_url(world.trade_fair))
    assert response.status_code == 302
    assert response["Location"] == f"/login/?next=/carts/{world.trade_fair.pk}/"


def test_empty_cart_invites_to_browse_products(world):
    empty = CartFactory(owner=world.alice, name="Empty")
    html = world.logged_in_client(world.alice).get(page_url(empty)).content.decode()
    assert "This cart is empty." in html
    assert reverse("storefront:cart_clear", args=[empty.pk]) not in html


def test_post_to_the_cart_page_answers_405(world):
    assert world.logged_in_client(world.alice).post(page_url(world.trade_fair)).status_code == 405


def test_a_grant_stops_working_when_the_colleague_moves_to_another_unit(world):
    company_user = world.bob.company_user
    company_user.business_unit = BusinessUnitFactory(company=world.berlin.company)
    company_user.save()
    before = world.trade_fair.items.count()
    client = world.logged_in_client(world.bob)
    assert client.get(page_url(world.trade_fair)).status_code == 404
    response = client.post(
        reverse("storefront:cart_clear", args=[world.trade_fair.pk]),
        {"version": world.trade_fair.version},
    )
    assert response.status_code == 404
    assert world.trade_fair.items.count() == before


def test_a_deactivated_colleague_loses_access(world):
    company_user = world.frank.company_user
    company_user.is_active = False
    company_user.save()
    assert world.logged_in_client(world.frank).get(page_url(world.trade_fair)).status_code == 404
