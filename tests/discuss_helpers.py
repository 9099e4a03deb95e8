"""Every kind of caller of a shared cart, for the comment, activity and checkout tests."""

from __future__ import annotations

from dataclasses import dataclass

from django.test import Client

from cartshare.accounts.models import Customer
from cartshare.carts.models import Cart
from cartshare.catalog.models import Product
from cartshare.sharing.models import SharePermission
from tests.factories import (
    BusinessUnitFactory,
    CartFactory,
    CartItemFactory,
    CartShareFactory,
    CompanyUserFactory,
    CustomerFactory,
    ProductFactory,
)

# Who may do what (spec §3, §6, §7). B2C, other unit and other company cannot see the cart: 404.
CALLERS = ["anonymous", "owner", "full_access", "read_only", "other_unit", "other_company", "b2c"]


@dataclass
class SharedCart:
    cart: Cart
    stapler: Product
    paper: Product
    owner: Customer
    full_access: Customer
    read_only: Customer
    other_unit: Customer
    other_company: Customer
    b2c: Customer

    def person(self, caller: str) -> Customer | None:
        return None if caller == "anonymous" else getattr(self, caller)

    def client_for(self, caller: str) -> Client:
        client = Client()
        person = self.person(caller)
        if person is not None:
            client.force_login(person)
        return client


def shared_cart_world(*, with_items: bool = True) -> SharedCart:
    """Alice owns "Trade fair" in Berlin HQ, shared with Bob (full) and Carla (read-only)."""
    unit = BusinessUnitFactory(name="Berlin HQ")
    owner = CompanyUserFactory(
        business_unit=unit, customer__name="Alice Archer", customer__email="alice@acme.test"
    ).customer
    full = CompanyUserFactory(
        business_unit=unit, customer__name="Bob Brandt", customer__email="bob@acme.test"
    )
    read_only = CompanyUserFactory(
        business_unit=unit, customer__name="Carla Read", customer__email="carla@acme.test"
    )
    other_unit = CompanyUserFactory(
        business_unit=BusinessUnitFactory(company=unit.company, name="Munich Branch"),
        customer__name="Olaf Otherunit",
    ).customer
    other_company = CompanyUserFactory(customer__name="Dave Globex").customer
    b2c = CustomerFactory(name="Erin Private")
    cart = CartFactory(owner=owner, name="Trade fair")
    CartShareFactory(cart=cart, company_user=full, permission=SharePermission.FULL_ACCESS)
    CartShareFactory(cart=cart, company_user=read_only, permission=SharePermission.READ_ONLY)
    stapler = ProductFactory(sku="STAPLER-1", name="Stapler", unit_price=1250)
    paper = ProductFactory(sku="PAPER-A4", name="Paper A4", unit_price=499)
    if with_items:
        CartItemFactory(cart=cart, product=stapler, quantity=2)
        CartItemFactory(cart=cart, product=paper, quantity=10)
    return SharedCart(
        cart=cart,
        stapler=stapler,
        paper=paper,
        owner=owner,
        full_access=full.customer,
        read_only=read_only.customer,
        other_unit=other_unit,
        other_company=other_company,
        b2c=b2c,
    )
