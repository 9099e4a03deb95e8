"""A small world for share-link tests: one owner, colleagues in and outside her unit, a B2C
customer, and a cart with two items."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from cartshare.sharing.link_services import share_link_get_or_create
from tests.factories import (
    BusinessUnitFactory,
    CartFactory,
    CartItemFactory,
    CompanyUserFactory,
    CustomerFactory,
    ProductFactory,
)

BASE_URL = "http://testserver"


@dataclass
class World:
    alice: object  # owner, Acme / Berlin HQ
    bob: object  # colleague, Berlin HQ
    carol: object  # Acme / Munich Branch
    dave: object  # Globex / Head Office
    erin: object  # B2C
    cart: object
    unit: object

    def link(self, option: str = "PREVIEW", **kwargs):
        """(link, url, token) of the cart's current link for `option`."""
        link, url, _ = share_link_get_or_create(
            cart=kwargs.pop("cart", self.cart),
            actor=kwargs.pop("actor", self.alice),
            share_option=option,
            base_url=BASE_URL,
            **kwargs,
        )
        return link, url, url.rsplit("/", 1)[-1]


@pytest.fixture
def world(db) -> World:
    berlin = BusinessUnitFactory(name="Berlin HQ", company__name="Acme Corporation")
    munich = BusinessUnitFactory(name="Munich Branch", company=berlin.company)
    globex = BusinessUnitFactory(name="Head Office", company__name="Globex Inc")

    def company_customer(name: str, email: str, unit):
        return CompanyUserFactory(
            customer__name=name, customer__email=email, business_unit=unit
        ).customer

    alice = company_customer("Alice Archer", "alice@acme.example", berlin)
    bob = company_customer("Bob Brandt", "bob@acme.example", berlin)
    carol = company_customer("Carol Chen", "carol@acme.example", munich)
    dave = company_customer("Dave Diaz", "dave@globex.example", globex)
    erin = CustomerFactory(name="Erin Evans", email="erin@example.com")
    cart = CartFactory(owner=alice, name="Trade fair", note="Secret note for the team")
    CartItemFactory(
        cart=cart,
        product=ProductFactory(sku="PEN-001", name="Ballpoint pen", unit_price=250),
        quantity=3,
    )
    CartItemFactory(
        cart=cart,
        product=ProductFactory(sku="DESK-9", name="Standing desk", unit_price=49900),
        quantity=2,
    )
    for person in (alice, bob, carol, dave, erin):
        CartFactory(owner=person, name=f"{person.name}'s own cart")
    return World(alice, bob, carol, dave, erin, cart, berlin)
