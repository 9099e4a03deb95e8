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
    item = world.cart.items.first()
    return [
        reverse("storefront:cart_item_update", args=[world.cart.pk, item.pk]),
        reverse("storefront:cart_item_remove", args=[world.cart.pk, item.pk]),
        reverse("storefront:cart_clear", args=[world.cart.pk]),
        reverse("storefront:cart_update", args=[world.cart.pk]),
    ]


def test_owner_sees_items_prices_totals_and_every_control(world, as_user):
    response = as_user(world.owner).get(page_url(world.cart))
    assert response.status_code == 200
    html = response.content.decode()
    for text in ["Blue pens", "PEN-BLUE", "€2.50", "€10.00", "Copy paper", "€11.98", "€21.98"]:
        assert text in html
    for url in edit_urls(world):
        assert url in html
    assert reverse("storefront:cart_delete", args=[world.cart.pk]) in html
    assert f'name="version" value="{world.cart.version}"' in html
    assert "Shared with you by" not in html
    assert reverse("storefront:cart_share", args=[world.cart.pk]) in html
    assert response.context["is_active"] is True


def test_read_only_colleague_sees_the_banner_and_no_edit_controls(world, as_user):
    response = as_user(world.reader).get(page_url(world.cart))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Shared with you by Alice Archer — your access: Read-only" in html
    assert "Blue pens" in html and "€21.98" in html
    for url in edit_urls(world):
        assert url not in html
    assert reverse("storefront:cart_delete", args=[world.cart.pk]) not in html
    assert 'name="quantity"' not in html
    assert 'name="version"' not in html
    assert "Make active" in html and "Duplicate" in html


def test_full_access_colleague_edits_but_cannot_delete(world, as_user):
    html = as_user(world.editor).get(page_url(world.cart)).content.decode()
    assert "Shared with you by Alice Archer — your access: Full access" in html
    for url in edit_urls(world):
        assert url in html
    assert reverse("storefront:cart_delete", args=[world.cart.pk]) not in html


def test_ordered_cart_is_shown_read_only_with_a_marker(world, as_user):
    world.cart.status = CartStatus.ORDERED
    world.cart.save()
    html = as_user(world.owner).get(page_url(world.cart)).content.decode()
    assert "pill-ordered" in html and "This cart has been ordered" in html
    assert "Blue pens" in html
    for url in edit_urls(world):
        assert url not in html


def test_stranger_gets_a_404_page_that_does_not_reveal_the_cart(world, as_user):
    response = as_user(world.stranger).get(page_url(world.cart))
    assert response.status_code == 404
    html = response.content.decode()
    assert "This cart does not exist or is not shared with you." in html
    assert "Office supplies" not in html and "Blue pens" not in html


def test_unknown_cart_id_gets_a_404_page(world, as_user):
    response = as_user(world.owner).get(reverse("storefront:cart_detail", args=[uuid.uuid4()]))
    assert response.status_code == 404


def test_anonymous_visitor_is_asked_to_log_in_and_comes_back(world, client):
    response = client.get(page_url(world.cart))
    assert response.status_code == 302
    assert response["Location"] == f"/login/?next=/carts/{world.cart.pk}/"


def test_empty_cart_invites_to_browse_products(world, as_user):
    empty = CartFactory(owner=world.owner, name="Empty")
    html = as_user(world.owner).get(page_url(empty)).content.decode()
    assert "This cart is empty." in html
    assert reverse("storefront:cart_clear", args=[empty.pk]) not in html


def test_post_to_the_cart_page_answers_405(world, as_user):
    assert as_user(world.owner).post(page_url(world.cart)).status_code == 405


def test_a_grant_stops_working_when_the_colleague_moves_to_another_unit(world, as_user):
    company_user = world.editor.company_user
    company_user.business_unit = BusinessUnitFactory(company=world.unit.company)
    company_user.save()
    before = world.cart.items.count()
    client = as_user(world.editor)
    assert client.get(page_url(world.cart)).status_code == 404
    response = client.post(
        reverse("storefront:cart_clear", args=[world.cart.pk]), {"version": world.cart.version}
    )
    assert response.status_code == 404
    assert world.cart.items.count() == before


def test_a_deactivated_colleague_loses_access(world, as_user):
    company_user = world.reader.company_user
    company_user.is_active = False
    company_user.save()
    assert as_user(world.reader).get(page_url(world.cart)).status_code == 404
