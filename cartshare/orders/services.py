"""Placing the order (spec §7): one transaction that locks the cart row, checks it is still the
cart the person confirmed, copies its lines and prices, and freezes the cart."""

from __future__ import annotations

import uuid

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cartshare.access.policies import Actor, CartAction, ensure_can, ensure_customer_can
from cartshare.activity.services import Verb, activity_record
from cartshare.carts.models import Cart, CartItem, CartStatus, CartTotals
from cartshare.carts.services import active_cart_move_on, cart_touch
from cartshare.common.errors import Conflict, ErrorCode, InvalidInput, NotFound, StaleVersion
from cartshare.notifications.services import notify_cart_ordered, notify_prepared_cart_ordered
from cartshare.orders.models import MAX_PURCHASE_ORDER_NUMBER_LENGTH, Order, OrderLine

EMPTY_CART_MESSAGE = gettext_lazy("This cart is empty. Add products to it before you check out.")
STALE_MESSAGE = gettext_lazy(
    "This cart was changed since you started checking out. Look at its current contents "
    "and confirm again."
)


def order_reference_for(order_id: int, year: int) -> str:
    return f"CS-{year}-{order_id:06d}"


def purchase_order_number_clean(value: object) -> str:
    """Optional; printable text up to 50 characters, surrounding spaces dropped."""
    cleaned = value.strip() if isinstance(value, str) else ""
    if len(cleaned) > MAX_PURCHASE_ORDER_NUMBER_LENGTH:
        message = _("A purchase-order number can have at most %(limit)s characters.") % {
            "limit": MAX_PURCHASE_ORDER_NUMBER_LENGTH
        }
        raise InvalidInput(message, errors={"purchase_order_number": [message]})
    if any(not character.isprintable() for character in cleaned):
        message = _("A purchase-order number cannot contain line breaks or control characters.")
        raise InvalidInput(message, errors={"purchase_order_number": [message]})
    return cleaned


def checkout_validate(
    *,
    cart: Cart,
    actor: Actor,
    expected_version: int | None = None,
    purchase_order_number: object = "",
) -> str:
    """Everything cart_checkout would refuse, checked without writing: the checkout pages ask
    this first so they never offer a checkout that cannot succeed. Returns the cleaned
    purchase-order number."""
    ensure_can(actor, CartAction.ORDER, cart)
    items = list(cart.items.all())
    if not items:
        raise Conflict(EMPTY_CART_MESSAGE, code=ErrorCode.CART_EMPTY)
    _ensure_products_available(items)
    if expected_version is not None and cart.version != expected_version:
        raise StaleVersion(STALE_MESSAGE, current_version=cart.version)
    return purchase_order_number_clean(purchase_order_number)


def _ensure_products_available(items: list[CartItem]) -> None:
    unavailable = [item.product.name for item in items if not item.product.is_active]
    if unavailable:
        raise Conflict(
            _(
                "These products are no longer sold: %(products)s. Remove them from the cart "
                "before you check out."
            )
            % {"products": ", ".join(unavailable)},
            code=ErrorCode.PRODUCT_UNAVAILABLE,
        )


@transaction.atomic
def cart_checkout(
    *,
    cart: Cart,
    actor: Actor,
    expected_version: int | None = None,
    purchase_order_number: str = "",
) -> Order:
    """Owner and full access only. `expected_version` is the version the person confirmed; a
    different current version is refused (StaleVersion), never ordered silently. The cart row is
    locked first, so of two concurrent checkouts exactly one creates an order; the other finds
    the cart ORDERED and gets a Conflict."""
    purchase_order_number = purchase_order_number_clean(purchase_order_number)
    locked = Cart.objects.select_for_update().select_related("owner").filter(pk=cart.pk).first()
    if locked is None:
        raise NotFound(_("This cart does not exist any more."))
    # NotFound for those who cannot see it, PermissionDenied below full access, Conflict when
    # ordered already (by the other of two concurrent checkouts, say).
    customer = ensure_customer_can(actor, CartAction.ORDER, locked)
    if expected_version is not None and locked.version != expected_version:
        raise StaleVersion(STALE_MESSAGE, current_version=locked.version)
    items = list(CartItem.objects.filter(cart=locked).select_related("product").order_by("id"))
    if not items:
        raise Conflict(EMPTY_CART_MESSAGE, code=ErrorCode.CART_EMPTY)
    _ensure_products_available(items)

    totals = CartTotals.of(items)
    order = Order.objects.create(
        reference=f"pending-{uuid.uuid4().hex}",
        cart=locked,
        cart_uuid=locked.pk,
        cart_name=locked.name,
        placed_by=customer,
        placed_by_name=customer.name or customer.email,
        owner=locked.owner,
        owner_name=locked.owner.name or locked.owner.email,
        currency=locked.currency,
        purchase_order_number=purchase_order_number,
        item_count=totals.item_count,
        quantity=totals.quantity,
        subtotal=totals.subtotal,
        grand_total=totals.grand_total,
    )
    order.reference = order_reference_for(order.pk, order.created_at.year)
    Order.objects.filter(pk=order.pk).update(reference=order.reference)
    OrderLine.objects.bulk_create(
        OrderLine(
            order=order,
            product=item.product,
            sku=item.product.sku,
            name=item.product.name,
            quantity=item.quantity,
            unit_price=item.product.unit_price,
            total_price=item.total_price,
            note=item.note,
        )
        for item in items
    )

    cart_touch(cart=locked, expected_version=locked.version)
    Cart.objects.filter(pk=locked.pk).update(status=CartStatus.ORDERED)
    activity_record(
        cart=locked,
        actor=actor,
        verb=Verb.ORDERED,
        reference=order.reference,
        order_id=order.pk,
        total=totals.grand_total,
        currency=locked.currency,
    )
    cart.status, cart.version = CartStatus.ORDERED, locked.version
    active_cart_move_on(cart_id=locked.pk, actor=customer)
    locked.status = CartStatus.ORDERED
    notify_cart_ordered(
        cart=locked,
        actor=customer,
        reference=order.reference,
        total=totals.grand_total,
    )
    notify_prepared_cart_ordered(
        cart=locked,
        actor=customer,
        reference=order.reference,
        total=totals.grand_total,
    )
    return order
