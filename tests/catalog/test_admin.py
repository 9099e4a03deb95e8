"""The back office for categories and products."""

import pytest
from django.urls import reverse

from tests.factories import CustomerFactory, ProductFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client):
    client.force_login(CustomerFactory(is_staff=True, is_superuser=True))
    return client


@pytest.mark.parametrize("model", ["category", "product"])
def test_every_changelist_add_and_change_page_answers_for_a_superuser(staff_client, model):
    product = ProductFactory()
    obj = product if model == "product" else product.category
    assert staff_client.get(reverse(f"admin:catalog_{model}_changelist")).status_code == 200
    assert staff_client.get(reverse(f"admin:catalog_{model}_add")).status_code == 200
    change = reverse(f"admin:catalog_{model}_change", args=[obj.pk])
    assert staff_client.get(change).status_code == 200


def test_products_are_searchable_by_sku_and_name(staff_client):
    ProductFactory(sku="FIND-1", name="Blue stapler")
    ProductFactory(sku="OTHER-1", name="Green folder")
    url = reverse("admin:catalog_product_changelist")
    html = staff_client.get(url, {"q": "find-1"}).content.decode()
    assert "FIND-1" in html and "OTHER-1" not in html
    html = staff_client.get(url, {"q": "stapler"}).content.decode()
    assert "FIND-1" in html and "OTHER-1" not in html


def test_products_filter_by_category_and_active(staff_client):
    shown = ProductFactory(sku="SHOWN-1")
    ProductFactory(sku="HIDDEN-1", is_active=False)
    url = reverse("admin:catalog_product_changelist")
    html = staff_client.get(url, {"is_active__exact": "1"}).content.decode()
    assert "SHOWN-1" in html and "HIDDEN-1" not in html
    html = staff_client.get(url, {"category__id__exact": shown.category_id}).content.decode()
    assert "SHOWN-1" in html and "HIDDEN-1" not in html


def test_a_customer_without_staff_rights_cannot_open_the_product_admin(client):
    client.force_login(CustomerFactory())
    response = client.get(reverse("admin:catalog_product_changelist"))
    assert response.status_code == 302
