"""In Chromium, on a desktop and a phone screen, without a line of JavaScript of ours: a read-only
colleague asks for edit access with a message, the owner approves it on the cart page with a
level; a colleague holding a revoked link requests access from its refusal page (issue 14 part
2, spec §11). axe runs on every page they visit: no critical or serious violation."""

import pytest

from cartshare.sharing.link_services import share_link_revoke
from cartshare.sharing.models import AccessRequest, CartShare
from tests.browser.conftest import logged_in_page
from tests.browser.test_accessibility import serious

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}
SHOTS = "/tmp/var-access-shots"


def grant_of(world, person) -> str | None:
    grant = CartShare.objects.filter(cart=world.trade_fair, company_user__customer=person).first()
    return grant.permission if grant else None


@pytest.mark.parametrize("screen", list(VIEWPORTS))
def test_frank_asks_for_edit_access_and_alice_approves_it(new_page, live_server, world, screen):
    frank = logged_in_page(new_page, live_server, world.frank)
    frank.set_viewport_size(VIEWPORTS[screen])
    frank.goto(f"/carts/{world.trade_fair.pk}/")
    frank.get_by_label("Message to Alice Archer (optional)").fill("I need to add the banner.")
    frank.screenshot(path=f"{SHOTS}/ask-{screen}.png", full_page=True)
    assert serious(frank) == []
    frank.get_by_role("button", name="Ask for edit access").click()
    frank.wait_for_load_state()
    assert frank.get_by_text("is sent to Alice Archer").is_visible()
    assert frank.get_by_role("button", name="Withdraw my request").is_visible()
    assert serious(frank) == []
    assert AccessRequest.objects.get().message == "I need to add the banner."

    alice = logged_in_page(new_page, live_server, world.alice)
    alice.set_viewport_size(VIEWPORTS[screen])
    alice.goto(f"/carts/{world.trade_fair.pk}/")
    requests = alice.get_by_role("region", name="Requests for access")
    assert requests.get_by_text("I need to add the banner.").is_visible()
    alice.screenshot(path=f"{SHOTS}/pending-{screen}.png", full_page=True)
    assert serious(alice) == []
    requests.get_by_label("Give Frank Fischer").select_option(label="Full access")
    requests.get_by_role("button", name="Approve").click()
    alice.wait_for_load_state()
    assert alice.get_by_text("Frank Fischer now has full access to “Trade fair”.").is_visible()
    assert grant_of(world, world.frank) == "FULL_ACCESS"

    frank.goto("/notifications/")
    assert frank.get_by_text("gave you full access to the cart 'Trade fair'").is_visible()
    assert serious(frank) == []


@pytest.mark.parametrize("screen", list(VIEWPORTS))
def test_greta_requests_access_from_the_refusal_page_of_a_revoked_link(
    new_page, live_server, world, screen
):
    shared = world.share_link(world.trade_fair, "FULL_ACCESS")
    share_link_revoke(link=shared.link, actor=world.alice)
    greta = logged_in_page(new_page, live_server, world.greta)
    greta.set_viewport_size(VIEWPORTS[screen])
    greta.goto(f"/share/{shared.token}")
    assert greta.get_by_role("heading", name="This link no longer works").is_visible()
    greta.screenshot(path=f"{SHOTS}/refusal-{screen}.png", full_page=True)
    assert serious(greta) == []
    greta.get_by_role("link", name="Request access").click()
    greta.wait_for_load_state()
    greta.get_by_label("Level of access").select_option(label="Read-only")
    greta.get_by_label("Message to Alice Archer (optional)").fill("To check the order")
    greta.screenshot(path=f"{SHOTS}/request-{screen}.png", full_page=True)
    assert serious(greta) == []
    greta.get_by_role("button", name="Request access").click()
    greta.wait_for_load_state()
    assert greta.get_by_role("button", name="Withdraw my request").is_visible()
    assert serious(greta) == []
    asked = AccessRequest.objects.get()
    assert (asked.requester, asked.permission, asked.message) == (
        world.greta,
        "READ_ONLY",
        "To check the order",
    )
