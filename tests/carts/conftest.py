"""People and carts for the cart page tests: an owner with two carts, a read-only and a
full-access colleague of the same business unit, and a stranger from another company."""

from types import SimpleNamespace

import pytest

from cartshare.sharing.models import SharePermission
from tests.carts.helpers import company_customer
from tests.factories import (
    BusinessUnitFactory,
    CartFactory,
    CartItemFactory,
    CartShareFactory,
    CustomerFactory,
    ProductFactory,
)


@pytest.fixture
def world(db):
    unit = BusinessUnitFactory(name="Berlin HQ")
    owner = company_customer(unit, name="Alice Archer", email="alice@test.example")
    reader = company_customer(unit, name="Rita Reader", email="rita@test.example")
    editor = company_customer(unit, name="Ed Editor", email="ed@test.example")
    stranger = CustomerFactory(name="Sam Stranger", email="sam@test.example")

    cart = CartFactory(owner=owner, name="Office supplies", note="For the Berlin office")
    pens = ProductFactory(name="Blue pens", sku="PEN-BLUE", unit_price=250)
    paper = ProductFactory(name="Copy paper", sku="PAPER-A4", unit_price=599)
    stapler = ProductFactory(name="Stapler", sku="STAPLER", unit_price=1499)
    CartItemFactory(cart=cart, product=pens, quantity=4)
    CartItemFactory(cart=cart, product=paper, quantity=2)
    other_cart = CartFactory(owner=owner, name="Trade fair")
    for person, name in [(reader, "Rita cart"), (editor, "Ed cart"), (stranger, "Sam cart")]:
        own = CartFactory(owner=person, name=name)
        person.active_cart = own
        person.save(update_fields=["active_cart"])
    owner.active_cart = cart
    owner.save(update_fields=["active_cart"])

    CartShareFactory(
        cart=cart, company_user=reader.company_user, permission=SharePermission.READ_ONLY
    )
    CartShareFactory(
        cart=cart, company_user=editor.company_user, permission=SharePermission.FULL_ACCESS
    )
    return SimpleNamespace(
        unit=unit,
        owner=owner,
        reader=reader,
        editor=editor,
        stranger=stranger,
        cart=cart,
        other_cart=other_cart,
        pens=pens,
        paper=paper,
        stapler=stapler,
    )


@pytest.fixture
def as_user(client):
    """`as_user(customer)` logs the test client in as that customer (None: anonymous)."""

    def log_in(customer):
        client.logout()
        if customer is not None:
            client.force_login(customer)
        return client

    return log_in
