"""The product list: search, category tabs, pagination, an add-to-cart form on every card."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cartshare.catalog.models import Product
from tests.factories import CategoryFactory, CustomerFactory, ProductFactory

pytestmark = pytest.mark.django_db

LIST = reverse("storefront:product_list")


def skus_on(response) -> list[str]:
    return re.findall(r'name="sku" value="([^"]+)"', response.content.decode())


def test_the_list_shows_active_products_with_name_sku_and_price(client):
    ProductFactory(sku="OFF-0001", name="Stapler", unit_price=1290)
    ProductFactory(sku="OFF-0002", name="Retired stapler", is_active=False)
    response = client.get(LIST)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Stapler" in html and "OFF-0001" in html and "€12.90" in html
    assert skus_on(response) == ["OFF-0001"]


def test_every_card_carries_an_add_to_cart_form_with_a_labelled_quantity(client):
    product = ProductFactory(sku="OFF-0001")
    html = client.get(LIST, {"q": "OFF"}).content.decode()
    form = html[html.index('<form class="add-to-cart"') :]
    form = form[: form.index("</form>")]
    assert f'action="{reverse("storefront:cart_add")}"' in form
    assert 'method="post"' in form
    assert 'name="csrfmiddlewaretoken"' in form
    assert 'name="sku" value="OFF-0001"' in form
    assert 'name="next" value="/?q=OFF"' in form
    field_id = f"quantity-card-{product.pk}"
    assert f'<label for="{field_id}">Quantity</label>' in form
    assert f'id="{field_id}" type="number" name="quantity" value="1" min="1" max="9999"' in form
    assert ">Add to cart</button>" in form


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("stapler", ["OFF-0001", "OFF-0002"]),
        ("STAPLER", ["OFF-0001", "OFF-0002"]),
        ("heavy stapler", ["OFF-0002"]),
        ("off-0003", ["OFF-0003"]),
        ("sheets", ["OFF-0002"]),
        ("  Pens  ", ["WRI-0001"]),
        ("nothing-like-this", []),
    ],
)
def test_search_matches_every_word_in_name_sku_or_description_ignoring_case(
    client, query, expected
):
    ProductFactory(sku="OFF-0001", name="Stapler", description="Small.")
    ProductFactory(sku="OFF-0002", name="Heavy-duty stapler", description="Staples 100 sheets.")
    ProductFactory(sku="OFF-0003", name="Hole punch", description="")
    ProductFactory(sku="WRI-0001", name="Ballpoint pens, blue", description="")
    response = client.get(LIST, {"q": query})
    assert response.status_code == 200
    assert sorted(skus_on(response)) == expected


def test_a_search_without_results_says_so_and_offers_the_whole_catalog(client):
    ProductFactory(name="Stapler")
    html = client.get(LIST, {"q": "unicorn"}).content.decode()
    assert "No products match “unicorn”" in html
    assert "Browse all products" in html


@pytest.mark.parametrize("query", ["x" * 5000, "%", "_", "'; DROP TABLE x; --", "ü", "\\"])
def test_odd_or_huge_searches_never_fail(client, query):
    ProductFactory(name="Stapler")
    response = client.get(LIST, {"q": query})
    assert response.status_code == 200
    assert skus_on(response) == []


def test_the_search_is_html_escaped(client):
    html = client.get(LIST, {"q": "<script>alert(1)</script>"}).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;" in html


def test_category_tabs_filter_the_list_and_show_counts(client):
    office = CategoryFactory(name="Office", slug="office")
    paper = CategoryFactory(name="Paper", slug="paper")
    ProductFactory(sku="OFF-0001", category=office)
    ProductFactory(sku="PAP-0001", category=paper)
    ProductFactory(sku="PAP-0002", category=paper)
    response = client.get(LIST, {"category": "paper"})
    assert sorted(skus_on(response)) == ["PAP-0001", "PAP-0002"]
    html = response.content.decode()
    assert 'href="?category=paper" aria-current="page"' in html
    assert 'Office <span class="tab-count" aria-hidden="true">1</span>' in html


def test_search_and_category_combine(client):
    office = CategoryFactory(slug="office")
    paper = CategoryFactory(slug="paper")
    ProductFactory(sku="OFF-0001", name="Stapler", category=office)
    ProductFactory(sku="PAP-0001", name="Stapler paper", category=paper)
    response = client.get(LIST, {"q": "stapler", "category": "paper"})
    assert skus_on(response) == ["PAP-0001"]


def test_an_unknown_category_shows_everything_with_a_notice(client):
    ProductFactory(sku="OFF-0001")
    response = client.get(LIST, {"category": "no-such-thing"})
    assert response.status_code == 200
    assert skus_on(response) == ["OFF-0001"]
    assert "That category does not exist" in response.content.decode()


def test_categories_without_active_products_have_no_tab(client):
    ProductFactory(category=CategoryFactory(name="Retired things"), is_active=False)
    ProductFactory(category=CategoryFactory(name="Office"))
    html = client.get(LIST).content.decode()
    assert "Office" in html and "Retired things" not in html


def make_products(count: int) -> None:
    category = CategoryFactory()
    Product.objects.bulk_create(
        Product(sku=f"P-{n:04d}", name=f"Product {n:04d}", category=category, unit_price=100 + n)
        for n in range(count)
    )


def test_pages_hold_24_products_and_link_to_each_other(client):
    make_products(50)
    first = client.get(LIST)
    assert len(skus_on(first)) == 24
    assert "page 1 of 3" in first.content.decode()
    assert 'rel="next" href="?page=2"' in first.content.decode()
    third = client.get(LIST, {"page": "3"})
    assert skus_on(third) == ["P-0048", "P-0049"]


def test_page_links_keep_the_search_and_category(client):
    make_products(30)
    html = client.get(LIST, {"q": "product", "category": "category-x"}).content.decode()
    assert 'href="?q=product&amp;page=2"' in html


@pytest.mark.parametrize(
    ("page", "expected_first"),
    [("abc", "P-0000"), ("", "P-0000"), ("0", "P-0024"), ("-1", "P-0024"), ("9999", "P-0024")],
)
def test_bad_page_numbers_fall_back_to_a_real_page(client, page, expected_first):
    make_products(30)
    response = client.get(LIST, {"page": page})
    assert response.status_code == 200
    assert skus_on(response)[0] == expected_first


def test_an_empty_catalog_says_so(client):
    response = client.get(LIST, {"page": "5"})
    assert response.status_code == 200
    assert "No products here yet" in response.content.decode()


def test_posting_to_the_list_is_not_allowed(client):
    assert client.post(LIST).status_code == 405


@pytest.mark.parametrize("logged_in", [False, True])
def test_the_list_runs_the_same_number_of_queries_for_1_and_many_products(
    client, django_assert_max_num_queries, logged_in
):
    if logged_in:
        client.force_login(CustomerFactory())
    make_products(1)
    with CaptureQueriesContext(connection) as one:
        client.get(LIST)
    Product.objects.bulk_create(
        Product(sku=f"Q-{n:04d}", name=f"More {n}", category=CategoryFactory(), unit_price=99)
        for n in range(60)
    )
    with django_assert_max_num_queries(len(one.captured_queries)):
        response = client.get(LIST)
    assert len(skus_on(response)) == 24
