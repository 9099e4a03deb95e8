"""The demo data is exactly what the README and other tests promise, and loading it twice
changes nothing."""

import io

import pytest
from django.apps import apps
from django.contrib.auth import authenticate
from django.core.management import call_command

from cartshare.access.policies import CartAction, access_level, can
from cartshare.accounts.management.demo import load_demo_data
from cartshare.accounts.models import BusinessUnit, Company, CompanyUser, Customer
from cartshare.carts.models import Cart, CartItem
from cartshare.carts.selectors import active_cart_id
from cartshare.catalog.models import Category, Product
from cartshare.sharing.models import AccessLevel, CartShare, SharePermission

pytestmark = pytest.mark.django_db

PEOPLE = {
    "alice@acme.example": ("Alice Archer", ("Acme Corporation", "Berlin HQ")),
    "bob@acme.example": ("Bob Brandt", ("Acme Corporation", "Berlin HQ")),
    "carol@acme.example": ("Carol Conrad", ("Acme Corporation", "Munich Branch")),
    "dave@globex.example": ("Dave Dunn", ("Globex Inc", "Head Office")),
    "erin@example.com": ("Erin Evans", None),
}


@pytest.fixture
def demo():
    load_demo_data()


def carts_of(email: str) -> dict[str, int]:
    return {
        cart.name: cart.items.count()
        for cart in Cart.objects.filter(owner__email=email).prefetch_related("items")
    }


def test_companies_and_business_units(demo):
    units = {(unit.company.name, unit.name) for unit in BusinessUnit.objects.all()}
    assert units == {
        ("Acme Corporation", "Berlin HQ"),
        ("Acme Corporation", "Munich Branch"),
        ("Globex Inc", "Head Office"),
    }
    assert Company.objects.count() == 2


def test_people_have_their_names_units_and_the_demo_password(demo):
    for email, (name, unit) in PEOPLE.items():
        customer = Customer.objects.get(email=email)
        assert customer.name == name
        assert not customer.is_staff
        company_user = CompanyUser.objects.filter(customer=customer).first()
        if unit is None:
            assert company_user is None
        else:
            business_unit = company_user.business_unit
            assert (business_unit.company.name, business_unit.name) == unit
            assert company_user.is_active
        assert authenticate(email=email, password="demo1234") == customer


def test_alice_has_office_supplies_active_and_trade_fair(demo):
    alice = Customer.objects.get(email="alice@acme.example")
    assert carts_of("alice@acme.example") == {"Office supplies": 3, "Trade fair": 5}
    assert active_cart_id(alice) == Cart.objects.get(owner=alice, name="Office supplies").pk
    stapler = Product.objects.get(name="Stapler")
    assert CartItem.objects.filter(cart__name="Office supplies", product=stapler).exists()


def test_trade_fair_is_shared_with_bob_with_full_access(demo):
    bob = Customer.objects.get(email="bob@acme.example")
    trade_fair = Cart.objects.get(owner__email="alice@acme.example", name="Trade fair")
    share = CartShare.objects.get()
    assert share.cart == trade_fair
    assert share.company_user.customer == bob
    assert share.permission == SharePermission.FULL_ACCESS
    assert access_level(bob, trade_fair) == AccessLevel.FULL_ACCESS
    assert can(bob, CartAction.EDIT, trade_fair)
    carol = Customer.objects.get(email="carol@acme.example")
    assert not can(carol, CartAction.VIEW, trade_fair)


def test_bob_has_one_cart_with_one_item_and_it_is_active(demo):
    bob = Customer.objects.get(email="bob@acme.example")
    assert carts_of("bob@acme.example") == {"Bob's cart": 1}
    assert active_cart_id(bob) == Cart.objects.get(owner=bob).pk


@pytest.mark.parametrize("email", ["carol@acme.example", "dave@globex.example", "erin@example.com"])
def test_carol_dave_and_erin_each_have_one_empty_active_my_cart(demo, email):
    customer = Customer.objects.get(email=email)
    assert carts_of(email) == {"My cart": 0}
    assert customer.active_cart_id == Cart.objects.get(owner=customer).pk


def test_admin_is_a_staff_superuser_with_the_demo_password(demo):
    admin = Customer.objects.get(email="admin@cartshare.example")
    assert admin.name == "Admin"
    assert admin.is_staff and admin.is_superuser
    assert authenticate(email="admin@cartshare.example", password="demo1234") == admin
    assert Customer.objects.count() == 7  # the six people of the README and Sam Seller


def test_every_customer_owns_at_least_one_cart(demo):
    assert not Customer.objects.filter(carts__isnull=True).exists()


def test_the_catalog_has_at_least_120_products_in_several_categories(demo):
    products = Product.objects.select_related("category")
    assert products.count() >= 120
    assert Category.objects.count() >= 6
    assert not products.filter(category__isnull=True).exists()
    for product in products:
        assert product.is_active
        assert product.currency == "EUR"
        assert 0 < product.unit_price < 100_000_00
        assert product.name and product.description
    assert Product.objects.get(sku="OFF-0001").name == "Stapler"
    assert {category.slug for category in Category.objects.all()} >= {
        "office",
        "paper",
        "writing",
        "furniture",
        "tech",
    }


def test_every_category_has_enough_products_for_a_page(demo):
    for category in Category.objects.all():
        assert category.products.count() >= 10


def table_snapshot() -> dict[str, list[tuple]]:
    """Every row of every Cartshare table (and auth's), all columns."""
    snapshot = {}
    for model in apps.get_models():
        if model._meta.app_label in {"accounts", "catalog", "carts", "sharing", "activity"}:
            snapshot[model._meta.label] = list(model.objects.order_by("pk").values_list())
    return snapshot


def test_loading_the_demo_data_twice_changes_nothing():
    load_demo_data()
    first = table_snapshot()
    load_demo_data()
    assert table_snapshot() == first
    assert sum(len(rows) for rows in first.values()) > 150


def test_loading_again_keeps_what_people_changed_and_restores_what_is_missing():
    load_demo_data()
    alice = Customer.objects.get(email="alice@acme.example")
    office = Cart.objects.get(owner=alice, name="Office supplies")
    office.items.update(quantity=42)
    Cart.objects.filter(owner__email="carol@acme.example").delete()
    load_demo_data()
    assert set(office.items.values_list("quantity", flat=True)) == {42}
    assert carts_of("carol@acme.example") == {"My cart": 0}


def test_the_load_demo_command_loads_and_says_how_to_log_in():
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    call_command("load_demo", stdout=out)
    assert "alice@acme.example" in out.getvalue()
    assert Customer.objects.count() == 7  # the six people of the README and Sam Seller
    assert Product.objects.count() >= 120


def test_sam_seller_is_a_sales_representative_with_a_proposal_for_globex(demo):
    sam = Customer.objects.get(email="sam@cartshare.example")
    assert sam.name == "Sam Seller"
    assert not CompanyUser.objects.filter(customer=sam).exists()
    assert authenticate(email="sam@cartshare.example", password="demo1234") == sam
    proposal = Cart.objects.get(owner=sam, name="Proposal for Globex")
    assert proposal.items.count() == 4
    assert proposal.note.startswith("Prepared for Globex")
