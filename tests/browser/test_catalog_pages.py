"""In a real browser: log in, search, open a product; register; pages fit a phone screen."""

import pytest

from cartshare.carts.services import cart_create
from tests.browser.conftest import log_in
from tests.factories import CategoryFactory, CustomerFactory, ProductFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def shop():
    office = CategoryFactory(name="Office", slug="office")
    paper = CategoryFactory(name="Paper", slug="paper")
    ProductFactory(sku="OFF-0001", name="Stapler", category=office, unit_price=1290)
    ProductFactory(sku="OFF-0002", name="Hole punch", category=office, unit_price=990)
    for number in range(1, 30):
        ProductFactory(sku=f"PAP-{number:04d}", name=f"Copy paper {number}", category=paper)
    alice = CustomerFactory(email="alice@acme.example", name="Alice Archer")
    cart_create(owner=alice, name="Office supplies", activate=True)
    return alice


def test_alice_logs_in_searches_and_opens_the_stapler(new_page, shop):
    page = new_page()
    log_in(page, "alice@acme.example")
    assert page.get_by_text("Welcome back, Alice Archer.").is_visible()
    page.get_by_label("Search products").fill("stapler")
    page.get_by_role("button", name="Search").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name="Results for “stapler”").is_visible()
    page.screenshot(path="/tmp/found-catalog-search.png", full_page=True)
    page.get_by_role("link", name="Stapler", exact=True).click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1).inner_text() == "Stapler"
    assert page.get_by_label("Quantity").input_value() == "1"
    assert page.get_by_role("button", name="Add to cart").is_visible()
    page.screenshot(path="/tmp/found-catalog-product.png", full_page=True)


def test_a_visitor_pages_through_a_category(new_page, shop):
    page = new_page()
    page.goto("/")
    page.get_by_role("link", name="Paper", exact=True).click()
    page.wait_for_load_state()
    assert page.locator(".product-card").count() == 24
    page.locator("a[rel=next]").click()
    page.wait_for_load_state()
    assert page.locator(".product-card").count() == 5
    assert "page 2 of 2" in page.locator(".result-count").inner_text()


def test_a_visitor_registers_and_is_logged_in_with_my_cart(new_page, shop):
    page = new_page()
    page.goto("/register/")
    page.get_by_label("Your name").fill("Rita Rowe")
    page.get_by_label("E-mail").fill("rita@example.com")
    page.get_by_label("Password", exact=True).fill("plum-tree-42")
    page.get_by_label("Password again").fill("plum-tree-42")
    page.get_by_role("button", name="Create account").click()
    page.wait_for_load_state()
    assert page.get_by_text("Welcome to Cartshare, Rita Rowe.").is_visible()
    assert "My cart" in page.locator(".header-cart").inner_text()


@pytest.mark.parametrize("width", [390, 1280])
def test_catalog_and_login_pages_fit_the_screen(new_page, shop, width):
    page = new_page()
    page.set_viewport_size({"width": width, "height": 900})
    for name, url in [("list", "/"), ("product", "/products/OFF-0001/"), ("login", "/login/")]:
        page.goto(url)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{url} scrolls sideways at {width}px"
        page.screenshot(path=f"/tmp/found-catalog-{name}-{width}.png")
