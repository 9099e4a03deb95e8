"""Cart pages and forms (spec §2, §8): "My carts", the cart page, and the POST-only actions.

Views only translate: parse the form, call one service, map a DomainError to a page or a
message (storefront/errors.py). Access is decided by sharing.policies, never here."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import wraps
from typing import Any
from urllib.parse import urlsplit

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import condition, require_GET, require_POST

from cartshare.access.policies import (
    LEVEL_DESCRIPTIONS,
    CartAction,
    allowed_actions,
    can_delete,
    ensure_can,
    is_owner,
    items_changeable_by,
)
from cartshare.accounts.models import Customer
from cartshare.carts import selectors, services
from cartshare.carts.conflicts import LineConflict
from cartshare.carts.models import (
    MAX_ITEM_NOTE_LENGTH,
    MAX_NAME_LENGTH,
    MAX_NOTE_LENGTH,
    MAX_QUANTITY,
    MAX_VERSION,
    Cart,
    CartItem,
    CartTotals,
)
from cartshare.common.errors import DomainError, InvalidInput, LoginRequired, NotFound
from cartshare.common.locales import number_format
from cartshare.common.text import whole_number_parse
from cartshare.sharing.selectors import cart_sharing_counts
from cartshare.storefront.cart_lines import cart_lines_html
from cartshare.storefront.errors import back_with_error, error_page, safe_next
from cartshare.storefront.live_pages import cart_page_etag
from cartshare.storefront.pager import lines_page

# More pages of lines than any cart can have (the spec allows 1,000 lines).
MAX_LINE_PAGES = 10_000


# --- small helpers: parsing and navigation ------------------------------------------------
def _relative(url: str) -> str:
    """The path and query of a same-site URL: `next` values are always relative."""
    parts = urlsplit(url)
    path = parts.path if parts.path.startswith("/") and not parts.path.startswith("//") else "/"
    return f"{path}?{parts.query}" if parts.query else path


def _came_from(request: HttpRequest) -> str:
    """Where the person was: a safe `next`, else a same-site Referer, else the product list."""
    fallback = reverse("storefront:product_list")
    referer = request.headers.get("referer", "")
    if referer and url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        fallback = referer
    return _relative(safe_next(request, fallback))


View = Callable[..., HttpResponse]


def customer_required(view: View) -> View:
    """Anonymous visitors go to the login page and come back afterwards: to this page for a
    GET, to the page they came from for a POST (a form's target cannot be shown by GET)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        if not request.user.is_authenticated:
            back = request.get_full_path() if request.method == "GET" else _came_from(request)
            return redirect_to_login(back)
        return view(request, *args, **kwargs)

    return wrapper


def current_customer(request: HttpRequest) -> Customer:
    """The logged-in customer, in a view behind `customer_required` or `login_required`."""
    user = request.user
    if not isinstance(user, Customer):
        raise LoginRequired(_("Log in to continue."))
    return user


def _version(request: HttpRequest) -> int | None:
    """The cart version the form was rendered from; None when a client sends none."""
    raw = request.POST.get("version", "").strip()
    if not raw:
        return None
    version = whole_number_parse(raw, maximum=MAX_VERSION)
    if version is None:  # not a version any cart can have
        raise InvalidInput(_("This form is out of date. Reload the page and try again."))
    return version


def _cart_url(cart_id: uuid.UUID) -> str:
    return reverse("storefront:cart_detail", args=[cart_id])


def _page_query(number: int) -> str:
    """ "?page=N" for page N of a cart's lines (nothing for the first): the page's forms carry it
    in their addresses, so an edit made on page N comes back to page N."""
    return f"?page={number}" if number > 1 else ""


def _lines_page_of(request: HttpRequest) -> str:
    """The `?page=N` a form's address carries, for the redirect back (a number, else none)."""
    number = whole_number_parse(request.GET.get("page", ""), maximum=MAX_LINE_PAGES)
    return _page_query(number) if number else ""


@dataclass(frozen=True)
class HeaderCart:
    """What the header shows of the active cart (context_processors.shop's `header_cart`)."""

    pk: uuid.UUID
    name: str
    quantity_sum: int


# --- pages ----------------------------------------------------------------------------------
def _cart_list_page(
    request: HttpRequest,
    *,
    form: dict[str, object] | None = None,
    errors: dict[str, list[str]] | None = None,
    status: int = 200,
) -> HttpResponse:
    rows = selectors.cart_rows_for(current_customer(request))
    own = {row.cart.pk for row in rows if is_owner(request.user, row.cart)}
    context = {
        "rows": [
            (
                row,
                allowed_actions(request.user, row.cart),
                row.cart.pk in own,
                can_delete(request.user, row.cart, own_carts=len(own)),
            )
            for row in rows
        ],
        "form": form or {"name": "", "note": "", "activate": True},
        "errors": errors or {},
        "max_name_length": MAX_NAME_LENGTH,
        "max_note_length": MAX_NOTE_LENGTH,
    }
    return render(request, "storefront/carts/list.html", context, status=status)


@require_GET
@customer_required
def cart_list(request: HttpRequest) -> HttpResponse:
    return _cart_list_page(request)


@dataclass(frozen=True)
class KeptInput:
    """A line edit refused as a true conflict: what the person typed, shown again in its field
    (`quantity`/`note`: None for a field the form did not send), and who changed the line to
    what (`message`). `on_page`: the line is still in the cart."""

    item_id: int | None
    quantity: str | None
    note: str | None
    message: str
    on_page: bool = False


@require_GET
@customer_required
@condition(etag_func=cart_page_etag)  # live.js's polls: 304 while nothing changed
def cart_detail(request: HttpRequest, cart_id: uuid.UUID) -> HttpResponse:
    try:
        customer = current_customer(request)
        cart = selectors.cart_get_for(customer, cart_id)
    except DomainError as error:
        return error_page(request, error)
    return _cart_page(request, cart)


def _cart_page(
    request: HttpRequest, cart: Cart, *, kept: KeptInput | None = None, status: int = 200
) -> HttpResponse:
    customer = current_customer(request)
    try:
        level = ensure_can(customer, CartAction.VIEW, cart)
    except DomainError as error:
        return error_page(request, error)
    actions = allowed_actions(customer, cart)
    # Every line is read (the totals and the checkout check need them all); a page is shown.
    every_line = list(cart.items.all())
    totals = CartTotals.of(every_line)
    shown = lines_page(every_line, request.GET.get("page"))
    page = shown.page
    items: list[CartItem] = list(page.object_list)
    if kept is not None:
        kept = replace(kept, on_page=any(item.pk == kept.item_id for item in items))
    page_query = _page_query(page.number)
    cart_url = _cart_url(cart.pk)
    is_active = selectors.active_cart_id(customer) == cart.pk
    changeable = items_changeable_by(customer, cart, items)
    context: dict[str, object] = {
        "kept": kept,
        "cart_url": cart_url,
        "page_url": f"{cart_url}{page_query}",
        "cart": cart,
        "items": items,
        "page": page,
        "lines_page": shown,
        "lines": cart_lines_html(
            cart=cart,
            items=items,
            changeable=changeable,
            removable_column="change_own_items" in actions,
            kept=kept,
            csrf_token=get_token(request),
            page_query=page_query,
        ),
        "totals": totals,
        "actions": actions,
        "level": level,
        "level_description": LEVEL_DESCRIPTIONS[level],
        "is_owner": is_owner(request.user, cart),
        "is_active": is_active,
        "can_delete": can_delete(request.user, cart),
        "max_quantity": MAX_QUANTITY,
        "max_name_length": MAX_NAME_LENGTH,
        "max_note_length": MAX_NOTE_LENGTH,
        "max_item_note_length": MAX_ITEM_NOTE_LENGTH,
    }
    if CartAction.SEE_SHARING in actions:  # the share line's counts, read once for the page
        context["sharing_counts"] = cart_sharing_counts(cart)
    if is_active:  # the header's "active cart" badge: this cart, whose totals are at hand
        context["header_cart"] = HeaderCart(cart.pk, cart.name, totals.quantity)
    return render(request, "storefront/carts/detail.html", context, status=status)


def _conflict_page(request: HttpRequest, cart_id: uuid.UUID, error: LineConflict) -> HttpResponse:
    """409: the cart page as it is now, saying who changed the line to what, with the refused
    input still in its field (a resubmit carries the current version, so it applies)."""
    try:
        cart = selectors.cart_get_for(request.user, cart_id)
    except DomainError as other:
        return error_page(request, other)
    quantity, note = request.POST.get("quantity"), request.POST.get("note")
    if error.change.quantity is None:  # the line is gone
        then = _("Your change was not saved.")
    elif quantity is None and note is None:
        then = _("Nothing was removed: remove it again if you still want to.")
    else:
        then = _(
            "Your change was not saved: what you typed is still in the field; send it again "
            "to replace theirs."
        )
    kept = KeptInput(
        item_id=error.change.item_id,
        quantity=quantity,
        note=note,
        message=f"{error.change.text} {then}",
    )
    return _cart_page(request, cart, kept=kept, status=409)


# --- forms ----------------------------------------------------------------------------------
@require_POST
@customer_required
def cart_create_view(request: HttpRequest) -> HttpResponse:
    name = request.POST.get("name", "")
    note = request.POST.get("note", "")
    activate = bool(request.POST.get("activate"))
    form: dict[str, object] = {"name": name, "note": note, "activate": activate}
    try:
        cart = services.cart_create(
            owner=current_customer(request), name=name, note=note, activate=activate
        )
    except InvalidInput as error:
        messages.error(
            request, _("The cart was not created. %(reason)s") % {"reason": error.message}
        )
        return _cart_list_page(request, form=form, errors=error.errors, status=422)
    messages.success(request, _("Your new cart “%(cart)s” is ready.") % {"cart": cart.name})
    return redirect(_cart_url(cart.pk))


def _choose_cart() -> str:
    return _("Choose one of the carts you can fill.")


def _cart_to_fill(request: HttpRequest) -> tuple[Cart, bool]:
    """The cart "Add to cart" fills: the one picked in the form (which then becomes the active
    cart; the service refuses one the person cannot fill), else the active cart. Returns the
    cart and whether it just became the active cart."""
    customer = current_customer(request)
    picked = request.POST.get("cart", "").strip()
    if picked:
        try:
            picked_id = uuid.UUID(picked)
        except ValueError as error:
            raise InvalidInput(_choose_cart()) from error
        cart = selectors.cart_get_for(request.user, picked_id)
        if cart.pk == selectors.active_cart_id(customer):
            return cart, False
        services.cart_activate(cart=cart, actor=request.user)
        return cart, True
    cart_id = selectors.active_cart_id(customer)
    if cart_id is None:
        raise NotFound(_("You have no cart to add to. Create one under “My carts”."))
    return selectors.cart_get_for(request.user, cart_id), False


@require_POST
@customer_required
def cart_add(request: HttpRequest) -> HttpResponse:
    """Add to my active cart, or to the cart picked in the form (which becomes active); I am
    told when it does not take new products, and I stay on the page I came from."""
    back = _came_from(request)
    try:
        cart, switched = _cart_to_fill(request)
    except DomainError as error:
        messages.error(request, _("Nothing was added. %(reason)s") % {"reason": error.message})
        return redirect(back)
    try:
        item = services.cart_item_add(
            cart=cart,
            actor=request.user,
            sku=request.POST.get("sku", ""),
            quantity=request.POST.get("quantity", "1"),
        )
    except DomainError as error:
        text = (
            _(
                "Nothing was added to “%(cart)s”. %(reason)s Choose another active cart under "
                "“My carts”."
            )
            if error.status == 403
            else _("Nothing was added to “%(cart)s”. %(reason)s")
        )
        messages.error(request, text % {"cart": cart.name, "reason": error.message})
        return redirect(back)
    added = services.quantity_parse(request.POST.get("quantity", "1"))
    # The multiplication sign, as the catalogue writes quantities.
    text = (
        _(
            "Added %(added)s × %(product)s to “%(cart)s” (now %(quantity)s in the "  # noqa: RUF001
            "cart). “%(cart)s” is now your active cart."
        )
        if switched
        else _(
            "Added %(added)s × %(product)s to “%(cart)s” (now %(quantity)s in the "  # noqa: RUF001
            "cart)."
        )
    )
    numbers = {"added": number_format(added), "quantity": number_format(item.quantity)}
    messages.success(request, text % {**numbers, "product": item.product.name, "cart": cart.name})
    return redirect(back)


@require_POST
@customer_required
def active_cart_choose(request: HttpRequest) -> HttpResponse:
    """The listings' "“Add to cart” fills [cart]" form: make the picked cart active and go
    back to the page (read-only and ordered carts are refused with the reason)."""
    back = _came_from(request)
    if not request.POST.get("cart", "").strip():
        messages.error(request, _choose_cart())
        return redirect(back)
    try:
        cart, _switched = _cart_to_fill(request)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect(back)
    messages.success(request, _("“Add to cart” now fills “%(cart)s”.") % {"cart": cart.name})
    return redirect(back)


def _cart_action(
    # (cart, what `perform` returned) -> message; the result's type is each view's own.
    success: Callable[[Cart, Any], str] | None = None,
    *,
    action: CartAction = CartAction.VIEW,
    redirect_to: Callable[[HttpRequest, Cart, Any], str] | None = None,
) -> Callable[[Callable[..., object]], View]:
    """Decorate `perform(request, cart) -> result`: POST only, logged in, the cart loaded with
    the policy, domain errors mapped, then a message and a redirect (POST-redirect-GET)."""

    def decorate(perform: Callable[..., object]) -> View:
        @require_POST
        @customer_required
        @wraps(perform)
        def view(request: HttpRequest, cart_id: uuid.UUID, **kwargs: int) -> HttpResponse:
            fallback = _cart_url(cart_id) + _lines_page_of(request)
            try:
                cart = selectors.cart_get_for(request.user, cart_id, action=action)
                result = perform(request, cart, **kwargs)
            except LineConflict as error:  # a stale edit of a line someone else changed
                return _conflict_page(request, cart_id, error)
            except DomainError as error:
                return back_with_error(request, error, fallback)
            if success is not None:
                messages.success(request, success(cart, result))
            if redirect_to is not None:
                return redirect(redirect_to(request, cart, result))
            return redirect(safe_next(request, fallback))

        return view

    return decorate


@_cart_action(
    lambda cart, _result: _("Saved the name and note of “%(cart)s”.") % {"cart": cart.name}
)
def cart_update_view(request: HttpRequest, cart: Cart) -> Cart:
    return services.cart_update(
        cart=cart,
        actor=request.user,
        name=request.POST.get("name"),  # a field left out stays as it is
        note=request.POST.get("note"),
        expected_version=_version(request),
    )


def _item_changed(cart: Cart, result: tuple[CartItem, bool]) -> str:
    item, note_saved = result
    if note_saved:
        text = _("%(product)s: note saved.") if item.note else _("%(product)s: note removed.")
        return text % {"product": item.product.name}
    return _("%(product)s: quantity is now %(quantity)s.") % {
        "product": item.product.name,
        "quantity": number_format(item.quantity),
    }


@_cart_action(_item_changed)
def cart_item_update_view(request: HttpRequest, cart: Cart, item_id: int) -> tuple[CartItem, bool]:
    """The quantity form, or the note form (a field left out stays as it is)."""
    note = request.POST.get("note")
    item = services.cart_item_update(
        cart=cart,
        actor=request.user,
        item_id=item_id,
        quantity=request.POST.get("quantity", "" if note is None else None),
        note=note,
        expected_version=_version(request),
    )
    return item, note is not None


def _item_removed(cart: Cart, name: str) -> str:
    if not name:
        return _("Removed the item from “%(cart)s”.") % {"cart": cart.name}
    return _("Removed %(product)s from “%(cart)s”.") % {"product": name, "cart": cart.name}


@_cart_action(_item_removed)
def cart_item_remove_view(request: HttpRequest, cart: Cart, item_id: int) -> str:
    name = next((item.product.name for item in cart.items.all() if item.pk == item_id), "")
    services.cart_item_remove(
        cart=cart, actor=request.user, item_id=item_id, expected_version=_version(request)
    )
    return name


@_cart_action(lambda cart, _result: _("“%(cart)s” is empty now.") % {"cart": cart.name})
def cart_clear_view(request: HttpRequest, cart: Cart) -> None:
    services.cart_clear(cart=cart, actor=request.user, expected_version=_version(request))


@_cart_action(
    lambda cart, copy: (
        _("Copied “%(cart)s” to your new cart “%(copy)s”.") % {"cart": cart.name, "copy": copy.name}
    ),
    redirect_to=lambda request, cart, copy: _cart_url(copy.pk),
)
def cart_duplicate_view(request: HttpRequest, cart: Cart) -> Cart:
    return services.cart_duplicate(cart=cart, actor=request.user)


@_cart_action(
    lambda cart, _result: _("Deleted the cart “%(cart)s”.") % {"cart": cart.name},
    redirect_to=lambda request, cart, _result: reverse("storefront:cart_list"),
)
def cart_delete_view(request: HttpRequest, cart: Cart) -> None:
    services.cart_delete(cart=cart, actor=request.user)


@_cart_action(
    lambda cart, _result: (
        _("“%(cart)s” is now your active cart: products you add go there.") % {"cart": cart.name}
    )
)
def cart_activate_view(request: HttpRequest, cart: Cart) -> None:
    """Read-only and ordered carts are refused by the service (a message on the page)."""
    services.cart_activate(cart=cart, actor=request.user)
