"""In Chromium, on a desktop (1280x800) and a phone (390x844) screen (issue 14 part 5): the
owner's cart list says which carts are shared (people, links); in the back office, staff find
share links by option, state and owner, revoke one (it stops working), see a cart's grants
and links on the cart's page, and the access requests. axe runs on every page they visit: no
critical or serious violation (the inline rows' fields are labelled)."""

import pytest

from cartshare.sharing.access_requests import access_request_create
from cartshare.sharing.models import LinkState, ShareLink
from tests.browser.conftest import logged_in_page
from tests.browser.screens import SCREENS, look, on_screen

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("screen", list(SCREENS))
def test_alice_s_cart_list_says_which_carts_are_shared(new_page, live_server, world, screen):
    world.link(world.trade_fair, "PREVIEW")
    page = on_screen(logged_in_page(new_page, live_server, world.alice), screen)
    page.goto("/carts/")
    look(page, "owner-cart-list", screen)
    rows = page.locator("tbody tr")
    trade_fair = rows.filter(has=page.get_by_role("link", name="Trade fair", exact=True))
    office = rows.filter(has=page.get_by_role("link", name="Office supplies", exact=True))
    assert trade_fair.locator(".sharing-state").inner_text() == "Shared with 2 people · 1 link"
    assert office.locator(".sharing-state").inner_text() == "Not shared"


@pytest.mark.parametrize("screen", list(SCREENS))
def test_staff_find_a_share_link_revoke_it_and_see_a_cart_s_grants_and_links(
    new_page, live_server, world, screen
):
    full = world.share_link(world.trade_fair, "FULL_ACCESS")
    world.share_link(world.trade_fair, "PREVIEW")
    world.share_link(world.office_supplies, "READ_ONLY")
    world.share_link(world.own_cart("carol"), "PREVIEW")
    page = on_screen(logged_in_page(new_page, live_server, world.admin), screen)
    page.goto("/admin/sharing/sharelink/")
    look(page, "admin-links", screen)
    assert page.locator("#result_list tbody tr").count() == 4

    page.locator("#searchbar").fill("alice@acme.example")  # by owner
    page.locator("#changelist-search").get_by_role("button").click()
    look(page, "admin-links-owner", screen)
    assert page.locator("#result_list tbody tr").count() == 3
    filters = page.locator("#changelist-filter")
    if not filters.is_visible():  # the phone layout folds the filters away
        page.goto(page.url + "&share_option__exact=FULL_ACCESS")
    else:
        filters.get_by_role("link", name="Full access", exact=True).click()
    look(page, "admin-links-option", screen)
    rows = page.locator("#result_list tbody tr")
    assert rows.count() == 1 and "Trade fair" in rows.inner_text()

    rows.first.get_by_role("checkbox").check()
    page.get_by_label("Action:").select_option(
        label="Revoke the selected links (they stop working at once)"
    )
    page.get_by_role("button", name="Go").click()
    look(page, "admin-links-revoked", screen)
    assert page.get_by_text("1 link revoked; their carts' activity says you did it.").is_visible()
    assert ShareLink.objects.in_state(LinkState.REVOKED).get() == full.link
    page.goto(page.url.split("?")[0] + "?state=" + LinkState.REVOKED.value)
    look(page, "admin-links-state", screen)
    assert page.locator("#result_list tbody tr").count() == 1

    page.goto(f"/admin/carts/cart/{world.trade_fair.pk}/change/")
    look(page, "admin-cart", screen)
    content = page.locator("#content").inner_text()
    for shown in ("Bob Brandt", "Frank Fischer", "Full access", "Read-only", "Revoked", "Preview"):
        assert shown in content, shown

    page.get_by_role("link", name=f"Link {full.link.pk}", exact=True).click()
    look(page, "admin-link", screen)
    assert "Revoked" in page.locator("#content").inner_text()
    access_request_create(cart=world.trade_fair, actor=world.frank, permission="FULL_ACCESS")
    page.goto("/admin/sharing/accessrequest/")
    look(page, "admin-access-requests", screen)
    assert page.locator("#result_list tbody tr").count() == 1

    visitor = new_page()
    response = visitor.goto(f"/share/{full.token}")
    assert response is not None and response.status == 410
