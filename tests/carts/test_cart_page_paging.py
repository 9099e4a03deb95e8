"""The cart page shows a cart's lines a page at a time (issue 16: 1,000-line carts, the spec's
limit): `CARTSHARE_LINES_PER_PAGE` lines, `?page=N`, the totals of the whole cart, which lines
are shown ("Lines 201 to 400 of 1,000", with an en dash) and a page navigation; an edit made on
page N comes back to page N, and a conflict there is shown on page N with the typed value kept."""

import re

import pytest
from django.urls import reverse

from cartshare.carts import services
from cartshare.carts.models import CartItem
from tests.factories import CartFactory, ProductFactory

pytestmark = pytest.mark.django_db

NAV_LABEL = "Pages of the cart\N{RIGHT SINGLE QUOTATION MARK}s lines"
DASH = "\N{EN DASH}"  # "Lines 1–5": the range's dash  # noqa: RUF003


def fill(cart, count, person):
    products = ProductFactory.create_batch(count)
    CartItem.objects.bulk_create(
        CartItem(cart=cart, product=product, quantity=1 + index % 7, added_by=person)
        for index, product in enumerate(products)
    )
    return list(cart.items.order_by("id").select_related("product"))


def page_url(cart, number=None):
    url = reverse("storefront:cart_detail", args=[cart.pk])
    return f"{url}?page={number}" if number else url


def rows(html):
    return re.findall(r'<a class="item-name" href="[^"]*">([^<]*)</a>', html)


def test_a_cart_of_1000_lines_shows_200_a_page_with_the_totals_of_all(
    world, django_assert_max_num_queries
):
    cart = CartFactory(owner=world.alice, name="Thousand")
    lines = fill(cart, 1000, world.alice)
    client = world.logged_in_client(world.alice)
    with django_assert_max_num_queries(12):  # tests/carts/test_query_counts.py's bound
        response = client.get(page_url(cart, 2))
    html = response.content.decode()
    assert response.status_code == 200
    assert rows(html) == [line.product.name for line in lines[200:400]]
    assert f"Lines 201{DASH}400 of 1,000" in html
    totals = response.context["totals"]
    assert totals.item_count == 1000
    assert totals.quantity == sum(line.quantity for line in lines)
    assert totals.grand_total == sum(line.quantity * line.product.unit_price for line in lines)
    assert '<dd id="cart-grand-total">' in html
    # Accessible navigation: a named landmark, the current page marked, links to the others.
    opening = f'<nav class="pagination no-print" aria-label="{NAV_LABEL}">'
    nav = re.search(re.escape(opening) + ".*?</nav>", html, re.S)
    assert nav, "no page navigation"
    assert '<span class="page-current" aria-current="page">2</span>' in nav.group(0)
    for number in (1, 3, 4, 5):
        assert f'href="?page={number}"' in nav.group(0)
    assert 'rel="prev" href="?page=1"' in nav.group(0) and 'rel="next" href="?page=3"' in nav.group(
        0
    )
    # live.js re-reads the page shown, not the first one.
    assert f'data-live-page="{page_url(cart, 2)}"' in html


def test_the_first_page_and_a_small_cart(world, settings):
    settings.CARTSHARE_LINES_PER_PAGE = 5
    client = world.logged_in_client(world.alice)
    small = world.trade_fair  # 2 lines: one page, no navigation, no range
    html = client.get(page_url(small)).content.decode()
    assert len(rows(html)) == 2
    assert 'class="pager"' not in html and "Lines " not in html
    cart = CartFactory(owner=world.alice, name="Twelve")
    lines = fill(cart, 12, world.alice)
    first = client.get(page_url(cart)).content.decode()
    assert rows(first) == [line.product.name for line in lines[:5]]
    assert f"Lines 1{DASH}5 of 12" in first
    assert f'data-live-page="{page_url(cart)}"' in first


# storefront.pager.page_number: not a number, 0 or below gives the first page; past the last, the
# last (as the preview page).
@pytest.mark.parametrize(("asked", "shown"), [("abc", 1), ("", 1), ("0", 1), ("99", 3), ("-2", 1)])
def test_a_page_number_that_is_none_gives_a_real_page(world, settings, asked, shown):
    settings.CARTSHARE_LINES_PER_PAGE = 5
    cart = CartFactory(owner=world.alice, name="Twelve")
    lines = fill(cart, 12, world.alice)
    response = world.logged_in_client(world.alice).get(f"{page_url(cart)}?page={asked}")
    assert response.status_code == 200
    assert response.context["page"].number == shown
    assert rows(response.content.decode()) == [
        line.product.name for line in lines[(shown - 1) * 5 : shown * 5]
    ]


def test_an_edit_on_page_n_comes_back_to_page_n(world, settings):
    settings.CARTSHARE_LINES_PER_PAGE = 5
    cart = CartFactory(owner=world.alice, name="Twelve")
    lines = fill(cart, 12, world.alice)
    client = world.logged_in_client(world.alice)
    html = client.get(page_url(cart, 3)).content.decode()
    line = lines[10]
    update = reverse("storefront:cart_item_update", args=[cart.pk, line.pk])
    remove = reverse("storefront:cart_item_remove", args=[cart.pk, line.pk])
    assert f'action="{update}?page=3"' in html and f'action="{remove}?page=3"' in html
    cart.refresh_from_db()
    response = client.post(f"{update}?page=3", {"quantity": "9", "version": cart.version})
    assert response.status_code == 302 and response["Location"] == page_url(cart, 3)
    line.refresh_from_db()
    assert line.quantity == 9
    cart.refresh_from_db()
    response = client.post(f"{remove}?page=3", {"version": cart.version})
    assert response.status_code == 302 and response["Location"] == page_url(cart, 3)
    assert not CartItem.objects.filter(pk=line.pk).exists()


def test_a_conflict_on_page_n_is_shown_on_page_n_with_the_input_kept(world, settings):
    settings.CARTSHARE_LINES_PER_PAGE = 5
    cart = CartFactory(owner=world.alice, name="Twelve")
    world.share(cart, world.bob, "FULL_ACCESS")
    lines = fill(cart, 12, world.alice)
    line = lines[7]  # on page 2
    loaded = cart.version
    services.cart_item_update(cart=cart, actor=world.bob, item_id=line.pk, quantity=5)
    update = reverse("storefront:cart_item_update", args=[cart.pk, line.pk])
    response = world.logged_in_client(world.alice).post(
        f"{update}?page=2", {"quantity": "8", "version": loaded}
    )
    html = response.content.decode()
    assert response.status_code == 409
    assert response.context["page"].number == 2
    assert f'<span class="line-conflict" id="conflict-{line.pk}" role="alert">' in html
    field = re.search(rf'<input id="qty-{line.pk}"[^>]*>', html).group(0)
    assert 'value="8" data-kept-input' in field
    assert f'data-live-page="{page_url(cart, 2)}"' in html
    line.refresh_from_db()
    assert line.quantity == 5  # Bob's change stays until Alice sends hers again


def test_each_page_of_lines_has_its_own_etag(world, settings):
    settings.CARTSHARE_LINES_PER_PAGE = 5
    cart = CartFactory(owner=world.alice, name="Twelve")
    fill(cart, 12, world.alice)
    client = world.logged_in_client(world.alice)
    first = client.get(page_url(cart), headers={"X-Live-Refresh": "1"})
    second = client.get(page_url(cart, 2), headers={"X-Live-Refresh": "1"})
    assert first["ETag"] and second["ETag"] and first["ETag"] != second["ETag"]
    again = client.get(
        page_url(cart, 2), headers={"X-Live-Refresh": "1", "If-None-Match": second["ETag"]}
    )
    assert again.status_code == 304


def test_the_page_is_in_german(world, settings):
    settings.CARTSHARE_LINES_PER_PAGE = 5
    cart = CartFactory(owner=world.alice, name="Zwölf")
    fill(cart, 1200 // 100, world.alice)
    client = world.logged_in_client(world.alice)
    html = client.get(page_url(cart, 2), headers={"Accept-Language": "de"}).content.decode()
    assert f"Positionen 6{DASH}10 von 12" in html
    assert 'aria-label="Seiten der Warenkorbpositionen"' in html
