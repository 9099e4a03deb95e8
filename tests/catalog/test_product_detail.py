"""The product page: details, an add-to-cart form, a 404 page for unknown or inactive SKUs."""

import pytest
from django.urls import reverse

from tests.factories import CategoryFactory, CustomerFactory, ProductFactory

pytestmark = pytest.mark.django_db


def product_url(sku: str) -> str:
    return reverse("storefront:product_detail", args=[sku])


def test_the_product_page_shows_name_sku_price_category_and_description(client):
    category = CategoryFactory(name="Office", slug="office")
    ProductFactory(
        sku="OFF-0001",
        name="Stapler",
        unit_price=1290,
        category=category,
        description="Metal desktop stapler.",
    )
    response = client.get(product_url("OFF-0001"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Stapler</h1>" in html
    assert "SKU OFF-0001" in html
    assert "€12.90" in html
    assert "Metal desktop stapler." in html
    assert 'href="/?category=office">Office</a>' in html
    assert "<svg" in html  # the drawn placeholder, no external image
    assert "<img" not in html


def test_the_product_page_has_an_add_to_cart_form_back_to_itself(client):
    product = ProductFactory(sku="OFF-0001")
    html = client.get(product_url("OFF-0001")).content.decode()
    assert f'action="{reverse("storefront:cart_add")}"' in html
    assert 'name="sku" value="OFF-0001"' in html
    assert 'name="next" value="/products/OFF-0001/"' in html
    assert f'<label for="quantity-page-{product.pk}">Quantity</label>' in html
    assert html.count(">Add to cart</button>") == 1
    assert html.count(">Quantity</label>") == 1


def test_an_anonymous_visitor_is_invited_to_log_in(client):
    ProductFactory(sku="OFF-0001")
    html = client.get(product_url("OFF-0001")).content.decode()
    assert 'href="/login/?next=/products/OFF-0001/"' in html


def test_a_logged_in_customer_sees_which_cart_the_product_goes_into(client):
    from cartshare.carts.services import cart_create

    customer = CustomerFactory()
    cart_create(owner=customer, name="Office supplies", activate=True)
    client.force_login(customer)
    ProductFactory(sku="OFF-0001")
    html = client.get(product_url("OFF-0001")).content.decode()
    assert "“Add to cart” fills your active cart," in html
    assert "Office supplies" in html


def test_other_products_of_the_category_are_suggested(client):
    category = CategoryFactory(name="Office")
    ProductFactory(sku="OFF-0001", category=category)
    ProductFactory(sku="OFF-0002", category=category, name="Hole punch")
    ProductFactory(sku="OFF-0003", category=category, is_active=False, name="Old thing")
    ProductFactory(sku="PAP-0001", name="Paper")
    html = client.get(product_url("OFF-0001")).content.decode()
    assert "More in Office" in html
    assert "Hole punch" in html
    assert "Old thing" not in html and "PAP-0001" not in html


@pytest.mark.parametrize("sku", ["NOPE-0001", "off-0001", "%20", "a b", "x" * 300, "<b>"])
def test_an_unknown_sku_answers_with_a_404_page(client, sku):
    ProductFactory(sku="OFF-0001")
    response = client.get(product_url(sku))
    assert response.status_code == 404
    html = response.content.decode()
    assert "There is no product with SKU" in html
    assert "<b>" not in html.split("<main", 1)[1]


def test_an_inactive_product_answers_with_a_404_page(client):
    ProductFactory(sku="OFF-0009", is_active=False)
    response = client.get(product_url("OFF-0009"))
    assert response.status_code == 404
    assert "There is no product with SKU “OFF-0009”" in response.content.decode()


def test_a_product_without_category_still_has_a_page(client):
    ProductFactory(sku="LOOSE-1", category=None, name="Loose item")
    response = client.get(product_url("LOOSE-1"))
    assert response.status_code == 200
    assert "Loose item" in response.content.decode()
