"""Access requests wake the cart's streams after commit (issue 13), through `make run`'s server:
the owner's stream (who answers them) gets a `cart.changed` within a second of a request made or
withdrawn, and so does the requester's own; a full-access grantee, who may not see requests
(the policy's SEE_ACCESS_REQUESTS), gets none for them, and their stream goes on with the next
change they may see."""

from __future__ import annotations

import time

import pytest

from cartshare.activity.models import CartActivity
from cartshare.activity.services import Verb
from cartshare.live.streams import Subscription, catch_up
from cartshare.sharing.models import AccessLevel
from tests.api.client import token_for
from tests.live.loops import run
from tests.live.test_event_streams import WITHIN, api, dev_server, follow  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db(transaction=True)


def _quiet(stream, seconds: float = 1.5) -> None:
    """No cart.changed within `seconds`."""
    with pytest.raises(AssertionError, match=r"no cart\.changed event"):
        stream.next("cart.changed", timeout=seconds)


def test_a_request_wakes_who_answers_it_and_the_requester_not_other_grantees(
    world,
    dev_server,  # noqa: F811 (the fixture imported above)
):
    cart = world.trade_fair
    alice = follow(dev_server, cart, world.alice)
    bob = follow(dev_server, cart, world.bob)
    frank = follow(dev_server, cart, world.frank)
    time.sleep(0.3)  # the streams have looked once
    path = f"/carts/{cart.pk}/access-requests"
    started = time.monotonic()
    asked = api(dev_server, "POST", path, token_for(world.frank), {"permission": "FULL_ACCESS"})
    assert asked == 201
    row = CartActivity.objects.get(cart=cart, verb=Verb.ACCESS_REQUESTED)
    assert alice.next("cart.changed", timeout=WITHIN).id == str(row.pk)
    assert time.monotonic() - started < WITHIN
    assert frank.next("cart.changed", timeout=WITHIN).id == str(row.pk)  # his own
    _quiet(bob)
    # Bob's stream goes on: his next event is the next change he may see.
    bob_token = token_for(world.bob)
    comment = {"text": "Frank wants to order"}
    assert api(dev_server, "POST", f"/carts/{cart.pk}/comments", bob_token, comment) == 201
    assert int(bob.next("cart.changed", timeout=WITHIN).id) > row.pk
    alice.next("cart.changed", timeout=WITHIN)  # the comment
    # Withdrawn: the owner's stream again, not Bob's.
    request_id = row.details["request_id"]
    withdraw = f"/access-requests/{request_id}"
    assert api(dev_server, "DELETE", withdraw, token_for(world.frank)) == 204
    withdrawn = CartActivity.objects.get(cart=cart, verb=Verb.ACCESS_REQUEST_WITHDRAWN)
    assert alice.next("cart.changed", timeout=WITHIN).id == str(withdrawn.pk)
    _quiet(bob)
    for stream in (alice, bob, frank):
        stream.close()


def test_a_catch_up_over_rows_a_person_may_not_see_sends_nothing_and_moves_on(world):
    """The stream's own rule, in process: Bob's catch-up after a request has no event, and
    starts after that row next time; the owner's has the cart.changed."""
    from cartshare.sharing import access_requests

    cart = world.trade_fair
    before = CartActivity.objects.filter(cart=cart).order_by("-id").values_list("id", flat=True)
    last = before.first() or 0
    access_requests.access_request_create(cart=cart, actor=world.frank, permission="FULL_ACCESS")
    row = CartActivity.objects.get(cart=cart, verb=Verb.ACCESS_REQUESTED)

    def subscription(person, level):
        return Subscription(actor=person, cart_id=cart.pk, level=level, last_id=last)

    bob = subscription(world.bob, AccessLevel.FULL_ACCESS)
    alice = subscription(world.alice, AccessLevel.OWNER)

    async def both():
        return await catch_up(bob), await catch_up(alice)

    bob_events, alice_events = run(both)
    assert not any("cart.changed" in event for event in bob_events)
    assert bob.last_id == row.pk and not bob.ended
    assert any(event.startswith(f"id: {row.pk}\nevent: cart.changed") for event in alice_events)
