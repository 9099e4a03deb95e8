"""Live collaboration in Chromium (issue 13): Alice and Bob have the cart open; Bob changes a
quantity and Alice's page shows it without a reload within a second; while Alice is typing in
the items, Bob's change does not throw her input away. Screenshots in /tmp/live-shots."""

from __future__ import annotations

import os
import time

import pytest
from playwright.sync_api import expect

from tests.config.test_server_logs_hold_no_tokens import (
    Server,
    base_environment,
    free_port,
    make_run_command,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = os.environ.get("SCREENSHOT_DIR", "/tmp/live-shots")
os.makedirs(SHOTS, exist_ok=True)


@pytest.fixture(scope="module")
def shop(tmp_path_factory):
    """The shop as `make run` serves it (uvicorn, ASGI: the streams need it; pytest-django's
    live server is WSGI), on the test database."""
    var = tmp_path_factory.mktemp("live-shop")
    port = free_port()
    env = base_environment("database") | {"CARTSHARE_VAR_DIR": str(var)}
    server = Server(make_run_command(port), env, var / "server.log")
    server.wait_ready(port)
    yield f"http://127.0.0.1:{port}"
    server.stop()


@pytest.fixture
def new_shop_page(browser, shop):
    contexts = []

    def open_page(person):
        from django.conf import settings
        from django.test import Client

        client = Client()
        client.force_login(person)
        context = browser.new_context(base_url=shop)
        context.set_default_timeout(10_000)
        context.add_cookies(
            [
                {
                    "name": settings.SESSION_COOKIE_NAME,
                    "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                    "url": shop,
                }
            ]
        )
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


def open_cart(new_shop_page, person, cart, viewport):
    page = new_shop_page(person)
    page.set_viewport_size(viewport)
    page.goto(f"/carts/{cart.pk}/")
    page.wait_for_timeout(300)  # the event stream connects
    return page


@pytest.mark.parametrize(
    "viewport",
    [{"width": 1280, "height": 900}, {"width": 390, "height": 844}],
    ids=["desktop", "phone"],
)
def test_bob_s_change_shows_on_alice_s_page_within_a_second(world, new_shop_page, viewport):
    cart = world.trade_fair
    alice = open_cart(new_shop_page, world.alice, cart, viewport)
    bob = open_cart(new_shop_page, world.bob, cart, viewport)
    expect(alice.locator("[data-live-presence]")).to_have_text(
        "Also looking at this cart now: Bob Brandt", timeout=1500
    )
    expect(bob.locator("[data-live-presence]")).to_have_text(
        "Also looking at this cart now: Alice Archer"
    )
    bob.get_by_label("Quantity of Stapler").fill("4")
    bob.get_by_role("button", name="Update Stapler").click()
    bob.wait_for_load_state()
    started = time.monotonic()
    expect(alice.locator(".grand-total dd")).to_have_text(
        "€99.90", timeout=1500
    )  # 4 x 12.50 + 10 x 4.99
    assert time.monotonic() - started < 1.5
    expect(alice.get_by_label("Quantity of Stapler")).to_have_value("4")
    expect(alice.locator(".cart-live-status")).to_contain_text("Bob Brandt changed this cart")
    name = "desktop" if viewport["width"] > 600 else "phone"
    alice.screenshot(path=f"{SHOTS}/alice-after-bob-{name}.png", full_page=True)
    # A comment shows up too, and Alice's own change then goes through (the page's version is
    # the new one, so it is not refused as stale).
    bob.get_by_label("Add a comment").fill("Four staplers, for the stand.")
    bob.get_by_role("button", name="Post comment").click()
    expect(alice.locator(".comment-list")).to_contain_text("Four staplers", timeout=1500)
    alice.get_by_label("Quantity of Paper A4").fill("12")
    alice.get_by_role("button", name="Update Paper A4").click()
    alice.wait_for_load_state()
    expect(alice.locator(".messages")).to_contain_text("quantity is now 12")


def test_alice_s_unsaved_input_is_kept_when_bob_changes_the_cart(world, new_shop_page):
    cart = world.trade_fair
    viewport = {"width": 1280, "height": 900}
    alice = open_cart(new_shop_page, world.alice, cart, viewport)
    bob = open_cart(new_shop_page, world.bob, cart, viewport)
    alice.get_by_label("Quantity of Paper A4").fill("25")  # typed, not sent
    bob.get_by_label("Quantity of Stapler").fill("6")
    bob.get_by_role("button", name="Update Stapler").click()
    bob.wait_for_load_state()
    status = alice.locator(".cart-live-status")
    expect(status).to_contain_text("your input is kept", timeout=1500)
    expect(alice.get_by_label("Quantity of Paper A4")).to_have_value("25")
    alice.screenshot(path=f"{SHOTS}/alice-input-kept.png", full_page=True)
    status.get_by_role("button", name="Show the changes").click()
    expect(alice.get_by_label("Quantity of Stapler")).to_have_value("6")
