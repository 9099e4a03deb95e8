"""The header's language switcher and how the shop picks a language (docs/decisions/i18n.md):
Accept-Language for a visitor who never chose, the switcher's cookie once they did, saved on the
account of a logged-in customer; URLs never change."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.contrib.messages import get_messages
from django.test import Client

from cartshare.accounts.models import Customer

pytestmark = pytest.mark.django_db

GERMAN = {"HTTP_ACCEPT_LANGUAGE": "de-DE,de;q=0.9,en;q=0.5"}
ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en-GB,en;q=0.9"}
COOKIE = settings.LANGUAGE_COOKIE_NAME


def header(html: str) -> str:
    match = re.search(r'<header class="site-header">.*?</header>', html, re.S)
    assert match, "no header"
    return match.group(0)


def selected_language(html: str) -> str:
    match = re.search(r'<option value="(\w+)" lang="\w+" selected>', html)
    assert match, "the switcher shows no chosen language"
    return match.group(1)


def test_a_visitor_who_never_chose_gets_their_browser_language(client):
    german = client.get("/", **GERMAN).content.decode()
    assert '<html lang="de">' in german
    top = header(german)
    assert ">Anmelden<" in top and "Produkte suchen" in top and ">Log in<" not in top
    assert "Preise inkl. MwSt." in german
    assert selected_language(german) == "de"
    english = client.get("/", **ENGLISH).content.decode()
    assert '<html lang="en">' in english and ">Log in<" in header(english)
    assert selected_language(english) == "en"


def test_a_browser_language_the_shop_does_not_offer_gets_english(client):
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="fr-FR,fr;q=0.9")
    assert page["Content-Language"] == "en" and ">Log in<" in header(page.content.decode())


def test_the_switcher_is_a_plain_form_back_to_the_same_page(client):
    page = client.get("/?q=stapler", **GERMAN).content.decode()
    form = re.search(
        r'<form class="language-switch" action="/language/" method="post">.*?</form>', page, re.S
    )
    assert form, "no language form in the header"
    assert 'name="csrfmiddlewaretoken"' in form.group(0)
    assert '<input type="hidden" name="next" value="/?q=stapler">' in form.group(0)
    assert '<select id="language-choice" name="language">' in form.group(0)
    assert 'type="submit"' in form.group(0) and "Sprache wechseln" in form.group(0)


def test_choosing_german_returns_to_the_page_and_is_remembered_over_the_browser(client):
    answer = client.post("/language/", {"language": "de", "next": "/products/?page=2"}, **ENGLISH)
    assert answer.status_code == 302 and answer["Location"] == "/products/?page=2"
    cookie = answer.cookies[COOKIE]
    assert cookie.value == "de" and cookie["max-age"] == settings.LANGUAGE_COOKIE_AGE
    assert cookie["samesite"] == "Lax" and cookie["httponly"]
    page = client.get("/", **ENGLISH)  # the browser still prefers English: the choice wins
    assert page["Content-Language"] == "de" and ">Anmelden<" in header(page.content.decode())
    back = client.post("/language/", {"language": "en", "next": "/"}, **ENGLISH)
    assert back.cookies[COOKIE].value == "en"
    assert client.get("/", **GERMAN)["Content-Language"] == "en"


def test_a_logged_in_customer_choice_is_saved_on_their_account(client, world):
    client.force_login(world.alice)
    assert Customer.objects.get(pk=world.alice.pk).language == ""
    answer = client.post("/language/", {"language": "de", "next": "/carts/"})
    assert answer.status_code == 302 and answer["Location"] == "/carts/"
    assert Customer.objects.get(pk=world.alice.pk).language == "de"
    assert client.get("/carts/")["Content-Language"] == "de"
    client.post("/language/", {"language": "en", "next": "/carts/"})
    assert Customer.objects.get(pk=world.alice.pk).language == "en"


def test_a_language_not_offered_changes_nothing_and_says_so(client, world):
    client.force_login(world.alice)
    answer = client.post("/language/", {"language": "fr", "next": "/carts/"}, **GERMAN)
    assert answer.status_code == 302 and answer["Location"] == "/carts/"
    assert COOKIE not in answer.cookies
    assert Customer.objects.get(pk=world.alice.pk).language == ""
    assert [str(m) for m in get_messages(answer.wsgi_request)] == [
        "Diese Sprache wird hier nicht angeboten."
    ]


def test_the_switcher_never_sends_anyone_to_another_site(client):
    answer = client.post("/language/", {"language": "de", "next": "https://evil.example/"})
    assert answer.status_code == 302 and answer["Location"] == "/"
    assert answer.cookies[COOKIE].value == "de"


def test_the_switcher_takes_posts_only(client):
    assert client.get("/language/?language=de&next=/").status_code == 405


def test_the_switcher_checks_the_csrf_token():
    client = Client(enforce_csrf_checks=True)
    answer = client.post("/language/", {"language": "de", "next": "/"})
    assert answer.status_code == 403 and COOKIE not in answer.cookies


def test_pages_vary_on_the_language_cookie_and_accept_language(client):
    page = client.get("/", **GERMAN)
    vary = {part.strip() for part in page["Vary"].split(",")}
    assert {"Accept-Language", "Cookie"} <= vary


def test_urls_carry_no_language(client):
    assert client.get("/de/", **GERMAN).status_code == 404
    assert client.get("/", **GERMAN).status_code == 200


def test_no_switcher_where_the_address_holds_a_share_token(client, world):
    """A token's page sends `Referrer-Policy: no-referrer`, so its forms would post `Origin:
    null` and be refused: the header shows no switcher there, and the browser's language
    applies. The link's own page (/share/join/, no token) keeps it."""
    from tests.factories import CartFactory, CartItemFactory

    cart = CartFactory(owner=world.alice, name="Preview me")
    CartItemFactory(cart=cart)
    token = world.link(cart, "PREVIEW")
    page = client.get(f"/share/{token}", **GERMAN)
    assert page.status_code == 200
    assert page["Referrer-Policy"] == "no-referrer"
    assert 'class="language-switch"' not in page.content.decode()
    assert 'lang="de"' in page.content.decode()
    assert 'class="language-switch"' in client.get("/", **GERMAN).content.decode()
