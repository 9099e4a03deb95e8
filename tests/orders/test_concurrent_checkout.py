"""Two people press "Place order" on the same cart at the same moment (spec §7, §8)."""

import threading

import pytest

from cartshare.carts.models import Cart, CartStatus
from cartshare.common.errors import Conflict
from cartshare.orders.models import Order
from cartshare.orders.services import cart_checkout

CALLERS_WHO_ORDER = ["owner", "full_access"]

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
]


def test_two_concurrent_checkouts_of_one_cart_create_exactly_one_order(world):
    version = world.trade_fair.version
    start = threading.Barrier(2)
    outcomes: dict[str, object] = {}

    def check_out(caller: str) -> None:
        from django.db import connections

        try:
            cart = Cart.objects.get(pk=world.trade_fair.pk)
            start.wait(timeout=10)
            outcomes[caller] = cart_checkout(
                cart=cart, actor=world.caller(caller), expected_version=version
            )
        except Exception as error:  # recorded and asserted below
            outcomes[caller] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=check_out, args=(caller,)) for caller in CALLERS_WHO_ORDER]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    orders = [outcome for outcome in outcomes.values() if isinstance(outcome, Order)]
    refusals = [outcome for outcome in outcomes.values() if not isinstance(outcome, Order)]
    assert len(orders) == 1, outcomes
    assert len(refusals) == 1 and isinstance(refusals[0], Conflict), outcomes
    assert "already been ordered" in refusals[0].message
    assert Order.objects.count() == 1
    assert Order.objects.get().lines.count() == 2
    world.trade_fair.refresh_from_db()
    assert (world.trade_fair.status, world.trade_fair.version) == (CartStatus.ORDERED, version + 1)
