"""The test world: the people of the demo data, their carts and a few products, built afresh for
every test (the `world` fixture in tests/conftest.py) from the factories in tests/factories/.
Zulip's `example_user("hamlet")` is the model: a test names the people it needs and changes
only what its story needs.

People (password "demo1234"; e-mail <name>@acme.example unless said otherwise):

    name   who                                   unit                          on "Trade fair"
    alice  Alice Archer                          Acme Corporation / Berlin HQ  owner
    bob    Bob Brandt                            Acme Corporation / Berlin HQ  full access
    frank  Frank Fischer                         Acme Corporation / Berlin HQ  read-only
    greta  Greta Gruber                          Acme Corporation / Berlin HQ  -  (a colleague)
    carol  Carol Conrad                          Acme Corporation / Munich     -  (other unit)
    dave   Dave Dunn <dave@globex.example>       Globex Inc / Head Office      -  (other company)
    erin   Erin Evans <erin@example.com>         none: a B2C customer          -
    admin  Admin <admin@cartshare.example>       none: staff superuser         -

Carts:
- alice's "Trade fair", her active cart: 2 x Stapler and 10 x Paper A4 (€74.90), note
  "Bring the banner", shared with bob (full access) and frank (read-only);
- alice's "Office supplies": 3 x Ballpoint pen and 2 x Standing desk (€1,005.50), note
  "Secret note for the team", shared with nobody;
- everybody else but admin: an empty "My cart", their active cart (as registration leaves it).

Products: stapler (STAPLER-1, €12.50), paper (PAPER-A4, €4.99), pens (PEN-001, €2.50), desk
(DESK-9, €499.00) and lamp (LAMP-1, €39.00, in no cart).

Tests that run through every kind of caller use the roles of STYLE.md: `world.caller("read_only")`
is frank, `world.caller("anonymous")` is None (see ROLES)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

from django.test import Client

from cartshare.accounts.models import BusinessUnit, CompanyUser, Customer
from cartshare.carts.models import Cart, CartItem, CartStatus
from cartshare.catalog.models import Product
from cartshare.sharing.link_services import share_link_get_or_create
from cartshare.sharing.models import CartShare, ShareLink, SharePermission
from tests.api.client import ApiClient, client_for
from tests.factories import (
    BusinessUnitFactory,
    CartFactory,
    CartItemFactory,
    CartShareFactory,
    CompanyUserFactory,
    CustomerFactory,
    ProductFactory,
    StaffFactory,
)

READ_ONLY, FULL_ACCESS = SharePermission.READ_ONLY, SharePermission.FULL_ACCESS
BASE_URL = "http://testserver"

# The kinds of caller (STYLE.md, Tests) and who plays them on alice's "Trade fair".
ROLES = {
    "anonymous": None,
    "owner": "alice",
    "full_access": "bob",
    "read_only": "frank",
    "colleague": "greta",  # same unit as the owner, no grant
    "other_unit": "carol",
    "other_company": "dave",
    "b2c": "erin",
    # A preview link gives nothing but the preview: erin, after opening the cart's preview link.
    "preview_holder": "erin",
}
# The callers most matrices run through (a colleague without a grant answers as the outsiders).
CALLERS = [
    "anonymous",
    "owner",
    "full_access",
    "read_only",
    "other_unit",
    "other_company",
    "b2c",
]

PEOPLE = {  # name: (full name, e-mail, (company, unit) or None)
    "alice": ("Alice Archer", "alice@acme.example", ("Acme Corporation", "Berlin HQ")),
    "bob": ("Bob Brandt", "bob@acme.example", ("Acme Corporation", "Berlin HQ")),
    "frank": ("Frank Fischer", "frank@acme.example", ("Acme Corporation", "Berlin HQ")),
    "greta": ("Greta Gruber", "greta@acme.example", ("Acme Corporation", "Berlin HQ")),
    "carol": ("Carol Conrad", "carol@acme.example", ("Acme Corporation", "Munich Branch")),
    "dave": ("Dave Dunn", "dave@globex.example", ("Globex Inc", "Head Office")),
    "erin": ("Erin Evans", "erin@example.com", None),
}
PRODUCTS = {  # name: (sku, product name, unit price in cents)
    "stapler": ("STAPLER-1", "Stapler", 1250),
    "paper": ("PAPER-A4", "Paper A4", 499),
    "pens": ("PEN-001", "Ballpoint pen", 250),
    "desk": ("DESK-9", "Standing desk", 49900),
    "lamp": ("LAMP-1", "Desk lamp", 3900),
}


class Link(NamedTuple):
    """A share link as its owner gets it: the row, the URL to hand out, and its token."""

    link: ShareLink
    url: str
    token: str


@dataclass
class World:
    alice: Customer
    bob: Customer
    frank: Customer
    greta: Customer
    carol: Customer
    dave: Customer
    erin: Customer
    admin: Customer
    berlin: BusinessUnit
    munich: BusinessUnit
    globex: BusinessUnit
    stapler: Product
    paper: Product
    pens: Product
    desk: Product
    lamp: Product
    trade_fair: Cart
    office_supplies: Cart
    own_carts: dict[str, Cart] = field(default_factory=dict)

    # --- who ---------------------------------------------------------------------------------
    def user(self, name: str) -> Customer:
        """`world.user("alice")`: a person by their first name."""
        if name not in PEOPLE and name != "admin":
            raise KeyError(f"Nobody called {name!r} in the test world: {', '.join(PEOPLE)}")
        return getattr(self, name)

    def caller(self, role: str) -> Customer | None:
        """The person who plays `role` (a key of ROLES) on "Trade fair"; None: anonymous."""
        name = ROLES[role]
        return None if name is None else self.user(name)

    def company_user(self, person: Customer | str) -> CompanyUser:
        """A company user's membership: `world.company_user("bob")` or by role, "read_only"."""
        if isinstance(person, str):
            person = self.caller(person) if person in ROLES else self.user(person)
        return CompanyUser.objects.get(customer=person)

    def product(self, name: str) -> Product:
        return getattr(self, name)

    def item(self, cart: Cart, product: Product) -> CartItem:
        """The line of `product` in `cart`: `world.item(world.trade_fair, world.stapler)`."""
        return CartItem.objects.get(cart=cart, product=product)

    def own_cart(self, name: str) -> Cart:
        """The "My cart" that everybody but alice (and admin) starts with."""
        return self.own_carts[name]

    # --- things people make ------------------------------------------------------------------
    def cart(
        self,
        owner: Customer,
        name: str | None = None,
        *,
        items: dict[Product, int] | None = None,
        note: str = "",
        active: bool = False,
        ordered: bool = False,
    ) -> Cart:
        """A cart of `owner` with `items` ({product: quantity}); rows only, no activity."""
        fields = {"name": name} if name is not None else {}
        status = CartStatus.ORDERED if ordered else CartStatus.OPEN
        cart = CartFactory(owner=owner, note=note, status=status, **fields)
        for product, quantity in (items or {}).items():
            CartItemFactory(cart=cart, product=product, quantity=quantity, added_by=owner)
        if active:
            Customer.objects.filter(pk=owner.pk).update(active_cart=cart)
            owner.active_cart = cart
        return cart

    def share(self, cart: Cart, person: Customer, permission: str = READ_ONLY) -> CartShare:
        """A grant of `cart` to `person` (a company user), as if the owner had saved it."""
        return CartShareFactory(
            cart=cart, company_user=self.company_user(person), permission=permission
        )

    def share_link(self, cart: Cart, option: str = "PREVIEW", *, actor=None, **kwargs) -> Link:
        """The cart's current link for `option`, made through the service by its owner (or
        `actor`), with its URL and token. "Office supplies" is the cart shared with nobody."""
        link, url, _ = share_link_get_or_create(
            cart=cart,
            actor=actor or cart.owner,
            share_option=option,
            base_url=BASE_URL,
            **kwargs,
        )
        return Link(link, url, url.rsplit("/", 1)[-1])

    def link(self, cart: Cart, option: str = "PREVIEW", **kwargs) -> str:
        """The token of `share_link(cart, option)`: what goes after /share/."""
        return self.share_link(cart, option, **kwargs).token

    # --- clients -----------------------------------------------------------------------------
    def logged_in_client(self, person: Customer | None) -> Client:
        """A browser session of `person` (None: a logged-out visitor)."""
        client = Client()
        if person is not None:
            client.force_login(person)
        return client

    def api_client(self, person: Customer | None) -> ApiClient:
        """A REST client with `person`'s access token (None: no token)."""
        return client_for(person)


def world_build() -> World:
    """Everything the module docstring lists, from the factories. Function-scoped by design:
    each test gets its own world and changes it freely."""
    berlin = BusinessUnitFactory(name="Berlin HQ", company__name="Acme Corporation")
    munich = BusinessUnitFactory(name="Munich Branch", company=berlin.company)
    globex = BusinessUnitFactory(name="Head Office", company__name="Globex Inc")
    units = {
        ("Acme Corporation", "Berlin HQ"): berlin,
        ("Acme Corporation", "Munich Branch"): munich,
        ("Globex Inc", "Head Office"): globex,
    }
    people = {}
    for key, (name, email, unit) in PEOPLE.items():
        people[key] = CustomerFactory(name=name, email=email)
        if unit is not None:
            CompanyUserFactory(customer=people[key], business_unit=units[unit])
    products = {
        key: ProductFactory(sku=sku, name=name, unit_price=price)
        for key, (sku, name, price) in PRODUCTS.items()
    }
    world = World(
        **people,
        admin=StaffFactory(name="Admin", email="admin@cartshare.example"),
        berlin=berlin,
        munich=munich,
        globex=globex,
        **products,
        trade_fair=None,  # type: ignore[arg-type]  (made below, with the world's helpers)
        office_supplies=None,  # type: ignore[arg-type]
    )
    alice = world.alice
    world.trade_fair = world.cart(
        alice,
        "Trade fair",
        items={world.stapler: 2, world.paper: 10},
        note="Bring the banner",
        active=True,
    )
    world.share(world.trade_fair, world.bob, FULL_ACCESS)
    world.share(world.trade_fair, world.frank, READ_ONLY)
    world.office_supplies = world.cart(
        alice,
        "Office supplies",
        items={world.pens: 3, world.desk: 2},
        note="Secret note for the team",
    )
    for key in PEOPLE:
        if key != "alice":
            world.own_carts[key] = world.cart(people[key], "My cart", active=True)
    return world
