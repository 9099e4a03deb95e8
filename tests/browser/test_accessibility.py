"""axe-core (`axe-playwright-python`) in Chromium on the pages people use, on a desktop and a
phone viewport: no critical and no serious violation (issue 14). Each page is visited as the
person who would see it, with a flash message showing where a page has one."""

from __future__ import annotations

import os

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.browser.conftest import logged_in_page
from tests.links.test_preview_pages import big_cart

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = os.environ.get("SCREENSHOT_DIR", "/tmp/axe-shots")
os.makedirs(SHOTS, exist_ok=True)
VIEWPORTS = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}
AXE = Axe()


def serious(page) -> list[str]:
    """The critical and serious violations on the page, each with the elements it found."""
    violations = AXE.run(page).response["violations"]
    return [
        f"{v['id']} ({v['impact']}): {[node['target'] for node in v['nodes']][:5]}"
        for v in violations
        if v["impact"] in {"critical", "serious"}
    ]


def check(page, path: str, name: str, viewport: str) -> None:
    page.set_viewport_size(VIEWPORTS[viewport])
    response = page.goto(path)
    assert response is not None and response.status == 200, path
    page.screenshot(path=f"{SHOTS}/{name}-{viewport}.png", full_page=True)
    assert serious(page) == [], path


SHOP_PAGES = {
    "my-carts": "/carts/",
    "cart": "/carts/{trade_fair}/",
    "share": "/carts/{trade_fair}/share/",
    "products": "/",
}


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_the_owner_s_pages_have_no_serious_violations(world, new_page, live_server, viewport):
    world.link(world.trade_fair, "PREVIEW")
    page = logged_in_page(new_page, live_server, world.alice)
    # A flash message on the first page: the list of messages is checked too.
    page.goto(f"/carts/{world.trade_fair.pk}/")
    page.get_by_label("Quantity of Stapler").fill("3")
    page.get_by_role("button", name="Update Stapler").click()
    page.wait_for_load_state()
    assert page.locator(".messages li").count() == 1
    assert serious(page) == []
    for name, path in SHOP_PAGES.items():
        check(page, path.format(trade_fair=world.trade_fair.pk), name, viewport)


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_the_preview_and_the_login_have_no_serious_violations(
    world, new_page, live_server, viewport
):
    token = world.link(world.trade_fair, "PREVIEW")
    page = new_page()
    check(page, f"/share/{token}", "preview", viewport)
    check(page, "/login/", "login", viewport)


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_a_big_preview_s_pages_have_no_serious_violations(
    world, new_page, live_server, settings, viewport
):
    settings.CARTSHARE_LINES_PER_PAGE = 20
    token = world.link(big_cart(world.alice, 70), "PREVIEW")
    page = new_page()
    check(page, f"/share/{token}?page=2", "preview-paged", viewport)


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_the_back_office_sharing_pages_have_no_serious_violations(
    world, new_page, live_server, viewport
):
    world.link(world.trade_fair, "PREVIEW")
    page = logged_in_page(new_page, live_server, world.admin)
    check(page, "/admin/sharing/sharelink/", "admin-links", viewport)
    check(page, f"/admin/carts/cart/{world.trade_fair.pk}/change/", "admin-cart", viewport)
