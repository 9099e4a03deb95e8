"""Share links end to end in Chromium, on the demo data (issue 4): alice shares a preview link
that a logged-out browser opens; bob joins through a full-access link after logging in and
changes a quantity; carol (another unit) gets the 403 page; after alice revokes the link, bob's
second browser gets the 410 page.

Labels it relies on: the login form's "E-mail", "Password" and "Log in"; the cart page's
"Quantity of {product}" field and "Update {product}" button."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from cartshare.accounts.management.demo import load_demo_data
from tests.browser.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = "/tmp/links-e2e-"


def share_path(url: str) -> str:
    return "/share/" + url.rsplit("/share/", 1)[1]


def test_preview_and_full_access_links_end_to_end(new_page):
    from cartshare.carts.models import Cart, CartItem

    load_demo_data()
    cart = Cart.objects.get(owner__email="alice@acme.example", name="Office supplies")
    item = CartItem.objects.select_related("product").filter(cart=cart).order_by("id").first()
    product = item.product.name

    # Alice creates a preview link on her cart's share page (the old "Share by link" address).
    alice = new_page()
    log_in(alice, "alice@acme.example")
    alice.goto(f"/carts/{cart.pk}/links/")
    alice.get_by_role("button", name="Create preview link").click()
    expect(alice.get_by_label("Preview link to copy")).to_be_visible()
    preview_url = alice.get_by_label("Preview link to copy").input_value()

    # A logged-out browser opens it and sees the items and the total.
    stranger = new_page()
    stranger.goto(share_path(preview_url))
    assert stranger.get_by_role("heading", name="Office supplies").is_visible()
    assert stranger.get_by_role("cell", name=product).is_visible()
    assert stranger.locator("tfoot").get_by_text(re.compile(r"€[\d,]+\.\d\d")).is_visible()
    stranger.screenshot(path=SHOTS + "preview.png", full_page=True)

    # Alice creates a full-access link; bob opens it logged out, logs in and lands back.
    alice.get_by_role("button", name="Create full access link").click()
    expect(alice.get_by_label("Full access link to copy")).to_be_visible()
    full_url = alice.get_by_label("Full access link to copy").input_value()
    bob = new_page()
    bob.goto(share_path(full_url))
    assert "/login/" in bob.url
    bob.get_by_label("E-mail").fill("bob@acme.example")
    bob.get_by_label("Password").fill("demo1234")
    bob.get_by_role("button", name="Log in").click()
    bob.wait_for_url(re.compile(r"/share/join/\d+$"))
    assert bob.get_by_text("Alice Archer").first.is_visible()
    bob.screenshot(path=SHOTS + "accept.png", full_page=True)

    # He accepts, lands on the cart, and changes a quantity.
    bob.get_by_role("button", name="Open cart").click()
    bob.wait_for_url(f"**/carts/{cart.pk}/")
    bob.get_by_label(f"Quantity of {product}").fill("7")
    with bob.expect_navigation():
        bob.get_by_role("button", name=f"Update {product}").click()
    item.refresh_from_db()
    assert item.quantity == 7

    # Carol, in another business unit, gets the 403 page.
    carol = new_page()
    log_in(carol, "carol@acme.example")
    response = carol.goto(share_path(full_url))
    assert response.status == 403
    assert carol.get_by_text("This link is for colleagues in Berlin HQ").is_visible()

    # Alice revokes the link; bob's second browser gets the 410 page.
    alice.goto(f"/carts/{cart.pk}/links/")
    alice.locator("#share-full_access").get_by_text("Revoke").first.click()  # asks first
    alice.locator("#share-full_access").get_by_role("button", name="Yes, revoke it").click()
    expect(alice.get_by_text("The link is revoked")).to_be_visible()
    bob_again = new_page()
    log_in(bob_again, "bob@acme.example")
    response = bob_again.goto(share_path(full_url))
    assert response.status == 410
    assert bob_again.get_by_text("Ask Alice Archer for a new link").is_visible()
    bob_again.screenshot(path=SHOTS + "410.png", full_page=True)
