"""The share dialog in Chromium (issue 14 part 1), at desktop 1280x800 and phone 390x844, with
axe on every state visited: opened from the cart page's summary, a level changed in place, a
link created, copied and revoked after confirming; Esc closes it and #share reopens it."""

from __future__ import annotations

import os
import re

import pytest
from playwright.sync_api import expect

from cartshare.sharing.models import CartShare, ShareLink
from tests.browser.conftest import logged_in_page
from tests.browser.test_accessibility import serious

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = os.environ.get("SCREENSHOT_DIR", "/tmp/share-dialog-shots")
os.makedirs(SHOTS, exist_ok=True)
VIEWPORTS = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}


def shot(page, name: str, viewport: str) -> None:
    page.screenshot(path=f"{SHOTS}/{name}-{viewport}.png")
    assert serious(page) == [], name


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_the_owner_shares_from_the_dialog_over_the_cart_page(
    world, new_page, live_server, viewport
):
    page = logged_in_page(new_page, live_server, world.alice)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.set_viewport_size(VIEWPORTS[viewport])
    cart_path = f"/carts/{world.trade_fair.pk}/"
    page.goto(cart_path)
    summary = page.get_by_role("link", name="Share Shared with 2 people · no link")
    expect(summary).to_be_visible()
    shot(page, "cart", viewport)
    summary.click()

    dialog = page.get_by_role("dialog", name="Share “Trade fair”")
    expect(dialog).to_be_visible()
    assert page.url.endswith(cart_path + "#share")
    expect(dialog.get_by_role("heading", name="People with access")).to_be_visible()
    shot(page, "dialog-open", viewport)

    # Change Frank's level in place: the select posts at once, the dialog stays open.
    dialog.get_by_label("Access for Frank Fischer").select_option("CONTRIBUTOR")
    expect(dialog.get_by_text("Frank Fischer: read-only → contributor")).to_be_visible()
    expect(dialog).to_be_visible()
    assert CartShare.objects.get(company_user__customer=world.frank).permission == "CONTRIBUTOR"
    expect(dialog.get_by_label("Access for Frank Fischer")).to_have_value("CONTRIBUTOR")

    # Create the preview link, copy it, show its QR code.
    preview = dialog.locator("#share-preview")
    preview.get_by_role("button", name="Create preview link").click()
    field = dialog.get_by_label("Preview link to copy")
    expect(field).to_be_visible()
    url = field.input_value()
    assert url.startswith(live_server.url + "/share/")
    preview.get_by_role("button", name="Copy the preview link").click()
    expect(preview.get_by_text("Link copied.")).to_be_visible()
    assert page.evaluate("navigator.clipboard.readText()") == url
    assert dialog.locator("svg, img").count() == 0  # no QR code until asked for
    preview.get_by_role("button", name="QR code of the preview link").click()
    expect(preview.get_by_role("img", name="QR code of the preview link")).to_be_visible()
    preview.get_by_role("img").scroll_into_view_if_needed()
    shot(page, "dialog-link", viewport)

    # Revoke asks first; the link dies only after "Yes".
    preview.get_by_text("Revoke").first.click()
    expect(preview.get_by_role("group", name="Confirm revoking the preview link")).to_be_visible()
    assert ShareLink.objects.get(cart=world.trade_fair).revoked_at is None
    shot(page, "dialog-confirm-revoke", viewport)
    preview.get_by_role("button", name="Yes, revoke it").click()
    expect(dialog.get_by_text("The link is revoked")).to_be_visible()
    assert ShareLink.objects.get(cart=world.trade_fair).revoked_at is not None
    expect(
        dialog.locator("#share-preview").get_by_role("button", name="Create preview link")
    ).to_be_visible()
    # For a few seconds the same link can come back.
    dialog.get_by_role("button", name="Undo revoking the preview link").click()
    expect(dialog.get_by_text("Undone: the link works again.")).to_be_visible()
    expect(dialog.get_by_label("Preview link to copy")).to_have_value(url)
    assert ShareLink.objects.get(cart=world.trade_fair).revoked_at is None

    # Esc closes, focus goes back to the summary; the address loses #share; #share reopens.
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    expect(page).to_have_url(re.compile(re.escape(cart_path) + "$"))
    page.goto(cart_path + "#share")
    page.reload()
    expect(page.get_by_role("dialog", name="Share “Trade fair”")).to_be_visible()


def test_focus_stays_inside_the_open_dialog(world, new_page, live_server):
    page = logged_in_page(new_page, live_server, world.alice)
    page.set_viewport_size(VIEWPORTS["desktop"])
    page.goto(f"/carts/{world.trade_fair.pk}/")
    page.get_by_role("link", name="Share Shared with 2 people · no link").click()
    expect(page.get_by_role("dialog")).to_be_visible()
    for _ in range(60):
        page.keyboard.press("Tab")
        inside = page.evaluate(
            "document.activeElement === document.body || !!document.activeElement.closest('dialog')"
        )
        assert inside


def test_a_b2c_owner_sees_only_the_preview_link(world, new_page, live_server):
    cart = world.own_carts["erin"]
    page = logged_in_page(new_page, live_server, world.erin)
    page.set_viewport_size(VIEWPORTS["phone"])
    page.goto(f"/carts/{cart.pk}/")
    page.get_by_role("link", name="Share Only you · no link").click()
    dialog = page.get_by_role("dialog")
    expect(dialog.get_by_role("button", name="Create preview link")).to_be_visible()
    assert dialog.get_by_text("colleague").count() == 0
    assert dialog.get_by_role("heading", name="People with access").count() == 0
    shot(page, "dialog-b2c", "phone")


def test_without_javascript_share_is_a_page_whose_forms_come_back_to_it(
    world, browser, live_server
):
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(world.alice)
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    page = context.new_page()
    page.goto(f"/carts/{world.trade_fair.pk}/")
    page.get_by_role("link", name="Share Shared with 2 people · no link").click()
    assert page.url.endswith(f"/carts/{world.trade_fair.pk}/share/")
    page.get_by_label("Access for Bob Brandt").select_option("READ_ONLY")
    page.get_by_role("button", name="Change access for Bob Brandt").click()
    assert "/share/" in page.url
    expect(page.get_by_text("Bob Brandt: full access → read-only")).to_be_visible()
    page.get_by_role("button", name="Undo").click()
    expect(page.get_by_text("Bob Brandt: read-only → full access")).to_be_visible()
    assert CartShare.objects.get(company_user__customer=world.bob).permission == "FULL_ACCESS"
    context.close()
