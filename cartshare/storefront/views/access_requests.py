"""Access requests on the pages (spec §11): "Ask for edit access" on a cart shared read-only, the
owner's Approve / Decline, the requester's Withdraw. Plain forms that post and redirect; the
rules are the policy's and `cartshare.sharing.access_requests`'."""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import condition, require_POST, require_safe

from cartshare.access.policies import CartAction, access_level, can, can_request_access
from cartshare.carts.selectors import cart_get_for
from cartshare.common.errors import DomainError
from cartshare.notifications.services import level_words
from cartshare.sharing import access_requests
from cartshare.sharing.models import AccessRequest, AccessRequestStatus
from cartshare.storefront.errors import back_with_error, error_page, safe_next
from cartshare.storefront.live_pages import is_live_refresh, my_access_request_etag
from cartshare.storefront.wording import level_in_sentence


def _cart_url(cart_id: object) -> str:
    return reverse("storefront:cart_detail", args=[cart_id])


def request_sent_message(asked: AccessRequest) -> str:
    text = _(
        "Your request for %(level)s is sent to %(owner)s. You will be told in the shop, and by "
        "e-mail, once they answer."
    )
    return text % {"level": level_in_sentence(asked.permission), "owner": asked.cart.owner.name}


@login_required
@require_POST
def cart_access_request_view(request: HttpRequest, cart_id: UUID) -> HttpResponse:
    """ "Ask for edit access" (any level above the caller's) on a cart they can see."""
    fallback = _cart_url(cart_id)
    try:
        cart = cart_get_for(request.user, cart_id)
        asked = access_requests.access_request_create(
            cart=cart,
            actor=request.user,
            permission=request.POST.get("permission", ""),
            message=request.POST.get("message", ""),
        )
    except DomainError as error:
        return back_with_error(request, error, fallback)
    messages.success(request, request_sent_message(asked))
    return redirect(fallback)


@login_required
@require_POST
def access_request_decide_view(request: HttpRequest, request_id: int) -> HttpResponse:
    """The owner's Approve (with the level chosen) or Decline."""
    try:
        found = access_requests.access_request_get_for(request.user, request_id)
        decided = access_requests.access_request_decide(
            access_request=found,
            actor=request.user,
            status=request.POST.get("status", ""),
            permission=request.POST.get("permission") or None,
        )
    except DomainError as error:
        return back_with_error(request, error, reverse("storefront:cart_list"))
    name = decided.requester.name
    if decided.status == AccessRequestStatus.APPROVED:
        text = _("%(name)s now has %(level)s to “%(cart)s”.")
        level = level_in_sentence(decided.granted_permission)
        messages.success(request, text % {"name": name, "level": level, "cart": decided.cart.name})
    else:
        messages.success(
            request, _("You declined %(name)s's request. They are told.") % {"name": name}
        )
    return redirect(safe_next(request, _cart_url(decided.cart_id)))


@login_required
@require_POST
def access_request_withdraw_view(request: HttpRequest, request_id: int) -> HttpResponse:
    try:
        found = access_requests.access_request_get_for(request.user, request_id)
        access_requests.access_request_withdraw(access_request=found, actor=request.user)
    except DomainError as error:
        return back_with_error(request, error, reverse("storefront:cart_list"))
    messages.success(request, _("Your request is withdrawn."))
    return redirect(safe_next(request, reverse("storefront:cart_list")))


@login_required
@require_safe
@condition(etag_func=my_access_request_etag)  # live.js's polls: 304 while nothing changed
def my_access_request_view(request: HttpRequest, cart_id: UUID) -> HttpResponse:
    """The requester's own latest request for the cart, where the notification of a decision
    leads: declined (or withdrawn) in plain words, with what they can do, and no cart contents.
    An approved request whose access still holds goes on to the cart; live.js's re-read of a
    page left open while waiting shows it as approved instead, with the link to the cart."""
    try:
        asked = access_requests.access_request_latest_of(request.user, cart_id)
    except DomainError as error:
        return error_page(request, error)
    cart = asked.cart
    can_view = can(request.user, CartAction.VIEW, cart)
    if asked.status == AccessRequestStatus.APPROVED and can_view and not is_live_refresh(request):
        return redirect(_cart_url(cart.pk))
    current = access_level(request.user, cart) if can_view else None
    return render(
        request,
        "storefront/sharing/my_access_request.html",
        {
            "asked": asked,
            "level_label": level_words(asked.granted_permission or asked.permission),
            "can_view": can_view,
            "current_label": level_words(current) if current is not None else "",
            "can_ask": can_view and can_request_access(request.user, cart),
        },
    )
