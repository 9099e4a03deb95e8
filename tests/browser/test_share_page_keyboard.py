"""The share page works with the keyboard alone and fits a phone screen."""

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from cartshare.sharing.models import CartShare

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def session_for(page, customer, base_url: str) -> None:
    """A logged-in session without the login form (this test is about the share page)."""
    client = Client()
    client.force_login(customer)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": base_url}]
    )


def test_the_owner_shares_a_cart_using_only_the_keyboard(world, new_page, live_server):

    page = new_page()
    session_for(page, world.alice, live_server.url)
    page.goto(f"/carts/{world.trade_fair.pk}/share/")
    page.screenshot(path="/tmp/sharing-share-page.png", full_page=True)

    add = page.get_by_label("Add people from Berlin HQ")
    add.focus()
    expect(add).to_have_value(str(world.company_user("colleague").pk))  # Greta, the first
    page.keyboard.press("Tab")
    expect(page.get_by_label("Access", exact=True)).to_be_focused()  # Read-only, the first
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Add", exact=True)).to_be_focused()
    page.keyboard.press("Enter")

    expect(page.get_by_text("Greta Gruber: no access → read-only")).to_be_visible()
    page.screenshot(path="/tmp/sharing-share-saved.png", full_page=True)
    assert CartShare.objects.get(company_user__customer=world.greta).permission == "READ_ONLY"

    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    page.screenshot(path="/tmp/sharing-share-phone.png", full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    frank = new_page()
    session_for(frank, world.frank, live_server.url)
    frank.goto(f"/carts/{world.trade_fair.pk}/dismiss/")
    frank.screenshot(path="/tmp/sharing-dismiss.png", full_page=True)
    frank.get_by_role("button", name="Dismiss cart").click()
    assert not CartShare.objects.filter(company_user__customer=world.frank).exists()
