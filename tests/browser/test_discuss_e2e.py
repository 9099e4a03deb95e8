"""Discussing and ordering a shared cart in Chromium, as the issue tells it: Bob (full access to
Alice's "Trade fair") comments, Alice replies, Bob changes a quantity and checks out; Alice sees
the order in her history and the cart read-only with its activity log.

Runs on the merged shop: it needs the demo data, the login page and the cart page."""

import os
import re

import pytest

from cartshare.carts.models import Cart
from cartshare.orders.models import Order
from tests.browser.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = os.environ.get("SCREENSHOT_DIR", "/tmp/discuss-e2e")
os.makedirs(SHOTS, exist_ok=True)


@pytest.fixture
def trade_fair():
    from cartshare.accounts.management.demo import load_demo_data

    load_demo_data()
    cart = Cart.objects.get(owner__email="alice@acme.example", name="Trade fair")
    item = cart.items.select_related("product").order_by("id").first()
    return cart, item.product.name, item.quantity


def test_bob_and_alice_discuss_and_bob_orders_the_shared_cart(new_page, trade_fair):
    cart, product, quantity = trade_fair
    new_quantity = quantity + 2
    discussion = f"/carts/{cart.pk}/discussion/"

    # Bob asks a question on the shared cart.
    bob = new_page()
    log_in(bob, "bob@acme.example")
    bob.goto(discussion)
    bob.get_by_label("Add a comment").fill(f"Shall we take {new_quantity} of {product}?")
    bob.get_by_role("button", name="Post comment").click()
    bob.wait_for_load_state()
    assert "Your comment was posted." in bob.locator(".messages").inner_text()

    # Alice sees it and replies.
    alice = new_page()
    log_in(alice, "alice@acme.example")
    alice.goto(discussion)
    comments = alice.locator("#comments")
    assert f"Shall we take {new_quantity} of {product}?" in comments.inner_text()
    alice.get_by_label("Add a comment").fill("Yes, please.\nAnd order it today.")
    alice.get_by_role("button", name="Post comment").click()
    alice.wait_for_load_state()
    alice.screenshot(path=f"{SHOTS}/1-alice-replied.png", full_page=True)

    # Bob reads the reply, changes the quantity on the cart page and checks out.
    bob.goto(discussion)
    assert "Yes, please." in bob.locator("#comments .comment").first.inner_text()
    bob.goto(f"/carts/{cart.pk}/")
    bob.get_by_label(f"Quantity of {product}").fill(str(new_quantity))
    bob.get_by_role("button", name=f"Update {product}").click()
    bob.wait_for_load_state()
    bob.goto(f"/carts/{cart.pk}/checkout/")
    bob.get_by_label("Purchase-order number (optional)").fill("PO-FAIR-2026")
    bob.get_by_role("button", name="Continue to confirmation").click()
    bob.wait_for_load_state()
    bob.screenshot(path=f"{SHOTS}/2-bob-confirms.png", full_page=True)
    bob.get_by_role("button", name="Place order").click()
    bob.wait_for_load_state()
    order = Order.objects.get()
    assert re.fullmatch(r"CS-\d{4}-\d{6}", order.reference)
    assert f"Your order {order.reference} has been placed." in bob.locator(".messages").inner_text()
    assert order.lines.get(name=product).quantity == new_quantity
    bob.screenshot(path=f"{SHOTS}/3-bob-order-placed.png", full_page=True)

    # Alice finds the order in her history ...
    alice.goto("/orders/")
    row = alice.locator("tr", has_text=order.reference)
    assert "Bob Brandt" in row.inner_text() and "Trade fair" in row.inner_text()
    row.get_by_role("link", name=order.reference).click()
    alice.wait_for_load_state()
    assert "PO-FAIR-2026" in alice.locator("main").inner_text()

    # ... and the cart read-only: no quantity fields, its activity log tells the story.
    alice.goto(f"/carts/{cart.pk}/")
    assert alice.get_by_label(f"Quantity of {product}").count() == 0
    assert "Ordered" in alice.locator("main").inner_text()
    alice.goto(discussion)
    log = alice.locator("#activity").inner_text()
    assert f"Bob Brandt placed order {order.reference}" in log
    assert f"Bob Brandt changed {product} from {quantity} to {new_quantity}" in log
    assert "Alice Archer commented" in log and "Bob Brandt commented" in log
    alice.screenshot(path=f"{SHOTS}/4-alice-sees-the-log.png", full_page=True)

    # Checking out again is refused with a message, and nothing new is ordered.
    bob.goto(f"/carts/{cart.pk}/checkout/")
    assert "already been ordered" in bob.locator("main").inner_text()
    assert Order.objects.count() == 1
