"""A dump of the database, or of Redis, yields no working link and no access token (issue 11,
item 3): neither the share-link tokens (and URLs) nor the API access tokens that the API and the
pages handed out are stored anywhere in the clear, also not in the Idempotency-Key layer's stored
responses (in the database), with the database cache table and with Redis as the cache. The
replay still gives the first response, URL included."""

from __future__ import annotations

import pytest
from django.test import Client

from cartshare.sharing.models import ShareLink
from cartshare.sharing.tokens import share_link_url
from tests.api.client import ApiClient, client_for
from tests.links.helpers import open_url
from tests.secrets_at_rest import secrets_in_database, secrets_in_redis, tables_scanned

pytestmark = pytest.mark.django_db

OPTIONS = ["PREVIEW", "READ_ONLY", "FULL_ACCESS"]


def token_of(url: str) -> str:
    return url.rsplit("/", 1)[-1]


def hand_out_secrets(world) -> list[str]:
    """Access tokens and share links made every way there is, with and without an
    Idempotency-Key (each keyed request sent twice: the replay must give the same answer)."""
    secrets: list[str] = []
    anonymous = ApiClient()
    credentials = {"email": world.alice.email, "password": "demo1234"}
    for headers in ({}, {"Idempotency-Key": "token-1"}):
        for _ in range(2 if headers else 1):
            response = anonymous.post("/access-tokens", credentials, headers=headers)
            assert response.status_code == 201, response.content
            secrets.append(response.json()["access_token"])
    owner = ApiClient(secrets[0])
    cart = f"/carts/{world.office_supplies.pk}/share-links"
    for option in OPTIONS:
        key = {"Idempotency-Key": f"link-{option}"}
        first = owner.post(cart, {"share_option": option}, headers=key)
        assert first.status_code == 201, first.content
        replay = owner.post(cart, {"share_option": option}, headers=key)
        assert replay["Idempotent-Replayed"] == "true"
        assert replay.json()["url"] == first.json()["url"]
        again = owner.post(cart, {"share_option": option})
        assert again.json()["url"] == first.json()["url"]
        secrets += [first.json()["url"], token_of(first.json()["url"])]
    spare = f"/carts/{world.trade_fair.pk}/share-links"
    unkeyed = owner.post(spare, {"share_option": "PREVIEW"})
    secrets += [unkeyed.json()["url"], token_of(unkeyed.json()["url"])]
    listed = owner.get(cart).json()["results"]
    assert {link["url"] for link in listed} <= set(secrets)
    # Colleagues use the links through the API (keyed) and the pages.
    colleague = client_for(world.greta)
    token = token_of(secrets[-4])  # the full-access link of the cart
    accepted = colleague.post(f"/shared/{token}/accept", headers={"Idempotency-Key": "join"})
    assert accepted.status_code == 200, accepted.content
    copied = colleague.post(f"/shared/{token}/copy", headers={"Idempotency-Key": "copy"})
    assert copied.status_code == 201, copied.content
    page = Client()
    page.force_login(world.carol)
    assert page.get(open_url(token)).status_code == 302  # on to the link's own page
    owner_page = Client()
    owner_page.force_login(world.alice)
    created = owner_page.post(
        f"/carts/{world.trade_fair.pk}/links/", {"share_option": "FULL_ACCESS"}
    )
    assert created.status_code == 302
    made = ShareLink.objects.get(cart=world.trade_fair, share_option="FULL_ACCESS")
    page_url = share_link_url(made, "http://testserver")
    assert page_url in owner_page.get(created["Location"]).content.decode()
    return [*secrets, page_url, token_of(page_url)]


def test_no_share_token_or_access_token_is_at_rest_in_the_database_or_the_cache(
    world, production_cache, settings
):
    settings.CARTSHARE_SHARE_RATE_LIMIT = "1000/m"  # its counters are in the cache too
    settings.CARTSHARE_LOGIN_RATE_LIMIT = "1000/m"
    secrets = hand_out_secrets(world)
    assert len(set(secrets)) == 13  # 3 access tokens, 5 links (URL and token)
    scanned = tables_scanned()
    assert {"django_session", "sharing_sharelink", "accounts_accesstoken"} <= scanned
    assert "accounts_idempotentrequest" in scanned  # the keyed requests' stored first answers
    assert secrets_in_database(secrets) == []
    assert secrets_in_redis(secrets) == []


def test_the_scan_finds_a_token_the_cache_holds_in_the_clear(world, production_cache):
    """The scan itself can fail: a URL put into the cache as the old layer did is found."""
    from django.core.cache import cache

    url = "http://testserver/share/" + "T" * 43
    cache.set("idempotency:planted", {"content": f'{{"url": "{url}"}}'.encode()}, 60)
    found = secrets_in_redis([url]) if production_cache == "redis" else secrets_in_database([url])
    assert found
