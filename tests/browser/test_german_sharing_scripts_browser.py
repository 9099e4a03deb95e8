"""share.js and live.js speak German to a browser that asks for it (issue 17, part 2): the share
dialog over the cart page (its Close button, "Link kopiert."), and the preview following its
cart ("Gerade aktualisiert.", then the revoked link's page). Screenshots (and axe) through
screens.py's `look`, in $SCREENSHOT_DIR/german-*."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.api.client import token_for
from tests.browser.conftest import logged_in_page
from tests.browser.screens import look, on_screen
from tests.browser.test_live_cart_browser import new_shop_page, shop  # noqa: F401 (fixtures)
from tests.browser.test_live_pages_browser import port_of
from tests.live.test_event_streams import api

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

GERMAN = {"Accept-Language": "de-DE,de;q=0.9"}


@pytest.mark.parametrize("screen", ["desktop", "phone"])
def test_the_share_dialog_copies_the_link_in_german(world, new_page, live_server, screen):
    page = on_screen(logged_in_page(new_page, live_server, world.alice), screen)
    page.context.set_extra_http_headers(GERMAN)
    page.set_default_timeout(20_000)  # a loaded machine
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.goto(f"/carts/{world.trade_fair.pk}/")
    look(page, "german-cart", screen)

    page.get_by_role("link", name="Teilen Mit 2 Personen geteilt · kein Link").click()
    dialog = page.get_by_role("dialog", name="„Trade fair“ teilen")
    expect(dialog).to_be_visible()
    expect(dialog.get_by_role("button", name="Schließen")).to_be_visible()
    preview = dialog.locator("#share-preview")
    preview.get_by_role("button", name="Vorschau-Link erstellen").click()
    expect(dialog.get_by_label("Vorschau-Link zum Kopieren")).to_be_visible()
    preview.get_by_role("button", name="Kopieren (Vorschau-Link)").click()

    expect(preview.get_by_text("Link kopiert.")).to_be_visible()
    look(page, "german-share-dialog", screen)
    dialog.get_by_role("button", name="Schließen").click()
    expect(dialog).to_be_hidden()


def test_the_preview_follows_its_cart_in_german(
    world,
    browser,
    shop,  # noqa: F811 (the fixture imported above)
):
    link = world.share_link(world.trade_fair, "PREVIEW")
    context = browser.new_context(base_url=shop, extra_http_headers=GERMAN)
    context.set_default_timeout(10_000)
    visitor = on_screen(context.new_page(), "desktop")
    visitor.goto(f"/share/{link.token}")
    visitor.wait_for_timeout(300)  # the stream connects
    expect(visitor.locator(".share-items tfoot")).to_contain_text("74,90\N{NO-BREAK SPACE}€")
    item = world.item(world.trade_fair, world.stapler)
    port, alice = port_of(shop), token_for(world.alice)

    path = f"/carts/{world.trade_fair.pk}/items/{item.pk}"
    assert api(port, "PATCH", path, alice, {"quantity": 4}) == 200
    expect(visitor.locator(".cart-live-status")).to_have_text("Gerade aktualisiert.", timeout=3000)
    expect(visitor.locator(".share-items tfoot")).to_contain_text("99,90\N{NO-BREAK SPACE}€")
    assert api(port, "DELETE", f"/share-links/{link.link.pk}", alice) == 204

    expect(visitor.get_by_role("heading", level=1)).to_have_text(
        "Dieser Link funktioniert nicht mehr", timeout=3000
    )
    expect(visitor.get_by_role("alert")).to_contain_text("Dieser Link funktioniert nicht mehr")
    look(visitor, "german-preview-revoked", "desktop")
    context.close()
