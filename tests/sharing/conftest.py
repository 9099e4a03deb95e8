"""The people of the sharing tests: an owner, colleagues with each level, and outsiders."""

from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings

from cartshare.accounts.models import CompanyUser, Customer
from cartshare.activity.models import CartActivity
from cartshare.carts.models import Cart, CartItem
from cartshare.sharing.models import CartShare, SharePermission
from tests.factories import (
    BusinessUnitFactory,
    CartFactory,
    CartItemFactory,
    CartShareFactory,
    CompanyUserFactory,
    CustomerFactory,
    ProductFactory,
)

# WhiteNoise warns (an error under -W error) when STATIC_ROOT does not exist yet.
Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)

CALLERS = [
    "anonymous",
    "owner",
    "read_only",
    "full_access",
    "other_unit",
    "other_company",
    "b2c",
]


@dataclass
class Cast:
    owner: Customer
    read_only: Customer
    full_access: Customer
    colleague: Customer  # same unit, no grant
    other_unit: Customer  # same company, another business unit (like carol)
    other_company: Customer  # like dave
    b2c: Customer  # like erin
    cart: Cart
    other_own_cart: Cart

    def customer(self, caller: str) -> Customer | None:
        return None if caller == "anonymous" else getattr(self, caller)

    def company_user(self, caller: str) -> CompanyUser:
        return self.customer(caller).company_user


def company_customer(unit, name: str, email: str) -> Customer:
    customer = CustomerFactory(name=name, email=email)
    CompanyUserFactory(customer=customer, business_unit=unit)
    return customer


def build_cast() -> Cast:
    berlin = BusinessUnitFactory(name="Berlin HQ", company__name="Acme Corporation")
    munich = BusinessUnitFactory(name="Munich Branch", company=berlin.company)
    globex = BusinessUnitFactory(name="Head Office", company__name="Globex Inc")
    owner = company_customer(berlin, "Alice Archer", "alice@acme.example")
    read_only = company_customer(berlin, "Bob Brandt", "bob@acme.example")
    full_access = company_customer(berlin, "Frank Fischer", "frank@acme.example")
    colleague = company_customer(berlin, "Greta Gruber", "greta@acme.example")
    other_unit = company_customer(munich, "Carol Conrad", "carol@acme.example")
    other_company = company_customer(globex, "Dave Dunn", "dave@globex.example")
    b2c = CustomerFactory(name="Erin Evans", email="erin@example.com")
    cart = CartFactory(owner=owner, name="Office supplies", note="For the new team")
    CartItemFactory(cart=cart, product=ProductFactory(name="Stapler"), quantity=2)
    CartItemFactory(cart=cart, product=ProductFactory(name="Paper"), quantity=5)
    other_own_cart = CartFactory(owner=owner, name="Spare")
    CartShareFactory(
        cart=cart, company_user=read_only.company_user, permission=SharePermission.READ_ONLY
    )
    CartShareFactory(
        cart=cart, company_user=full_access.company_user, permission=SharePermission.FULL_ACCESS
    )
    for person in (read_only, full_access, colleague, other_unit, other_company, b2c):
        own = CartFactory(owner=person, name=f"{person.name}'s cart")
        Customer.objects.filter(pk=person.pk).update(active_cart=own)
        person.active_cart = own
    Customer.objects.filter(pk=owner.pk).update(active_cart=cart)
    owner.active_cart = cart
    return Cast(
        owner=owner,
        read_only=read_only,
        full_access=full_access,
        colleague=colleague,
        other_unit=other_unit,
        other_company=other_company,
        b2c=b2c,
        cart=cart,
        other_own_cart=other_own_cart,
    )


@pytest.fixture
def cast(db) -> Cast:
    return build_cast()


def snapshot() -> dict:
    """Everything a refused request must leave as it was."""
    return {
        "carts": sorted(
            Cart.objects.values_list("pk", "owner_id", "name", "note", "status", "version")
        ),
        "items": sorted(CartItem.objects.values_list("pk", "cart_id", "product_id", "quantity")),
        "shares": sorted(CartShare.objects.values_list("cart_id", "company_user_id", "permission")),
        "active_carts": sorted(Customer.objects.values_list("pk", "active_cart_id")),
        "activity": CartActivity.objects.count(),
    }
