"""The owner's share page (grants to colleagues) and the grantee's dismiss page (spec §4)."""

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.views.decorators.http import condition, require_http_methods

from cartshare.access.policies import CartAction, access_level, can, ensure_can
from cartshare.carts.selectors import cart_get_for
from cartshare.common.errors import DomainError, InvalidInput
from cartshare.sharing.models import SharePermission
from cartshare.sharing.selectors import colleagues_for_sharing
from cartshare.sharing.services import cart_share_dismiss, cart_shares_set
from cartshare.storefront.errors import error_page
from cartshare.storefront.live_pages import share_page_etag
from cartshare.storefront.views.carts import current_customer

FIELD_PREFIX = "permission-"
CHOICES = [("NONE", "No access"), *SharePermission.choices]


def _permissions_from(post: QueryDict) -> dict[int, str]:
    """`permission-<company user id>` fields → {id: value}; the service validates the values."""
    permissions: dict[int, str] = {}
    for key in post:
        if key.startswith(FIELD_PREFIX):
            raw_id = key.removeprefix(FIELD_PREFIX)
            if not raw_id.isdecimal():
                raise InvalidInput("This form is out of date. Reload the page and try again.")
            permissions[int(raw_id)] = post.get(key, "")
    return permissions


@login_required
@require_http_methods(["GET", "POST"])
@condition(etag_func=share_page_etag)  # live.js's polls: 304 while nothing changed
def cart_share(request: HttpRequest, cart_id: uuid.UUID) -> HttpResponse:
    try:
        # UNSHARE, not SHARE: on an ordered cart the owner can still take access away.
        cart = cart_get_for(request.user, cart_id, action=CartAction.UNSHARE)
    except DomainError as error:
        return error_page(request, error)
    status = 200
    if request.method == "POST":
        try:
            permissions = _permissions_from(request.POST)
            summary = cart_shares_set(cart=cart, actor=request.user, permissions=permissions)
        except DomainError as error:
            messages.error(request, f"{error.message} Nothing was changed.")
            status = error.status
        else:
            if summary:
                messages.success(request, "Sharing saved.")
                for line in summary.lines:
                    messages.success(request, line)
            else:
                messages.info(request, "Nothing changed: every colleague keeps their access.")
            return redirect("storefront:cart_share", cart_id=cart.pk)
    colleagues = colleagues_for_sharing(cart.owner, cart)
    submitted = request.POST if status != 200 else {}
    rows = [
        (colleague, submitted.get(colleague.field_name) or colleague.permission or "NONE")
        for colleague in colleagues
    ]
    context = {
        "cart": cart,
        "rows": rows,
        "choices": CHOICES,
        "company_user": getattr(cart.owner, "company_user", None),
        "can_share": can(request.user, CartAction.SHARE, cart),
    }
    return render(request, "storefront/sharing/share.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def cart_dismiss(request: HttpRequest, cart_id: uuid.UUID) -> HttpResponse:
    try:
        cart = cart_get_for(request.user, cart_id)
        ensure_can(request.user, CartAction.DISMISS, cart)
        level = access_level(request.user, cart)
        if request.method == "POST":
            cart_share_dismiss(cart=cart, actor=request.user)
            messages.success(
                request,
                f"“{cart.name}” is no longer in your carts. {cart.owner.name} can share it "
                "with you again.",
            )
            return redirect("storefront:cart_list")
    except DomainError as error:
        return error_page(request, error)
    is_active = current_customer(request).active_cart_id == cart.pk
    context = {"cart": cart, "level": level, "is_active": is_active}
    return render(request, "storefront/sharing/dismiss.html", context)
