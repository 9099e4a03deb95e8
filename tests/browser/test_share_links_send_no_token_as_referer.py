"""In Chromium, no request a share-link page makes carries the token in its Referer (issue 11,
item 6): not the page's CSS, script or icon, not the log-in page, not the "Open cart" post. And
the forms still work: "Open cart" and "Copy to my cart" pass Django's CSRF check, because they
live on the link's own page (/share/join/<id>), whose address holds no token. With the database
cache table, as production runs."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from cartshare.carts.models import Cart
from cartshare.sharing.link_services import share_link_revoke
from cartshare.sharing.models import CartShare
from tests.browser.conftest import logged_in_page
from tests.links.test_preview_pages import big_cart
from tests.world import World

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


class Recorder:
    """Every request the page makes (redirect hops and subresources included)."""

    def __init__(self, page) -> None:
        self.requests = []
        page.on("request", lambda request: self.requests.append(request))

    def referers(self) -> list[tuple[str, str]]:
        found = []
        for request in self.requests:
            for headers in (request.headers, request.all_headers()):
                if headers.get("referer"):
                    found.append((request.url, headers["referer"]))
        return found

    def assert_token_sent_nowhere_but_in_its_own_address(self, token: str) -> None:
        assert self.requests, "nothing was recorded"
        for url, referer in self.referers():
            assert token not in referer, (url, referer)
        for request in self.requests:
            if token in request.url:
                path = urlsplit(request.url).path
                if path == f"/api/v1/shared/{token}/events":  # live.js: the link's own stream
                    assert request.resource_type == "eventsource", request.url
                    continue
                assert path.rsplit("/share/", 1)[1].startswith(token)
                # the page itself, or live.js re-reading it (same address, no Referer either)
                assert request.resource_type in {"document", "fetch"}, request.url


def test_a_colleague_opens_an_internal_link_and_opens_the_cart_without_leaking_the_token(
    world: World, new_page, live_server, database_cache
):
    token = world.link(world.office_supplies, "FULL_ACCESS")
    bob = logged_in_page(new_page, live_server, world.bob)
    recorder = Recorder(bob)
    response = bob.goto(f"/share/{token}")
    assert response.ok
    assert "/share/join/" in bob.url and token not in bob.url
    bob.get_by_role("button", name="Open cart").click()
    bob.wait_for_url(f"**/carts/{world.office_supplies.pk}/")
    assert CartShare.objects.filter(
        cart=world.office_supplies, company_user=world.bob.company_user
    ).exists()
    recorder.assert_token_sent_nowhere_but_in_its_own_address(token)
    css = [r for r in recorder.requests if r.resource_type == "stylesheet"]
    assert css, "the pages' CSS was loaded"


def test_the_preview_pages_subresources_carry_no_referer_at_all(
    world: World, new_page, database_cache
):
    token = world.link(world.office_supplies, "PREVIEW")
    page = new_page()
    recorder = Recorder(page)
    response = page.goto(f"/share/{token}")
    assert response.status == 200
    assert response.headers["referrer-policy"] == "no-referrer"
    page.wait_for_load_state("load")
    loaded = [r for r in recorder.requests if r.resource_type in {"stylesheet", "script"}]
    assert {r.resource_type for r in loaded} == {"stylesheet", "script"}
    for request in loaded:
        assert not request.headers.get("referer"), request.url
        assert not request.all_headers().get("referer"), request.url
    recorder.assert_token_sent_nowhere_but_in_its_own_address(token)


def test_paging_through_a_big_preview_leaks_no_token(
    world: World, new_page, settings, database_cache
):
    settings.CARTSHARE_LINES_PER_PAGE = 20
    token = world.link(big_cart(world.alice, 50), "PREVIEW")
    page = new_page()
    recorder = Recorder(page)
    page.goto(f"/share/{token}")
    page.locator("a[rel=next]").click()
    page.wait_for_url(f"**/share/{token}?page=2")
    response = page.get_by_role("link", name="3", exact=True)
    with page.expect_response(f"**/share/{token}?page=3") as answer:
        response.click()
    assert answer.value.headers["referrer-policy"] == "no-referrer"
    pages = [r for r in recorder.requests if r.resource_type == "document"]
    assert len(pages) == 3 and all(not r.headers.get("referer") for r in pages)
    recorder.assert_token_sent_nowhere_but_in_its_own_address(token)


def test_logging_in_from_an_internal_link_and_accepting_leaks_no_token(
    world: World, new_page, database_cache
):
    token = world.link(world.office_supplies, "READ_ONLY")
    page = new_page()
    recorder = Recorder(page)
    page.goto(f"/share/{token}")
    assert "/login/" in page.url and token not in page.url
    page.get_by_label("E-mail").fill(world.bob.email)
    page.get_by_label("Password").fill("demo1234")
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("button", name="Open cart").click()
    page.wait_for_url(f"**/carts/{world.office_supplies.pk}/")
    grant = CartShare.objects.get(cart=world.office_supplies, company_user=world.bob.company_user)
    assert grant.permission == "READ_ONLY"
    recorder.assert_token_sent_nowhere_but_in_its_own_address(token)


def test_copy_to_my_cart_from_a_preview_link_works_and_leaks_no_token(
    world: World, new_page, live_server, database_cache
):
    token = world.link(world.office_supplies, "PREVIEW")
    erin = logged_in_page(new_page, live_server, world.erin)
    recorder = Recorder(erin)
    erin.goto(f"/share/{token}")
    erin.get_by_role("button", name="Copy to my cart").click()
    copy = Cart.objects.get(owner=world.erin, name="Copy of Office supplies")
    erin.wait_for_url(f"**/carts/{copy.pk}/")
    recorder.assert_token_sent_nowhere_but_in_its_own_address(token)


def test_logging_out_from_a_dead_links_page_works(world: World, new_page, live_server):
    link, _, token = world.share_link(world.office_supplies, "PREVIEW")
    share_link_revoke(link=link, actor=world.alice)
    bob = logged_in_page(new_page, live_server, world.bob)
    recorder = Recorder(bob)
    assert bob.goto(f"/share/{token}").status == 410
    bob.get_by_role("link", name="Log out").click()
    bob.locator("#main").get_by_role("button", name="Log out").click()
    bob.get_by_text("You are logged out").wait_for()
    recorder.assert_token_sent_nowhere_but_in_its_own_address(token)
