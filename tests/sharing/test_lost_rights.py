"""Rights received through sharing end on the very next request when the grantee is deactivated
or moved to another business unit (as staff do in the admin), or when the owner moves away."""

import pytest
from django.urls import reverse

from cartshare.access.policies import access_level
from cartshare.carts.selectors import active_cart_id, cart_rows_for
from cartshare.carts.services import cart_item_add
from cartshare.common.errors import NotFound
from cartshare.sharing.selectors import cart_shares_list, colleagues_for_sharing
from tests.snapshots import snapshot

pytestmark = pytest.mark.django_db


def fresh(customer):
    """The customer as the next request loads them (no cached levels)."""
    return type(customer).objects.get(pk=customer.pk)


def deactivate(world, caller):
    company_user = world.company_user(caller)
    company_user.is_active = False
    company_user.save()


def move_to_other_unit(world, caller):
    company_user = world.company_user(caller)
    company_user.business_unit = world.company_user("other_unit").business_unit
    company_user.save()


CHANGES = {"deactivated": deactivate, "moved to another unit": move_to_other_unit}


@pytest.mark.parametrize("change", CHANGES)
@pytest.mark.parametrize("caller", ["read_only", "full_access"])
def test_a_grantee_who_leaves_the_unit_loses_the_cart_on_the_next_request(
    world, client, change, caller
):
    grantee = world.caller(caller)
    client.force_login(grantee)
    dismiss_url = reverse("storefront:cart_dismiss", args=[world.trade_fair.pk])
    assert client.get(dismiss_url).status_code == 200

    CHANGES[change](world, caller)

    assert client.get(dismiss_url).status_code == 404
    assert access_level(fresh(grantee), world.trade_fair) is None
    assert world.trade_fair.pk not in {row.cart.pk for row in cart_rows_for(fresh(grantee))}


@pytest.mark.parametrize("change", CHANGES)
def test_a_full_access_colleague_who_leaves_can_no_longer_add_items(world, change):
    CHANGES[change](world, "full_access")
    before = snapshot()
    sku = world.trade_fair.items.first().product.sku
    with pytest.raises(NotFound):
        cart_item_add(cart=world.trade_fair, actor=fresh(world.bob), sku=sku, quantity=1)
    assert snapshot() == before


@pytest.mark.parametrize("change", CHANGES)
def test_a_shared_active_cart_falls_back_to_an_own_cart_when_the_grantee_leaves(world, change):
    grantee = world.bob
    type(grantee).objects.filter(pk=grantee.pk).update(active_cart=world.trade_fair)
    assert active_cart_id(fresh(grantee)) == world.trade_fair.pk
    CHANGES[change](world, "full_access")
    assert active_cart_id(fresh(grantee)) != world.trade_fair.pk


@pytest.mark.parametrize("change", CHANGES)
def test_an_owner_who_leaves_the_unit_stops_sharing_with_it(world, client, change):
    client.force_login(world.frank)
    dismiss_url = reverse("storefront:cart_dismiss", args=[world.trade_fair.pk])
    assert client.get(dismiss_url).status_code == 200

    CHANGES[change](world, "owner")

    assert client.get(dismiss_url).status_code == 404
    for caller in ["read_only", "full_access"]:
        assert access_level(fresh(world.caller(caller)), world.trade_fair) is None
    assert cart_shares_list(world.trade_fair) == []


def test_an_owner_moved_to_another_unit_shares_with_the_new_unit_only(world):
    move_to_other_unit(world, "owner")
    names = [colleague.name for colleague in colleagues_for_sharing(world.alice, world.trade_fair)]
    assert names == ["Carol Conrad"]
    assert access_level(fresh(world.carol), world.trade_fair) is None  # no grant yet


def test_the_owner_keeps_full_rights_to_their_own_cart_after_moving(world):
    move_to_other_unit(world, "owner")
    deactivate(world, "owner")
    assert access_level(fresh(world.alice), world.trade_fair) == "OWNER"
