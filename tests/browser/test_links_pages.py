"""The share-link pages in Chromium: preview (desktop, phone, print), accept, 403/410 pages and
the owner's panel with its Copy button and expiry field. Logs people in by session cookie, so it
runs without the login page; screenshots go to /tmp/links-*.png."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from cartshare.carts.models import Cart
from cartshare.sharing.models import CartShare
from tests.browser.conftest import logged_in_page
from tests.links.test_preview_pages import big_cart
from tests.world import World

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = "/tmp/links-"


def path_of(url: str) -> str:
    return "/share/" + url.rsplit("/share/", 1)[1]


def test_the_preview_page_on_desktop_phone_and_paper(world: World, new_page):
    _, url, _ = world.share_link(world.office_supplies, "PREVIEW")
    page = new_page()
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(path_of(url))
    assert page.get_by_role("heading", name="Office supplies").is_visible()
    assert page.get_by_role("cell", name="Standing desk").is_visible()
    assert page.get_by_text("€1,005.50").first.is_visible()
    assert page.get_by_role("button", name="Print").is_visible()  # shown by share.js
    page.screenshot(path=SHOTS + "preview-desktop.png", full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=SHOTS + "preview-phone.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 800})
    page.emulate_media(media="print")
    assert not page.get_by_role("button", name="Print").is_visible()
    assert not page.locator(".site-header").is_visible()
    assert page.get_by_text("Printed from Cartshare").is_visible()
    page.screenshot(path=SHOTS + "preview-print.png", full_page=True)


def test_a_big_preview_pages_through_its_lines_on_desktop_phone_and_paper(
    world: World, new_page, settings
):
    settings.CARTSHARE_LINES_PER_PAGE = 20
    _, url, _ = world.share_link(big_cart(world.alice, 50), "PREVIEW")
    page = new_page()
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(path_of(url))
    pager = page.get_by_role("navigation", name="Pages of the cart\u2019s lines")
    expect(page.locator(".lines-shown")).to_have_text("Lines 1\u201320 of 50")
    expect(pager).to_be_visible()
    expect(pager.locator("[aria-current=page]")).to_have_text("1")
    pager.locator("a[rel=next]").click()
    page.wait_for_url("**?page=2")
    expect(page.locator(".lines-shown")).to_have_text("Lines 21\u201340 of 50")
    expect(page.get_by_role("cell", name="BIG-0021", exact=True)).to_be_visible()
    expect(page.get_by_text("Total (150 units)")).to_be_visible()  # the whole cart's
    pager.get_by_role("link", name="3", exact=True).click()
    page.wait_for_url("**?page=3")
    expect(page.locator(".lines-shown")).to_have_text("Lines 41\u201350 of 50")
    expect(page.locator(".share-items tbody tr")).to_have_count(10)
    expect(pager.locator("a[rel=next]")).to_have_count(0)
    page.screenshot(path=SHOTS + "preview-paged-desktop.png", full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    expect(pager).to_be_visible()
    page.screenshot(path=SHOTS + "preview-paged-phone.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 800})
    page.emulate_media(media="print")  # the page shown, and which lines it holds
    expect(pager).to_be_hidden()
    expect(page.locator(".lines-shown")).to_have_text("Lines 41\u201350 of 50")
    page.screenshot(path=SHOTS + "preview-paged-print.png", full_page=True)


def test_copy_to_my_cart_from_the_preview_page(world: World, new_page, live_server):
    _, url, _ = world.share_link(world.office_supplies, "PREVIEW")
    page = logged_in_page(new_page, live_server, world.erin)
    page.goto(path_of(url))
    page.get_by_role("button", name="Copy to my cart").click()
    copy = Cart.objects.get(owner=world.erin, name="Copy of Office supplies")
    page.wait_for_url(f"**/carts/{copy.pk}/")
    assert copy.items.count() == 2


def test_the_accept_page_and_the_problem_pages(world: World, new_page, live_server):
    _, full_url, _ = world.share_link(world.office_supplies, "FULL_ACCESS")
    bob = logged_in_page(new_page, live_server, world.bob)
    bob.goto(path_of(full_url))
    assert bob.get_by_role("button", name="Open cart").is_visible()
    bob.screenshot(path=SHOTS + "accept.png", full_page=True)
    bob.get_by_role("button", name="Open cart").click()  # a real browser's POST passes CSRF
    bob.wait_for_url(f"**/carts/{world.office_supplies.pk}/")
    assert (
        CartShare.objects.filter(cart=world.office_supplies, permission="FULL_ACCESS").count() == 1
    )

    dave = logged_in_page(new_page, live_server, world.dave)
    response = dave.goto(path_of(full_url))
    assert response.status == 403
    assert dave.get_by_text("This link is for colleagues in Berlin HQ").is_visible()
    dave.screenshot(path=SHOTS + "403.png", full_page=True)

    response = dave.goto("/share/not-a-real-token")
    assert response.status == 404
    dave.screenshot(path=SHOTS + "404.png", full_page=True)

    link, _, token = world.share_link(world.office_supplies, "READ_ONLY")
    from cartshare.sharing.link_services import share_link_revoke

    share_link_revoke(link=link, actor=world.alice)
    anonymous = new_page()
    anonymous.set_viewport_size({"width": 390, "height": 844})
    response = anonymous.goto(f"/share/{token}")
    assert response.status == 410
    assert anonymous.get_by_text("Ask Alice Archer for a new link").is_visible()
    anonymous.screenshot(path=SHOTS + "410-phone.png", full_page=True)


def test_the_owners_panel_copies_the_link_and_shows_the_date_only_when_chosen(
    world: World, new_page, live_server
):
    page = logged_in_page(new_page, live_server, world.alice)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"/carts/{world.office_supplies.pk}/links/")
    section = page.locator("#share-preview")
    assert not section.get_by_label("Date").is_visible()
    section.get_by_label("Expires").select_option("date")
    assert section.get_by_label("Date").is_visible()
    section.get_by_label("Expires").select_option("7")
    section.get_by_role("button", name="Create preview link").click()
    page.wait_for_load_state()
    page.locator("#share-full_access").get_by_role("button", name="Create full access link").click()
    expect(page.get_by_label("Full access link to copy")).to_be_visible()
    field = page.get_by_label("Preview link to copy")
    url = field.input_value()
    assert url.startswith(live_server.url + "/share/")
    page.locator("#share-preview").get_by_role("button", name="Copy").click()
    expect(page.locator("#share-preview").get_by_text("Link copied.")).to_be_visible()
    assert page.evaluate("navigator.clipboard.readText()") == url
    page.locator("#share-preview").get_by_role("button", name="QR code of the preview link").click()
    expect(page.locator("#share-preview").get_by_role("img", name="QR code")).to_be_visible()
    page.screenshot(path=SHOTS + "panel.png", full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=SHOTS + "panel-phone.png", full_page=True)
    page.locator("#share-preview").get_by_text("Revoke").first.click()
    page.locator("#share-preview").get_by_role("button", name="Yes, revoke it").click()
    expect(page.get_by_text("The link is revoked")).to_be_visible()


def test_without_javascript_the_link_stays_selectable_and_the_copy_button_hidden(
    world: World, browser, live_server
):
    world.share_link(world.office_supplies, "PREVIEW")
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
    page.goto(f"/carts/{world.office_supplies.pk}/links/")
    assert page.get_by_label("Preview link to copy").is_visible()
    assert not page.locator("#share-preview").get_by_role("button", name="Copy").is_visible()
    assert page.locator("#share-preview").get_by_label("Date").is_visible()
    context.close()
