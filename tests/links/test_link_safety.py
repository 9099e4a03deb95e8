"""What every /share/ response promises: the three headers, nothing from another origin, no
data changed by a GET, a rate limit; tokens that a database dump does not give away."""

from __future__ import annotations

import re
import string
import uuid
from urllib.parse import parse_qs, urlsplit

import pytest
from django.apps import apps
from django.core import serializers
from django.core.cache import cache
from django.test import Client

from cartshare.carts.models import Cart, CartStatus
from cartshare.common.errors import NotFound
from cartshare.sharing.link_services import share_link_revoke
from cartshare.sharing.link_visits import share_link_resolve
from cartshare.sharing.models import ShareLink, ShareLinkStats
from cartshare.sharing.tokens import token_new
from tests.factories import CartFactory, CartItemFactory, CustomerFactory
from tests.links.helpers import data_snapshot, foreign_urls, join_url, open_url, text, visit

pytestmark = pytest.mark.django_db

SHARE_HEADERS = {
    "Referrer-Policy": "no-referrer",
    "X-Robots-Tag": "noindex",
    "Cache-Control": "no-store",
}

# The link's own page (/share/join/<id>) holds no token in its address: the site's referrer
# policy applies there, so that its forms post with our Origin.
JOIN_HEADERS = {**SHARE_HEADERS, "Referrer-Policy": "same-origin"}


def assert_safe_page(response, headers: dict, where) -> None:
    for header, value in headers.items():
        assert response[header] == value, (where, header)
    if response["Content-Type"].startswith("text/html"):
        page = text(response)
        assert foreign_urls(page) == [], where
        assert '<meta name="referrer"' not in page, where  # nothing loosens the header


def every_kind_of_token(world) -> list[str]:
    """Tokens for every row of the table: working links of each option, an ordered cart's,
    revoked, expired, deleted-cart ones, and an unknown token."""
    tokens = [
        world.link(world.office_supplies, option)
        for option in ("PREVIEW", "READ_ONLY", "FULL_ACCESS")
    ]
    ordered = CartFactory(owner=world.alice, name="Ordered")
    CartItemFactory(cart=ordered)
    tokens += [world.link(ordered, option) for option in ("PREVIEW", "FULL_ACCESS")]
    Cart.objects.filter(pk=ordered.pk).update(status=CartStatus.ORDERED)
    old = CartFactory(owner=world.alice, name="Old")
    revoked, _, token = world.share_link(old, "PREVIEW")
    share_link_revoke(link=revoked, actor=world.alice)
    tokens.append(token)
    expired, _, token = world.share_link(old, "READ_ONLY")
    ShareLink.objects.filter(pk=expired.pk).update(expires_at=expired.created_at)
    tokens.append(token)
    gone = CartFactory(owner=world.alice, name="Gone")
    tokens.append(world.link(gone, "FULL_ACCESS"))
    gone.delete()
    tokens.append(token_new())
    return tokens


def visitors(world) -> list[Client]:
    clients = [Client()]
    for person in (world.alice, world.bob, world.carol, world.dave, world.erin):
        client = Client()
        client.force_login(person)
        clients.append(client)
    return clients


def test_every_share_response_has_the_headers_and_nothing_from_another_origin(world):
    """Addresses with a token: no-referrer, and no form that posts (it would post `Origin:
    null`); POSTs there are refused. The link's own page: the same headers but the site's
    referrer policy, and its forms work."""
    tokens = every_kind_of_token(world)
    statuses = set()
    for client in visitors(world):
        for token in tokens:
            joins = set()
            for suffix in ("", "/accept", "/copy"):
                response = client.get(open_url(token) + suffix)
                statuses.add(response.status_code)
                assert_safe_page(response, SHARE_HEADERS, (token, suffix))
                assert 'method="post"' not in text(response), (token, suffix)
                if response.status_code == 302 and "/share/join/" in response["Location"]:
                    joins.add(response["Location"].split("?next=")[-1])
            for suffix in ("", "/accept", "/copy"):
                response = client.post(open_url(token) + suffix)
                statuses.add(response.status_code)
                assert response.status_code == 405
                assert_safe_page(response, SHARE_HEADERS, (token, suffix, "POST"))
            for join in joins:
                for method, address in (("get", join), ("post", join), ("post", join + "/copy")):
                    response = getattr(client, method)(address)
                    statuses.add(response.status_code)
                    assert_safe_page(response, JOIN_HEADERS, (token, method, address))
    assert {200, 302, 403, 404, 405, 409, 410, 422} <= statuses


def test_the_open_graph_url_is_the_link_itself_on_our_own_origin(world, client):
    _, url, token = world.share_link(world.office_supplies, "PREVIEW")
    page = text(client.get(open_url(token)))
    assert f'<meta property="og:url" content="{url}">' in page
    assert '<meta property="og:title" content="Shared cart: Office supplies">' in page
    assert '<meta property="og:description" content="2 items · total €1,005.50">' in page
    assert f'<meta property="og:image" content="{url}/card.png">' in page
    assert '<meta name="twitter:card" content="summary_large_image">' in page
    assert '<meta name="twitter:description" content="2 items · total €1,005.50">' in page


def test_a_get_on_any_share_url_never_changes_data(world):
    tokens = every_kind_of_token(world)
    clients = visitors(world)
    before = data_snapshot()  # sessions aside: they keep the ids of the links they opened
    for client in clients:
        for token in tokens:
            for suffix in ("", "/accept", "/copy"):
                client.get(open_url(token) + suffix)
                client.head(open_url(token) + suffix)
            joined = client.get(open_url(token))
            if joined.status_code == 302:  # on to the link's own page
                client.get(joined["Location"])
                client.head(joined["Location"])
    assert data_snapshot() == before
    assert ShareLinkStats.objects.filter(open_count__gt=0).exists()  # only opens were counted


def test_opens_are_counted_except_the_owners_own(world):
    link, _, token = world.share_link(world.office_supplies, "PREVIEW")
    for person in (world.alice, world.bob, world.erin):
        client = Client()
        client.force_login(person)
        visit(client, token)
    visit(Client(), token)
    stats = ShareLinkStats.objects.get(link=link)
    assert stats.open_count == 3
    assert stats.last_opened_at is not None


def test_tokens_are_43_url_safe_characters_from_256_random_bits_and_not_uuids():
    alphabet = set(string.ascii_letters + string.digits + "-_")
    tokens = [token_new() for _ in range(200)]
    assert len(set(tokens)) == 200
    for token in tokens:
        assert len(token) == 43  # 32 bytes, base64url without padding: 256 bits >= 128
        assert set(token) <= alphabet
        with pytest.raises(ValueError):
            uuid.UUID(token)


def test_the_links_url_has_the_form_base_share_token(world, settings):
    _, url, token = world.share_link(world.office_supplies, "PREVIEW")
    assert url == f"http://testserver/share/{token}"
    assert re.fullmatch(r"[A-Za-z0-9_-]{43}", token)


def test_a_dump_of_every_table_yields_no_working_link(world):
    links = [
        world.share_link(world.office_supplies, option)
        for option in ("PREVIEW", "READ_ONLY", "FULL_ACCESS")
    ]
    Client().get(open_url(links[0][2]))
    dump = "".join(
        serializers.serialize("json", model.objects.all()) for model in apps.get_models()
    )
    for _, url, token in links:
        assert token not in dump
        assert url not in dump
    candidates = set(re.findall(r"[A-Za-z0-9_\-=]{20,}", dump))
    windows = {
        candidate[start : start + 43]
        for candidate in candidates
        for start in range(max(1, len(candidate) - 42))
    }
    assert len(windows) > 100  # the hashes and ciphertexts were there to try
    for candidate in candidates | windows:
        with pytest.raises(NotFound):
            share_link_resolve(candidate)


# Rate limit


@pytest.fixture
def rate_limited(settings):
    settings.CARTSHARE_SHARE_RATE_LIMIT = "3/m"
    cache.clear()
    yield
    cache.clear()


def test_link_opens_beyond_the_rate_limit_get_the_429_page_with_retry_after(world, rate_limited):
    token = world.link(world.office_supplies, "PREVIEW")
    client = Client(REMOTE_ADDR="203.0.113.7")
    assert [client.get(open_url(token)).status_code for _ in range(3)] == [200, 200, 200]
    response = client.get(open_url(token))
    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 60
    assert "Too many links were opened" in text(response)
    for header, value in SHARE_HEADERS.items():
        assert response[header] == value
    assert foreign_urls(text(response)) == []
    assert Client(REMOTE_ADDR="203.0.113.8").get(open_url(token)).status_code == 200


def test_pages_and_api_share_one_rate_limit_counter(world, rate_limited):
    token = world.link(world.office_supplies, "PREVIEW")
    client = Client(REMOTE_ADDR="203.0.113.9")
    client.get(open_url(token))
    client.get(f"/api/v1/shared/{token}")
    client.get(open_url(token) + "/nope")
    response = client.get(f"/api/v1/shared/{token}")
    assert response.status_code == 429
    assert response["Content-Type"].startswith("application/problem+json")
    assert response.json()["status"] == 429


def test_off_disables_the_rate_limit(world, settings):
    settings.CARTSHARE_SHARE_RATE_LIMIT = "off"
    token = world.link(world.office_supplies, "PREVIEW")
    client = Client(REMOTE_ADDR="203.0.113.10")
    assert {client.get(open_url(token)).status_code for _ in range(80)} == {200}


def test_other_pages_are_not_rate_limited_as_link_opens(world, rate_limited):
    client = Client(REMOTE_ADDR="203.0.113.11")
    client.force_login(world.alice)
    statuses = {
        client.get(f"/carts/{world.office_supplies.pk}/share/").status_code for _ in range(6)
    }
    assert statuses == {200}


# The login redirect


def next_of(response) -> str:
    location = urlsplit(response["Location"])
    assert location.scheme == "" and location.netloc == ""
    return parse_qs(location.query)["next"][0]


def test_the_login_redirect_carries_only_the_relative_link_path(world, client, settings):
    settings.CARTSHARE_BASE_URL = "https://shop.example"
    token = world.link(world.office_supplies, "FULL_ACCESS")
    response = visit(client, token + "?next=https://evil.example/")
    assert next_of(response) == join_url(token)


def test_the_login_page_ignores_an_absolute_or_foreign_next(world, client):
    for next_url in ("https://evil.example/", "//evil.example/share/x", "http://testserver.evil/"):
        response = client.post(
            "/login/?next=" + next_url,
            {"username": world.bob.email, "email": world.bob.email, "password": "demo1234"},
        )
        assert response.status_code == 302
        assert "evil" not in response["Location"]
        client.logout()


def test_after_logging_in_the_visitor_lands_back_on_the_link(world, client):
    token = world.link(world.office_supplies, "FULL_ACCESS")
    login_url = visit(client, token)["Location"]
    assert token not in login_url
    response = client.post(
        login_url, {"username": world.bob.email, "email": world.bob.email, "password": "demo1234"}
    )
    assert response["Location"] == join_url(token)
    assert "Open cart</button>" in text(client.get(response["Location"]))


def test_a_customer_without_a_cart_can_copy(world, client):
    newcomer = CustomerFactory()
    token = world.link(world.office_supplies, "PREVIEW")
    client.force_login(newcomer)
    visit(client, token)
    assert client.post(join_url(token) + "/copy").status_code == 302
    assert Cart.objects.filter(owner=newcomer).count() == 1
