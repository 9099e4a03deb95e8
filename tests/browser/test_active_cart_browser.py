"""In Chromium, on a desktop and a phone screen: the product page's cart picker fills the cart
picked (which becomes active) and keeps the place; when the active cart is ordered by someone
else, the next page says which cart "Add to cart" fills now (issue 14 part 4)."""

import pytest

from cartshare.orders.services import cart_checkout
from tests.browser.conftest import logged_in_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VIEWPORTS = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}


@pytest.mark.parametrize("screen", list(VIEWPORTS))
def test_bob_picks_the_shared_cart_adds_to_it_and_is_told_when_it_is_ordered(
    new_page, live_server, world, screen
):
    page = logged_in_page(new_page, live_server, world.bob)
    page.set_viewport_size(VIEWPORTS[screen])
    product = f"/products/{world.lamp.sku}/"
    page.goto(product)
    picker = page.get_by_label("Into cart")
    assert picker.is_visible()
    assert picker.locator("option").all_inner_texts() == [
        "My cart",
        "Trade fair (shared by Alice Archer)",
    ]
    assert (
        page.locator("#fills-note")
        .inner_text()
        .startswith("“Add to cart” fills your active cart, My cart")
    )
    picker.select_option(label="Trade fair (shared by Alice Archer)")
    page.get_by_label("Quantity").fill("2")
    page.screenshot(path=f"/tmp/fillable-picker-{screen}.png", full_page=True)
    page.get_by_role("button", name="Add to cart").click()
    page.wait_for_load_state()
    assert page.url.endswith(product)  # the place in the catalogue is kept
    assert page.get_by_text(
        "Added 2 \N{MULTIPLICATION SIGN} Desk lamp to “Trade fair” (now 2 in the cart). "
        "“Trade fair” is now your active cart."
    ).is_visible()
    assert page.get_by_label("Into cart").input_value() == str(world.trade_fair.pk)
    assert world.item(world.trade_fair, world.lamp).quantity == 2

    trade_fair = type(world.trade_fair).objects.get(pk=world.trade_fair.pk)
    cart_checkout(cart=trade_fair, actor=world.alice)
    page.goto(product)
    notice = "“Trade fair” was ordered by Alice Archer; “Add to cart” now fills “My cart”."
    assert page.get_by_text(notice).is_visible()
    assert (
        page.locator("#fills-note")
        .inner_text()
        .startswith("“Add to cart” fills your active cart, My cart")
    )
    assert page.get_by_label("Into cart").count() == 0  # one cart left to fill: no choice
    page.screenshot(path=f"/tmp/fillable-moved-on-{screen}.png", full_page=True)
