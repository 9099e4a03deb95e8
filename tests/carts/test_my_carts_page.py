"""The "My carts" page: own and shared carts, the active one marked, actions by policy."""

import pytest
from django.urls import reverse

from cartshare.accounts.models import CompanyUser
from cartshare.carts.models import Cart
from cartshare.sharing.models import ShareLink
from tests.factories import BusinessUnitFactory, CartFactory, CustomerFactory

pytestmark = pytest.mark.django_db

URL = reverse("storefront:cart_list")


def delete_url(cart):
    return reverse("storefront:cart_delete", args=[cart.pk])


def test_anonymous_visitor_is_asked_to_log_in_first(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"] == "/login/?next=/carts/"


def test_owner_sees_her_carts_with_totals_and_the_active_one_marked(world):
    response = world.logged_in_client(world.alice).get(URL)
    assert response.status_code == 200
    rows = {row.cart.name: row for row, *_ in response.context["rows"]}
    assert set(rows) == {"Trade fair", "Office supplies"}
    assert rows["Trade fair"].is_active and not rows["Office supplies"].is_active
    assert rows["Trade fair"].total == 2 * 1250 + 10 * 499
    html = response.content.decode()
    assert "€74.90" in html
    assert "pill-active" in html
    assert 'href="#new-cart"' in html


def test_read_only_colleague_sees_the_shared_cart_with_owner_name_and_level(world):
    response = world.logged_in_client(world.frank).get(URL)
    html = response.content.decode()
    assert "Trade fair" in html and "My cart" in html
    assert "Alice Archer" in html
    assert "Read-only" in html
    assert "Office supplies" not in html  # not shared with her


def test_full_access_colleague_sees_full_access_level(world):
    html = world.logged_in_client(world.bob).get(URL).content.decode()
    assert "Trade fair" in html and "Full access" in html


def test_owner_may_delete_any_own_cart_while_she_has_two(world):
    html = world.logged_in_client(world.alice).get(URL).content.decode()
    assert delete_url(world.trade_fair) in html
    assert delete_url(world.office_supplies) in html


def test_colleagues_see_no_delete_control_for_a_shared_cart(world):
    for person in (world.frank, world.bob):
        html = world.logged_in_client(person).get(URL).content.decode()
        assert delete_url(world.trade_fair) not in html
        assert reverse("storefront:cart_duplicate", args=[world.trade_fair.pk]) in html


def test_the_last_own_cart_has_no_delete_control(world, db):
    customer = CustomerFactory()
    only = CartFactory(owner=customer, name="Only cart")
    html = world.logged_in_client(customer).get(URL).content.decode()
    assert "Only cart" in html
    assert delete_url(only) not in html


def test_stranger_does_not_see_other_peoples_carts(world):
    html = world.logged_in_client(world.erin).get(URL).content.decode()
    assert "Trade fair" not in html
    assert "My cart" in html


def test_a_shared_cart_disappears_when_the_colleague_leaves_the_unit(world):
    company_user = world.frank.company_user
    company_user.business_unit = BusinessUnitFactory()
    company_user.save()
    html = world.logged_in_client(world.frank).get(URL).content.decode()
    assert "Trade fair" not in html


def test_post_to_my_carts_answers_405(world):
    assert world.logged_in_client(world.alice).post(URL).status_code == 405
    assert Cart.objects.filter(owner=world.alice).count() == 2


def test_the_owner_sees_which_carts_are_shared_and_what_deleting_ends(world):
    world.link(world.trade_fair, "PREVIEW")
    revoked = world.share_link(world.office_supplies, "PREVIEW").link
    ShareLink.objects.filter(pk=revoked.pk).update(revoked_at=revoked.created_at)
    world.share(world.trade_fair, world.greta)
    CompanyUser.objects.filter(customer=world.greta).update(is_active=False)  # no longer counts
    response = world.logged_in_client(world.alice).get(URL)
    rows = {row.cart.name: row for row, *_ in response.context["rows"]}
    assert (rows["Trade fair"].people, rows["Trade fair"].links) == (2, 1)  # bob, frank
    assert (rows["Office supplies"].people, rows["Office supplies"].links) == (0, 0)
    html = response.content.decode()
    assert "Shared with 2 people · 1 link" in html
    assert html.count("Not shared") == 1  # Office supplies
    assert "2 colleagues will lose access. Its 1 share link will stop working." in html


def test_a_colleague_is_not_told_whom_else_the_owner_shares_with(world):
    world.link(world.trade_fair, "READ_ONLY")
    html = world.logged_in_client(world.frank).get(URL).content.decode()
    assert "Trade fair" in html
    assert "Shared with" not in html
    assert html.count("Not shared") == 1  # his own "My cart" only
