"""In Chromium, on a desktop (1280x800) and a phone (390x844) screen (issue 14 part 3, spec §10):
Greta, a contributor on alice's "Trade fair", adds the lamp from its product page, sees every
line say who added it, changes her own line (quantity and note) and is offered no control over
alice's lines; alice writes an item note, which shows on the cart, the preview and the order.
axe runs on every page they visit: no critical or serious violation."""

import pytest

from cartshare.carts.models import Cart
from cartshare.orders.services import cart_checkout
from tests.browser.conftest import logged_in_page
from tests.browser.screens import SCREENS, look, on_screen

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def product_cell(page, name: str):
    return page.locator("td.product-cell").filter(has=page.get_by_role("link", name=name))


@pytest.mark.parametrize("screen", list(SCREENS))
def test_greta_contributes_her_line_and_alice_notes_hers_on_cart_preview_and_order(
    new_page, live_server, world, screen
):
    world.share(world.trade_fair, world.greta, "CONTRIBUTOR")
    greta = on_screen(logged_in_page(new_page, live_server, world.greta), screen)
    greta.goto(f"/products/{world.lamp.sku}/")
    greta.get_by_label("Into cart").select_option(label="Trade fair (shared by Alice Archer)")
    look(greta, "contributor-product", screen)
    greta.get_by_role("button", name="Add to cart").click()
    look(greta, "contributor-added", screen)
    assert world.item(world.trade_fair, world.lamp).added_by == world.greta

    greta.goto(f"/carts/{world.trade_fair.pk}/")
    look(greta, "contributor-cart", screen)
    assert product_cell(greta, "Desk lamp").get_by_text("added by Greta Gruber").is_visible()
    assert product_cell(greta, "Stapler").get_by_text("added by Alice Archer").is_visible()
    assert product_cell(greta, "Paper A4").get_by_text("added by Alice Archer").is_visible()
    # her own line only: no quantity, note or remove control on alice's lines
    assert greta.get_by_label("Quantity of Stapler").count() == 0
    assert greta.get_by_label("Note on Stapler").count() == 0
    assert greta.get_by_role("button", name="Remove Stapler").count() == 0
    assert greta.get_by_role("button", name="Rename").count() == 0
    greta.get_by_label("Quantity of Desk lamp").fill("3")
    greta.get_by_role("button", name="Update Desk lamp").click()
    look(greta, "contributor-updated", screen)
    greta.get_by_label("Note on Desk lamp").fill("For the booth")
    greta.get_by_role("button", name="Save note on Desk lamp").click()
    look(greta, "contributor-noted", screen)
    lamp = world.item(world.trade_fair, world.lamp)
    assert (lamp.quantity, lamp.note) == (3, "For the booth")

    alice = on_screen(logged_in_page(new_page, live_server, world.alice), screen)
    alice.goto(f"/carts/{world.trade_fair.pk}/")
    assert product_cell(alice, "Desk lamp").get_by_text("added by Greta Gruber").is_visible()
    alice.get_by_label("Note on Stapler").fill("Red ones, please")
    alice.get_by_role("button", name="Save note on Stapler").click()
    look(alice, "owner-noted", screen)
    assert world.item(world.trade_fair, world.stapler).note == "Red ones, please"
    greta.reload()
    assert product_cell(greta, "Stapler").get_by_text("Note: Red ones, please").is_visible()

    token = world.link(world.trade_fair, "PREVIEW")
    visitor = on_screen(new_page(), screen)
    visitor.goto(f"/share/{token}")
    look(visitor, "preview-notes", screen)
    shown = visitor.get_by_role("main").inner_text()
    assert "Note: Red ones, please" in shown and "Note: For the booth" in shown
    assert "Greta Gruber" not in shown and "added by" not in shown  # a preview names nobody

    order = cart_checkout(cart=Cart.objects.get(pk=world.trade_fair.pk), actor=world.alice)
    alice.goto(f"/orders/{order.reference}/")
    look(alice, "order-notes", screen)
    shown = alice.get_by_role("main").inner_text()
    assert "Note: Red ones, please" in shown and "Note: For the booth" in shown
