"""A Content-Security-Policy on every page, and no page breaks it: Chromium reports no violation
(no inline script or style, nothing from elsewhere) on the shop's pages, the share-link pages,
the back office and the API docs, and their scripts still run. With the database cache table."""

from __future__ import annotations

import pytest

from cartshare.accounts.management.demo import load_demo_data
from cartshare.accounts.models import Customer
from tests.browser.conftest import logged_in_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


class ViolationRecorder:
    def __init__(self, page) -> None:
        self.violations: list[str] = []
        page.on("console", lambda message: self._console(message))
        page.on("pageerror", lambda error: self.violations.append(f"page error: {error}"))
        page.add_init_script(
            "document.addEventListener('securitypolicyviolation', e => "
            "console.error('CSP violation: ' + e.violatedDirective + ' ' + e.blockedURI));"
        )

    def _console(self, message) -> None:
        text = message.text
        if "Content Security Policy" in text or "CSP violation" in text:
            self.violations.append(text)


def test_the_api_docs_run_under_their_policy(new_page, database_cache):
    page = new_page()
    recorder = ViolationRecorder(page)
    response = page.goto("/api/v1/docs")
    assert "default-src 'self'" in response.headers["content-security-policy"]
    page.get_by_text("/api/v1/carts/{cart_id}/items").first.wait_for()
    page.get_by_text("/api/v1/carts/{cart_id}/items").first.click()
    page.get_by_role("button", name="Try it out").first.click()
    page.get_by_role("button", name="Authorize").first.click()
    page.get_by_role("button", name="Close").first.click()
    page.get_by_role("button", name="Schemas").first.click()
    page.wait_for_timeout(500)
    assert page.locator(".opblock-body").first.is_visible()
    assert recorder.violations == []


def test_no_page_of_the_shop_breaks_the_policy_and_their_scripts_run(
    new_page, live_server, database_cache
):
    from cartshare.carts.models import Cart
    from cartshare.sharing.link_services import share_link_get_or_create

    load_demo_data()
    cart = Cart.objects.get(owner__email="alice@acme.example", name="Office supplies")
    links = {
        option: share_link_get_or_create(
            cart=cart, actor=cart.owner, share_option=option, base_url=live_server.url
        )[1]
        for option in ("PREVIEW", "FULL_ACCESS")
    }
    visits = {
        None: ["/", "/login/", "/register/", links["PREVIEW"], "/share/not-a-token"],
        "alice@acme.example": [
            "/",
            "/products/" + cart.items.first().product.sku + "/",
            "/carts/",
            f"/carts/{cart.pk}/",
            f"/carts/{cart.pk}/links/",
            f"/carts/{cart.pk}/share/",
            f"/carts/{cart.pk}/discussion/",
            f"/carts/{cart.pk}/checkout/",
            "/orders/",
            "/account/password/",
            "/logout/",
        ],
        "bob@acme.example": [links["FULL_ACCESS"], links["PREVIEW"]],
        "admin@cartshare.example": [
            "/admin/",
            "/admin/carts/cart/",
            f"/admin/carts/cart/{cart.pk}/change/",
        ],
    }
    for email, addresses in visits.items():
        page = (
            logged_in_page(new_page, live_server, Customer.objects.get(email=email))
            if email
            else new_page()
        )
        recorder = ViolationRecorder(page)
        for address in addresses:
            response = page.goto(address)
            assert "script-src 'self'" in response.headers["content-security-policy"], address
            page.wait_for_load_state("load")
            if "/share/" in address and response.ok and "Print" in page.content():
                page.get_by_role("button", name="Print").wait_for()  # shown by share.js
        assert recorder.violations == [], email


def test_the_links_page_copy_button_works_under_the_policy(new_page, live_server, database_cache):
    from cartshare.carts.models import Cart

    load_demo_data()
    cart = Cart.objects.get(owner__email="alice@acme.example", name="Office supplies")
    page = logged_in_page(new_page, live_server, Customer.objects.get(email="alice@acme.example"))
    recorder = ViolationRecorder(page)
    page.goto(f"/carts/{cart.pk}/links/")
    page.get_by_role("button", name="Create preview link").click()
    page.locator("#share-preview").get_by_role("button", name="Copy").wait_for()  # share.js ran
    assert recorder.violations == []
