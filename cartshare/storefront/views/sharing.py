"""The share dialog (issue 14: one place for grants, links and requests; spec §4, §5, §11) and the
grantee's dismiss page."""

import time
import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import condition, require_http_methods

from cartshare.access.policies import (
    LEVEL_DESCRIPTIONS,
    CartAction,
    access_level,
    allowed_actions,
    business_unit_of,
    can,
    ensure_can,
    grant_levels,
    is_owner,
)
from cartshare.carts.models import Cart
from cartshare.carts.selectors import cart_get_for
from cartshare.common.errors import DomainError, InvalidInput, NotFound, PermissionDenied
from cartshare.sharing.link_services import share_links_for_cart
from cartshare.sharing.models import ShareLink
from cartshare.sharing.selectors import colleagues_for_sharing
from cartshare.sharing.services import (
    ShareSummary,
    cart_share_dismiss,
    cart_shares_give_everyone,
    cart_shares_set,
)
from cartshare.storefront.errors import error_page, safe_next
from cartshare.storefront.live_pages import SHARE_PAGE_ACTION, share_page_etag
from cartshare.storefront.views.carts import current_customer

FIELD_PREFIX = "permission-"
EVERYONE = "everyone"


def _permissions_from(post: QueryDict) -> dict[int, str]:
    """`permission-<company user id>` fields → {id: value}; the service validates the values."""
    permissions: dict[int, str] = {}
    for key in post:
        if key.startswith(FIELD_PREFIX):
            raw_id = key.removeprefix(FIELD_PREFIX)
            if not raw_id.isdecimal():
                raise InvalidInput(_("This form is out of date. Reload the page and try again."))
            permissions[int(raw_id)] = post.get(key, "")
    return permissions


UNDO = "cartshare_share_undo"
UNDO_SECONDS = 10


def _changes_from(request: HttpRequest, cart: Cart) -> ShareSummary:
    """One of the share dialog's forms, to the service it means: "Add people" (`person`, a
    colleague's company user id or `everyone`, with `permission`), "Undo" (the levels the last
    change replaced), or levels in place (`permission-<id>` fields, one or many)."""
    post = request.POST
    if post.get("undo"):
        ensure_can(request.user, CartAction.UNSHARE, cart)  # grantees: 403, as for any change
        undo = request.session.pop(UNDO, None)
        if not undo or undo["cart"] != str(cart.pk) or undo["until"] < time.time():
            raise InvalidInput(_("It is too late to undo that change; change the level again."))
        permissions = {int(key): value for key, value in undo["permissions"].items()}
        return cart_shares_set(cart=cart, actor=request.user, permissions=permissions)
    person = post.get("person", "")
    if person == EVERYONE:
        return cart_shares_give_everyone(
            cart=cart, actor=request.user, permission=post.get("permission", "")
        )
    if person:
        if not person.isdecimal():
            raise InvalidInput(_("Choose a colleague from the list."))
        permission = post.get("permission", "")
        return cart_shares_set(cart=cart, actor=request.user, permissions={int(person): permission})
    return cart_shares_set(cart=cart, actor=request.user, permissions=_permissions_from(post))


def _remember_undo(request: HttpRequest, cart: Cart, summary: ShareSummary) -> None:
    request.session[UNDO] = {
        "cart": str(cart.pk),
        "permissions": {
            str(change.company_user_id): change.old.value if change.old else "NONE"
            for change in summary.changes
        },
        "until": time.time() + UNDO_SECONDS,
    }


def _undo_offered(request: HttpRequest, cart: Cart) -> bool:
    undo = request.session.get(UNDO)
    return bool(undo and undo["cart"] == str(cart.pk) and undo["until"] >= time.time())


@login_required
@require_http_methods(["GET", "POST"])
@condition(etag_func=share_page_etag)  # live.js's polls: 304 while nothing changed
def cart_share(request: HttpRequest, cart_id: uuid.UUID) -> HttpResponse:
    """The share dialog, as a page (the cart page opens it over itself with JavaScript): who
    has access and how to change it, the links, the requests; for a grantee, their own access."""
    try:
        # VIEW (SHARE_PAGE_ACTION): a grantee sees their own access; share_page_etag asks the same.
        cart = cart_get_for(request.user, cart_id, action=SHARE_PAGE_ACTION)
    except DomainError as error:
        return error_page(request, error)
    status = 200
    if request.method == "POST":
        try:
            summary = _changes_from(request, cart)
        except DomainError as error:
            if isinstance(error, NotFound | PermissionDenied):
                return error_page(request, error)
            messages.error(
                request, _("%(reason)s Nothing was changed.") % {"reason": error.message}
            )
            status = error.status
        else:
            if summary:
                messages.success(request, _("Sharing saved."))
                for line in summary.lines:
                    messages.success(request, line)
                if not request.POST.get("undo"):
                    _remember_undo(request, cart, summary)
            else:
                messages.info(request, _("Nothing changed: every colleague keeps their access."))
            return redirect(safe_next(request, reverse("storefront:cart_share", args=[cart.pk])))
    context = share_dialog_context(request, cart)
    context["undo"] = status == 200 and _undo_offered(request, cart)
    return render(request, "storefront/sharing/share.html", context, status=status)


def share_dialog_context(request: HttpRequest, cart: Cart) -> dict[str, object]:
    """What the dialog shows, each part as the policy allows it to this caller."""
    actions = allowed_actions(request.user, cart)
    sees_sharing = CartAction.SEE_SHARING in actions
    colleagues = colleagues_for_sharing(cart.owner, cart) if sees_sharing else []
    unit = business_unit_of(cart.owner)
    level = access_level(request.user, cart)
    return {
        "cart": cart,
        "actions": actions,
        "level": level,
        "level_description": LEVEL_DESCRIPTIONS[level] if level else "",
        "sees_sharing": sees_sharing,
        "can_share": CartAction.SHARE in actions,
        "can_unshare": CartAction.UNSHARE in actions,
        "has_colleagues": bool(colleagues),
        "with_access": [colleague for colleague in colleagues if colleague.permission],
        "without_access": [colleague for colleague in colleagues if not colleague.permission],
        "unit": unit,
        "is_owner": is_owner(request.user, cart),
        "levels": [(level.value, level.label) for level in grant_levels()],
        "everyone": EVERYONE,
        "history": link_history(request, cart),
        "here": reverse("storefront:cart_share", args=[cart.pk]),
    }


def link_history(request: HttpRequest, cart: Cart) -> list[ShareLink]:
    if not can(request.user, CartAction.MANAGE_LINKS, cart):
        return []
    return share_links_for_cart(cart=cart, actor=request.user)


@login_required
@require_http_methods(["GET", "POST"])
def cart_dismiss(request: HttpRequest, cart_id: uuid.UUID) -> HttpResponse:
    try:
        cart = cart_get_for(request.user, cart_id)
        ensure_can(request.user, CartAction.DISMISS, cart)
        level = access_level(request.user, cart)
        if request.method == "POST":
            cart_share_dismiss(cart=cart, actor=request.user)
            text = _(
                "“%(cart)s” is no longer in your carts. %(owner)s can share it with you again."
            )
            messages.success(request, text % {"cart": cart.name, "owner": cart.owner.name})
            return redirect("storefront:cart_list")
    except DomainError as error:
        return error_page(request, error)
    is_active = current_customer(request).active_cart_id == cart.pk
    context = {"cart": cart, "level": level, "is_active": is_active}
    return render(request, "storefront/sharing/dismiss.html", context)
