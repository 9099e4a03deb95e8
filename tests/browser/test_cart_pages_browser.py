"""My carts and the cart page in Chromium: a quantity change shows the new total, a read-only
colleague gets no controls, and both pages reflow on a 390px-wide phone (screenshots in /tmp)."""

import os
import re

import pytest
from django.test import Client

from cartshare.sharing.models import SharePermission
from tests.carts.helpers import company_customer
from tests.factories import (
    BusinessUnitFactory,
    CartFactory,
    CartItemFactory,
    CartShareFactory,
    ProductFactory,
)

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


@pytest.fixture
def shop():
    unit = BusinessUnitFactory(name="Berlin HQ")
    alice = company_customer(unit, name="Alice Archer", email="alice@shot.example")
    bob = company_customer(unit, name="Bob Brandt", email="bob@shot.example")
    office = CartFactory(owner=alice, name="Office supplies", note="Deliver to reception.")
    products = [
        ("Ballpoint pens, blue (10 pack)", "PEN-BLU-10", 449, 3),
        ("Copy paper A4, 500 sheets", "PAP-A4-500", 599, 10),
        ("Heavy-duty stapler", "STA-HD-01", 2499, 1),
    ]
    for name, sku, price, quantity in products:
        product = ProductFactory(name=name, sku=sku, unit_price=price)
        CartItemFactory(cart=office, product=product, quantity=quantity)
    fair = CartFactory(owner=alice, name="Trade fair")
    CartItemFactory(cart=fair, product=ProductFactory(name="Roll-up banner"), quantity=2)
    bobs = CartFactory(owner=bob, name="Bob's cart")
    CartItemFactory(cart=bobs, product=ProductFactory(name="Desk lamp", unit_price=3450))
    alice.active_cart = office
    alice.save(update_fields=["active_cart"])
    bob.active_cart = bobs
    bob.save(update_fields=["active_cart"])
    CartShareFactory(
        cart=office, company_user=bob.company_user, permission=SharePermission.READ_ONLY
    )
    CartShareFactory(
        cart=bobs, company_user=alice.company_user, permission=SharePermission.FULL_ACCESS
    )
    return alice, bob, office


def test_owner_changes_a_quantity_and_sees_the_new_total(new_page, live_server, shop):
    alice, _, _ = shop
    page = new_page()
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, alice, live_server)
    page.goto("/carts/")
    page.screenshot(path=f"{SHOTS}/my-carts-desktop.png", full_page=True)
    page.locator("details.confirm summary", has_text="Trade fair").click()
    page.screenshot(path=f"{SHOTS}/my-carts-delete-confirm.png")
    page.locator("details.confirm summary", has_text="Trade fair").click()
    page.get_by_role("link", name="Office supplies", exact=True).click()
    assert page.locator(".grand-total dd").inner_text() == "€98.36"
    page.get_by_label("Quantity of Heavy-duty stapler").fill("2")
    page.get_by_role("button", name="Update Heavy-duty stapler").click()
    page.wait_for_load_state()
    assert "Heavy-duty stapler: quantity is now 2." in page.locator(".messages").inner_text()
    assert page.locator(".grand-total dd").inner_text() == "€123.35"
    page.screenshot(path=f"{SHOTS}/cart-desktop.png", full_page=True)
    page.locator("details.confirm summary", has_text="Clear cart").click()
    page.screenshot(path=f"{SHOTS}/cart-clear-confirm.png")


def test_read_only_colleague_sees_the_banner_and_no_controls(new_page, live_server, shop):
    _, bob, office = shop
    page = new_page()
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, bob, live_server)
    page.goto(f"/carts/{office.pk}/")
    banner = page.locator(".banner").inner_text()
    assert "Shared with you by Alice Archer — your access: Read-only" in banner
    assert page.locator("input[name=quantity]").count() == 0
    assert page.get_by_role("button", name=re.compile("Remove|Clear|Save")).count() == 0
    page.screenshot(path=f"{SHOTS}/cart-read-only-desktop.png", full_page=True)


def test_pages_reflow_on_a_phone(new_page, live_server, shop):
    alice, _, office = shop
    page = new_page()
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, alice, live_server)
    for path, name in [("/carts/", "my-carts"), (f"/carts/{office.pk}/", "cart")]:
        page.goto(path)
        width = page.evaluate("document.documentElement.scrollWidth")
        page.screenshot(path=f"{SHOTS}/{name}-phone.png", full_page=True)
        assert width <= 390, f"{path} scrolls sideways on a phone ({width}px)"
