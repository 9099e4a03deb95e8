"""Share links: the landing page of `/share/{token}` (spec §5 table), accepting and copying, and
the owner's "Share by link" page. Rules live in cartshare.sharing.links and the policy."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from cartshare.carts.selectors import cart_get_for
from cartshare.common.errors import DomainError, Gone, NotFound
from cartshare.sharing import links
from cartshare.sharing.models import AccessLevel, ShareOption
from cartshare.storefront.errors import back_with_error, error_page, safe_next
from cartshare.storefront.link_forms import expiry_parse
from cartshare.storefront.templatetags.shop import money

PROBLEM_TITLES = {
    401: "Please log in",
    403: "This link is not for your account",
    404: "This link does not exist",
    409: "That is not possible any more",
    410: "This link no longer works",
    422: "That is not possible",
}
LEVEL_PROMISES = {
    AccessLevel.OWNER: "You own this cart.",
    AccessLevel.FULL_ACCESS: (
        "With full access you can view the cart, change its items, rename it, write its note, "
        "comment and place the order."
    ),
    AccessLevel.READ_ONLY: "With read-only access you can view the cart and comment on it.",
    AccessLevel.PREVIEW: "You can see the items and totals.",
}
_RANK = {AccessLevel.PREVIEW: 0, AccessLevel.READ_ONLY: 1, AccessLevel.FULL_ACCESS: 2}


def problem_page(request: HttpRequest, error: DomainError) -> HttpResponse:
    """The 403/404/409/410/422 pages of /share/: what happened and what to do."""
    title = PROBLEM_TITLES.get(error.status, "Something went wrong")
    cart_deleted = isinstance(error, Gone) and error.message.startswith("This cart is no longer")
    if cart_deleted:
        title = "This cart is no longer available"
    return render(
        request,
        "storefront/links/problem.html",
        {
            "title": title,
            "message": error.message,
            "status": error.status,
            "cart_deleted": cart_deleted,
        },
        status=error.status,
    )


# --- Visitors ------------------------------------------------------------------------------
#
# Only an anonymous visitor of a preview link is shown a page at the token's address
# (`Referrer-Policy: no-referrer`, no form that posts: with that policy browsers send
# `Origin: null`, which the CSRF check refuses). Everyone else goes on to the link's own page,
# `/share/join/<link id>`, whose address holds no token, so that it may post its forms ("Open
# cart", "Copy to my cart", "Log out") with an ordinary referrer policy. The session keeps the
# ids of the links it opened (never a token): that is what lets it see that page.

OPENED_LINKS = "cartshare_opened_share_links"
MAX_OPENED_LINKS = 20
NOT_OPENED = (
    "Open the link you were sent once more: this page shows a shared cart only in the browser "
    "that has just opened its link."
)


def _remember_opened(request: HttpRequest, link) -> None:
    opened = [pk for pk in request.session.get(OPENED_LINKS, []) if pk != link.pk]
    request.session[OPENED_LINKS] = [*opened[-(MAX_OPENED_LINKS - 1) :], link.pk]


def _opened_link(request: HttpRequest, link_id: int):
    """The usable link of a /share/join/ address, if this session opened its token before."""
    if link_id not in request.session.get(OPENED_LINKS, []):
        raise NotFound(NOT_OPENED)
    return links.share_link_get_usable(link_id)


def _join_url(link) -> str:
    return reverse("storefront:share_link_join", args=[link.pk])


def _to_login(link) -> HttpResponse:
    """Log in, then come back to the link's page: `next` is that relative, token-free path."""
    return redirect_to_login(_join_url(link), resolve_url(settings.LOGIN_URL))


@require_safe
def share_link_open(request: HttpRequest, token: str) -> HttpResponse:
    """`/share/<token>`: the preview for an anonymous visitor of a preview link (the most
    frequent request of all, answered without a session); everyone else is sent on to the
    link's own page, which tells them what the link gives them."""
    try:
        link = links.share_link_resolve(token)
    except DomainError as error:
        return problem_page(request, error)
    if link.is_internal or request.user.is_authenticated:
        _remember_opened(request, link)
        return redirect(_join_url(link))
    try:
        opening = links.share_link_open(link=link, actor=request.user)
    except DomainError as error:
        return problem_page(request, error)
    return _preview_page(request, opening, token=token)


@require_safe
def share_link_continue(request: HttpRequest, token: str) -> HttpResponse:
    """`/share/<token>/copy` and `/accept`: "Log in to copy" on the anonymous preview, and the
    addresses where these forms used to post. They go on to the link's own page (through the
    log-in page for anonymous visitors); nothing is posted to an address that holds a token."""
    try:
        link = links.share_link_resolve(token)
    except DomainError as error:
        return problem_page(request, error)
    _remember_opened(request, link)
    if not request.user.is_authenticated:
        return _to_login(link)
    return redirect(_join_url(link))


@require_http_methods(["GET", "HEAD", "POST"])
def share_link_join(request: HttpRequest, link_id: int) -> HttpResponse:
    """`/share/join/<link id>`. GET: what the link gives a logged-in visitor (spec §5 table):
    the accept page, the preview, the cart itself for its owner, or the 403 page. POST: "Open
    cart", which creates or raises the grant."""
    try:
        link = _opened_link(request, link_id)
    except DomainError as error:
        return problem_page(request, error)
    if not request.user.is_authenticated:
        return _to_login(link)
    if request.method == "POST":
        return _accept(request, link)
    try:
        opening = links.share_link_open(link=link, actor=request.user)
    except DomainError as error:
        return problem_page(request, error)
    if opening.link.is_internal and opening.level == AccessLevel.OWNER:
        return redirect("storefront:cart_detail", cart_id=opening.cart.pk)
    if opening.link.is_internal and not opening.cart.is_ordered:
        return _accept_page(request, opening)
    return _preview_page(request, opening, token=None)


def _preview_page(
    request: HttpRequest, opening: links.ShareLinkOpening, *, token: str | None
) -> HttpResponse:
    """The preview (and, for an ordered cart, the read-only view an internal link gives). At
    the token's address (`token` given) for anonymous visitors, at the link's page otherwise."""
    totals = opening.totals
    base_url = links.base_url_for(request)
    return render(
        request,
        "storefront/links/preview.html",
        {
            "opening": opening,
            "cart": opening.cart,
            "items": opening.items,
            "totals": totals,
            "owner_name": opening.cart.owner.name,
            "page_url": (
                base_url + request.path
                if token
                else links.share_link_url(opening.link, base_url) or base_url + request.path
            ),
            "og_description": (
                f"{totals.item_count} item{'' if totals.item_count == 1 else 's'} · "
                f"total {money(totals.grand_total, opening.cart.currency)}"
            ),
            "token": token,
            "has_access": opening.current_level is not None,
            "is_owner": opening.current_level == AccessLevel.OWNER,
        },
    )


def _accept_page(request: HttpRequest, opening: links.ShareLinkOpening) -> HttpResponse:
    current = opening.current_level
    keeps_current = current is not None and _RANK[current] >= _RANK[opening.level]
    resulting = current if keeps_current else opening.level
    return render(
        request,
        "storefront/links/accept.html",
        {
            "opening": opening,
            "cart": opening.cart,
            "totals": opening.totals,
            "level": resulting,
            "link_level": opening.level,
            "keeps_current": keeps_current,
            "promise": LEVEL_PROMISES[resulting],
        },
    )


def _accept(request: HttpRequest, link) -> HttpResponse:
    try:
        level, cart = links.share_link_accept(link=link, actor=request.user)
    except DomainError as error:
        return problem_page(request, error)
    messages.success(
        request, f"You have {level.label.lower()} to “{cart.name}”. It is now your active cart."
    )
    return redirect("storefront:cart_detail", cart_id=cart.pk)


@require_POST
def share_link_copy(request: HttpRequest, link_id: int) -> HttpResponse:
    """`/share/join/<link id>/copy`: "Copy to my cart"."""
    try:
        link = _opened_link(request, link_id)
    except DomainError as error:
        return problem_page(request, error)
    if not request.user.is_authenticated:
        return _to_login(link)
    try:
        cart = links.share_link_copy(link=link, actor=request.user)
    except DomainError as error:
        return problem_page(request, error)
    messages.success(
        request, f"The items are in your new cart “{cart.name}”, now your active cart."
    )
    return redirect("storefront:cart_detail", cart_id=cart.pk)


# --- The owner's side ---------------------------------------------------------------------------


def _links_page_url(cart_id) -> str:
    return reverse("storefront:cart_links", args=[cart_id])


@login_required
@require_http_methods(["GET", "POST"])
def cart_links(request: HttpRequest, cart_id) -> HttpResponse:
    """GET: the owner's "Share by link" page. POST: get or create the link for an option."""
    if request.method == "POST":
        return _link_create(request, cart_id)
    try:
        cart = cart_get_for(request.user, cart_id)
        history = links.share_links_for_cart(cart=cart, actor=request.user)
    except DomainError as error:
        return error_page(request, error)
    return render(request, "storefront/links/manage.html", {"cart": cart, "history": history})


def _link_create(request: HttpRequest, cart_id) -> HttpResponse:
    fallback = _links_page_url(cart_id)
    try:
        cart = cart_get_for(request.user, cart_id)
        _, _, created = links.share_link_get_or_create(
            cart=cart,
            actor=request.user,
            share_option=request.POST.get("share_option", ""),
            expires_at=expiry_parse(request.POST),
            base_url=links.base_url_for(request),
        )
    except DomainError as error:
        return back_with_error(request, error, fallback)
    option = ShareOption(request.POST["share_option"]).label.lower()
    messages.success(
        request,
        f"Your {option} link is ready: copy it below."
        if created
        else f"This cart already has a {option} link: here it is.",
    )
    return redirect(_back(request, fallback))


def _back(request: HttpRequest, fallback: str) -> str:
    return safe_next(request, fallback)


@login_required
@require_POST
def share_link_revoke(request: HttpRequest, link_id: int) -> HttpResponse:
    try:
        link = links.share_link_get_for(actor=request.user, link_id=link_id)
        links.share_link_revoke(link=link, actor=request.user)
    except DomainError as error:
        return back_with_error(request, error, reverse("storefront:cart_list"))
    messages.success(request, "The link is revoked: it no longer opens the cart.")
    return redirect(_back(request, _links_page_url(link.cart_id)))


@login_required
@require_POST
def share_link_renew(request: HttpRequest, link_id: int) -> HttpResponse:
    try:
        link = links.share_link_get_for(actor=request.user, link_id=link_id)
        links.share_link_renew(
            link=link,
            actor=request.user,
            expires_at=expiry_parse(request.POST),
            base_url=links.base_url_for(request),
        )
    except DomainError as error:
        return back_with_error(request, error, reverse("storefront:cart_list"))
    messages.success(request, "Here is the new link. The old one no longer works.")
    return redirect(_back(request, _links_page_url(link.cart_id)))


@login_required
@require_POST
def share_link_expiry(request: HttpRequest, link_id: int) -> HttpResponse:
    try:
        link = links.share_link_get_for(actor=request.user, link_id=link_id)
        links.share_link_expiry_set(
            link=link, actor=request.user, expires_at=expiry_parse(request.POST)
        )
    except DomainError as error:
        return back_with_error(request, error, reverse("storefront:cart_list"))
    messages.success(request, "The link's expiry is saved.")
    return redirect(_back(request, _links_page_url(link.cart_id)))
