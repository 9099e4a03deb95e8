"""Each endpoint keeps the promises of ../shared/API.md: status codes, fields, problem+json."""

import uuid

import pytest

from cartshare.carts.models import Cart, CartItem
from tests.api.client import ApiClient, assert_problem, client_for
from tests.factories import (
    PASSWORD,
    CartFactory,
    CartItemFactory,
    CompanyUserFactory,
    CustomerFactory,
    ProductFactory,
)

pytestmark = pytest.mark.django_db

CART_FIELDS = {
    "id",
    "name",
    "note",
    "owner",
    "access",
    "status",
    "version",
    "is_active",
    "currency",
    "totals",
    "created_at",
    "updated_at",
}


def test_posting_credentials_returns_a_bearer_token():
    anonymous = ApiClient()
    customer = CustomerFactory()
    response = anonymous.post("/access-tokens", {"email": customer.email, "password": PASSWORD})
    assert response.status_code == 201
    body = response.json()
    assert set(body) == {"access_token", "token_type", "expires_in"}
    assert body["token_type"] == "Bearer"
    assert body["expires_in"] == 86400


def test_wrong_credentials_answer_401_problem():
    anonymous = ApiClient()
    customer = CustomerFactory()
    response = anonymous.post("/access-tokens", {"email": customer.email, "password": "nope"})
    assert_problem(response, 401)


def test_deleting_the_current_token_answers_204():
    client = client_for(CustomerFactory())
    assert client.delete("/access-tokens/current").status_code == 204


def test_me_describes_a_company_user():
    company_user = CompanyUserFactory()
    body = client_for(company_user.customer).get("/me").json()
    unit = company_user.business_unit
    assert body == {
        "id": company_user.customer.pk,
        "name": company_user.customer.name,
        "email": company_user.customer.email,
        "company_user_id": company_user.pk,
        "company": {"id": unit.company.pk, "name": unit.company.name},
        "business_unit": {"id": unit.pk, "name": unit.name},
    }


def test_me_has_no_company_for_b2c_customers():
    body = client_for(CustomerFactory()).get("/me").json()
    assert body["company_user_id"] is None
    assert body["company"] is None
    assert body["business_unit"] is None


def test_products_are_listed_for_anyone_and_searchable():
    anonymous = ApiClient()
    ProductFactory(name="Blue stapler", sku="STAPLE-1", unit_price=499)
    ProductFactory(name="Paper", sku="PAPER-1")
    response = anonymous.get("/products?q=stapler")
    assert response.status_code == 200
    assert response.json() == {
        "results": [
            {"sku": "STAPLE-1", "name": "Blue stapler", "unit_price": 499, "currency": "EUR"}
        ],
        "next": None,
        "has_more": False,
    }


def test_lists_are_paged_with_an_opaque_cursor():
    anonymous = ApiClient()
    for number in range(5):
        ProductFactory(name=f"Pen {number}")
    first = anonymous.get("/products?limit=2").json()
    assert [product["name"] for product in first["results"]] == ["Pen 0", "Pen 1"]
    assert first["next"].startswith("http://testserver/api/v1/products?")
    second = anonymous.client.get(first["next"]).json()
    assert [product["name"] for product in second["results"]] == ["Pen 2", "Pen 3"]
    third = anonymous.client.get(second["next"]).json()
    assert [product["name"] for product in third["results"]] == ["Pen 4"]
    assert third["next"] is None


@pytest.mark.parametrize("query", ["limit=0", "limit=101", "limit=abc", "cursor=garbage!"])
def test_bad_paging_parameters_answer_422(query):
    anonymous = ApiClient()
    body = assert_problem(anonymous.get(f"/products?{query}"), 422)
    assert set(body["errors"]) <= {"limit", "cursor"}
    assert body["errors"]


def test_company_users_are_the_active_colleagues_of_my_unit():
    me = CompanyUserFactory()
    colleague = CompanyUserFactory(business_unit=me.business_unit)
    CompanyUserFactory(business_unit=me.business_unit, is_active=False)
    CompanyUserFactory()  # another company
    body = client_for(me.customer).get("/company-users").json()
    assert body == {
        "results": [
            {"id": colleague.pk, "name": colleague.customer.name, "email": colleague.customer.email}
        ],
        "next": None,
        "has_more": False,
    }


def test_company_users_are_refused_to_b2c_customers():
    assert_problem(client_for(CustomerFactory()).get("/company-users"), 403)


def test_cart_permission_groups_are_read_only_contributor_and_full_access():
    body = client_for(CustomerFactory()).get("/cart-permission-groups").json()
    assert [group["name"] for group in body["results"]] == [
        "READ_ONLY",
        "CONTRIBUTOR",
        "FULL_ACCESS",
    ]
    assert all(group["description"] and group["label"] for group in body["results"])
    assert body["next"] is None


def test_cart_list_has_my_carts_and_the_carts_shared_with_me(world):
    body = client_for(world.frank).get("/carts").json()
    by_name = {cart["name"]: cart for cart in body["results"]}
    assert set(by_name) == {"My cart", "Trade fair"}
    shared = by_name["Trade fair"]
    assert set(shared) == CART_FIELDS
    assert shared["access"] == "READ_ONLY"
    assert shared["owner"] == {"id": world.alice.pk, "name": world.alice.name}
    assert shared["totals"] == {
        "item_count": 2,
        "quantity": 12,
        "subtotal": 2 * 1250 + 10 * 499,
        "grand_total": 2 * 1250 + 10 * 499,
    }


def test_creating_a_cart_answers_201_with_the_cart_and_its_etag():
    client = client_for(CustomerFactory())
    response = client.post("/carts", {"name": "  Office  ", "note": "For Monday"})
    assert response.status_code == 201
    body = response.json()
    assert set(body) == CART_FIELDS | {"items"}
    assert body["name"] == "Office"
    assert body["note"] == "For Monday"
    assert body["access"] == "OWNER"
    assert body["status"] == "OPEN"
    assert body["items"] == []
    assert response["ETag"] == f'"{body["version"]}"'


def test_a_taken_cart_name_answers_422_and_creates_nothing():
    cart = CartFactory(name="Office")
    body = assert_problem(client_for(cart.owner).post("/carts", {"name": "Office"}), 422)
    assert "name" in body["errors"]
    assert Cart.objects.filter(owner=cart.owner).count() == 1


def test_a_cart_is_shown_with_items_totals_and_etag(world):
    response = client_for(world.alice).get(f"/carts/{world.trade_fair.pk}")
    assert response.status_code == 200
    body = response.json()
    assert body["items"] == [
        {
            "id": world.item(world.trade_fair, world.stapler).pk,
            "sku": "STAPLER-1",
            "name": "Stapler",
            "quantity": 2,
            "unit_price": 1250,
            "total_price": 2500,
            "note": "",
            "added_by": {"id": world.alice.pk, "name": "Alice Archer"},
        },
        {
            "id": world.item(world.trade_fair, world.paper).pk,
            "sku": "PAPER-A4",
            "name": "Paper A4",
            "quantity": 10,
            "unit_price": 499,
            "total_price": 4990,
            "note": "",
            "added_by": {"id": world.alice.pk, "name": "Alice Archer"},
        },
    ]
    assert body["totals"]["grand_total"] == 7490
    assert response["ETag"] == f'"{world.trade_fair.version}"'


def test_an_unknown_cart_answers_404(world):
    assert_problem(client_for(world.alice).get(f"/carts/{uuid.uuid4()}"), 404)


def test_patching_a_cart_renames_it_and_changes_the_note(world):
    response = client_for(world.bob).patch(
        f"/carts/{world.trade_fair.pk}", {"name": "Trade fair 2027", "note": "Booth 12"}
    )
    assert response.status_code == 200
    assert response.json()["name"] == "Trade fair 2027"
    assert response.json()["note"] == "Booth 12"
    world.trade_fair.refresh_from_db()
    assert (world.trade_fair.name, world.trade_fair.note) == ("Trade fair 2027", "Booth 12")


def test_deleting_a_cart_answers_204(world):
    assert client_for(world.alice).delete(f"/carts/{world.office_supplies.pk}").status_code == 204
    assert not Cart.objects.filter(pk=world.office_supplies.pk).exists()


def test_deleting_the_owners_last_cart_answers_409_and_keeps_it():
    cart = CartFactory()
    assert_problem(client_for(cart.owner).delete(f"/carts/{cart.pk}"), 409)
    assert Cart.objects.filter(pk=cart.pk).exists()


def test_activating_a_shared_cart_makes_it_active(world):
    response = client_for(world.bob).post(f"/carts/{world.trade_fair.pk}/activate")
    assert response.status_code == 200
    assert response.json()["is_active"] is True
    world.bob.refresh_from_db()
    assert world.bob.active_cart_id == world.trade_fair.pk


def test_adding_an_item_answers_201_with_the_cart(world):
    response = client_for(world.alice).post(
        f"/carts/{world.trade_fair.pk}/items", {"sku": world.lamp.sku, "quantity": 3}
    )
    assert response.status_code == 201
    skus = {item["sku"]: item["quantity"] for item in response.json()["items"]}
    assert skus[world.lamp.sku] == 3
    assert response["ETag"] == f'"{response.json()["version"]}"'


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"sku": "SKU-X", "quantity": 0}, "quantity"),
        ({"sku": "SKU-X", "quantity": -1}, "quantity"),
        ({"sku": "SKU-X", "quantity": 10_000}, "quantity"),
        ({"sku": "SKU-X", "quantity": "abc"}, "quantity"),
        ({"sku": "SKU-X", "quantity": 1.5}, "quantity"),
        ({"sku": "SKU-X"}, "quantity"),
        ({"sku": "UNKNOWN", "quantity": 1}, "sku"),
        ({"sku": "", "quantity": 1}, "sku"),
        ({"sku": "A\x00B", "quantity": 1}, "sku"),
    ],
)
def test_bad_items_answer_422_with_field_errors_and_change_nothing(world, payload, field):
    if payload.get("sku") == "SKU-X":
        payload = {**payload, "sku": world.lamp.sku}
    response = client_for(world.alice).post(f"/carts/{world.trade_fair.pk}/items", payload)
    body = assert_problem(response, 422)
    assert field in body["errors"]
    assert list(world.trade_fair.items.values_list("quantity", flat=True)) == [2, 10]
    assert Cart.objects.get(pk=world.trade_fair.pk).version == world.trade_fair.version


def test_a_cart_holds_at_most_1000_products(world):
    products = ProductFactory.create_batch(1000 - 2)  # "Trade fair" holds 2
    CartItem.objects.bulk_create(
        CartItem(cart=world.trade_fair, product=p, quantity=1) for p in products
    )
    response = client_for(world.alice).post(
        f"/carts/{world.trade_fair.pk}/items", {"sku": world.lamp.sku, "quantity": 1}
    )
    assert_problem(response, 409)
    assert world.trade_fair.items.count() == 1000


def test_changing_an_items_quantity_answers_the_cart(world):
    response = client_for(world.alice).patch(
        f"/carts/{world.trade_fair.pk}/items/{world.item(world.trade_fair, world.stapler).pk}",
        {"quantity": 7},
    )
    assert response.status_code == 200
    assert response.json()["items"][0]["quantity"] == 7
    assert response.json()["totals"]["quantity"] == 7 + 10


def test_removing_an_item_answers_the_cart_without_it(world):
    item = world.item(world.trade_fair, world.stapler)
    response = client_for(world.alice).delete(f"/carts/{world.trade_fair.pk}/items/{item.pk}")
    assert response.status_code == 200
    assert [line["sku"] for line in response.json()["items"]] == ["PAPER-A4"]
    assert not CartItem.objects.filter(pk=item.pk).exists()


def test_an_item_of_another_cart_answers_404(world):
    foreign = CartItemFactory()
    response = client_for(world.alice).patch(
        f"/carts/{world.trade_fair.pk}/items/{foreign.pk}", {"quantity": 5}
    )
    assert_problem(response, 404)
    foreign.refresh_from_db()
    assert foreign.quantity == 1


def test_read_only_colleague_cannot_change_quantity_and_is_told_why(world):
    response = client_for(world.frank).patch(
        f"/carts/{world.trade_fair.pk}/items/{world.item(world.trade_fair, world.stapler).pk}",
        {"quantity": 5},
    )
    body = assert_problem(response, 403)
    assert "read-only" in body["detail"]
    assert world.item(world.trade_fair, world.stapler).quantity == 2  # read afresh
