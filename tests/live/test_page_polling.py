"""The pages live.js follows (cart, preview, share) answer its re-reads (`X-Live-Refresh: 1`)
with an ETag, and `304 Not Modified` to `If-None-Match` while nothing changed: what a client
that cannot hold a stream polls with (spec §13). An ordinary visit never gets a 304."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from cartshare.carts.services import cart_item_update
from cartshare.comments.services import comment_create
from cartshare.sharing.link_services import share_link_revoke
from cartshare.sharing.services import cart_shares_set

pytestmark = pytest.mark.django_db

LIVE = {"HTTP_X_LIVE_REFRESH": "1"}


def logged_in(person) -> Client:
    client = Client()
    client.force_login(person)
    return client


def poll(client: Client, url: str, etag: str | None = None):
    headers = LIVE | ({"HTTP_IF_NONE_MATCH": etag} if etag else {})
    return client.get(url, **headers)


def assert_polls(client: Client, url: str, change) -> str:
    """200 with an ETag, 304 for it, 200 with another after `change()`; the last ETag."""
    first = poll(client, url)
    assert first.status_code == 200 and first["ETag"].startswith('"')
    again = poll(client, url, first["ETag"])
    assert again.status_code == 304 and again.content == b""
    change()
    changed = poll(client, url, first["ETag"])
    assert changed.status_code == 200 and changed["ETag"] != first["ETag"]
    return changed["ETag"]


def test_the_preview_page_answers_304_until_the_cart_changes_then_410_once_revoked(world):
    link = world.share_link(world.trade_fair, "PREVIEW")
    url = f"/share/{link.token}"
    visitor = Client()
    stapler = world.item(world.trade_fair, world.stapler)
    etag = assert_polls(
        visitor,
        url,
        lambda: cart_item_update(
            cart=world.trade_fair, actor=world.bob, item_id=stapler.pk, quantity=5
        ),
    )
    page = poll(visitor, url).content.decode()
    assert re.search(r'data-live-events="/api/v1/shared/[^"]+/events"', page)
    assert 'data-live-by=""' in page and "Bob" not in page  # a preview names nobody
    assert poll(visitor, url, etag).status_code == 304
    share_link_revoke(link=link.link, actor=world.alice)
    gone = poll(visitor, url, etag)
    assert gone.status_code == 410 and not gone.has_header("ETag")


def test_an_ordinary_visit_never_gets_a_304(world):
    link = world.share_link(world.trade_fair, "PREVIEW")
    visitor = Client()
    etag = poll(visitor, f"/share/{link.token}")["ETag"]
    visit = visitor.get(f"/share/{link.token}", HTTP_IF_NONE_MATCH=etag)
    assert visit.status_code == 200 and not visit.has_header("ETag")


def test_re_reads_of_the_preview_are_not_counted_as_opens(world, monkeypatch):
    link = world.share_link(world.trade_fair, "PREVIEW")
    recorded: list[int] = []
    monkeypatch.setattr("cartshare.sharing.link_visits.link_open_record", recorded.append)
    Client().get(f"/share/{link.token}")
    for _ in range(3):
        assert poll(Client(), f"/share/{link.token}").status_code == 200
    assert recorded == [link.link.pk]


def test_the_share_page_answers_304_until_a_grant_changes(world):
    greta = world.company_user(world.greta)
    owner = logged_in(world.alice)
    url = reverse("storefront:cart_share", args=[world.trade_fair.pk])
    assert_polls(
        owner,
        url,
        lambda: cart_shares_set(
            cart=world.trade_fair, actor=world.alice, permissions={greta.pk: "READ_ONLY"}
        ),
    )
    page = poll(owner, url).content.decode()
    assert 'data-live-by="Alice Archer"' in page
    assert "Last change: Alice Archer" in page and "Greta Gruber" in page


def test_the_cart_page_answers_304_until_someone_comments(world):
    frank = logged_in(world.frank)
    url = reverse("storefront:cart_detail", args=[world.trade_fair.pk])
    assert_polls(
        frank,
        url,
        lambda: comment_create(cart=world.trade_fair, actor=world.bob, text="Lamp too?"),
    )


def test_who_may_not_see_the_share_page_gets_no_etag(world):
    response = poll(
        logged_in(world.carol),
        reverse("storefront:cart_share", args=[world.trade_fair.pk]),
        '"anything"',
    )
    assert response.status_code == 404
    assert not response.has_header("ETag")


def test_a_grantee_s_share_page_answers_304_until_their_access_changes(world):
    """The share page shows a grantee their own access (the policy's VIEW, as the view asks),
    so its re-reads get an ETag too, and a new one when their level changes."""
    frank = logged_in(world.frank)
    url = reverse("storefront:cart_share", args=[world.trade_fair.pk])
    frank_cu = world.company_user(world.frank)
    assert_polls(
        frank,
        url,
        lambda: cart_shares_set(
            cart=world.trade_fair, actor=world.alice, permissions={frank_cu.pk: "FULL_ACCESS"}
        ),
    )
    assert "Full access" in poll(frank, url).content.decode()
