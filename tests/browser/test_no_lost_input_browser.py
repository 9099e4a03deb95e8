"""No lost input in Chromium (issue 13): Alice and Bob have the cart open. Bob changes the
stapler while Alice types a paper quantity; her (stale) paper edit is applied. Bob changes the
stapler again while Alice types a stapler quantity; her stale stapler edit is refused with
"Bob Brandt changed the quantity of Stapler to 6." and her typed 9 stays in the field, also
when Bob's next change arrives live and when she asks to see it; sent again, it applies.
Screenshots in /tmp/live-shots."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser import test_live_cart_browser as live
from tests.browser.test_accessibility import serious

# The live tests' shop (uvicorn on the test database) and its logged-in pages.
shop, new_shop_page, open_cart = live.shop, live.new_shop_page, live.open_cart
pytestmark, SHOTS = live.pytestmark, live.SHOTS

DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}


def bob_sets(bob, product: str, quantity: str) -> None:
    bob.get_by_label(f"Quantity of {product}").fill(quantity)
    bob.get_by_role("button", name=f"Update {product}").click()
    bob.wait_for_load_state()
    expect(bob.locator(".messages")).to_contain_text(f"{product}: quantity is now {quantity}")


def version_of_form(page, product: str) -> str:
    return page.get_by_label(f"Quantity of {product}").evaluate(
        "field => field.form.elements.version.value"
    )


def test_a_stale_edit_of_another_line_applies_and_a_true_conflict_keeps_the_input(
    world, new_shop_page
):
    cart = world.trade_fair
    loaded = str(cart.version)
    alice = open_cart(new_shop_page, world.alice, cart, DESKTOP)
    bob = open_cart(new_shop_page, world.bob, cart, DESKTOP)

    # 1. Bob changes line A (stapler) while Alice types into line B (paper): her form stays
    # at the version she loaded, and sending it merges.
    alice.get_by_label("Quantity of Paper A4").fill("12")
    bob_sets(bob, "Stapler", "4")
    expect(alice.locator(".cart-live-status")).to_contain_text("your input is kept", timeout=1500)
    assert version_of_form(alice, "Paper A4") == loaded  # stale
    alice.get_by_role("button", name="Update Paper A4").click()
    alice.wait_for_load_state()
    expect(alice.locator(".messages")).to_contain_text("Paper A4: quantity is now 12")
    expect(alice.get_by_label("Quantity of Stapler")).to_have_value("4")  # Bob's change kept
    expect(alice.get_by_label("Quantity of Paper A4")).to_have_value("12")
    alice.wait_for_timeout(300)  # the stream reconnects on the new page

    # 2. Bob changes line A again while Alice types into line A: a true conflict.
    alice.get_by_label("Quantity of Stapler").fill("9")
    bob_sets(bob, "Stapler", "6")
    expect(alice.locator(".cart-live-status")).to_contain_text("your input is kept", timeout=1500)
    alice.get_by_role("button", name="Update Stapler").click()
    alice.wait_for_load_state()
    conflict = alice.locator(".line-conflict")
    expect(conflict).to_contain_text("Bob Brandt changed the quantity of Stapler to 6.")
    expect(alice.get_by_label("Quantity of Stapler")).to_have_value("9")
    expect(alice.get_by_label("Quantity of Stapler")).to_have_attribute(
        "aria-describedby", conflict.get_attribute("id")
    )
    alice.screenshot(path=f"{SHOTS}/conflict-desktop.png", full_page=True)
    assert serious(alice) == []  # axe: no critical or serious violation
    alice.set_viewport_size(PHONE)
    alice.screenshot(path=f"{SHOTS}/conflict-phone.png", full_page=True)
    assert serious(alice) == []
    alice.set_viewport_size(DESKTOP)
    alice.wait_for_timeout(300)  # the stream connects

    # 3. Bob's next change reaches the conflict page live without replacing Alice's 9.
    bob_sets(bob, "Paper A4", "15")
    expect(alice.locator(".cart-live-status")).to_contain_text("your input is kept", timeout=1500)
    expect(alice.get_by_label("Quantity of Stapler")).to_have_value("9")
    alice.screenshot(path=f"{SHOTS}/conflict-kept-live.png", full_page=True)
    alice.locator(".cart-live-status").get_by_role("button", name="Show the changes").click()
    expect(alice.get_by_label("Quantity of Paper A4")).to_have_value("15")
    expect(alice.get_by_label("Quantity of Stapler")).to_have_value("9")  # still kept

    # 4. Sent again, Alice's 9 applies (Bob's paper change since then is another line).
    alice.get_by_role("button", name="Update Stapler").click()
    alice.wait_for_load_state()
    expect(alice.locator(".messages")).to_contain_text("Stapler: quantity is now 9")
    expect(alice.get_by_label("Quantity of Paper A4")).to_have_value("15")
    quantities = dict(cart.items.values_list("product__sku", "quantity"))
    assert quantities == {"STAPLER-1": 9, "PAPER-A4": 15}
