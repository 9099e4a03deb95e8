"""Domain objects → the API's JSON objects. Reads what selectors and the policy already say;
decides nothing."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse

from cartshare.access.policies import access_level
from cartshare.accounts.models import CompanyUser, Customer
from cartshare.api.conditional import etag_for
from cartshare.carts.models import Cart, CartItem, CartTotals
from cartshare.carts.selectors import CartRow, active_cart_id, cart_totals
from cartshare.sharing.models import AccessLevel


def _totals(totals: CartTotals) -> dict[str, int]:
    return {
        "item_count": totals.item_count,
        "quantity": totals.quantity,
        "subtotal": totals.subtotal,
        "grand_total": totals.grand_total,
    }


def _item(item: CartItem) -> dict[str, Any]:
    return {
        "id": item.pk,
        "sku": item.product.sku,
        "name": item.product.name,
        "quantity": item.quantity,
        "unit_price": item.unit_price,
        "total_price": item.total_price,
    }


def _common(cart: Cart) -> dict[str, Any]:
    return {
        "id": cart.pk,
        "name": cart.name,
        "status": cart.status,
        "version": cart.version,
        "currency": cart.currency,
        "created_at": cart.created_at,
        "updated_at": cart.updated_at,
    }


def cart_payload(cart: Cart, customer: Customer) -> dict[str, Any]:
    """The full Cart as `customer` sees it (cart from `cart_get_for`: items prefetched)."""
    level = access_level(customer, cart)
    return {
        **_common(cart),
        "note": cart.note,
        "owner": {"id": cart.owner.pk, "name": cart.owner.name},
        "access": level.value if level else AccessLevel.PREVIEW.value,
        "is_active": active_cart_id(customer) == cart.pk,
        "items": [_item(item) for item in cart.items.all()],
        "totals": _totals(cart_totals(cart)),
    }


def cart_row_payload(row: CartRow) -> dict[str, Any]:
    """A line of the cart list (from `cart_rows_for`), without items."""
    cart = row.cart
    return {
        **_common(cart),
        "note": cart.note,
        "owner": {"id": cart.owner.pk, "name": cart.owner.name},
        "access": row.level.value,
        "is_active": row.is_active,
        "totals": {
            "item_count": row.item_count,
            "quantity": row.quantity,
            "subtotal": row.total,
            "grand_total": row.total,
        },
    }


def with_etag(response: HttpResponse, cart: Cart) -> None:
    response["ETag"] = etag_for(cart.version)


def me_payload(customer: Customer, company_user: CompanyUser | None) -> dict[str, Any]:
    unit = company_user.business_unit if company_user else None
    return {
        "id": customer.pk,
        "name": customer.name,
        "email": customer.email,
        "company_user_id": company_user.pk if company_user else None,
        "company": {"id": unit.company.pk, "name": unit.company.name} if unit else None,
        "business_unit": {"id": unit.pk, "name": unit.name} if unit else None,
    }
