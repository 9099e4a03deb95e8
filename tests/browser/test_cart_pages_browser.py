"""My carts and the cart page in Chromium: a quantity change shows the new total, a read-only
colleague gets no controls, and both pages reflow on a 390px-wide phone (screenshots in /tmp)."""

import os
import re

import pytest
from django.test import Client

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = os.environ.get("SCREENSHOT_DIR", "/tmp/found-carts-shots")
os.makedirs(SHOTS, exist_ok=True)


def sign_in(page, customer, live_server):
    """Log in through a session cookie: these tests are about the cart pages, not the login."""
    client = Client()
    client.force_login(customer)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


def test_owner_changes_a_quantity_and_sees_the_new_total(world, new_page, live_server):
    page = new_page()
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, world.alice, live_server)
    page.goto("/carts/")
    page.screenshot(path=f"{SHOTS}/my-carts-desktop.png", full_page=True)
    page.locator("details.confirm summary", has_text="Office supplies").click()
    page.screenshot(path=f"{SHOTS}/my-carts-delete-confirm.png")
    page.locator("details.confirm summary", has_text="Office supplies").click()
    page.get_by_role("link", name="Trade fair", exact=True).click()
    assert page.locator(".grand-total dd").inner_text() == "€74.90"  # 2 x 12.50 + 10 x 4.99
    page.get_by_label("Quantity of Stapler").fill("3")
    page.get_by_role("button", name="Update Stapler").click()
    page.wait_for_load_state()
    assert "Stapler: quantity is now 3." in page.locator(".messages").inner_text()
    assert page.locator(".grand-total dd").inner_text() == "€87.40"
    page.screenshot(path=f"{SHOTS}/cart-desktop.png", full_page=True)
    page.locator("details.confirm summary", has_text="Clear cart").click()
    page.screenshot(path=f"{SHOTS}/cart-clear-confirm.png")


def test_read_only_colleague_sees_the_banner_and_no_controls(world, new_page, live_server):
    page = new_page()
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, world.frank, live_server)
    page.goto(f"/carts/{world.trade_fair.pk}/")
    banner = page.locator(".banner").inner_text()
    assert "Shared with you by Alice Archer — your access: Read-only" in banner
    assert page.locator("input[name=quantity]").count() == 0
    assert page.get_by_role("button", name=re.compile("Remove|Clear|Save")).count() == 0
    page.screenshot(path=f"{SHOTS}/cart-read-only-desktop.png", full_page=True)


def test_pages_reflow_on_a_phone(world, new_page, live_server):
    page = new_page()
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, world.alice, live_server)
    for path, name in [("/carts/", "my-carts"), (f"/carts/{world.trade_fair.pk}/", "cart")]:
        page.goto(path)
        width = page.evaluate("document.documentElement.scrollWidth")
        page.screenshot(path=f"{SHOTS}/{name}-phone.png", full_page=True)
        assert width <= 390, f"{path} scrolls sideways on a phone ({width}px)"
