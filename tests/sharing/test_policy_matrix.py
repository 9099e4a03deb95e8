"""The access policy answers every question of level and action as spec §3 says, for open and
ordered carts; these expectations are written out from the spec, not copied from the policy."""

import pytest
from django.contrib.auth.models import AnonymousUser

from cartshare.access.policies import (
    LEVEL_ORDER,
    CartAction,
    access_level,
    allowed_actions,
    can,
    ensure_can,
)
from cartshare.carts.models import Cart, CartStatus
from cartshare.common.errors import Conflict, NotFound, PermissionDenied
from cartshare.sharing.models import AccessLevel, SharePermission

pytestmark = pytest.mark.django_db

A = CartAction
SPEC_TABLE = {
    "owner": {
        A.VIEW,
        A.SEE_DETAILS,
        A.COMMENT,
        A.EDIT,
        A.ADD_ITEMS,
        A.CHANGE_OWN_ITEMS,
        A.ORDER,
        A.SHARE,
        A.UNSHARE,
        A.MANAGE_LINKS,
        A.DELETE,
        A.ACTIVATE,
        A.SEE_SHARING,
        # Issue 13: the access requests and their log entries, for whoever answers them.
        A.SEE_ACCESS_REQUESTS,
    },
    "full_access": {
        A.VIEW,
        A.SEE_DETAILS,
        A.COMMENT,
        A.EDIT,
        A.ADD_ITEMS,
        A.CHANGE_OWN_ITEMS,
        A.ORDER,
        A.DISMISS,
        A.ACTIVATE,
    },
    # Spec §10: view, comment, add items, change or remove the items they added (which lines
    # are theirs: `can_change_item`, tests/sharing/test_contributor_rules.py); no rename, note,
    # checkout, share or delete. They may fill it, so it can be their active cart (spec §2).
    "contributor": {
        A.VIEW,
        A.SEE_DETAILS,
        A.COMMENT,
        A.ADD_ITEMS,
        A.CHANGE_OWN_ITEMS,
        A.DISMISS,
        A.ACTIVATE,
    },
    # A read-only cart never becomes the active cart (spec §2, §9).
    "read_only": {A.VIEW, A.SEE_DETAILS, A.COMMENT, A.DISMISS},
    "colleague": set(),
    "other_unit": set(),
    "other_company": set(),
    "b2c": set(),
    "anonymous": set(),
}
LEVELS = {
    "owner": AccessLevel.OWNER,
    "full_access": AccessLevel.FULL_ACCESS,
    "contributor": AccessLevel.CONTRIBUTOR,
    "read_only": AccessLevel.READ_ONLY,
}
# An ordered cart still shows, with its sharing, but takes no change, gives nobody new access and
# cannot become the active cart (where "add to cart" would go); access to it can still be taken
# away (UNSHARE, MANAGE_LINKS, DISMISS).
FROZEN = {A.EDIT, A.ADD_ITEMS, A.CHANGE_OWN_ITEMS, A.ORDER, A.SHARE, A.ACTIVATE}


def actor(world, caller):
    if caller == "contributor":  # greta, the colleague, given the contributor level
        world.share(world.trade_fair, world.greta, SharePermission.CONTRIBUTOR)
        return world.greta
    return AnonymousUser() if caller == "anonymous" else world.caller(caller)


def order(cart):
    Cart.objects.filter(pk=cart.pk).update(status=CartStatus.ORDERED)
    cart.refresh_from_db()


@pytest.mark.parametrize("caller", list(SPEC_TABLE))
def test_each_caller_has_the_level_the_spec_gives_them(world, caller):
    assert access_level(actor(world, caller), world.trade_fair) == LEVELS.get(caller)


@pytest.mark.parametrize("action", list(CartAction))
@pytest.mark.parametrize("caller", list(SPEC_TABLE))
def test_open_cart_permissions_follow_the_spec_table(world, caller, action):
    assert can(actor(world, caller), action, world.trade_fair) is (action in SPEC_TABLE[caller])


@pytest.mark.parametrize("action", list(CartAction))
@pytest.mark.parametrize("caller", list(SPEC_TABLE))
def test_an_ordered_cart_is_frozen_for_everyone(world, caller, action):
    order(world.trade_fair)
    expected = action in SPEC_TABLE[caller] and action not in FROZEN
    assert can(actor(world, caller), action, world.trade_fair) is expected


@pytest.mark.parametrize("caller", list(SPEC_TABLE))
def test_allowed_actions_lists_exactly_what_can_allows(world, caller):
    assert allowed_actions(actor(world, caller), world.trade_fair) == SPEC_TABLE[caller]


@pytest.mark.parametrize("action", list(CartAction))
@pytest.mark.parametrize("caller", list(SPEC_TABLE))
def test_ensure_can_hides_invisible_carts_and_explains_refusals(world, caller, action):
    who = actor(world, caller)
    if caller not in LEVELS:
        with pytest.raises(NotFound):
            ensure_can(who, action, world.trade_fair)
    elif action in SPEC_TABLE[caller]:
        assert ensure_can(who, action, world.trade_fair) == LEVELS[caller]
    else:
        with pytest.raises(PermissionDenied) as refusal:
            ensure_can(who, action, world.trade_fair)
        assert refusal.value.message  # says what the level allows


@pytest.mark.parametrize("action", sorted(FROZEN))
def test_changing_an_ordered_cart_is_a_conflict_even_for_the_owner(world, action):
    order(world.trade_fair)
    with pytest.raises(Conflict):
        ensure_can(world.alice, action, world.trade_fair)


def test_the_levels_rank_as_the_spec_orders_them():
    assert LEVEL_ORDER == (
        AccessLevel.PREVIEW,
        AccessLevel.READ_ONLY,
        AccessLevel.CONTRIBUTOR,
        AccessLevel.FULL_ACCESS,
        AccessLevel.OWNER,
    )


def test_a_deactivated_account_sees_nothing(world):
    world.alice.is_active = False
    assert access_level(world.alice, world.trade_fair) is None
