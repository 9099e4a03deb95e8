"""The accept page's "Open cart" (POST) and "Copy to my cart", through HTTP. Both post to the
link's own page (/share/join/<link id>), which the browser reaches by opening the link."""

from __future__ import annotations

import pytest
from django.test import Client

from cartshare.activity.models import CartActivity
from cartshare.activity.services import Verb
from cartshare.carts.models import Cart, CartStatus
from cartshare.sharing.models import CartShare, SharePermission
from tests.factories import CartShareFactory
from tests.links.helpers import INTERNAL, data_snapshot, join_url, open_url, text, visit

pytestmark = pytest.mark.django_db


def accept(client, token):
    """Open the link, then press "Open cart"."""
    client.get(open_url(token))
    return client.post(join_url(token))


@pytest.mark.parametrize("option", INTERNAL)
def test_open_cart_creates_the_grant_makes_the_cart_active_and_shows_it(world, client, option):
    """Active only when the level lets "Add to cart" fill it: never a read-only cart (§9)."""
    active_before = world.bob.active_cart_id
    token = world.link(world.office_supplies, option)
    client.force_login(world.bob)
    response = accept(client, token)
    assert response.status_code == 302
    assert response["Location"] == f"/carts/{world.office_supplies.pk}/"
    share = CartShare.objects.get(cart=world.office_supplies, company_user=world.bob.company_user)
    assert share.permission == option
    world.bob.refresh_from_db()
    expected = world.office_supplies.pk if option != "READ_ONLY" else active_before
    assert world.bob.active_cart_id == expected
    activity = CartActivity.objects.filter(
        cart=world.office_supplies, verb=Verb.LINK_ACCEPTED
    ).get()
    assert activity.actor == world.bob
    assert activity.details["permission"] == option


def test_accepting_a_read_only_link_never_lowers_full_access(world, client):
    CartShareFactory(
        cart=world.office_supplies,
        company_user=world.bob.company_user,
        permission=SharePermission.FULL_ACCESS,
    )
    token = world.link(world.office_supplies, "READ_ONLY")
    client.force_login(world.bob)
    page = text(visit(client, token))
    assert "You already have full access" in page
    assert accept(client, token).status_code == 302
    share = CartShare.objects.get(cart=world.office_supplies, company_user=world.bob.company_user)
    assert share.permission == SharePermission.FULL_ACCESS


def test_accepting_a_full_access_link_raises_read_only(world, client):
    CartShareFactory(cart=world.office_supplies, company_user=world.bob.company_user)
    token = world.link(world.office_supplies, "FULL_ACCESS")
    client.force_login(world.bob)
    accept(client, token)
    share = CartShare.objects.get(cart=world.office_supplies, company_user=world.bob.company_user)
    assert share.permission == SharePermission.FULL_ACCESS


def test_accepting_twice_keeps_one_grant(world, client):
    token = world.link(world.office_supplies, "READ_ONLY")
    client.force_login(world.bob)
    accept(client, token)
    accept(client, token)
    assert CartShare.objects.filter(cart=world.office_supplies).count() == 1


@pytest.mark.parametrize("person", ["carol", "dave", "erin"])
def test_outsiders_cannot_accept_and_nothing_changes(world, client, person):
    token = world.link(world.office_supplies, "FULL_ACCESS")
    client.force_login(world.user(person))
    before = data_snapshot()
    response = accept(client, token)
    assert response.status_code == 403
    assert "This link is for colleagues in Berlin HQ" in text(response)
    assert data_snapshot() == before


def test_a_logged_out_accept_goes_to_log_in_and_changes_nothing(world, client):
    token = world.link(world.office_supplies, "FULL_ACCESS")
    before = data_snapshot()
    response = accept(client, token)
    assert response.status_code == 302
    assert response["Location"] == f"/login/?next={join_url(token)}"
    assert data_snapshot() == before


def test_accepting_needs_the_link_opened_in_this_browser(world, client):
    token = world.link(world.office_supplies, "FULL_ACCESS")
    client.force_login(world.bob)
    response = client.post(join_url(token))  # the link id alone, without ever the token
    assert response.status_code == 404
    assert "Open the link you were sent once more" in text(response)
    assert not CartShare.objects.filter(cart=world.office_supplies).exists()


def test_the_accept_button_is_csrf_protected(world):
    token = world.link(world.office_supplies, "FULL_ACCESS")
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.bob)
    assert accept(client, token).status_code == 403
    assert not CartShare.objects.filter(cart=world.office_supplies).exists()


def test_an_ordered_cart_cannot_be_joined(world, client):
    token = world.link(world.office_supplies, "FULL_ACCESS")
    Cart.objects.filter(pk=world.office_supplies.pk).update(status=CartStatus.ORDERED)
    client.force_login(world.bob)
    response = accept(client, token)
    assert response.status_code == 409
    assert "ordered" in text(response)
    assert not CartShare.objects.filter(cart=world.office_supplies).exists()


def test_a_preview_link_needs_no_accepting(world, client):
    token = world.link(world.office_supplies, "PREVIEW")
    client.force_login(world.bob)
    response = accept(client, token)
    assert response.status_code == 422
    assert not CartShare.objects.filter(cart=world.office_supplies).exists()


def test_a_revoked_link_cannot_be_accepted(world, client):
    link, _, token = world.share_link(world.office_supplies, "FULL_ACCESS")
    client.force_login(world.bob)
    client.get(open_url(token))
    link.revoked_at = link.created_at
    link.save()
    assert accept(client, token).status_code == 410
    assert not CartShare.objects.filter(cart=world.office_supplies).exists()


# Copy to my cart


def copy(client, token):
    """Open the link, then press "Copy to my cart"."""
    client.get(open_url(token))
    return client.post(join_url(token) + "/copy")


@pytest.mark.parametrize("person", ["erin", "carol", "bob"])
def test_copy_to_my_cart_makes_a_new_cart_of_mine_with_the_same_items(world, client, person):
    visitor = world.user(person)
    token = world.link(world.office_supplies, "PREVIEW")
    client.force_login(visitor)
    response = copy(client, token)
    new_cart = Cart.objects.get(owner=visitor, name="Copy of Office supplies")
    assert response.status_code == 302
    assert response["Location"] == f"/carts/{new_cart.pk}/"
    assert sorted(new_cart.items.values_list("product__sku", "quantity")) == [
        ("DESK-9", 2),
        ("PEN-001", 3),
    ]
    visitor.refresh_from_db()
    assert visitor.active_cart_id == new_cart.pk
    assert world.office_supplies.items.count() == 2  # the shared cart is untouched


def test_copying_twice_gives_the_second_copy_another_name(world, client):
    token = world.link(world.office_supplies, "PREVIEW")
    client.force_login(world.erin)
    copy(client, token)
    copy(client, token)
    names = set(Cart.objects.filter(owner=world.erin).values_list("name", flat=True))
    assert {"Copy of Office supplies", "Copy of Office supplies (2)"} <= names


def test_copy_needs_a_login_first_and_changes_nothing(world, client):
    token = world.link(world.office_supplies, "PREVIEW")
    before = data_snapshot()
    response = client.get(open_url(token) + "/copy")  # "Log in to copy to my cart"
    assert response.status_code == 302
    assert response["Location"] == f"/login/?next={join_url(token)}"
    assert client.post(join_url(token) + "/copy")["Location"] == response["Location"]
    assert data_snapshot() == before


def test_the_preview_offers_copy_to_logged_in_visitors_and_log_in_to_others(world, client):
    token = world.link(world.office_supplies, "PREVIEW")
    anonymous = text(client.get(open_url(token)))
    assert f'href="/share/{token}/copy">Log in to copy to my cart' in anonymous
    assert "<form" not in anonymous.split("<main", 1)[1]  # nothing posts from a token address
    client.force_login(world.erin)
    assert f'action="{join_url(token)}/copy"' in text(visit(client, token))


def test_outsiders_cannot_copy_through_an_internal_link(world, client):
    token = world.link(world.office_supplies, "READ_ONLY")
    client.force_login(world.dave)
    before = data_snapshot()
    assert copy(client, token).status_code == 403
    assert data_snapshot() == before
