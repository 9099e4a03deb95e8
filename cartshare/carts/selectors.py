"""Reading carts: each selector does its own prefetching so a page's query count stays flat.
Which carts a person may see or fill is the policy's (`cartshare.access.policies`)."""

from __future__ import annotations

import uuid
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from itertools import repeat
from operator import itemgetter
from typing import Any, NotRequired

from django.db import connections, router
from django.db.models import (
    Case,
    Count,
    F,
    OuterRef,
    Prefetch,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
    prefetch_related_objects,
)
from django.db.models.functions import Coalesce
from typing_extensions import TypedDict

from cartshare.access.policies import (
    CART_NOT_FOUND,
    Actor,
    CartAction,
    access_level,
    carts_allowing,
    carts_visible_to,
    ensure_can,
    grants_of,
    grants_that_count,
    remember_access_level,
)
from cartshare.accounts.models import Customer
from cartshare.carts.models import Cart, CartItem, CartTotals
from cartshare.catalog.models import Product
from cartshare.common.errors import NotFound
from cartshare.common.rows import WithRelated, column, quote
from cartshare.sharing.models import AccessLevel, LinkState, ShareLink


@dataclass(frozen=True)
class CartRow:
    """One line of "My carts": the cart, my level on it, and its totals."""

    cart: Cart
    level: AccessLevel
    item_count: int
    quantity: int
    total: int
    is_active: bool
    people: int = 0  # the colleagues it is shared with (grants that count)
    links: int = 0  # its links that work now

    @property
    def totals(self) -> CartTotals:
        return CartTotals(
            item_count=self.item_count,
            quantity=self.quantity,
            subtotal=self.total,
            grand_total=self.total,
        )


def _count_of(rows: QuerySet[Any]) -> Coalesce:
    """How many of a cart's `rows` (filtered on `cart_id=OuterRef("pk")`), as a subquery: no
    join that would multiply the item sums it sits beside."""
    counted = rows.order_by().values("cart_id").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted), 0)


def cart_rows_for(
    customer: Customer,
    *,
    status: str | None = None,
    levels: Collection[AccessLevel] | None = None,
) -> list[CartRow]:
    """My own carts and the carts validly shared with me, with totals, in one query (and the
    active cart's id in one or two more). `status`: only carts in that status; `levels`: only
    those where my level (the policy's) is one of them."""
    grant_permission = grants_of(customer).filter(cart_id=OuterRef("pk"))
    visible = carts_visible_to(customer)
    if status is not None:
        visible = visible.filter(status=status)
    carts = list(
        visible.select_related("owner")
        .annotate(
            grant_permission=Subquery(grant_permission.values("permission")[:1]),
            people=_count_of(grants_that_count().filter(cart_id=OuterRef("pk"))),
            links=_count_of(
                ShareLink.objects.in_state(LinkState.WORKING).filter(cart_id=OuterRef("pk"))
            ),
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
        if levels is not None and level not in levels:
            continue
        rows.append(
            CartRow(
                cart=cart,
                level=level,
                item_count=cart.item_count,
                quantity=cart.quantity_sum or 0,
                total=cart.total_sum or 0,
                is_active=cart.pk == active_id,
                people=cart.people,
                links=cart.links,
            )
        )
    return rows


# Each line with its product and who added it, in the same query (no query per item).
_ITEMS = CartItem.objects.select_related("product", "added_by").order_by("id")


def cart_get_for(
    customer: Actor,
    cart_id: uuid.UUID | str,
    *,
    action: CartAction = CartAction.VIEW,
    with_items: bool = True,
) -> Cart:
    """The cart with its items and products (unless `with_items` is False: for reads that show
    no items, or read them as plain `cart_lines`), if the customer may do `action` with it."""
    cart = _cart_with_owner(cart_id)
    if cart is None:
        raise NotFound(CART_NOT_FOUND)
    ensure_can(customer, action, cart)
    if with_items:
        cart_with_items(cart)
    return cart


# The cart with its owner, in SQL of our own (common/rows.py): every cart read of the API and
# the pages starts here, and compiling the queryset cost several times running it.
_CART_WITH_OWNER = WithRelated.of(Cart, "owner")
_BY_ID = f"WHERE {quote(Cart._meta.db_table)}.{quote(column(Cart, 'id'))} = %s"


def _cart_with_owner(cart_id: uuid.UUID | str) -> Cart | None:
    """What `Cart.objects.select_related("owner").filter(pk=cart_id).first()` gives (a malformed
    id raises the same ValidationError), in one query of ours."""
    connection = connections[router.db_for_read(Cart)]
    cart = _CART_WITH_OWNER.first(_BY_ID, [Cart._meta.pk.get_db_prep_value(cart_id, connection)])
    assert cart is None or isinstance(cart, Cart)
    return cart


def cart_with_items(cart: Cart) -> Cart:
    """An already loaded (and authorised) cart with its items and products, as `cart_get_for`
    gives it, in one more query."""
    prefetch_related_objects([cart], Prefetch("items", queryset=_ITEMS))
    return cart


def cart_totals(cart: Cart) -> CartTotals:
    return CartTotals.of(list(cart.items.all()))


class PersonRef(TypedDict):
    """A person by id and name (who added a line)."""

    id: int
    name: str


class CartLine(TypedDict):
    """An item as plain values (what totals and JSON need), without model instances: a dict,
    which the API's item shape validates several times faster than an object's attributes
    (docs/decisions/api-response-shapes.md). `added_by`: who first added it, None once that
    account is deleted (spec §10); left out by `cart_lines(named=False)`, for a preview, which
    names nobody."""

    id: int
    sku: str
    name: str
    quantity: int
    unit_price: int
    total_price: int
    note: str
    added_by: NotRequired[PersonRef | None]


# The columns of _LINES_SQL that become a line's keys as they are (then the adder's id and name).
_LINE_KEYS = tuple(key for key in CartLine.__annotations__ if key != "added_by")


def cart_line(item: CartItem) -> CartLine:
    """A loaded item (with its product and adder, as `cart_get_for` loads it) as a line."""
    product = item.product
    adder = item.added_by
    return CartLine(
        id=item.pk,
        sku=product.sku,
        name=product.name,
        quantity=item.quantity,
        unit_price=product.unit_price,
        total_price=item.quantity * product.unit_price,
        note=item.note,
        added_by=PersonRef(id=adder.pk, name=adder.name) if adder is not None else None,
    )


def cart_lines_totals(lines: Sequence[CartLine]) -> CartTotals:
    return CartTotals.summing(
        len(lines),
        quantities=map(itemgetter("quantity"), lines),
        line_totals=map(itemgetter("total_price"), lines),
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


def cart_seen_by(
    customer: Customer, cart: Cart, *, lines: Sequence[CartLine] | None = None
) -> CartSeen:
    """`cart` as `customer` sees it: with its `lines` (`cart_lines`), or else with the items it
    was loaded with (`cart_get_for`, `cart_with_items`)."""
    if lines is None:
        lines = [cart_line(item) for item in cart.items.all()]
    return CartSeen(
        cart=cart,
        level=access_level(customer, cart) or AccessLevel.PREVIEW,
        is_active=active_cart_id(customer) == cart.pk,
        items=lines,
        totals=cart_lines_totals(lines),
    )


def _item(name: str) -> str:
    return f"{quote(CartItem._meta.db_table)}.{quote(column(CartItem, name))}"


def _product(name: str) -> str:
    return f"{quote(Product._meta.db_table)}.{quote(column(Product, name))}"


_ADDER = "adder"


def _adder(name: str) -> str:
    return f"{quote(_ADDER)}.{quote(column(Customer, name))}"


# Our own SQL (not compiled by the ORM on every call): this runs on every link open. The
# preview's (`named=False`) leaves out who added each line: no join, no Python per line.
_LINES_COLUMNS = (
    f"SELECT {_item('id')}, {_product('sku')}, {_product('name')}, {_item('quantity')}, "
    f"{_product('unit_price')}, {_item('quantity')} * {_product('unit_price')}, {_item('note')}"
)
_LINES_FROM = (
    f"FROM {quote(CartItem._meta.db_table)} "
    f"INNER JOIN {quote(Product._meta.db_table)} ON {_product('id')} = {_item('product')} "
)
_LINES_ORDER = f"WHERE {_item('cart')} = %s ORDER BY {_item('id')}"
_LINES_SQL = f"{_LINES_COLUMNS} {_LINES_FROM}{_LINES_ORDER}"
_NAMED_LINES_SQL = (
    f"{_LINES_COLUMNS}, {_adder('id')}, {_adder('name')} {_LINES_FROM}"
    f"LEFT OUTER JOIN {quote(Customer._meta.db_table)} {quote(_ADDER)} "
    f"ON {_adder('id')} = {_item('added_by')} {_LINES_ORDER}"
)
_ADDER_ID = len(_LINE_KEYS)  # the index of the adder's id in a row, their name next


def cart_lines(cart: Cart, *, named: bool = True) -> list[CartLine]:
    """The cart's items in order (as `cart_get_for` prefetches them), in one query of nine
    columns: for reads that only serialise them, like opening a link, the most frequent
    request. Call it only after the policy let the caller see the cart."""
    connection = connections[router.db_for_read(CartItem)]
    cart_id = Cart._meta.pk.get_db_prep_value(cart.pk, connection)
    with connection.cursor() as cursor:
        cursor.execute(_NAMED_LINES_SQL if named else _LINES_SQL, [cart_id])
        rows = cursor.fetchall()
    # Each row starts with the _LINE_KEYS, in order (zip stops there); map runs it all in C.
    lines: list[CartLine] = list(map(dict, map(zip, repeat(_LINE_KEYS), rows)))  # type: ignore[arg-type]
    if not named:
        return lines
    # Then who added it: one shared dict per person (a cart has few), no query.
    people: dict[int, PersonRef] = {}
    for line, row in zip(lines, rows, strict=True):
        adder_id = row[_ADDER_ID]
        if adder_id is None:
            line["added_by"] = None
            continue
        person = people.get(adder_id)
        if person is None:
            person = people[adder_id] = PersonRef(id=adder_id, name=row[_ADDER_ID + 1])
        line["added_by"] = person
    return lines


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
