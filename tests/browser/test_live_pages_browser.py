"""The preview and share pages follow their cart in Chromium (issue 13, spec §13), through
`make run`'s server: the owner edits, a preview visitor's page shows it without a reload, and
the link's 410 text once it is revoked; the share page shows a grant made in another tab; a
browser whose stream is blocked polls instead. Screenshots in /tmp/live-shots."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from cartshare.carts.models import CartItem
from tests.api.client import token_for
from tests.browser.test_live_cart_browser import (  # noqa: F401 (fixtures)
    SHOTS,
    new_shop_page,
    open_cart,
    shop,
)
from tests.links.test_preview_pages import big_cart, expected_total
from tests.live.test_event_streams import api

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VIEWPORTS = [{"width": 1280, "height": 800}, {"width": 390, "height": 844}]


def port_of(shop_url: str) -> int:
    return int(shop_url.rsplit(":", 1)[1])


def open_preview(
    browser, shop_url: str, token: str, viewport, *, block_stream=False, responses=None
):
    context = browser.new_context(base_url=shop_url, viewport=viewport)
    context.set_default_timeout(10_000)
    page = context.new_page()
    if block_stream:  # a proxy that refuses streams: the EventSource fails for good
        page.route("**/events", lambda route: route.fulfill(status=503, body="no streams"))
    if responses is not None:
        page.on("response", lambda response: responses.append(response.status))
    page.goto(f"/share/{token}")
    page.evaluate("window.notReloaded = true")
    page.wait_for_timeout(300)  # the stream connects
    return page


@pytest.mark.parametrize("viewport", VIEWPORTS, ids=["desktop", "phone"])
def test_the_owner_s_edit_shows_on_the_preview_then_the_revoked_link_s_410_text(
    world,
    browser,
    shop,  # noqa: F811 (the fixture imported above)
    new_shop_page,  # noqa: F811 (the fixture imported above)
    viewport,
):
    link = world.share_link(world.trade_fair, "PREVIEW")
    visitor = open_preview(browser, shop, link.token, viewport)
    expect(visitor.locator(".share-items tfoot")).to_contain_text("€74.90")
    alice = open_cart(new_shop_page, world.alice, world.trade_fair, viewport)
    alice.get_by_label("Quantity of Stapler").fill("4")
    alice.get_by_role("button", name="Update Stapler").click()
    alice.wait_for_load_state()
    expect(visitor.locator(".share-items tfoot")).to_contain_text("€99.90", timeout=1500)
    status = visitor.locator(".cart-live-status")
    expect(status).to_have_text("Updated just now.")  # a preview names nobody
    expect(visitor.get_by_role("button", name="Print")).to_be_visible()  # share.js's, kept
    assert visitor.evaluate("window.notReloaded") is True
    name = "desktop" if viewport["width"] > 600 else "phone"
    visitor.screenshot(path=f"{SHOTS}/preview-after-edit-{name}.png", full_page=True)
    assert api(port_of(shop), "DELETE", f"/share-links/{link.link.pk}", token_for(world.alice))
    expect(visitor.get_by_role("heading", level=1)).to_have_text(
        "This link no longer works", timeout=1500
    )
    expect(visitor.get_by_role("alert")).to_contain_text("stopped working")
    expect(visitor.locator(".share-items")).to_have_count(0)  # the cart is shown no more
    assert visitor.evaluate("window.notReloaded") is True
    visitor.screenshot(path=f"{SHOTS}/preview-revoked-{name}.png", full_page=True)
    visitor.context.close()


def test_the_share_page_shows_a_grant_made_elsewhere(
    world,
    new_shop_page,  # noqa: F811 (the fixture imported above)
):
    viewport = {"width": 1280, "height": 800}
    url = f"/carts/{world.trade_fair.pk}/share/"
    watching = new_shop_page(world.alice)
    watching.set_viewport_size(viewport)
    watching.goto(url)
    watching.evaluate("window.notReloaded = true")
    watching.wait_for_timeout(300)
    people = watching.locator("#share-people .share-people-list")
    expect(people).not_to_contain_text("Greta Gruber")  # not among the people with access
    other_tab = new_shop_page(world.alice)
    other_tab.goto(url)
    other_tab.get_by_label("Add people from").select_option(
        label="Greta Gruber (greta@acme.example)"
    )
    other_tab.get_by_label("Access", exact=True).select_option("READ_ONLY")
    other_tab.get_by_role("button", name="Add", exact=True).click()
    other_tab.wait_for_load_state()
    # The share dialog's "People with access" part is swapped in, with her level chosen.
    expect(watching.get_by_label("Access for Greta Gruber")).to_have_value(
        "READ_ONLY", timeout=1500
    )
    # share.js enhanced the fresh part too: a level changes when chosen, no Change button.
    expect(watching.get_by_role("button", name="Change access for Greta Gruber")).to_be_hidden()
    expect(watching.locator(".live-last-change")).to_contain_text("Alice Archer")
    expect(watching.locator(".cart-live-status")).to_contain_text("Alice Archer changed this cart")
    assert watching.evaluate("window.notReloaded") is True
    watching.screenshot(path=f"{SHOTS}/share-page-after-grant.png", full_page=True)
    watching.set_viewport_size({"width": 390, "height": 844})
    watching.screenshot(path=f"{SHOTS}/share-page-after-grant-phone.png", full_page=True)


def test_a_browser_whose_stream_is_blocked_polls_instead(
    world,
    browser,
    shop,  # noqa: F811 (the fixture imported above)
):
    link = world.share_link(world.trade_fair, "PREVIEW")
    statuses: list[int] = []
    visitor = open_preview(
        browser, shop, link.token, VIEWPORTS[0], block_stream=True, responses=statuses
    )
    expect(visitor.locator("[data-live-polling]")).to_have_count(1)
    visitor.wait_for_timeout(6000)  # a poll while nothing changed: 304
    assert 304 in statuses, statuses
    stapler = world.item(world.trade_fair, world.stapler)
    body = {"quantity": 3}
    path = f"/carts/{world.trade_fair.pk}/items/{stapler.pk}"
    assert api(port_of(shop), "PATCH", path, token_for(world.bob), body) == 200
    # the next poll (every 5 s) brings it: 2 x 12.50 -> 3 x 12.50, + 10 x 4.99
    expect(visitor.locator(".share-items tfoot")).to_contain_text("€87.40", timeout=12_000)
    assert visitor.evaluate("window.notReloaded") is True
    visitor.context.close()


def test_the_second_page_of_a_big_preview_follows_its_cart_and_stays_on_that_page(
    world,
    browser,
    shop,  # noqa: F811 (the fixture imported above)
):
    cart = big_cart(world.alice, 250)  # two pages of CARTSHARE_LINES_PER_PAGE (200)
    link = world.share_link(cart, "PREVIEW")
    visitor = open_preview(browser, shop, f"{link.token}?page=2", VIEWPORTS[1])
    shown = visitor.locator(".lines-shown")
    expect(shown).to_have_text("Lines 201\u2013250 of 250")
    item = CartItem.objects.get(cart=cart, product__sku="BIG-0201")  # 2 x 3.01 on page 2
    path = f"/carts/{cart.pk}/items/{item.pk}"
    assert api(port_of(shop), "PATCH", path, token_for(world.alice), {"quantity": 9}) == 200
    total = expected_total(250) + 7 * 301
    foot = visitor.locator(".share-items tfoot")
    expect(foot).to_contain_text(f"\u20ac{total // 100:,}.{total % 100:02d}", timeout=1500)
    expect(visitor.locator(".share-items tbody tr").first).to_contain_text("9")
    expect(shown).to_have_text("Lines 201\u2013250 of 250")  # the page being viewed
    assert visitor.evaluate("window.notReloaded") is True
    visitor.screenshot(path=f"{SHOTS}/preview-page-2-after-edit-phone.png", full_page=True)
    visitor.context.close()


def test_the_share_page_says_when_the_cart_is_ordered(
    world,
    shop,  # noqa: F811 (the fixture imported above)
    new_shop_page,  # noqa: F811 (the fixture imported above)
):
    watching = new_shop_page(world.alice)
    watching.goto(f"/carts/{world.trade_fair.pk}/share/")
    watching.wait_for_timeout(300)
    path = f"/carts/{world.trade_fair.pk}/checkout"
    assert api(port_of(shop), "POST", path, token_for(world.bob), {}) == 201
    expect(watching.get_by_role("alert")).to_have_text(
        "This cart has just been ordered: it can no longer be changed.", timeout=1500
    )
    expect(watching.locator(".live-last-change")).to_contain_text("Bob Brandt")
    watching.screenshot(path=f"{SHOTS}/share-page-ordered.png", full_page=True)


def test_a_grantee_s_cart_page_says_when_their_access_changes_then_ends(
    world,
    shop,  # noqa: F811 (the fixture imported above)
    new_shop_page,  # noqa: F811 (the fixture imported above)
):
    from cartshare.sharing.models import CartShare

    viewport = {"width": 390, "height": 844}
    frank = open_cart(new_shop_page, world.frank, world.trade_fair, viewport)
    port = port_of(shop)
    share = CartShare.objects.get(cart=world.trade_fair, company_user__customer=world.frank)
    alice = token_for(world.alice)
    body = {"permission": "FULL_ACCESS"}
    assert api(port, "PATCH", f"/shared-carts/{share.pk}", alice, body) == 200
    expect(frank.get_by_role("alert")).to_have_text(
        "Your access to this cart changed: you now have full access.", timeout=3000
    )
    expect(frank.get_by_label("Quantity of Stapler")).to_be_editable()  # the page reloaded
    frank.screenshot(path=f"{SHOTS}/grantee-access-raised-phone.png", full_page=True)
    frank.evaluate("window.notReloaded = true")
    frank.wait_for_timeout(300)  # the new page's stream connects
    assert api(port, "DELETE", f"/shared-carts/{share.pk}", alice) == 204
    expect(frank.get_by_role("alert")).to_have_text(
        "You no longer have access to this cart.", timeout=1500
    )
    expect(frank.get_by_label("Quantity of Stapler")).to_have_count(0)  # the cart is gone
    assert frank.evaluate("window.notReloaded") is True
    frank.screenshot(path=f"{SHOTS}/grantee-access-ended-phone.png", full_page=True)


def test_the_cart_page_behind_the_share_dialog_still_follows_its_cart(
    world,
    shop,  # noqa: F811 (the fixture imported above)
    new_shop_page,  # noqa: F811 (the fixture imported above)
):
    """The dialog's content carries the share page's live parts; over the cart page they must
    not stop live.js swapping the cart's own parts, and the share summary line stays live."""
    alice = open_cart(new_shop_page, world.alice, world.trade_fair, {"width": 1280, "height": 800})
    alice.evaluate("window.notReloaded = true")
    alice.locator("a[data-share-open]").click()
    dialog = alice.get_by_role("dialog")
    expect(dialog.get_by_role("heading", name="People with access")).to_be_visible()
    stapler = world.item(world.trade_fair, world.stapler)
    path = f"/carts/{world.trade_fair.pk}/items/{stapler.pk}"
    assert api(port_of(shop), "PATCH", path, token_for(world.bob), {"quantity": 4}) == 200
    expect(alice.locator(".grand-total dd")).to_have_text("€99.90", timeout=1500)  # behind it
    expect(alice.locator(".share-summary-text")).to_have_text("Shared with 2 people · no link")
    other_tab = new_shop_page(world.alice)
    other_tab.goto(f"/carts/{world.trade_fair.pk}/share/")
    other_tab.get_by_label("Add people from").select_option(
        label="Greta Gruber (greta@acme.example)"
    )
    other_tab.get_by_role("button", name="Add", exact=True).click()
    other_tab.wait_for_load_state()
    expect(alice.locator(".share-summary-text")).to_contain_text(
        "Shared with 3 people", timeout=1500
    )
    expect(dialog).to_be_visible()  # the open dialog was left alone
    assert alice.evaluate("window.notReloaded") is True
    alice.screenshot(path=f"{SHOTS}/cart-page-behind-share-dialog.png")


def test_the_share_page_keeps_a_choice_not_sent_yet(
    world,
    shop,  # noqa: F811 (the fixture imported above)
    new_shop_page,  # noqa: F811 (the fixture imported above)
):
    """A part of the share page holding an unsent choice (a <select>) is not swapped: live.js
    keeps it and offers the changes; "Show the changes" brings them."""
    url = f"/carts/{world.trade_fair.pk}/share/"
    watching = new_shop_page(world.alice)
    watching.goto(url)
    watching.evaluate("window.notReloaded = true")
    watching.wait_for_timeout(300)
    watching.get_by_label("Expires").first.select_option("7")  # the preview link's, not sent
    other_tab = new_shop_page(world.alice)
    other_tab.goto(url)
    other_tab.get_by_role("button", name="Create read-only link").click()
    other_tab.wait_for_load_state()
    status = watching.locator(".cart-live-status")
    expect(status).to_contain_text("your input is kept", timeout=1500)
    expect(watching.get_by_label("Expires").first).to_have_value("7")
    expect(watching.get_by_label("Read-only link to copy")).to_have_count(0)
    status.get_by_role("button", name="Show the changes").click()
    expect(watching.get_by_label("Read-only link to copy")).to_have_count(1)
    assert watching.evaluate("window.notReloaded") is True
