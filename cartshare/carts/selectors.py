"""Reading carts: each selector does its own prefetching so a page's query count stays flat."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import NamedTuple

from django.db.models import Case, Count, F, OuterRef, Prefetch, Q, Subquery, Sum, Value, When

from cartshare.carts.models import Cart, CartItem, CartStatus, CartTotals
from cartshare.common.errors import NotFound
from cartshare.common.prepared import PreparedQuery
from cartshare.sharing.models import AccessLevel, CartShare
from cartshare.sharing.policies import CartAction, ensure_can, remember_access_level


@dataclass(frozen=True)
class CartRow:
    """One line of "My carts": the cart, my level on it, and its totals."""

    cart: Cart
    level: AccessLevel
    item_count: int
    quantity: int
    total: int
    is_active: bool


def _valid_grants_for(customer):
    return CartShare.objects.filter(
        company_user__customer_id=customer.pk,
        company_user__is_active=True,
        cart__owner__company_user__is_active=True,
        cart__owner__company_user__business_unit_id=F("company_user__business_unit_id"),
    )


def carts_visible_to(customer) -> list[CartRow]:
    """My own carts and the carts validly shared with me, with totals, in one query."""
    grant_permission = _valid_grants_for(customer).filter(cart_id=OuterRef("pk"))
    carts = list(
        _visible_carts(customer)
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
    active_id = _fallback_active_id(customer, carts)
    rows = []
    for cart in carts:
        level = (
            AccessLevel.OWNER
            if cart.owner_id == customer.pk
            else AccessLevel(cart.grant_permission)
        )
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


def cart_get_for(customer, cart_id: uuid.UUID | str, *, action: CartAction = CartAction.VIEW):
    """The cart with its items and products, if the customer may do `action` with it."""
    cart = (
        Cart.objects.select_related("owner")
        .prefetch_related(
            Prefetch("items", queryset=CartItem.objects.select_related("product").order_by("id"))
        )
        .filter(pk=cart_id)
        .first()
    )
    if cart is None:
        raise NotFound("This cart does not exist or is not shared with you.")
    ensure_can(customer, action, cart)
    return cart


def cart_totals(cart: Cart) -> CartTotals:
    return CartTotals.of(list(cart.items.all()))


class CartLine(NamedTuple):
    """An item as plain values (what `CartTotals.of` and JSON need), without model instances."""

    id: int
    sku: str
    name: str
    quantity: int
    unit_price: int

    @property
    def total_price(self) -> int:
        return self.unit_price * self.quantity


_lines_query = PreparedQuery(
    CartItem,
    lambda cart_id: (
        CartItem.objects.filter(cart_id=cart_id)
        .order_by("id")
        .values_list("id", "product__sku", "product__name", "quantity", "product__unit_price")
    ),
    sample=uuid.UUID(int=0),
    prepare=lambda cart_id, connection: Cart._meta.pk.get_db_prep_value(cart_id, connection),
)


def cart_lines(cart: Cart) -> list[CartLine]:
    """The cart's items in order (as `cart_get_for` prefetches them), in one query of five
    columns: for reads that only serialise them, like opening a link, the most frequent
    request. Call it only after the policy let the caller see the cart. The queryset is
    compiled once (`cartshare.common.prepared`): compiling took most of its time."""
    return [CartLine._make(row) for row in _lines_query.rows(cart.pk)]


def _visible_carts(customer):
    return Cart.objects.filter(
        Q(owner_id=customer.pk) | Q(pk__in=_valid_grants_for(customer).values("cart_id"))
    )


def _fallback_active_id(customer, carts: list[Cart]) -> uuid.UUID | None:
    """The active cart among `carts` (all visible to the customer): the one they chose if it is
    still visible, otherwise their most recently changed own cart."""
    ids = {cart.pk for cart in carts}
    if customer.active_cart_id in ids:
        return customer.active_cart_id
    own = [cart for cart in carts if cart.owner_id == customer.pk]
    return max(own, key=lambda cart: cart.updated_at).pk if own else None


def active_cart_id(customer) -> uuid.UUID | None:
    """The id of the customer's active cart, checked against what they may still see; if it is
    gone, their most recently changed open own cart. Remembered on the customer object for the
    rest of the request while their choice stays the same (the page and its header both ask)."""
    memo = getattr(customer, "_active_cart_memo", None)
    if memo is not None and memo[0] == customer.active_cart_id:
        return memo[1]
    result = None
    if (
        customer.active_cart_id is not None
        and _visible_carts(customer).filter(pk=customer.active_cart_id).exists()
    ):
        result = customer.active_cart_id
    else:
        own = (
            Cart.objects.filter(owner_id=customer.pk)
            .order_by(
                Case(When(status=CartStatus.OPEN, then=Value(0)), default=Value(1)), "-updated_at"
            )
            .values("pk")
            .first()
        )
        result = own["pk"] if own else None
    customer._active_cart_memo = (customer.active_cart_id, result)
    return result


def cart_count_owned_by(customer) -> int:
    """How many own carts the customer has (the last one cannot be deleted)."""
    return Cart.objects.filter(owner_id=customer.pk).count()
