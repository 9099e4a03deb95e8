"""The pages live.js polls (cart, share, preview) are two pages in two languages: their ETags
differ by language, and a 304 is never given to a request in the other language (a German
reader would keep an English page). Pages also say they vary by language (Vary)."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.live.test_page_polling import LIVE

pytestmark = pytest.mark.django_db

GERMAN = {"HTTP_ACCEPT_LANGUAGE": "de-DE,de;q=0.9"}
ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en"}


def poll(client: Client, url: str, language: dict, etag: str | None = None):
    headers = LIVE | language | ({"HTTP_IF_NONE_MATCH": etag} if etag else {})
    return client.get(url, **headers)


def assert_etags_by_language(client: Client, url: str) -> None:
    english = poll(client, url, ENGLISH)
    german = poll(client, url, GERMAN)
    assert english.status_code == german.status_code == 200
    assert english["Content-Language"] == "en" and german["Content-Language"] == "de"
    assert english["ETag"] != german["ETag"]
    # English ETag, German request: the German page, never a 304 for the English one.
    crossed = poll(client, url, GERMAN, english["ETag"])
    assert crossed.status_code == 200 and crossed["ETag"] == german["ETag"]
    assert crossed["Content-Language"] == "de" and b'<html lang="de">' in crossed.content
    assert poll(client, url, ENGLISH, german["ETag"]).status_code == 200
    # Within one language nothing changed: 304, as before.
    assert poll(client, url, GERMAN, german["ETag"]).status_code == 304
    assert poll(client, url, ENGLISH, english["ETag"]).status_code == 304
    vary = {part.strip() for part in german["Vary"].split(",")}
    assert {"Accept-Language", "Cookie"} <= vary


def test_the_cart_page(world):
    client = Client()
    client.force_login(world.alice)
    assert_etags_by_language(client, f"/carts/{world.trade_fair.pk}/")


def test_the_share_page(world):
    client = Client()
    client.force_login(world.alice)
    assert_etags_by_language(client, f"/carts/{world.trade_fair.pk}/share/")


def test_the_preview_of_a_link(world):
    link = world.share_link(world.trade_fair, "PREVIEW")
    assert_etags_by_language(Client(), f"/share/{link.token}")


def test_the_language_cookie_counts_like_accept_language(world):
    client = Client()
    client.force_login(world.alice)
    url = f"/carts/{world.trade_fair.pk}/"
    english = poll(client, url, ENGLISH)
    client.post("/language/", {"language": "de", "next": url})
    chosen = poll(client, url, ENGLISH, english["ETag"])  # same browser, German chosen
    assert chosen.status_code == 200 and chosen["Content-Language"] == "de"
    assert chosen["ETag"] != english["ETag"]
