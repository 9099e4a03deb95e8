"""End to end, as a shopper would (issue 2): alice logs in, adds a product from the product list
to her active cart, opens the cart from the header and sees its total grow.

Markup this test relies on (keep it when changing the pages):
- login form: fields labelled "E-mail" and "Password", button "Log in" (tests/browser/conftest.py);
- product list (/): each product card is a <form> with a field labelled "Quantity" and a button
  "Add to cart";
- header: a link to the active cart whose accessible name starts with "Active cart:";
- cart page: the grand total, formatted by the `money` filter, in the element `#cart-grand-total`
  (or, until that id is there, the <dd> of `.grand-total`).
"""

from __future__ import annotations

import pytest

from cartshare.accounts.management.demo import load_demo_data
from cartshare.accounts.models import Customer
from cartshare.carts.models import CartItem
from cartshare.carts.selectors import active_cart_id
from cartshare.storefront.templatetags.shop import money
from tests.browser.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = "/tmp/infra-e2e"


def quantities_in(cart_id) -> dict[str, tuple[int, int]]:
    """SKU -> (quantity, unit price) of every item in the cart, read from the database."""
    return {
        item.product.sku: (item.quantity, item.product.unit_price)
        for item in CartItem.objects.filter(cart_id=cart_id).select_related("product")
    }


def grand_total(items: dict[str, tuple[int, int]]) -> int:
    return sum(quantity * unit_price for quantity, unit_price in items.values())


def test_alice_adds_a_product_from_the_list_and_sees_her_cart_total_change(new_page):
    load_demo_data()
    alice = Customer.objects.get(email="alice@acme.example")
    cart_id = active_cart_id(alice)
    assert cart_id is not None, "the demo data gives alice an active cart"
    before = quantities_in(cart_id)
    currency = alice.carts.get(pk=cart_id).currency

    page = new_page()
    log_in(page, "alice@acme.example")
    page.get_by_role("link", name="Active cart:").first.click()
    total_text = page.locator("#cart-grand-total, .grand-total dd").first
    assert total_text.inner_text().strip() == money(grand_total(before), currency)
    page.screenshot(path=f"{SCREENSHOTS}-cart-before.png", full_page=True)

    page.goto("/")
    card = page.locator("form").filter(has=page.get_by_role("button", name="Add to cart")).first
    card.get_by_label("Quantity").fill("2")
    page.screenshot(path=f"{SCREENSHOTS}-product-list.png", full_page=True)
    with page.expect_response(lambda response: response.request.method == "POST"):
        card.get_by_role("button", name="Add to cart").click()
    page.wait_for_load_state()

    after = quantities_in(cart_id)
    changed = {
        sku: quantity - before.get(sku, (0, 0))[0]
        for sku, (quantity, _) in after.items()
        if quantity != before.get(sku, (0, 0))[0]
    }
    assert list(changed.values()) == [2], f"one product added twice, got {changed}"
    sku = next(iter(changed))
    assert grand_total(after) == grand_total(before) + 2 * after[sku][1]

    page.get_by_role("link", name="Active cart:").first.click()
    page.screenshot(path=f"{SCREENSHOTS}-cart-after.png", full_page=True)
    assert total_text.inner_text().strip() == money(grand_total(after), currency)
    assert grand_total(after) > grand_total(before)
