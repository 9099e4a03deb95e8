"""The "My carts" page: own and shared carts, the active one marked, actions by policy."""

import pytest
from django.urls import reverse

from cartshare.carts.models import Cart
from tests.factories import BusinessUnitFactory, CartFactory, CustomerFactory

pytestmark = pytest.mark.django_db

URL = reverse("storefront:cart_list")


def delete_url(cart):
    return reverse("storefront:cart_delete", args=[cart.pk])


def test_anonymous_visitor_is_asked_to_log_in_first(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"] == "/login/?next=/carts/"


def test_owner_sees_her_carts_with_totals_and_the_active_one_marked(world, as_user):
    response = as_user(world.owner).get(URL)
    assert response.status_code == 200
    rows = {row.cart.name: row for row, *_ in response.context["rows"]}
    assert set(rows) == {"Office supplies", "Trade fair"}
    assert rows["Office supplies"].is_active and not rows["Trade fair"].is_active
    assert rows["Office supplies"].total == 4 * 250 + 2 * 599
    html = response.content.decode()
    assert "€21.98" in html
    assert "pill-active" in html
    assert 'href="#new-cart"' in html


def test_read_only_colleague_sees_the_shared_cart_with_owner_name_and_level(world, as_user):
    response = as_user(world.reader).get(URL)
    html = response.content.decode()
    assert "Office supplies" in html and "Rita cart" in html
    assert "Alice Archer" in html
    assert "Read-only" in html
    assert "Trade fair" not in html  # not shared with her


def test_full_access_colleague_sees_full_access_level(world, as_user):
    html = as_user(world.editor).get(URL).content.decode()
    assert "Office supplies" in html and "Full access" in html


def test_owner_may_delete_any_own_cart_while_she_has_two(world, as_user):
    html = as_user(world.owner).get(URL).content.decode()
    assert delete_url(world.cart) in html
    assert delete_url(world.other_cart) in html


def test_colleagues_see_no_delete_control_for_a_shared_cart(world, as_user):
    for person in (world.reader, world.editor):
        html = as_user(person).get(URL).content.decode()
        assert delete_url(world.cart) not in html
        assert reverse("storefront:cart_duplicate", args=[world.cart.pk]) in html


def test_the_last_own_cart_has_no_delete_control(db, as_user):
    customer = CustomerFactory()
    only = CartFactory(owner=customer, name="Only cart")
    html = as_user(customer).get(URL).content.decode()
    assert "Only cart" in html
    assert delete_url(only) not in html


def test_stranger_does_not_see_other_peoples_carts(world, as_user):
    html = as_user(world.stranger).get(URL).content.decode()
    assert "Office supplies" not in html
    assert "Sam cart" in html


def test_a_shared_cart_disappears_when_the_colleague_leaves_the_unit(world, as_user):
    company_user = world.reader.company_user
    company_user.business_unit = BusinessUnitFactory()
    company_user.save()
    html = as_user(world.reader).get(URL).content.decode()
    assert "Office supplies" not in html


def test_post_to_my_carts_answers_405(world, as_user):
    assert as_user(world.owner).post(URL).status_code == 405
    assert Cart.objects.filter(owner=world.owner).count() == 2
