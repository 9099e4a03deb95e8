"""The cart page on a phone (issue 14 part 7), 390x844: for five items the summary, the items and
the checkout come first (within about two screens), the discussion and the activity are one tap
away, and so is the share dialog; axe finds nothing critical or serious."""

from __future__ import annotations

import os

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import logged_in_page
from tests.browser.test_accessibility import serious
from tests.factories import CommentFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = os.environ.get("SCREENSHOT_DIR", "/tmp/share-dialog-shots")
os.makedirs(SHOTS, exist_ok=True)
PHONE = {"width": 390, "height": 844}


def five_items_and_a_discussion(world):
    cart = world.cart(
        world.alice,
        "Five things",
        items={world.stapler: 2, world.paper: 10, world.pens: 3, world.desk: 1, world.lamp: 4},
        note="For the new office",
        active=True,
    )
    world.share(cart, world.bob, "FULL_ACCESS")
    for number in range(4):
        CommentFactory(cart=cart, author=world.bob, text=f"Comment number {number}")
    return cart


def bottom_of(page, selector: str) -> float:
    return page.locator(selector).first.evaluate(
        "element => element.getBoundingClientRect().bottom + window.scrollY"
    )


@pytest.mark.parametrize("person", ["alice", "bob"])
def test_items_and_checkout_come_first_on_a_phone(world, new_page, live_server, person):
    cart = five_items_and_a_discussion(world)
    page = logged_in_page(new_page, live_server, getattr(world, person))
    page.set_viewport_size(PHONE)
    page.goto(f"/carts/{cart.pk}/")
    page.screenshot(path=f"{SHOTS}/cart-phone-{person}.png", full_page=True)
    page.screenshot(path=f"{SHOTS}/cart-phone-{person}-first-screen.png")
    screen = PHONE["height"]
    assert bottom_of(page, ".item-table tbody tr:last-child") <= 2 * screen
    assert bottom_of(page, "#cart-grand-total") <= 2.2 * screen
    checkout = page.get_by_role("link", name="Check out").or_(
        page.get_by_role("button", name="Check out")
    )
    assert bottom_of(page, ".cart-summary") <= 2.5 * screen
    expect(checkout.first).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert serious(page) == []

    # One tap to the discussion, and one to the activity.
    page.goto(f"/carts/{cart.pk}/")
    page.get_by_role("link", name="Discussion").click()
    expect(page.get_by_text("Comment number 3")).to_be_in_viewport()
    page.goto(f"/carts/{cart.pk}/")
    page.get_by_role("link", name="Activity").click()
    expect(page.locator("#activity")).to_be_in_viewport()
    page.screenshot(path=f"{SHOTS}/cart-phone-{person}-activity.png")

    # One tap to the share dialog, from the first screen.
    page.goto(f"/carts/{cart.pk}/")
    share = page.locator("a[data-share-open]").first
    expect(share).to_be_in_viewport()
    share.click()
    expect(page.get_by_role("dialog")).to_be_visible()
    assert serious(page) == []
