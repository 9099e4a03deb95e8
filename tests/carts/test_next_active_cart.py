"""One rule picks the next active cart whenever the active one can no longer be filled (spec §2):
the most recently changed cart the customer may fill, their own first, else a new own cart —
never an ordered or read-only one. Before it was one rule, four copies disagreed: removing a
grant could make an ORDERED cart active, and the next "add to cart" failed."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from cartshare.accounts.models import Customer
from cartshare.carts.models import Cart, CartStatus
from cartshare.carts.selectors import active_cart_id
from cartshare.orders.services import cart_checkout
from cartshare.sharing.models import CartShare, SharePermission
from cartshare.sharing.services import cart_share_delete, cart_share_dismiss, cart_shares_set
from tests.factories import (
    PASSWORD,
    BusinessUnitFactory,
    CartFactory,
    CartItemFactory,
    CartShareFactory,
    CompanyUserFactory,
    ProductFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def shop():
    """Alice shares "Trade fair" with Bob (full access); it is Bob's active cart. Bob's own
    carts: an open one changed long ago, and an ORDERED one changed just now."""
    unit = BusinessUnitFactory()
    alice = CompanyUserFactory(business_unit=unit).customer
    bob_user = CompanyUserFactory(business_unit=unit)
    bob = bob_user.customer
    shared = CartFactory(owner=alice, name="Trade fair")
    CartItemFactory(cart=shared)
    share = CartShareFactory(cart=shared, company_user=bob_user, permission="FULL_ACCESS")
    open_own = CartFactory(owner=bob, name="Old open cart")
    ordered_own = CartFactory(owner=bob, name="Ordered cart", status=CartStatus.ORDERED)
    Cart.objects.filter(pk=open_own.pk).update(
        updated_at=timezone.now() - timezone.timedelta(days=9)
    )
    Cart.objects.filter(pk=ordered_own.pk).update(updated_at=timezone.now())
    Customer.objects.filter(pk=bob.pk).update(active_cart=shared)
    bob.refresh_from_db()
    return {
        "alice": alice,
        "bob": bob,
        "shared": shared,
        "share": share,
        "open_own": open_own,
        "ordered_own": ordered_own,
    }


def active_of(customer) -> object:
    return Customer.objects.get(pk=customer.pk).active_cart_id


def test_removing_a_grant_makes_an_open_cart_active_never_an_ordered_one(shop):
    cart_share_delete(share=shop["share"], actor=shop["alice"])
    assert active_of(shop["bob"]) == shop["open_own"].pk


def test_the_share_page_removing_access_moves_the_grantee_on_the_same_way(shop):
    company_user = shop["bob"].company_user
    cart_shares_set(cart=shop["shared"], actor=shop["alice"], permissions={company_user.pk: None})
    assert active_of(shop["bob"]) == shop["open_own"].pk


def test_lowering_a_grant_to_read_only_moves_the_grantee_to_a_cart_they_can_fill(shop):
    company_user = shop["bob"].company_user
    cart_shares_set(
        cart=shop["shared"],
        actor=shop["alice"],
        permissions={company_user.pk: SharePermission.READ_ONLY},
    )
    assert active_of(shop["bob"]) == shop["open_own"].pk


def test_dismissing_moves_the_grantee_on_to_an_open_cart(shop):
    cart_share_dismiss(cart=shop["shared"], actor=shop["bob"])
    assert active_of(shop["bob"]) == shop["open_own"].pk
    assert shop["bob"].active_cart_id == shop["open_own"].pk  # the caller's copy too


def test_with_no_open_cart_of_their_own_the_grantee_gets_a_new_one(shop):
    Cart.objects.filter(pk=shop["open_own"].pk).update(status=CartStatus.ORDERED)
    cart_share_delete(share=shop["share"], actor=shop["alice"])
    new = Cart.objects.get(pk=active_of(shop["bob"]))
    assert (new.owner_id, new.status, new.name) == (shop["bob"].pk, CartStatus.OPEN, "My cart")


def test_ordering_a_shared_cart_moves_everyone_whose_active_cart_it_was(shop):
    Customer.objects.filter(pk=shop["alice"].pk).update(active_cart=shop["shared"])
    cart_checkout(cart=shop["shared"], actor=shop["alice"])
    assert active_of(shop["bob"]) == shop["open_own"].pk
    alices = Cart.objects.get(pk=active_of(shop["alice"]))
    assert alices.owner_id == shop["alice"].pk and alices.status == CartStatus.OPEN


def test_a_stale_choice_is_read_as_the_next_fillable_cart_and_add_to_cart_fills_it(shop, client):
    """The grant stopped counting without any service running (Bob was moved to another
    unit in the back office): the pages read his active cart by the same rule."""
    CartShare.objects.filter(pk=shop["share"].pk).delete()
    assert active_cart_id(Customer.objects.get(pk=shop["bob"].pk)) == shop["open_own"].pk
    product = ProductFactory()
    client.login(email=shop["bob"].email, password=PASSWORD)
    response = client.post(reverse("storefront:cart_add"), {"sku": product.sku, "quantity": "2"})
    assert response.status_code == 302
    assert list(shop["open_own"].items.values_list("product__sku", "quantity")) == [
        (product.sku, 2)
    ]
