"""End to end in Chromium: alice shares "Office supplies" read-only with bob, bob sees it and
cannot change it, alice raises him to full access, bob changes a quantity, alice sees it.

Assumes from the cart pages (built with the foundation): My carts lists shared carts with a link
named after the cart plus the owner's name and level in the same row/item; the cart page has one
number field per item labelled "Quantity of <product name>" (or "... for ...") inside a form that
Enter submits (its "Update" button), and no such field for read-only users."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from cartshare.accounts.management.demo import load_demo_data
from cartshare.carts.models import Cart, CartItem
from tests.browser.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def choose(page, person: str, level: str) -> None:
    """A level in place for someone with access (share.js posts it when chosen), else "Add"."""
    in_place = page.get_by_label(f"Access for {person}")
    if in_place.count():
        in_place.select_option(label=level)
        return
    add = page.get_by_label("Add people from Berlin HQ")
    add.select_option(add.locator("option", has_text=person).get_attribute("value"))
    page.get_by_label("Access", exact=True).select_option(label=level)
    page.get_by_role("button", name="Add", exact=True).click()


def test_alice_shares_a_cart_read_only_then_with_full_access_and_bob_edits_it(new_page):
    load_demo_data()
    cart = Cart.objects.get(owner__email="alice@acme.example", name="Office supplies")
    item = CartItem.objects.select_related("product").filter(cart=cart).order_by("pk").first()
    quantity_label = re.compile(rf"^Quantity (of|for) {re.escape(item.product.name)}$")
    new_quantity = item.quantity + 4

    # Alice shares the cart read-only with Bob on the share page.
    alice = new_page()
    log_in(alice, "alice@acme.example")
    alice.goto(reverse("storefront:cart_share", args=[cart.pk]))
    choose(alice, "Bob Brandt", "Read-only")
    expect(alice.get_by_text("Bob Brandt: no access → read-only")).to_be_visible()
    alice.screenshot(path="/tmp/sharing-e2e-alice-shared.png", full_page=True)

    # Bob sees it in My carts, with Alice's name and his level, and cannot change it.
    bob = new_page()
    log_in(bob, "bob@acme.example")
    bob.goto(reverse("storefront:cart_list"))
    entry = bob.locator(":is(tr, li, article, .card)").filter(has_text="Office supplies").first
    expect(entry).to_contain_text("Alice Archer")
    expect(entry).to_contain_text(re.compile("read-only", re.IGNORECASE))
    bob.screenshot(path="/tmp/sharing-e2e-bob-list.png", full_page=True)
    entry.get_by_role("link", name="Office supplies", exact=True).first.click()
    expect(bob).to_have_url(re.compile(rf"/carts/{cart.pk}/$"))
    expect(bob.get_by_text(item.product.name).first).to_be_visible()
    expect(bob.get_by_label(quantity_label)).to_have_count(0)
    bob.screenshot(path="/tmp/sharing-e2e-bob-read-only.png", full_page=True)

    # The server refuses his change too, even when posted by hand.
    csrf = next(c["value"] for c in bob.context.cookies() if c["name"] == "csrftoken")
    refused = bob.request.post(
        reverse("storefront:cart_item_update", args=[cart.pk, item.pk]),
        form={"quantity": str(new_quantity), "version": str(cart.version)},
        headers={"X-CSRFToken": csrf},
        max_redirects=0,
    )
    assert refused.status == 403
    item.refresh_from_db()
    assert item.quantity == new_quantity - 4

    # Alice raises Bob to full access.
    alice.reload()
    choose(alice, "Bob Brandt", "Full access")
    expect(alice.get_by_text("Bob Brandt: read-only → full access")).to_be_visible()

    # Bob, on his next request, can change the quantity.
    bob.reload()
    field = bob.get_by_label(quantity_label)
    field.fill(str(new_quantity))
    field.press("Enter")
    bob.wait_for_load_state()
    expect(bob.get_by_label(quantity_label)).to_have_value(str(new_quantity))
    bob.screenshot(path="/tmp/sharing-e2e-bob-full-access.png", full_page=True)

    # Alice reloads her cart and sees Bob's change.
    alice.goto(reverse("storefront:cart_detail", args=[cart.pk]))
    expect(alice.get_by_label(quantity_label)).to_have_value(str(new_quantity))
    alice.screenshot(path="/tmp/sharing-e2e-alice-sees-change.png", full_page=True)
    item.refresh_from_db()
    assert item.quantity == new_quantity
