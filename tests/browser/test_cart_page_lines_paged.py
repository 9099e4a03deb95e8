"""A cart whose lines fill several pages, in Chromium (issue 16): the page says which lines it
shows, its page navigation works with and without JavaScript, an edit made on page 2 comes back
to page 2, and axe finds nothing critical or serious (desktop and phone)."""

import pytest
from playwright.sync_api import expect

from cartshare.carts.models import CartItem
from tests.browser.conftest import logged_in_page
from tests.browser.screens import SCREENS, look
from tests.factories import ProductFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
NAV_LABEL = "Pages of the cart\N{RIGHT SINGLE QUOTATION MARK}s lines"
DASH = "\N{EN DASH}"
NEXT = "\N{SINGLE RIGHT-POINTING ANGLE QUOTATION MARK}"


@pytest.fixture
def twelve_lines(world, settings):
    settings.CARTSHARE_LINES_PER_PAGE = 5
    cart = world.cart(world.alice, "Twelve things", items={world.stapler: 2}, active=True)
    CartItem.objects.bulk_create(
        CartItem(cart=cart, product=product, quantity=3, added_by=world.alice)
        for product in ProductFactory.create_batch(11)
    )
    return cart


@pytest.mark.parametrize("screen", list(SCREENS))
def test_the_pages_of_lines_and_an_edit_on_page_two(
    world, new_page, live_server, twelve_lines, screen
):
    page = logged_in_page(new_page, live_server, world.alice)
    page.set_viewport_size(SCREENS[screen])
    page.goto(f"/carts/{twelve_lines.pk}/")
    expect(page.locator(".lines-shown")).to_have_text(f"Lines 1{DASH}5 of 12")
    expect(page.locator(".grand-total dd")).to_have_text("€453.67")  # 2 x 12.50 + 33 x 12.99
    pages = page.get_by_role("navigation", name=NAV_LABEL)
    pages.get_by_role("link", name=f"Next {NEXT}").click()
    expect(page.locator(".lines-shown")).to_have_text(f"Lines 6{DASH}10 of 12")
    assert page.url.endswith("?page=2")
    look(page, "cart-lines-page-2", screen)
    name = page.locator("a.item-name").first.inner_text()
    page.get_by_label(f"Quantity of {name}").fill("4")
    page.get_by_role("button", name=f"Update {name}").click()
    expect(page.locator(".messages")).to_contain_text(f"{name}: quantity is now 4.")
    assert page.url.endswith("?page=2")
    expect(page.locator(".lines-shown")).to_have_text(f"Lines 6{DASH}10 of 12")
    expect(page.locator(".grand-total dd")).to_have_text("€466.66")  # the whole cart's


def test_the_pages_work_without_javascript(world, browser, live_server, twelve_lines):
    from django.test import Client

    client = Client()
    client.force_login(world.alice)
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    try:
        context.add_cookies(
            [
                {
                    "name": "sessionid",
                    "value": client.cookies["sessionid"].value,
                    "url": live_server.url,
                }
            ]
        )
        page = context.new_page()
        page.goto(f"/carts/{twelve_lines.pk}/?page=3")
        expect(page.locator(".lines-shown")).to_have_text(f"Lines 11{DASH}12 of 12")
        page.get_by_role("navigation", name=NAV_LABEL).get_by_role(
            "link", name="1", exact=True
        ).click()
        expect(page.locator(".lines-shown")).to_have_text(f"Lines 1{DASH}5 of 12")
        page.get_by_role("button", name="Remove Stapler").click()
        expect(page.locator(".messages")).to_contain_text("Removed Stapler")
        expect(page.locator(".lines-shown")).to_have_text(f"Lines 1{DASH}5 of 11")
    finally:
        context.close()
