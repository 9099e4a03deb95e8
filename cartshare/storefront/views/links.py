"""Share links: the landing page of `/share/{token}` (spec §5 table), accepting and copying, and
the owner's "Share by link" page. Rules live in `cartshare.sharing.link_services`,
`cartshare.sharing.link_visits` and the policy; views are named `*_view` so that they never
share a name with the domain function they call."""

from __future__ import annotations

from uuid import UUID

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from cartshare.access.policies import LEVEL_PROMISES, CartAction, is_owner, level_allows
from cartshare.carts.selectors import cart_get_for
from cartshare.common.errors import DomainError, LoginRequired
from cartshare.sharing import link_services, link_visits
from cartshare.sharing.models import ShareOption
from cartshare.sharing.tokens import base_url_for
from cartshare.storefront.errors import back_with_error, error_page, link_problem_page, safe_next
from cartshare.storefront.link_forms import expiry_parse
from cartshare.storefront.templatetags.shop import money


def _open_url(token: str) -> str:
    return reverse("storefront:share_link_open", args=[token])


def _to_login(token: str) -> HttpResponse:
    """Log in, then come back to the link: `next` is always this relative path."""
    return redirect_to_login(_open_url(token), resolve_url(settings.LOGIN_URL))


@require_safe
def share_link_open_view(request: HttpRequest, token: str) -> HttpResponse:
    try:
        opening = link_visits.share_link_open(token=token, actor=request.user)
    except LoginRequired:
        return _to_login(token)
    except DomainError as error:
        return link_problem_page(request, error)
    if opening.link.is_internal and is_owner(request.user, opening.cart):
        return redirect("storefront:cart_detail", cart_id=opening.cart.pk)
    if opening.link.is_internal and not opening.cart.is_ordered:
        return _accept_page(request, opening, token)
    return _preview_page(request, opening, token)


def _preview_page(
    request: HttpRequest, opening: link_visits.ShareLinkOpening, token: str
) -> HttpResponse:
    """The preview (and, for an ordered cart, the read-only view an internal link gives)."""
    totals = opening.totals
    return render(
        request,
        "storefront/links/preview.html",
        {
            "opening": opening,
            "cart": opening.cart,
            "items": opening.items,
            "totals": totals,
            "owner_name": opening.cart.owner.name,
            "page_url": base_url_for(request) + request.path,
            "og_description": (
                f"{totals.item_count} item{'' if totals.item_count == 1 else 's'} · "
                f"total {money(totals.grand_total, opening.cart.currency)}"
            ),
            "token": token,
            "has_access": level_allows(opening.current_level, CartAction.VIEW),
            "is_owner": is_owner(request.user, opening.cart),
        },
    )


def _accept_page(
    request: HttpRequest, opening: link_visits.ShareLinkOpening, token: str
) -> HttpResponse:
    level = opening.level_once_accepted
    return render(
        request,
        "storefront/links/accept.html",
        {
            "opening": opening,
            "cart": opening.cart,
            "totals": opening.totals,
            "token": token,
            "level": level,
            "link_level": opening.level,
            "keeps_current": opening.keeps_current_level,
            "promise": LEVEL_PROMISES[level],
        },
    )


@require_POST
def share_link_accept_view(request: HttpRequest, token: str) -> HttpResponse:
    if not request.user.is_authenticated:
        return _to_login(token)
    try:
        level, cart = link_visits.share_link_accept(token=token, actor=request.user)
    except DomainError as error:
        return link_problem_page(request, error)
    messages.success(
        request, f"You have {level.label.lower()} to “{cart.name}”. It is now your active cart."
    )
    return redirect("storefront:cart_detail", cart_id=cart.pk)


@require_POST
def share_link_copy_view(request: HttpRequest, token: str) -> HttpResponse:
    if not request.user.is_authenticated:
        return _to_login(token)
    try:
        cart = link_visits.share_link_copy(token=token, actor=request.user)
    except DomainError as error:
        return link_problem_page(request, error)
    messages.success(
        request, f"The items are in your new cart “{cart.name}”, now your active cart."
    )
    return redirect("storefront:cart_detail", cart_id=cart.pk)


# --- The owner's side ---------------------------------------------------------------------------


def _links_page_url(cart_id: object) -> str:
    return reverse("storefront:cart_links", args=[cart_id])


@login_required
@require_http_methods(["GET", "POST"])
def cart_links_view(request: HttpRequest, cart_id: UUID) -> HttpResponse:
    """GET: the owner's "Share by link" page. POST: get or create the link for an option."""
    if request.method == "POST":
        return _link_create(request, cart_id)
    try:
        cart = cart_get_for(request.user, cart_id)
        history = link_services.share_links_for_cart(cart=cart, actor=request.user)
    except DomainError as error:
        return error_page(request, error)
    return render(request, "storefront/links/manage.html", {"cart": cart, "history": history})


def _link_create(request: HttpRequest, cart_id: UUID) -> HttpResponse:
    fallback = _links_page_url(cart_id)
    try:
        cart = cart_get_for(request.user, cart_id)
        link, _, created = link_services.share_link_get_or_create(
            cart=cart,
            actor=request.user,
            share_option=request.POST.get("share_option", ""),
            expires_at=expiry_parse(request.POST),
            base_url=base_url_for(request),
        )
    except DomainError as error:
        return back_with_error(request, error, fallback)
    option = ShareOption(link.share_option).label.lower()
    messages.success(
        request,
        f"Your {option} link is ready: copy it below."
        if created
        else f"This cart already has a {option} link: here it is.",
    )
    return redirect(safe_next(request, fallback))


@login_required
@require_POST
def share_link_revoke_view(request: HttpRequest, link_id: int) -> HttpResponse:
    try:
        link = link_services.share_link_get_for(actor=request.user, link_id=link_id)
        link_services.share_link_revoke(link=link, actor=request.user)
    except DomainError as error:
        return back_with_error(request, error, reverse("storefront:cart_list"))
    messages.success(request, "The link is revoked: it no longer opens the cart.")
    return redirect(safe_next(request, _links_page_url(link.cart_id)))


@login_required
@require_POST
def share_link_renew_view(request: HttpRequest, link_id: int) -> HttpResponse:
    try:
        link = link_services.share_link_get_for(actor=request.user, link_id=link_id)
        link_services.share_link_renew(
            link=link,
            actor=request.user,
            expires_at=expiry_parse(request.POST),
            base_url=base_url_for(request),
        )
    except DomainError as error:
        return back_with_error(request, error, reverse("storefront:cart_list"))
    messages.success(request, "Here is the new link. The old one no longer works.")
    return redirect(safe_next(request, _links_page_url(link.cart_id)))


@login_required
@require_POST
def share_link_expiry_view(request: HttpRequest, link_id: int) -> HttpResponse:
    try:
        link = link_services.share_link_get_for(actor=request.user, link_id=link_id)
        link_services.share_link_expiry_set(
            link=link, actor=request.user, expires_at=expiry_parse(request.POST)
        )
    except DomainError as error:
        return back_with_error(request, error, reverse("storefront:cart_list"))
    messages.success(request, "The link's expiry is saved.")
    return redirect(safe_next(request, _links_page_url(link.cart_id)))
