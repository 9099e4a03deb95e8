"""Share links: the landing page of `/share/{token}` (spec §5 table), accepting and copying, and
the owner's "Share by link" page. Rules live in `cartshare.sharing.link_services`,
`cartshare.sharing.link_visits` and the policy; views are named `*_view` so that they never
share a name with the domain function they call."""

from __future__ import annotations

from urllib.parse import urlsplit
from uuid import UUID

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.urls import Resolver404, resolve, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import (
    condition,
    require_http_methods,
    require_POST,
    require_safe,
)

from cartshare.access.policies import (
    LEVEL_PROMISES,
    CartAction,
    access_request_refusal,
    can_fill,
    is_owner,
    level_allows,
    level_fills,
    link_unfurls,
)
from cartshare.carts.models import CartTotals
from cartshare.carts.selectors import cart_get_for
from cartshare.common.errors import CartDeleted, DomainError, Gone, NotFound
from cartshare.common.headers import BRIEFLY_CACHED
from cartshare.sharing import access_requests, link_services, link_visits
from cartshare.sharing.invitations import cart_invitations_send
from cartshare.sharing.models import ShareLink
from cartshare.sharing.tokens import base_url_for, share_link_url, url_for_token
from cartshare.storefront.cards import card_png
from cartshare.storefront.errors import back_with_error, error_page, link_problem_page, safe_next
from cartshare.storefront.link_forms import expiry_parse
from cartshare.storefront.live_pages import (
    is_live_refresh,
    preview_join_etag,
    preview_token_etag,
)
from cartshare.storefront.pager import lines_page
from cartshare.storefront.templatetags.sharing_links import qr_svg_document
from cartshare.storefront.templatetags.shop import money
from cartshare.storefront.views.access_requests import request_sent_message
from cartshare.storefront.views.carts import current_customer
from cartshare.storefront.wording import level_in_sentence, link_name

# --- Visitors ------------------------------------------------------------------------------
#
# Only an anonymous visitor of a preview link is shown a page at the token's address
# (`Referrer-Policy: no-referrer`, and no form that posts: with that policy browsers send
# `Origin: null`, which the CSRF check refuses). Everyone else goes on to the link's own page,
# `/share/join/<link id>`, whose address holds no token, so that it may post its forms ("Open
# cart", "Copy to my cart", "Log out") with an ordinary referrer policy. The session keeps the
# ids of the links it opened (never a token): that is what lets it see that page.

OPENED_LINKS = "cartshare_opened_share_links"
MAX_OPENED_LINKS = 20
NOT_OPENED = gettext_lazy(
    "Open the link you were sent once more: this page shows a shared cart only in the browser "
    "that has just opened its link."
)


def _remember_opened(request: HttpRequest, link: ShareLink) -> None:
    opened = [pk for pk in request.session.get(OPENED_LINKS, []) if pk != link.pk]
    request.session[OPENED_LINKS] = [*opened[-(MAX_OPENED_LINKS - 1) :], link.pk]


def _ensure_opened(request: HttpRequest, link_id: int) -> None:
    """NotFound unless this session opened the link's token before."""
    if link_id not in request.session.get(OPENED_LINKS, []):
        raise NotFound(str(NOT_OPENED))


# The link's own pages: those that a log-out with "Log in with another account" comes back to.
LINK_PAGES = {"share_link_join", "share_link_request_access"}


def _join_url(link_id: int) -> str:
    return reverse("storefront:share_link_join", args=[link_id])


def _to_login(link_id: int) -> HttpResponse:
    """Log in, then come back to the link's page: `next` is that relative, token-free path."""
    return redirect_to_login(_join_url(link_id), resolve_url(settings.LOGIN_URL))


def opened_link_keep(request: HttpRequest, path: str, opened: list[int]) -> None:
    """After "Log in with another account" (a log-out whose `next` is a link's page): the new
    session keeps having opened that link, so that the page opens again after the log-in."""
    try:
        match = resolve(path)
    except Resolver404:
        return
    link_id = match.kwargs.get("link_id")
    if match.url_name in LINK_PAGES and link_id in opened:
        request.session[OPENED_LINKS] = [link_id]


def _request_access_url(link_id: int) -> str:
    return reverse("storefront:share_link_request_access", args=[link_id])


def _dead_link_offer(
    request: HttpRequest,
    error: DomainError,
    *,
    token: str | None = None,
    link_id: int | None = None,
) -> dict[str, object] | None:
    """On the refusal page of a revoked or expired internal link: "Request access" for a
    colleague of the owner's unit who may ask (the policy decides); "Log in to ask" for a
    visitor who is not logged in. None for everyone else (and for deleted carts)."""
    if not isinstance(error, Gone) or isinstance(error, CartDeleted):
        return None
    link = link_visits.share_link_find(token=token, link_id=link_id)
    if link is None or link.cart is None or not link.is_internal:
        return None
    if request.user.is_authenticated:
        offer = access_requests.access_request_offer(
            actor=request.user, cart=link.cart, holds_link=True
        )
        if offer is None:
            return None
    _remember_opened(request, link)
    return {
        "url": _request_access_url(link.pk),
        "owner_name": link.cart.owner.name,
        "login": not request.user.is_authenticated,
    }


@require_safe
@condition(etag_func=preview_token_etag)  # live.js's polls: 304 while nothing changed
def share_link_open_view(request: HttpRequest, token: str) -> HttpResponse:
    """`/share/<token>`: the preview for an anonymous visitor of a preview link (the most
    frequent request of all, answered without a session); an anonymous visitor of an internal
    link to the log-in page, which says what waits; everyone else on to the link's own page,
    which tells them what the link gives them."""
    try:
        link = link_visits.share_link_resolve(token)
    except DomainError as error:
        return link_problem_page(
            request, error, offer=_dead_link_offer(request, error, token=token)
        )
    if link.is_internal or request.user.is_authenticated:
        _remember_opened(request, link)
        if not request.user.is_authenticated:  # straight to the log-in page, which says what
            return _to_login(link.pk)  # waits (a chat's unfurler, without cookies, gets it too)
        return redirect(_join_url(link.pk))
    try:
        # live.js re-reading the page is the same visit, not another open of the link
        opening = link_visits.share_link_open(
            link=link, actor=request.user, counted=not is_live_refresh(request)
        )
    except DomainError as error:
        return link_problem_page(request, error)
    return _preview_page(request, opening, token=token)


@require_safe
def share_link_continue_view(request: HttpRequest, token: str) -> HttpResponse:
    """`/share/<token>/copy` and `/accept`: "Log in to copy" on the anonymous preview, and the
    addresses where these forms used to post. They go on to the link's own page (through the
    log-in page for anonymous visitors); nothing is posted to an address that holds a token."""
    try:
        link = link_visits.share_link_resolve(token)
    except DomainError as error:
        return link_problem_page(request, error)
    _remember_opened(request, link)
    if not request.user.is_authenticated:
        return _to_login(link.pk)
    return redirect(_join_url(link.pk))


@require_http_methods(["GET", "HEAD", "POST"])
@condition(etag_func=preview_join_etag)  # live.js's polls: 304 while nothing changed
def share_link_join_view(request: HttpRequest, link_id: int) -> HttpResponse:
    """`/share/join/<link id>`. GET: what the link gives a logged-in visitor (spec §5 table):
    the accept page, the preview, the cart itself for its owner, or the 403 page. POST: "Open
    cart", which creates or raises the grant."""
    try:
        _ensure_opened(request, link_id)
        if not request.user.is_authenticated:
            link_visits.share_link_get_usable(link_id)  # a dead link says so before the log-in
            return _to_login(link_id)
        if request.method == "POST":
            return _accept(request, link_id)
        link = link_visits.share_link_get_usable(link_id)
        opening = link_visits.share_link_open(
            link=link, actor=request.user, counted=not is_live_refresh(request)
        )
    except DomainError as error:
        offer = _dead_link_offer(request, error, link_id=link_id)
        return link_problem_page(request, error, offer=offer)
    if opening.link.is_internal and is_owner(request.user, opening.cart):
        return redirect("storefront:cart_detail", cart_id=opening.cart.pk)
    if opening.link.is_internal and not opening.cart.is_ordered:
        return _accept_page(request, opening)
    return _preview_page(request, opening, token=None)


def _preview_page(
    request: HttpRequest, opening: link_visits.ShareLinkOpening, *, token: str | None
) -> HttpResponse:
    """The preview (and, for an ordered cart, the read-only view an internal link gives). At
    the token's address (`token` given) for anonymous visitors, at the link's page otherwise."""
    totals = opening.totals
    base_url = base_url_for(request)
    link_url = url_for_token(token, base_url) if token else share_link_url(opening.link, base_url)
    description = _items_and_total(totals, opening.cart.currency)
    return render(
        request,
        "storefront/links/preview.html",
        {
            "opening": opening,
            "cart": opening.cart,
            "items": opening.items,
            # The lines of `?page=N` only; the totals and the item count are the whole cart's.
            "lines_page": lines_page(opening.items, request.GET.get("page")),
            "totals": totals,
            "owner_name": opening.cart.owner.name,
            "page_url": link_url or base_url + request.path,
            "og_title": _("Shared cart: %(cart)s") % {"cart": opening.cart.name},
            "og_description": description,
            "og_image_alt": _("Shared cart: %(cart)s, %(contents)s")
            % {"cart": opening.cart.name, "contents": description},
            # The card only where anyone may see it (the policy), at the link's address.
            "card_url": f"{link_url}/card.png" if link_url and link_unfurls(opening.link) else None,
            "token": token,
            "has_access": level_allows(opening.current_level, CartAction.VIEW),
            "is_owner": is_owner(request.user, opening.cart),
        },
    )


def _items_and_total(totals: CartTotals, currency: str) -> str:
    """ "5 items · total €1,234.00": the preview's description and the card's second line."""
    text = ngettext(
        "%(count)s item · total %(total)s", "%(count)s items · total %(total)s", totals.item_count
    )
    return text % {"count": totals.item_count, "total": money(totals.grand_total, currency)}


@require_safe
def share_link_card_view(request: HttpRequest, token: str) -> HttpResponse:
    """`/share/<token>/card.png`: the preview link's card, its `og:image` (the cart's name, item
    count and total; no personal data; `cartshare.storefront.cards`). 404 and 410 as for the
    link itself, 404 for an internal link (which unfurls as the log-in page). Made without the
    session, so nothing personal, and briefly cacheable."""
    try:
        card = link_visits.share_link_card(token)
    except DomainError as error:
        return link_problem_page(request, error)
    png = card_png(
        name=card.cart_name,
        summary=_items_and_total(card.totals, card.currency),
        ordered=card.is_ordered,
    )
    response = HttpResponse(png, content_type="image/png")
    response["Cache-Control"] = BRIEFLY_CACHED
    return response


def link_waiting_for_login(request: HttpRequest) -> link_visits.ShareLinkWaiting | None:
    """For the log-in page: what waits behind the link its `next` goes back to (the link's own
    page, /share/join/<id>), when this browser has just opened that link; None otherwise, and
    the page stays generic. The id alone (in any address) says nothing: only a session that
    opened the token holds it."""
    next_path = urlsplit(safe_next(request, "")).path
    try:
        match = resolve(next_path) if next_path else None
    except Resolver404:
        return None
    if match is None or match.view_name != "storefront:share_link_join":
        return None
    link_id = match.kwargs["link_id"]
    if link_id not in request.session.get(OPENED_LINKS, []):
        return None
    return link_visits.share_link_waiting(link_id=link_id, actor=request.user)


def _accept_page(request: HttpRequest, opening: link_visits.ShareLinkOpening) -> HttpResponse:
    level = opening.level_once_accepted
    return render(
        request,
        "storefront/links/accept.html",
        {
            "opening": opening,
            "cart": opening.cart,
            "totals": opening.totals,
            "level": level,
            "link_level": opening.level,
            "keeps_current": opening.keeps_current_level,
            "promise": LEVEL_PROMISES[level],
            "becomes_active": level_fills(level, opening.cart),
        },
    )


def _accept(request: HttpRequest, link_id: int) -> HttpResponse:
    level, cart = link_visits.share_link_accept(link_id=link_id, actor=request.user)
    if can_fill(request.user, cart):
        text = _(
            "You have %(level)s to “%(cart)s”. It is now your active cart: “Add to cart” fills it."
        )
    else:  # a read-only cart never becomes the active cart (spec §9)
        text = _(
            "You have %(level)s to “%(cart)s”. Your active cart stays as it was: you can view this "
            "one but not add to it."
        )
    messages.success(request, text % {"level": level_in_sentence(level), "cart": cart.name})
    return redirect("storefront:cart_detail", cart_id=cart.pk)


@require_http_methods(["GET", "HEAD", "POST"])
def share_link_request_access_view(request: HttpRequest, link_id: int) -> HttpResponse:
    """`/share/join/<link id>/request-access`, from the refusal page of a revoked or expired
    link: a colleague of the owner's unit asks the owner for access, with a message. GET shows
    the form (or the pending request), POST sends it."""
    try:
        _ensure_opened(request, link_id)
        if not request.user.is_authenticated:
            return redirect_to_login(request.path, resolve_url(settings.LOGIN_URL))
        link = link_visits.share_link_find(link_id=link_id)
        if link is None or link.cart is None:
            raise NotFound(link_visits.UNKNOWN_LINK)
        cart = link.cart
        if request.method == "POST":
            return _request_access(request, link)
        offer = access_requests.access_request_offer(actor=request.user, cart=cart, holds_link=True)
        if offer is None:
            refusal = access_request_refusal(request.user, cart, holds_link=True)
            if refusal is not None:
                raise refusal
            return redirect("storefront:cart_detail", cart_id=cart.pk)  # they have every level
    except DomainError as error:
        return link_problem_page(request, error)
    return render(
        request,
        "storefront/links/request_access.html",
        {"cart": cart, "offer": offer, "link": link, "suggested": link.share_option},
    )


def _request_access(request: HttpRequest, link: ShareLink) -> HttpResponse:
    assert link.cart is not None
    try:
        asked = access_requests.access_request_create(
            cart=link.cart,
            actor=request.user,
            permission=request.POST.get("permission", ""),
            message=request.POST.get("message", ""),
            holds_link=True,
        )
    except DomainError as error:
        return back_with_error(request, error, request.path)
    messages.success(request, request_sent_message(asked))
    return redirect(request.path)


@require_POST
def share_link_copy_view(request: HttpRequest, link_id: int) -> HttpResponse:
    """`/share/join/<link id>/copy`: "Copy to my cart"."""
    try:
        _ensure_opened(request, link_id)
        if not request.user.is_authenticated:
            return _to_login(link_id)
        cart = link_visits.share_link_copy(link_id=link_id, actor=request.user)
    except DomainError as error:
        return link_problem_page(request, error)
    messages.success(
        request,
        _("The items are in your new cart “%(cart)s”, now your active cart.") % {"cart": cart.name},
    )
    return redirect("storefront:cart_detail", cart_id=cart.pk)


# --- The owner's side ---------------------------------------------------------------------------


def _links_page_url(cart_id: object) -> str:
    return reverse("storefront:cart_share", args=[cart_id])


@login_required
@require_http_methods(["GET", "POST"])
def cart_links_view(request: HttpRequest, cart_id: UUID) -> HttpResponse:
    """GET: the former "Share by link" page, now the links of the share dialog (old addresses
    keep working). POST: get or create the link for an option."""
    if request.method == "POST":
        return _link_create(request, cart_id)
    try:
        cart = cart_get_for(request.user, cart_id)
        link_services.share_links_for_cart(cart=cart, actor=request.user)  # the owner's only
    except DomainError as error:
        return error_page(request, error)
    return redirect(reverse("storefront:cart_share", args=[cart.pk]) + "#share-links")


def _link_create(request: HttpRequest, cart_id: UUID) -> HttpResponse:
    fallback = _links_page_url(cart_id)
    try:
        cart = cart_get_for(request.user, cart_id)
        link, _url, created = link_services.share_link_get_or_create(
            cart=cart,
            actor=request.user,
            share_option=request.POST.get("share_option", ""),
            expires_at=expiry_parse(request.POST),
            base_url=base_url_for(request),
        )
    except DomainError as error:
        return back_with_error(request, error, fallback)
    text = (
        _("Your %(link)s is ready to copy.")
        if created
        else _("This cart already has a %(link)s: here it is.")
    )
    messages.success(request, text % {"link": link_name(link.share_option)})
    return redirect(safe_next(request, fallback))


@login_required
@require_POST
def share_link_revoke_view(request: HttpRequest, link_id: int) -> HttpResponse:
    try:
        link = link_services.share_link_get_for(actor=request.user, link_id=link_id)
        link_services.share_link_revoke(link=link, actor=request.user)
    except DomainError as error:
        return back_with_error(request, error, reverse("storefront:cart_list"))
    messages.success(request, _("The link is revoked: it no longer opens the cart."))
    return redirect(safe_next(request, _links_page_url(link.cart_id)))


@login_required
@require_POST
def share_link_restore_view(request: HttpRequest, link_id: int) -> HttpResponse:
    """The share dialog's Undo, seconds after Revoke: the same link works again."""
    try:
        link = link_services.share_link_get_for(actor=request.user, link_id=link_id)
        link_services.share_link_restore(link=link, actor=request.user)
    except DomainError as error:
        return back_with_error(request, error, reverse("storefront:cart_list"))
    messages.success(request, _("Undone: the link works again."))
    return redirect(safe_next(request, _links_page_url(link.cart_id)))


@login_required
@require_POST
def share_link_renew_view(request: HttpRequest, link_id: int) -> HttpResponse:
    try:
        link = link_services.share_link_get_for(actor=request.user, link_id=link_id)
        link_services.share_link_renew(
            link=link,
            actor=request.user,
            expires_at=expiry_parse(request.POST, current=link.expires_at),
            base_url=base_url_for(request),
        )
    except DomainError as error:
        return back_with_error(request, error, reverse("storefront:cart_list"))
    messages.success(request, _("Here is the new link. The old one no longer works."))
    return redirect(safe_next(request, _links_page_url(link.cart_id)))


@login_required
@require_POST
def share_link_expiry_view(request: HttpRequest, link_id: int) -> HttpResponse:
    try:
        link = link_services.share_link_get_for(actor=request.user, link_id=link_id)
        link_services.share_link_expiry_set(
            link=link,
            actor=request.user,
            expires_at=expiry_parse(request.POST, current=link.expires_at),
        )
    except DomainError as error:
        return back_with_error(request, error, reverse("storefront:cart_list"))
    messages.success(request, _("The link's expiry is saved."))
    return redirect(safe_next(request, _links_page_url(link.cart_id)))


@login_required
@require_safe
def share_link_qr_view(request: HttpRequest, link_id: int) -> HttpResponse:
    """`/links/<id>/qr.svg`: a current link's QR code, for its owner, drawn when asked for (the
    share dialog shows it on demand, not every code on every view)."""
    try:
        link = link_services.share_link_get_for(actor=request.user, link_id=link_id)
        url = share_link_url(link, base_url_for(request)) if not link.revoked_at else None
        if url is None:
            raise Gone(_("This link has been revoked or can no longer be shown; make a new one."))
    except DomainError as error:
        return error_page(request, error)
    label = _("QR code of the %(link)s") % {"link": link_name(link.share_option)}
    return HttpResponse(qr_svg_document(url, label), content_type="image/svg+xml")


@login_required
@require_POST
def cart_invitations_view(request: HttpRequest, cart_id: UUID) -> HttpResponse:
    """The Share panel's "Invite by e-mail" form: the mails are queued, the page says to whom,
    and which addresses were refused and why."""
    fallback = _links_page_url(cart_id)
    try:
        cart = cart_get_for(request.user, cart_id)
        result = cart_invitations_send(
            cart=cart,
            actor=current_customer(request),
            emails=request.POST.get("emails", ""),
            share_option=request.POST.get("share_option", ""),
            message=request.POST.get("message", ""),
            proposal=request.POST.get("proposal") == "1",
        )
    except DomainError as error:
        return back_with_error(request, error, fallback)
    if result.sent:
        messages.success(
            request, _("Sent to %(addresses)s.") % {"addresses": ", ".join(result.sent)}
        )
    for address, reason in result.refused:
        messages.error(
            request,
            _("Not sent to %(address)s: %(reason)s") % {"address": address, "reason": reason},
        )
    return redirect(safe_next(request, fallback))
