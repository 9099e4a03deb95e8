"""Rights received through sharing end on the very next request when the grantee is deactivated
or moved to another business unit (as staff do in the admin), or when the owner moves away."""

import pytest
from django.urls import reverse

from cartshare.access.policies import access_level
from cartshare.carts.selectors import active_cart_id, cart_rows_for
from cartshare.carts.services import cart_item_add
from cartshare.common.errors import NotFound
from cartshare.sharing.selectors import cart_shares_list, colleagues_for_sharing
from tests.sharing.conftest import snapshot

pytestmark = pytest.mark.django_db


def fresh(customer):
    """The customer as the next request loads them (no cached levels)."""
    return type(customer).objects.get(pk=customer.pk)


def deactivate(cast, caller):
    company_user = cast.company_user(caller)
    company_user.is_active = False
    company_user.save()


def move_to_other_unit(cast, caller):
    company_user = cast.company_user(caller)
    company_user.business_unit = cast.company_user("other_unit").business_unit
    company_user.save()


CHANGES = {"deactivated": deactivate, "moved to another unit": move_to_other_unit}


@pytest.mark.parametrize("change", CHANGES)
@pytest.mark.parametrize("caller", ["read_only", "full_access"])
def test_a_grantee_who_leaves_the_unit_loses_the_cart_on_the_next_request(
    cast, client, change, caller
):
    grantee = cast.customer(caller)
    client.force_login(grantee)
    dismiss_url = reverse("storefront:cart_dismiss", args=[cast.cart.pk])
    assert client.get(dismiss_url).status_code == 200

    CHANGES[change](cast, caller)

    assert client.get(dismiss_url).status_code == 404
    assert access_level(fresh(grantee), cast.cart) is None
    assert cast.cart.pk not in {row.cart.pk for row in cart_rows_for(fresh(grantee))}


@pytest.mark.parametrize("change", CHANGES)
def test_a_full_access_colleague_who_leaves_can_no_longer_add_items(cast, change):
    CHANGES[change](cast, "full_access")
    before = snapshot()
    sku = cast.cart.items.first().product.sku
    with pytest.raises(NotFound):
        cart_item_add(cart=cast.cart, actor=fresh(cast.full_access), sku=sku, quantity=1)
    assert snapshot() == before


@pytest.mark.parametrize("change", CHANGES)
def test_a_shared_active_cart_falls_back_to_an_own_cart_when_the_grantee_leaves(cast, change):
    grantee = cast.full_access
    type(grantee).objects.filter(pk=grantee.pk).update(active_cart=cast.cart)
    assert active_cart_id(fresh(grantee)) == cast.cart.pk
    CHANGES[change](cast, "full_access")
    assert active_cart_id(fresh(grantee)) != cast.cart.pk


@pytest.mark.parametrize("change", CHANGES)
def test_an_owner_who_leaves_the_unit_stops_sharing_with_it(cast, client, change):
    client.force_login(cast.read_only)
    dismiss_url = reverse("storefront:cart_dismiss", args=[cast.cart.pk])
    assert client.get(dismiss_url).status_code == 200

    CHANGES[change](cast, "owner")

    assert client.get(dismiss_url).status_code == 404
    for caller in ["read_only", "full_access"]:
        assert access_level(fresh(cast.customer(caller)), cast.cart) is None
    assert cart_shares_list(cast.cart) == []


def test_an_owner_moved_to_another_unit_shares_with_the_new_unit_only(cast):
    move_to_other_unit(cast, "owner")
    names = [colleague.name for colleague in colleagues_for_sharing(cast.owner, cast.cart)]
    assert names == ["Carol Conrad"]
    assert access_level(fresh(cast.other_unit), cast.cart) is None  # no grant yet


def test_the_owner_keeps_full_rights_to_their_own_cart_after_moving(cast):
    move_to_other_unit(cast, "owner")
    deactivate(cast, "owner")
    assert access_level(fresh(cast.owner), cast.cart) == "OWNER"
