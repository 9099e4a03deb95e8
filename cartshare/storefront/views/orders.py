"""Checkout (review → confirm → place), the order confirmation page and the order history."""

from __future__ import annotations

import uuid
from datetime import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from cartshare.access.policies import CartAction, can, is_own_order
from cartshare.activity.presenters import activity_present
from cartshare.activity.selectors import activity_list
from cartshare.carts.models import MAX_VERSION, Cart
from cartshare.carts.selectors import cart_get_for, cart_totals
from cartshare.common.errors import (
    DomainError,
    InvalidInput,
    NotFound,
    PermissionDenied,
    StaleVersion,
)
from cartshare.common.text import whole_number_parse
from cartshare.orders import services
from cartshare.orders.changes import cart_lines_compare, seen_lines_dump, seen_lines_load
from cartshare.orders.selectors import order_for_cart_visible_to, order_get_for, orders_for
from cartshare.storefront.errors import error_page

ORDERS_PER_PAGE = 20
FORM_INCOMPLETE = gettext_lazy(
    "The checkout form was incomplete. Review the cart and confirm again."
)


def _posted_version(request: HttpRequest) -> int:
    version = whole_number_parse(request.POST.get("version", ""), maximum=MAX_VERSION)
    if version is None:
        raise InvalidInput(str(FORM_INCOMPLETE))
    return version


def _posted_loaded_at(request: HttpRequest) -> datetime | None:
    try:
        loaded_at = datetime.fromisoformat(request.POST.get("loaded_at", ""))
    except ValueError:
        return None
    return loaded_at if timezone.is_aware(loaded_at) else None


def _checkout_context(request: HttpRequest, cart: Cart, **extra: object) -> dict[str, object]:
    items = list(cart.items.all())
    return {
        "cart": cart,
        "items": items,
        "totals": cart_totals(cart),
        "seen": seen_lines_dump(items),
        "loaded_at": timezone.now().isoformat(),
        "purchase_order_number": request.POST.get("purchase_order_number", "").strip(),
        **extra,
    }


def _changes_context(request: HttpRequest, cart: Cart) -> dict[str, object]:
    """For a stale cart: the lines that differ from the confirmed ones, and who changed what."""
    seen = seen_lines_load(request.POST.get("seen"))
    loaded_at = _posted_loaded_at(request)
    activity = (
        activity_list(request.user, cart).filter(created_at__gt=loaded_at)[:20] if loaded_at else []
    )
    return {
        "changes": cart_lines_compare(seen, list(cart.items.all())) if seen is not None else None,
        "changed_by": [activity_present(entry) for entry in activity],
    }


def _refusal(request: HttpRequest, cart: Cart, error: DomainError) -> HttpResponse:
    """One answer for every refusal on the checkout pages."""
    if isinstance(error, NotFound | PermissionDenied):
        return error_page(request, error)
    if isinstance(error, StaleVersion):
        try:  # the cart as it is now, which the person may no longer see
            cart = cart_get_for(request.user, cart.pk)
        except DomainError as lost:
            return error_page(request, lost)
        context = _checkout_context(request, cart, stale=error.message)
        context.update(_changes_context(request, cart))
        return render(request, "storefront/orders/checkout.html", context, status=error.status)
    if isinstance(error, InvalidInput):
        context = _checkout_context(request, cart, form_error=error.message, errors=error.errors)
        return render(request, "storefront/orders/checkout.html", context, status=error.status)
    order = order_for_cart_visible_to(request.user, cart.pk)
    context = {"cart": cart, "error": error, "order": order}
    return render(request, "storefront/orders/checkout_refused.html", context, status=error.status)


@login_required
@require_GET
def cart_checkout_view(request: HttpRequest, cart_id: uuid.UUID) -> HttpResponse:
    try:
        cart = cart_get_for(request.user, cart_id)
    except DomainError as error:
        return error_page(request, error)
    try:
        services.checkout_validate(cart=cart, actor=request.user)
    except DomainError as error:
        return _refusal(request, cart, error)
    return render(request, "storefront/orders/checkout.html", _checkout_context(request, cart))


@login_required
@require_POST
def cart_checkout_confirm(request: HttpRequest, cart_id: uuid.UUID) -> HttpResponse:
    try:
        cart = cart_get_for(request.user, cart_id)
    except DomainError as error:
        return error_page(request, error)
    try:
        purchase_order_number = services.checkout_validate(
            cart=cart,
            actor=request.user,
            expected_version=_posted_version(request),
            purchase_order_number=request.POST.get("purchase_order_number", ""),
        )
    except DomainError as error:
        return _refusal(request, cart, error)
    context = _checkout_context(request, cart, purchase_order_number=purchase_order_number)
    context["loaded_at"] = request.POST.get("loaded_at", context["loaded_at"])
    return render(request, "storefront/orders/checkout_confirm.html", context)


@login_required
@require_POST
def cart_checkout_place(request: HttpRequest, cart_id: uuid.UUID) -> HttpResponse:
    try:
        cart = cart_get_for(request.user, cart_id)
    except DomainError as error:
        return error_page(request, error)
    try:
        order = services.cart_checkout(
            cart=cart,
            actor=request.user,
            expected_version=_posted_version(request),
            purchase_order_number=request.POST.get("purchase_order_number", ""),
        )
    except DomainError as error:
        return _refusal(request, cart, error)
    messages.success(
        request,
        _("Thank you! Your order %(reference)s has been placed.") % {"reference": order.reference},
    )
    return redirect("storefront:order_detail", reference=order.reference)


@login_required
@require_GET
def order_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(orders_for(request.user), ORDERS_PER_PAGE).get_page(request.GET.get("page"))
    rows = [(order, is_own_order(request.user, order)) for order in page.object_list]
    return render(request, "storefront/orders/order_list.html", {"page": page, "rows": rows})


@login_required
@require_GET
def order_detail(request: HttpRequest, reference: str) -> HttpResponse:
    try:
        order = order_get_for(request.user, reference)
    except DomainError as error:
        return error_page(request, error)
    cart_visible = order.cart is not None and can(request.user, CartAction.VIEW, order.cart)
    context = {"order": order, "cart_visible": cart_visible}
    return render(request, "storefront/orders/order_detail.html", context)
