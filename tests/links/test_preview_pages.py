# ruff: noqa: RUF001 -- the pages write ranges with an en dash ("Lines 1 to 200") on purpose
"""The preview of a big cart, page by page: `settings.CARTSHARE_LINES_PER_PAGE` lines at a time
(`?page=N`), with the whole cart's totals and item count on every page, a pager that says which
lines it shows, relative page links that keep the token in the path under `no-referrer`, any
`page` value answered with a page (never a 500), live.js's re-reads of the page being viewed,
and a query count that does not grow with the lines."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from cartshare.carts.models import CartItem
from cartshare.carts.services import cart_item_update
from cartshare.catalog.models import Product
from tests.factories import CartFactory, CategoryFactory
from tests.links.helpers import main_text, open_url, text, visit
from tests.links.test_link_safety import SHARE_HEADERS, assert_safe_page

pytestmark = pytest.mark.django_db

LIVE = {"HTTP_X_LIVE_REFRESH": "1"}


def big_cart(owner, lines: int, name: str = "Big order", sku: str = "BIG"):
    """A cart of `lines` lines: line n (from 1) is SKU BIG-n at 1.00 + n cents, n % 5 + 1 units
    (so the total differs from any page's)."""
    category = CategoryFactory()
    Product.objects.bulk_create(
        Product(sku=f"{sku}-{n:04d}", name=f"Product {n}", category=category, unit_price=100 + n)
        for n in range(1, lines + 1)
    )
    cart = CartFactory(owner=owner, name=name)
    products = Product.objects.filter(sku__startswith=f"{sku}-").order_by("sku")
    CartItem.objects.bulk_create(
        CartItem(cart=cart, product=product, quantity=n % 5 + 1)
        for n, product in enumerate(products, start=1)
    )
    return cart


def expected_total(lines: int) -> int:
    return sum((100 + n) * (n % 5 + 1) for n in range(1, lines + 1))


def skus_shown(response) -> list[str]:
    return re.findall(r"<code>(BIG-\d{4})</code>", text(response))


def lines_shown(response) -> str | None:
    found = re.search(r'<p class="lines-shown">([^<]*)</p>', text(response))
    return found.group(1) if found else None


@pytest.fixture
def thousand(world):
    """Alice's 1,000-line cart (the spec's limit) and its preview link's token."""
    cart = big_cart(world.alice, 1000)
    return cart, world.link(cart, "PREVIEW")


def test_a_1000_line_preview_shows_200_lines_and_the_whole_cart_s_totals(thousand):
    _, token = thousand
    response = Client().get(open_url(token))
    assert response.status_code == 200
    assert skus_shown(response) == [f"BIG-{n:04d}" for n in range(1, 201)]
    assert lines_shown(response) == "Lines 1–200 of 1,000"
    page = main_text(response)
    total = expected_total(1000)  # 3,000 units, €18,035.00: every line, not page 1's
    assert "1,000 items, 3,000 units" in page
    assert f"€{total // 100:,}.{total % 100:02d}" in page
    assert "Total (3,000 units)" in page
    assert response.context["totals"].grand_total == total


def test_every_page_keeps_the_whole_cart_s_totals_and_says_which_lines_it_shows(thousand):
    _, token = thousand
    client = Client()
    for number, first, last in ((2, 201, 400), (5, 801, 1000)):
        response = client.get(open_url(token), {"page": number})
        assert response.status_code == 200
        assert skus_shown(response) == [f"BIG-{n:04d}" for n in range(first, last + 1)]
        assert lines_shown(response) == f"Lines {first:,}–{last:,} of 1,000"
        assert "Total (3,000 units)" in main_text(response)
        assert response.context["totals"].grand_total == expected_total(1000)


def test_the_pager_is_a_labelled_nav_with_relative_links_and_the_current_page_marked(thousand):
    _, token = thousand
    response = Client().get(open_url(token), {"page": 3})
    nav = re.search(r"<nav [^>]*>.*?</nav>", main_text(response), re.S).group(0)
    assert 'aria-label="Pages of the cart’s lines"' in nav
    assert '<a class="button secondary" rel="prev" href="?page=2">' in nav
    assert '<a class="button secondary" rel="next" href="?page=4">' in nav
    assert '<span class="page-current" aria-current="page">3</span>' in nav
    hrefs = re.findall(r'href="([^"]*)"', nav)
    assert set(hrefs) == {"?page=1", "?page=2", "?page=4", "?page=5"}  # the path stays
    assert token not in nav


def test_the_first_and_last_pages_have_no_link_beyond_them(thousand):
    _, token = thousand
    first = Client().get(open_url(token))
    assert 'rel="prev"' not in text(first) and 'href="?page=2"' in text(first)
    last = Client().get(open_url(token), {"page": 5})
    assert 'rel="next"' not in text(last) and 'rel="prev" href="?page=4"' in text(last)


def test_a_cart_that_fits_on_one_page_has_no_pager(world, client):
    token = world.link(world.office_supplies, "PREVIEW")
    response = client.get(open_url(token), {"page": 2})
    assert response.status_code == 200
    assert lines_shown(response) is None and "<nav" not in main_text(response)
    assert "Ballpoint pen" in text(response)


@pytest.mark.parametrize(
    ("value", "number"),
    [
        ("0", 1),
        ("-1", 1),
        ("x", 1),
        ("", 1),
        ("2.5", 1),
        ("\u0663", 1),  # an Arabic-Indic 3: a digit to str.isdigit, not a page number
        ("1e3", 1),
        (" 2 ", 2),
        ("6", 5),
        pytest.param("9" * 5000, 5, id="5000 nines"),  # more digits than int() accepts
        ("99999999999999999999", 5),
    ],
)
def test_any_page_value_answers_a_page_never_an_error(thousand, value, number):
    """Like the shop's other lists, a bad `page` is clamped: below 1 or not a number, the first
    page; past the last, the last (a live re-read of a page the cart has just lost as well)."""
    _, token = thousand
    response = Client().get(open_url(token), {"page": value})
    assert response.status_code == 200
    assert response.context["lines_page"].page.number == number
    first = (number - 1) * 200 + 1
    assert lines_shown(response) == f"Lines {first:,}–{first + 199:,} of 1,000"


def test_a_page_of_the_preview_keeps_the_token_safe(thousand):
    _, token = thousand
    response = Client().get(open_url(token), {"page": 2})
    assert response.status_code == 200
    assert_safe_page(response, SHARE_HEADERS, "page 2")
    assert 'method="post"' not in text(response)


def test_a_logged_in_visitor_s_preview_pages_at_the_link_s_own_address(world, thousand):
    _, token = thousand
    client = Client()
    client.force_login(world.bob)
    first = visit(client, token)
    assert first.status_code == 200 and lines_shown(first) == "Lines 1–200 of 1,000"
    join = first.request["PATH_INFO"]
    assert join.startswith("/share/join/")
    second = client.get(join, {"page": 2})
    assert second.status_code == 200
    assert skus_shown(second)[0] == "BIG-0201" and 'rel="prev" href="?page=1"' in text(second)


def test_live_re_reads_of_a_page_answer_304_until_the_cart_changes(world, thousand):
    cart, token = thousand
    client = Client()
    url = f"{open_url(token)}?page=3"
    first = client.get(url, **LIVE)
    assert first.status_code == 200 and skus_shown(first)[0] == "BIG-0401"
    again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"], **LIVE)
    assert again.status_code == 304
    item = CartItem.objects.get(cart=cart, product__sku="BIG-0401")
    cart_item_update(cart=cart, actor=world.alice, item_id=item.pk, quantity=9)
    changed = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"], **LIVE)
    assert changed.status_code == 200 and changed["ETag"] != first["ETag"]
    assert skus_shown(changed)[0] == "BIG-0401"  # the page being viewed, not the first
    assert lines_shown(changed) == "Lines 401–600 of 1,000"
    assert changed.context["totals"].quantity == 3000 - (401 % 5 + 1) + 9


def test_the_preview_s_queries_do_not_grow_with_its_lines(world):
    """One count for 10 lines and for 1,000 (and for a page past the first)."""
    counts = []
    for number, (lines, page) in enumerate(((10, None), (1000, None), (1000, "4"))):
        cart = big_cart(world.alice, lines, name=f"Cart {number}", sku=f"Q{number}")
        token = world.link(cart, "PREVIEW")
        client = Client()
        client.get(open_url(token))  # the first visit's session and caches
        with CaptureQueriesContext(connection) as queries:
            response = client.get(open_url(token), {"page": page} if page else {})
        assert response.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1] == counts[2], counts
