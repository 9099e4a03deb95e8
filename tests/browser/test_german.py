"""A German speaker reads no English anywhere in the shop (issue 17): the home, product, cart,
share, preview, accept, refusal, checkout and order pages, rendered by a German browser
(locale de-DE, so Accept-Language: de-DE), looked at (screenshots on a desktop and a phone,
axe), and searched for English left over.

English left over is any msgid of our catalogs (4 characters or more, and not the same in
German) that appears, as whole words, in what the page shows (its text, placeholders, labels
and titles), and a short list of common English words. What people typed or the catalogue holds
(product and category names and descriptions, cart names and notes, comments, people's and
companies' names) stays as it was written and is taken out before the search."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.conf import settings
from django.test import Client

from cartshare.accounts.models import BusinessUnit, Company, Customer
from cartshare.carts.models import Cart
from cartshare.catalog.models import Category, Product
from cartshare.comments.models import Comment
from cartshare.orders.services import cart_checkout
from config.catalogs import ROOT, catalog_files
from tests.browser.screens import SCREENS, look, on_screen
from tests.links.helpers import join_url, open_url
from tests.links.test_preview_pages import big_cart

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

COMMON_ENGLISH = (
    "Cart", "Carts", "Share", "Shared", "Add to cart", "Checkout", "Check out", "Order",
    "Orders", "Place order", "Log in", "Log out", "Register", "Search", "Quantity", "Price",
    "Total", "Subtotal", "Items", "Save", "Cancel", "Delete", "Remove", "Back", "Copy",
    "Preview", "Owner", "Read-only", "Full access", "Comments", "Activity", "Notifications",
    "Please", "the", "and", "your", "you", "with",
)  # fmt: skip
MIN_LENGTH = 4
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]|\{\w*\}")
# What a page shows besides its text: the words in its fields and its accessible names.
SHOWN_ATTRIBUTES = """() => Array.from(
  document.querySelectorAll('[placeholder], [aria-label], [title], img[alt], input[type=submit]'),
  (element) => [element.getAttribute('placeholder'), element.getAttribute('aria-label'),
                element.getAttribute('title'), element.getAttribute('alt'),
                element.type === 'submit' ? element.value : null].filter(Boolean).join('\\n'),
).join('\\n')"""


@cache
def english_msgids() -> tuple[tuple[str, re.Pattern[str]], ...]:
    """Every msgid of our catalogs that a German page must not show: (msgid, its pattern)."""
    found: dict[str, re.Pattern[str]] = {}
    for path in catalog_files(ROOT):
        if path.parent.parent.name != "de":
            continue
        with path.open("rb") as po_file:
            catalog = read_po(po_file)
        for message in catalog:
            ids = [message.id] if isinstance(message.id, str) else list(message.id)
            strings = [message.string] if isinstance(message.string, str) else message.string
            for msgid in ids:
                fixed = PLACEHOLDER.sub("", msgid).strip()
                if not msgid or len(fixed) < MIN_LENGTH or msgid in strings:
                    continue
                parts = [re.escape(part) for part in PLACEHOLDER.split(msgid)]
                found[msgid] = re.compile(r"(?<!\w)" + r".{1,80}?".join(parts) + r"(?!\w)")
    return tuple(sorted(found.items()))


def content_of_the_shop() -> list[str]:
    """What is not ours to translate, longest first (so "Paper A4" goes before "Paper")."""
    texts: set[str] = set()
    for model, fields in (
        (Product, ("name", "description", "sku")),
        (Category, ("name",)),
        (Cart, ("name", "note")),
        (Comment, ("text",)),
        (Customer, ("name", "email")),
        (Company, ("name",)),
        (BusinessUnit, ("name",)),
    ):
        for row in model.objects.values_list(*fields):
            texts.update(value for value in row if value)
    return sorted(texts, key=len, reverse=True)


def english_on(page) -> list[str]:
    shown = page.locator("body").inner_text() + "\n" + page.evaluate(SHOWN_ATTRIBUTES)
    title = page.title()
    shown += "\n" + title
    for text in content_of_the_shop():
        shown = shown.replace(text, " \u2591 ")
    left = [f"msgid {msgid!r}" for msgid, pattern in english_msgids() if pattern.search(shown)]
    for word in COMMON_ENGLISH:
        if re.search(rf"(?<!\w){re.escape(word)}(?!\w)", shown):
            left.append(f"word {word!r}")
    return left


@pytest.fixture
def german(browser, live_server):
    """`german(person)`: a page in a German browser, logged in as `person` (None: nobody)."""
    contexts = []

    def open_page(person=None):
        context = browser.new_context(base_url=live_server.url, locale="de-DE")
        context.set_default_timeout(10_000)
        contexts.append(context)
        if person is not None:
            client = Client()
            client.force_login(person)
            session = client.cookies[settings.SESSION_COOKIE_NAME].value
            context.add_cookies(
                [{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}]
            )
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


def home(world, german):
    return german(None), "/"


def product(world, german):
    return german(None), f"/products/{world.stapler.sku}/"


def cart(world, german):
    return german(world.alice), f"/carts/{world.trade_fair.pk}/"


def share(world, german):
    return german(world.alice), f"/carts/{world.trade_fair.pk}/share/"


def preview(world, german):
    link = world.share_link(world.trade_fair, "PREVIEW")
    return german(None), open_url(link.token)


def paged_preview(world, german):
    """The second page of a preview of more lines than a page holds: the pager in German."""
    link = world.share_link(big_cart(world.alice, 250), "PREVIEW")
    return german(None), open_url(link.token) + "?page=2"


def accept(world, german):
    link = world.share_link(world.trade_fair, "READ_ONLY")
    page = german(world.greta)
    page.goto(open_url(link.token))
    return page, join_url(link.token)


def refusal(world, german):
    """An internal link of Berlin opened by carol of Munich: the link is not for her."""
    link = world.share_link(world.trade_fair, "READ_ONLY")
    page = german(world.carol)
    page.goto(open_url(link.token))
    return page, join_url(link.token)


def checkout(world, german):
    return german(world.alice), f"/carts/{world.trade_fair.pk}/checkout/"


def order(world, german):
    placed = cart_checkout(
        cart=world.trade_fair, actor=world.alice, purchase_order_number="PO-2026-17"
    )
    return german(world.alice), f"/orders/{placed.reference}/"


PAGES = [home, product, cart, share, preview, paged_preview, accept, refusal, checkout, order]


@pytest.mark.parametrize("visit", PAGES, ids=lambda visit: visit.__name__)
def test_a_german_reader_sees_no_english(world, german, visit):
    page, url = visit(world, german)
    answer = page.goto(url)
    expected = 403 if visit is refusal else 200  # the refusal page says why, with its 403
    assert answer is not None and answer.status == expected, f"{url}: {answer and answer.status}"
    assert answer.headers.get("content-language") == "de"
    assert page.locator("html").get_attribute("lang") == "de"
    left = english_on(page)
    for screen in SCREENS:
        look(on_screen(page, screen), f"german-{visit.__name__}", screen)
    assert not left, f"English on the German {visit.__name__} page ({url}):\n" + "\n".join(left)


def test_the_search_finds_english_on_an_english_page(world, browser, live_server):
    """The check itself: the same page in an English browser is full of it."""
    context = browser.new_context(base_url=live_server.url, locale="en-US")
    try:
        page = context.new_page()
        page.goto("/")
        left = english_on(page)
        assert "msgid 'Search products'" in left and "word 'Log in'" in left
    finally:
        context.close()


def test_the_catalogs_hold_the_strings_the_search_looks_for():
    assert ("Skip to content" in dict(english_msgids())) and Path(ROOT, "locale").is_dir()
