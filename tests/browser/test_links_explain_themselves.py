"""In Chromium, on a desktop (1280x800) and a phone (390x844) screen (issue 14 part 6): a
logged-out colleague who opens an internal link reads on the log-in page who shared which cart
with their unit (no cart contents), logs in and lands back on the link; no request on the way
carries the token in its Referer; the preview's title says it is a shared cart and its
`og:image` is the link's card, which renders as an image. axe runs on every page visited: no
critical or serious violation."""

from __future__ import annotations

import pytest

from cartshare.carts.models import Cart
from cartshare.sharing.models import CartShare
from tests.browser.screens import SCREENS, SHOTS, look, on_screen
from tests.browser.test_share_links_send_no_token_as_referer import Recorder
from tests.world import World

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WAITING = "Alice Archer shared “Office supplies” with colleagues in Berlin HQ: log in to open it."


@pytest.mark.parametrize("screen", SCREENS)
def test_the_log_in_page_says_what_waits_and_goes_back_to_the_link(
    world: World, new_page, database_cache, screen
):
    token = world.link(world.office_supplies, "FULL_ACCESS")
    page = on_screen(new_page(), screen)
    recorder = Recorder(page)
    page.goto(f"/share/{token}")
    look(page, "login-from-link", screen)
    assert "/login/" in page.url and token not in page.url
    message = page.locator("[data-link-waiting]")
    assert message.inner_text() == WAITING
    assert message.is_visible()
    for secret in ("Ballpoint pen", "Standing desk", "Secret note", "1,005.50"):
        assert secret not in page.content()
    page.get_by_label("E-mail").fill(world.bob.email)
    page.get_by_label("Password").fill("demo1234")
    page.get_by_role("button", name="Log in").click()
    look(page, "accept-after-login", screen)
    assert "/share/join/" in page.url
    page.get_by_role("button", name="Open cart").click()
    page.wait_for_url(f"**/carts/{world.office_supplies.pk}/")
    look(page, "opened-after-login", screen)
    assert CartShare.objects.filter(
        cart=world.office_supplies, company_user=world.bob.company_user
    ).exists()
    recorder.assert_token_sent_nowhere_but_in_its_own_address(token)


@pytest.mark.parametrize("screen", SCREENS)
def test_a_wrong_password_keeps_the_message(world: World, new_page, database_cache, screen):
    token = world.link(world.office_supplies, "READ_ONLY")
    page = on_screen(new_page(), screen)
    page.goto(f"/share/{token}")
    page.get_by_label("E-mail").fill(world.bob.email)
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Log in").click()
    look(page, "login-from-link-wrong-password", screen)
    assert page.locator("[data-link-waiting]").inner_text() == WAITING


@pytest.mark.parametrize("screen", SCREENS)
def test_the_preview_says_it_is_a_shared_cart_and_shows_its_card(
    world: World, new_page, live_server, database_cache, screen
):
    token = world.link(world.trade_fair, "PREVIEW")
    page = on_screen(new_page(), screen)
    page.goto(f"/share/{token}")
    look(page, "preview-explains", screen)
    assert page.title().startswith("Shared cart: Trade fair")
    meta = {
        name: page.locator(f'meta[property="{name}"]').get_attribute("content")
        for name in ("og:title", "og:description", "og:image")
    }
    assert meta["og:title"] == "Shared cart: Trade fair"
    assert meta["og:description"] == "2 items · total €74.90"
    assert meta["og:image"] == f"{live_server.url}/share/{token}/card.png"
    for personal in ("alice@acme.example", "Bring the banner"):
        assert personal not in page.content()


@pytest.mark.parametrize(
    "name",
    ["Trade fair", "Quarterly office supplies for the whole Berlin headquarters team", "W" * 100],
    ids=["short", "words", "one-long-word"],
)
def test_a_preview_link_s_card_renders_as_an_image(
    world: World, new_page, live_server, database_cache, name
):
    Cart.objects.filter(pk=world.trade_fair.pk).update(name=name)
    token = world.link(world.trade_fair, "PREVIEW")
    page = new_page()
    page.goto(f"/share/{token}")
    card = page.locator('meta[property="og:image"]').get_attribute("content")
    assert card == f"{live_server.url}/share/{token}/card.png"
    page.set_viewport_size({"width": 1200, "height": 630})
    response = page.goto(card)
    assert response is not None and response.status == 200
    assert response.headers["content-type"] == "image/png"
    size = page.evaluate("[document.images[0].naturalWidth, document.images[0].naturalHeight]")
    assert size == [1200, 630]
    page.screenshot(path=f"{SHOTS}/link-card-{name[:5].strip()}.png")
