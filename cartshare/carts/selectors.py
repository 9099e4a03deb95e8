"""Reading carts: each selector does its own prefetching so a page's query count stays flat.
Which carts a person may see or fill is the policy's (`cartshare.access.policies`)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple

from django.db import connections, router
from django.db.models import (
    Case,
    Count,
    F,
    OuterRef,
    Prefetch,
    Subquery,
    Sum,
    Value,
    When,
    prefetch_related_objects,
)

from cartshare.access.policies import (
    Actor,
    CartAction,
    access_level,
    carts_allowing,
    carts_visible_to,
    ensure_can,
    grants_of,
    remember_access_level,
)
from cartshare.accounts.models import Customer
from cartshare.carts.models import Cart, CartItem, CartTotals
from cartshare.catalog.models import Product
from cartshare.common.errors import NotFound
from cartshare.common.rows import column, quote
from cartshare.sharing.models import AccessLevel


@dataclass(frozen=True)
class CartRow:
    """One line of "My carts": the cart, my level on it, and its totals."""

    cart: Cart
    level: AccessLevel
    item_count: int
    quantity: int
    total: int
    is_active: bool

    @property
    def totals(self) -> CartTotals:
        return CartTotals(
            item_count=self.item_count,
            quantity=self.quantity,
            subtotal=self.total,
            grand_total=self.total,
        )


def cart_rows_for(customer: Customer) -> list[CartRow]:
    """My own carts and the carts validly shared with me, with totals, in one query (and the
    active cart's id in one or two more)."""
    grant_permission = grants_of(customer).filter(cart_id=OuterRef("pk"))
    carts = list(
        carts_visible_to(customer)
        .select_related("owner")
        .annotate(
            grant_permission=Subquery(grant_permission.values("permission")[:1]),
            item_count=Count("items"),
            quantity_sum=Sum("items__quantity"),
            total_sum=Sum(F("items__quantity") * F("items__product__unit_price")),
            shared_with_me=Case(When(owner_id=customer.pk, then=Value(0)), default=Value(1)),
        )
        .order_by("shared_with_me", "name")
    )
    active_id = active_cart_id(customer)
    rows = []
    for cart in carts:
        # The scope gave own carts (no grant) and carts shared with me (a grant that counts).
        level = AccessLevel(cart.grant_permission or AccessLevel.OWNER)
        remember_access_level(customer, cart, level)
        rows.append(
            CartRow(
                cart=cart,
                level=level,
                item_count=cart.item_count,
                quantity=cart.quantity_sum or 0,
                total=cart.total_sum or 0,
                is_active=cart.pk == active_id,
            )
        )
    return rows


# Each line with its product and who added it, in the same query (no query per item).
_ITEMS = CartItem.objects.select_related("product", "added_by").order_by("id")


def cart_get_for(
    customer: Actor, cart_id: uuid.UUID | str, *, action: CartAction = CartAction.VIEW
) -> Cart:
    """The cart with its items and products, if the customer may do `action` with it."""
    cart = (
        Cart.objects.select_related("owner")
        .prefetch_related(Prefetch("items", queryset=_ITEMS))
        .filter(pk=cart_id)
        .first()
    )
    if cart is None:
        raise NotFound("This cart does not exist or is not shared with you.")
    ensure_can(customer, action, cart)
    return cart


def cart_with_items(cart: Cart) -> Cart:
    """An already loaded (and authorised) cart with its items and products, as `cart_get_for`
    gives it, in one more query."""
    prefetch_related_objects([cart], Prefetch("items", queryset=_ITEMS))
    return cart


def cart_totals(cart: Cart) -> CartTotals:
    return CartTotals.of(list(cart.items.all()))


class PersonRef(NamedTuple):
    """A person by id and name (who added a line), without a model instance."""

    id: int
    name: str


class CartLine(NamedTuple):
    """An item as plain values (what `CartTotals.of` and JSON need), without model instances.
    `added_by`: who first added it, None once that account is deleted (spec §10)."""

    id: int
    sku: str
    name: str
    quantity: int
    unit_price: int
    added_by: PersonRef | None = None
    note: str = ""

    @property
    def total_price(self) -> int:
        return self.unit_price * self.quantity

    @classmethod
    def of(cls, item: CartItem) -> CartLine:
        """A loaded item (with its product and adder, as `cart_get_for` loads it) as a line."""
        product = item.product
        adder = item.added_by
        return cls(
            item.pk,
            product.sku,
            product.name,
            item.quantity,
            product.unit_price,
            PersonRef(adder.pk, adder.name) if adder is not None else None,
            item.note,
        )


@dataclass(frozen=True)
class CartSeen:
    """A cart as one caller sees it: the facts a Cart shows beside the cart's own columns, each
    decided where it belongs (the level by the policy, the active cart by `active_cart_id`).
    `cartshare.api.schemas.CartOut` reads it."""

    cart: Cart
    level: AccessLevel
    is_active: bool
    items: Sequence[CartLine]
    totals: CartTotals


def cart_seen_by(customer: Customer, cart: Cart) -> CartSeen:
    """`cart`, loaded with its items (`cart_get_for`, `cart_with_items`), as `customer` sees it."""
    lines = [CartLine.of(item) for item in cart.items.all()]
    return CartSeen(
        cart=cart,
        level=access_level(customer, cart) or AccessLevel.PREVIEW,
        is_active=active_cart_id(customer) == cart.pk,
        items=lines,
        totals=CartTotals.of(lines),
    )


def _item(name: str) -> str:
    return f"{quote(CartItem._meta.db_table)}.{quote(column(CartItem, name))}"


def _product(name: str) -> str:
    return f"{quote(Product._meta.db_table)}.{quote(column(Product, name))}"


def _adder(name: str) -> str:
    return f"{quote(_ADDER)}.{quote(column(Customer, name))}"


_ADDER = "adder"
# Our own SQL (not compiled by the ORM on every call): this runs on every link open.
_LINES_SQL = (
    f"SELECT {_item('id')}, {_product('sku')}, {_product('name')}, {_item('quantity')}, "
    f"{_product('unit_price')}, {_adder('id')}, {_adder('name')}, {_item('note')} "
    f"FROM {quote(CartItem._meta.db_table)} "
    f"INNER JOIN {quote(Product._meta.db_table)} ON {_product('id')} = {_item('product')} "
    f"LEFT OUTER JOIN {quote(Customer._meta.db_table)} {quote(_ADDER)} "
    f"ON {_adder('id')} = {_item('added_by')} "
    f"WHERE {_item('cart')} = %s ORDER BY {_item('id')}"
)


def _line(row: tuple[int, str, str, int, int, int | None, str | None, str]) -> CartLine:
    item_id, sku, name, quantity, unit_price, adder_id, adder_name, note = row
    adder = PersonRef(adder_id, adder_name or "") if adder_id is not None else None
    return CartLine(item_id, sku, name, quantity, unit_price, adder, note)


def cart_lines(cart: Cart) -> list[CartLine]:
    """The cart's items in order (as `cart_get_for` prefetches them), in one query of eight
    columns: for reads that only serialise them, like opening a link, the most frequent
    request. Call it only after the policy let the caller see the cart."""
    connection = connections[router.db_for_read(CartItem)]
    cart_id = Cart._meta.pk.get_db_prep_value(cart.pk, connection)
    with connection.cursor() as cursor:
        cursor.execute(_LINES_SQL, [cart_id])
        return [_line(row) for row in cursor.fetchall()]


def active_cart_candidate(customer: Customer, *, excluding: uuid.UUID | None = None) -> Cart | None:
    """The cart that becomes active when the chosen one can no longer be: the most recently
    changed cart the customer may fill (their own first), or None."""
    carts = carts_allowing(customer, CartAction.ACTIVATE)
    if excluding is not None:
        carts = carts.exclude(pk=excluding)
    own_first = Case(When(owner_id=customer.pk, then=Value(0)), default=Value(1))
    return carts.order_by(own_first, "-updated_at").first()


def carts_to_fill(customer: Customer) -> list[Cart]:
    """The carts "Add to cart" may fill for the customer (the product pages' cart picker), own
    first, then by name, with their owners, in one query."""
    own_first = Case(When(owner_id=customer.pk, then=Value(0)), default=Value(1))
    return list(
        carts_allowing(customer, CartAction.ACTIVATE)
        .select_related("owner")
        .only("id", "name", "owner_id", "owner__name")
        .order_by(own_first, "name", "pk")
    )


ACTIVE_CART_MEMO = "_active_cart_memo"


def active_cart_id(customer: Customer) -> uuid.UUID | None:
    """The id of the customer's active cart: their choice while they may still activate it,
    else `active_cart_candidate`'s. Remembered on the customer object for the rest of the
    request while their choice stays the same (the page and its header both ask)."""
    memo = getattr(customer, ACTIVE_CART_MEMO, None)
    if memo is not None and memo[0] == customer.active_cart_id:
        return memo[1]
    chosen = customer.active_cart_id
    result: uuid.UUID | None = None
    if (
        chosen is not None
        and carts_allowing(customer, CartAction.ACTIVATE).filter(pk=chosen).exists()
    ):
        result = chosen
    else:
        candidate = active_cart_candidate(customer)
        result = candidate.pk if candidate is not None else None
    # Kept on the customer object (through request.user's SimpleLazyObject too).
    setattr(customer, ACTIVE_CART_MEMO, (customer.active_cart_id, result))
    return result
