"""The discussion and checkout pages in Chromium, on this branch's own pages (no login page
needed: the session cookie is set directly). Screenshots go to /tmp/discuss-browser."""

import os

import pytest
from django.test import Client

from cartshare.comments.models import Comment
from cartshare.orders.models import Order

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = os.environ.get("SCREENSHOT_DIR", "/tmp/discuss-browser")
os.makedirs(SHOTS, exist_ok=True)


def signed_in_page(new_page, live_server, customer, width=1280):
    page = new_page()
    page.set_viewport_size({"width": width, "height": 900})
    client = Client()
    client.force_login(customer)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    return page


def test_a_comment_is_written_with_the_keyboard_and_shown_as_text(world, new_page, live_server):
    page = signed_in_page(new_page, live_server, world.frank)
    page.goto(f"/carts/{world.trade_fair.pk}/discussion/")
    page.get_by_label("Add a comment").focus()
    page.keyboard.type('<img src=x onerror="alert(1)"> Is 10 reams enough?')
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")  # the focused "Post comment" button
    page.wait_for_load_state()
    comment = page.locator("#comments .comment").first
    assert comment.locator(".comment-text").inner_text() == (
        '<img src=x onerror="alert(1)"> Is 10 reams enough?'
    )
    assert comment.locator("img").count() == 0
    assert Comment.objects.get().author == world.frank
    page.screenshot(path=f"{SHOTS}/discussion.png", full_page=True)


def test_place_order_is_sent_once_and_lands_on_the_order(world, new_page, live_server):
    page = signed_in_page(new_page, live_server, world.bob, width=390)
    page.goto(f"/carts/{world.trade_fair.pk}/checkout/")
    page.screenshot(path=f"{SHOTS}/checkout-phone.png", full_page=True)
    page.get_by_label("Purchase-order number (optional)").fill("PO-77")
    page.get_by_role("button", name="Continue to confirmation").click()
    page.wait_for_load_state()
    page.screenshot(path=f"{SHOTS}/confirm-phone.png", full_page=True)
    sent = page.evaluate(
        """() => {
            const form = document.querySelector("form[data-once]");
            let sent = 0;
            const count = (event) => {
                if (!event.defaultPrevented) sent += 1;
                event.preventDefault();
            };
            form.addEventListener("submit", count);
            form.requestSubmit();
            form.requestSubmit();
            form.removeEventListener("submit", count);
            return [sent, form.querySelector("button").textContent];
        }"""
    )
    assert sent == [1, "Placing your order…"]  # the second submit was held back
    page.locator("form[data-once]").evaluate("form => form.submit()")
    page.wait_for_url("**/orders/CS-*/")
    order = Order.objects.get()
    assert (
        f"Your order {order.reference} has been placed." in page.locator(".messages").inner_text()
    )
    assert order.purchase_order_number == "PO-77"
    page.screenshot(path=f"{SHOTS}/order-phone.png", full_page=True)
