"""Who may ask for access to a cart, and for which level (spec §11), as the policy answers it for
every kind of caller: with a level on the cart, or holding one of its links without one."""

import pytest

from cartshare.access.policies import access_request_levels, access_request_refusal
from cartshare.carts.models import Cart, CartStatus

# (role, holds a link) → the status of the refusal, or None when they may ask for full access
EXPECTED = {
    ("anonymous", False): 404,
    ("anonymous", True): 404,
    ("owner", False): 422,
    ("full_access", False): 422,
    ("read_only", False): None,
    ("colleague", False): 404,  # cannot see the cart: its existence is not revealed
    ("colleague", True): None,  # the refusal page of a dead internal link offers it
    ("other_unit", False): 404,
    ("other_unit", True): 403,
    ("other_company", True): 403,
    ("b2c", True): 403,
}


@pytest.mark.parametrize(("role", "holds_link"), sorted(EXPECTED))
def test_who_may_ask_for_full_access(world, role, holds_link):
    refusal = access_request_refusal(
        world.caller(role), world.trade_fair, "FULL_ACCESS", holds_link=holds_link
    )
    expected = EXPECTED[(role, holds_link)]
    assert (refusal.status if refusal else None) == expected


def test_the_levels_offered_are_those_above_the_current_one(world):
    assert access_request_levels(world.frank, world.trade_fair) == ["CONTRIBUTOR", "FULL_ACCESS"]
    assert access_request_levels(world.greta, world.trade_fair) == [
        "READ_ONLY",
        "CONTRIBUTOR",
        "FULL_ACCESS",
    ]
    assert access_request_levels(world.bob, world.trade_fair) == []
    world.share(world.trade_fair, world.greta, "CONTRIBUTOR")
    fresh = Cart.objects.get(pk=world.trade_fair.pk)  # greta's level is remembered on the other
    assert access_request_levels(world.greta, fresh) == ["FULL_ACCESS"]


def test_nobody_may_ask_for_access_to_an_ordered_cart(world):
    world.trade_fair.status = CartStatus.ORDERED
    refusal = access_request_refusal(world.frank, world.trade_fair, "FULL_ACCESS")
    assert refusal is not None and refusal.status == 409


def test_a_colleague_who_left_the_unit_may_no_longer_ask(world):
    company_user = world.company_user("greta")
    company_user.business_unit = world.munich
    company_user.save(update_fields=["business_unit"])
    refusal = access_request_refusal(world.greta, world.trade_fair, "FULL_ACCESS", holds_link=True)
    assert refusal is not None and refusal.status == 403
