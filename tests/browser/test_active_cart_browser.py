"""In Chromium, on a desktop (1280x800) and a phone (390x844) screen (issue 14 part 4, spec §2):
the product page says which cart "Add to cart" fills and lets you pick another (which becomes
active), adding keeps your place in the catalogue (product page, search results); a read-only
cart is never offered as the active cart; when the active cart stops being one you can fill
(someone ordered it, your access was lowered), the next page says which cart is filled now.
axe runs on every page they visit: no critical or serious violation."""

import pytest

from cartshare.carts.models import Cart
from cartshare.orders.services import cart_checkout
from cartshare.sharing.models import CartShare
from cartshare.sharing.services import cart_share_update
from tests.browser.conftest import logged_in_page
from tests.browser.screens import SCREENS, look, on_screen

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHARED = "Trade fair (shared by Alice Archer)"


@pytest.mark.parametrize("screen", list(SCREENS))
def test_bob_picks_the_shared_cart_adds_to_it_and_is_told_when_it_is_ordered(
    new_page, live_server, world, screen
):
    page = on_screen(logged_in_page(new_page, live_server, world.bob), screen)
    product = f"/products/{world.lamp.sku}/"
    page.goto(product)
    look(page, "fill-product", screen)
    picker = page.get_by_label("Into cart")
    assert picker.is_visible()
    assert picker.locator("option").all_inner_texts() == ["My cart", SHARED]
    assert (
        page.locator("#fills-note")
        .inner_text()
        .startswith("“Add to cart” fills your active cart, My cart")
    )
    picker.select_option(label=SHARED)
    page.get_by_label("Quantity").fill("2")
    page.get_by_role("button", name="Add to cart").click()
    look(page, "fill-added", screen)
    assert page.url.endswith(product)  # the place in the catalogue is kept
    assert page.get_by_text(
        "Added 2 \N{MULTIPLICATION SIGN} Desk lamp to “Trade fair” (now 2 in the cart). "
        "“Trade fair” is now your active cart."
    ).is_visible()
    assert page.get_by_label("Into cart").input_value() == str(world.trade_fair.pk)
    assert world.item(world.trade_fair, world.lamp).quantity == 2

    cart_checkout(cart=Cart.objects.get(pk=world.trade_fair.pk), actor=world.alice)
    page.goto(product)
    look(page, "fill-moved-on", screen)
    notice = "“Trade fair” was ordered by Alice Archer; “Add to cart” now fills “My cart”."
    assert page.get_by_text(notice).is_visible()
    assert (
        page.locator("#fills-note")
        .inner_text()
        .startswith("“Add to cart” fills your active cart, My cart")
    )
    assert page.get_by_label("Into cart").count() == 0  # one cart left to fill: no choice


@pytest.mark.parametrize("screen", list(SCREENS))
def test_bob_fills_another_cart_from_search_results_and_stays_on_them(
    new_page, live_server, world, screen
):
    page = on_screen(logged_in_page(new_page, live_server, world.bob), screen)
    page.goto("/?q=lamp")
    look(page, "fill-search", screen)
    bar = page.locator("form.fills-bar")
    bar.get_by_label("“Add to cart” fills").select_option(label=SHARED)
    bar.get_by_role("button", name="Fill this cart").click()
    look(page, "fill-search-chosen", screen)
    assert page.url.endswith("/?q=lamp")
    assert page.get_by_label("“Add to cart” fills").input_value() == str(world.trade_fair.pk)
    card = page.locator("li.product-card").filter(has_text="Desk lamp")
    card.get_by_role("button", name="Add to cart").click()
    look(page, "fill-search-added", screen)
    assert page.url.endswith("/?q=lamp")  # still on the search results
    assert world.item(world.trade_fair, world.lamp).quantity == 1


@pytest.mark.parametrize("screen", list(SCREENS))
def test_a_read_only_cart_is_never_offered_as_the_active_cart(new_page, live_server, world, screen):
    page = on_screen(logged_in_page(new_page, live_server, world.frank), screen)
    page.goto("/carts/")
    look(page, "read-only-list", screen)
    row = page.locator("tr, li").filter(has_text="Trade fair").last
    assert row.get_by_role("button", name="Make active").count() == 0
    page.goto(f"/carts/{world.trade_fair.pk}/")
    look(page, "read-only-cart", screen)
    assert page.get_by_role("button", name="Make active").count() == 0
    page.goto(f"/products/{world.lamp.sku}/")
    look(page, "read-only-product", screen)
    assert page.get_by_label("Into cart").count() == 0  # "My cart" is the one he can fill
    assert (
        page.locator("#fills-note")
        .inner_text()
        .startswith("“Add to cart” fills your active cart, My cart")
    )


@pytest.mark.parametrize("screen", list(SCREENS))
def test_bob_is_told_when_his_access_to_the_active_cart_is_lowered(
    new_page, live_server, world, screen
):
    page = on_screen(logged_in_page(new_page, live_server, world.bob), screen)
    page.goto(f"/carts/{world.trade_fair.pk}/")
    page.get_by_role("button", name="Make active").click()
    look(page, "lowered-before", screen)
    grant = CartShare.objects.get(cart=world.trade_fair, company_user__customer=world.bob)
    cart_share_update(share=grant, actor=world.alice, permission="READ_ONLY")

    page.goto("/")
    look(page, "lowered-after", screen)
    notice = "Your access to “Trade fair” is now read-only; “Add to cart” now fills “My cart”."
    assert page.get_by_text(notice).is_visible()
    assert page.get_by_label("“Add to cart” fills").count() == 0  # one fillable cart
