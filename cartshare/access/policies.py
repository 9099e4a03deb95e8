"""The one place that decides who may do what with a cart, for pages and API alike (spec §3-§5).

Two halves, as in Wagtail's permission policies: per-object answers (`access_level`, `can`,
`ensure_can`, `allowed_actions`, and the questions about links, grants, comments and carts to
delete or fill) and queryset scopes that answer the same questions for many rows in one query
(`carts_visible_to`, `carts_allowing`, `people_allowed`, `grants_that_count`, `colleagues_of`,
`orders_visible_to`).
Both halves read the same table, `ALLOWED_ACTIONS`, so they cannot disagree.

This module imports models only: the services and selectors of every app call down into it,
and a new level, action or rule is added here and nowhere else (docs/architecture.md).
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum
from typing import TYPE_CHECKING, TypeAlias, TypeGuard

from django.contrib.auth.models import AnonymousUser
from django.db.models import F, OuterRef, Q, QuerySet, Subquery
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cartshare.accounts.models import BusinessUnit, CompanyUser, Customer
from cartshare.activity.models import ACCESS_REQUEST_VERBS, CartActivity
from cartshare.carts.models import Cart, CartItem, CartStatus
from cartshare.common.errors import (
    Conflict,
    DomainError,
    ErrorCode,
    InvalidInput,
    LoginRequired,
    NotFound,
    PermissionDenied,
)
from cartshare.orders.models import Order
from cartshare.sharing.models import (
    ACCESS_REQUEST_CLOSED_MESSAGES,
    AccessLevel,
    AccessRequest,
    AccessRequestStatus,
    CartShare,
    ShareLink,
    ShareOption,
    SharePermission,
    level_word,
    levels_choice_message,
)

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    from cartshare.comments.models import Comment

Actor: TypeAlias = Customer | AnonymousUser
"""Whoever asks: a customer, or an anonymous visitor (request.user, possibly lazy)."""


class CartAction(StrEnum):
    VIEW = "view"
    SEE_DETAILS = "see_details"  # the note, the owner's identity, whether it is my active cart
    COMMENT = "comment"  # also: read the comments and the activity log
    EDIT = "edit"  # change any line, rename, write the cart's note, clear
    ADD_ITEMS = "add_items"  # add products (a SKU already in the cart raises its line)
    CHANGE_OWN_ITEMS = "change_own_items"  # the lines one added: quantity, note, remove
    ORDER = "order"
    SHARE = "share"  # grant access, create links, change a link's expiry
    UNSHARE = "unshare"  # take access away: remove or lower grants (also once ordered)
    MANAGE_LINKS = "manage_links"  # list and revoke links (also once ordered)
    DELETE = "delete"
    DISMISS = "dismiss"
    ACTIVATE = "activate"
    SEE_SHARING = "see_sharing"
    # The cart's access requests and their entries in the activity log: whoever answers them
    # (manages the cart's sharing). Also once ordered: declining still works there.
    SEE_ACCESS_REQUESTS = "see_access_requests"


_READER = frozenset(
    {
        CartAction.VIEW,
        CartAction.SEE_DETAILS,
        CartAction.COMMENT,
        CartAction.DISMISS,
    }
)
ALLOWED_ACTIONS: dict[AccessLevel, frozenset[CartAction]] = {
    AccessLevel.OWNER: frozenset(
        {
            CartAction.VIEW,
            CartAction.SEE_DETAILS,
            CartAction.COMMENT,
            CartAction.EDIT,
            CartAction.ADD_ITEMS,
            CartAction.CHANGE_OWN_ITEMS,
            CartAction.ORDER,
            CartAction.SHARE,
            CartAction.UNSHARE,
            CartAction.MANAGE_LINKS,
            CartAction.DELETE,
            CartAction.ACTIVATE,
            CartAction.SEE_SHARING,
            CartAction.SEE_ACCESS_REQUESTS,
        }
    ),
    # ACTIVATE goes with ADD_ITEMS: the active cart is the one "add to cart" fills (spec §2).
    AccessLevel.FULL_ACCESS: _READER
    | {
        CartAction.EDIT,
        CartAction.ADD_ITEMS,
        CartAction.CHANGE_OWN_ITEMS,
        CartAction.ORDER,
        CartAction.ACTIVATE,
    },
    # Contributors add, and change or remove only the lines they added (`can_change_item`);
    # no rename, cart note, clear, checkout, share or delete (spec §10).
    AccessLevel.CONTRIBUTOR: _READER
    | {CartAction.ADD_ITEMS, CartAction.CHANGE_OWN_ITEMS, CartAction.ACTIVATE},
    AccessLevel.READ_ONLY: _READER,
    AccessLevel.PREVIEW: frozenset({CartAction.VIEW}),
}

# Actions that change the cart or give access to it, or would make it the target of "add to
# cart"; an ORDERED cart is frozen against all of them (it still shows, read-only, with its
# sharing, and access to it can still be taken away).
FROZEN_WHEN_ORDERED = frozenset(
    {
        CartAction.EDIT,
        CartAction.ADD_ITEMS,
        CartAction.CHANGE_OWN_ITEMS,
        CartAction.ORDER,
        CartAction.SHARE,
        CartAction.ACTIVATE,
    }
)

# "Never lower": a level outranks those before it.
LEVEL_ORDER: tuple[AccessLevel, ...] = (
    AccessLevel.PREVIEW,
    AccessLevel.READ_ONLY,
    AccessLevel.CONTRIBUTOR,
    AccessLevel.FULL_ACCESS,
    AccessLevel.OWNER,
)

LEVEL_DESCRIPTIONS: dict[AccessLevel, StrOrPromise] = {
    AccessLevel.OWNER: gettext_lazy("You own this cart: you can do everything with it."),
    AccessLevel.FULL_ACCESS: (
        gettext_lazy(
            "You have full access: you can view, change items, rename, write the note, comment and "
            "place the order, but not share or delete the cart."
        )
    ),
    AccessLevel.CONTRIBUTOR: (
        gettext_lazy(
            "You are a contributor: you can view this cart, comment, add items, and change or "
            "remove the items you added, but not rename it, change others' items or place the "
            "order."
        )
    ),
    AccessLevel.READ_ONLY: (
        gettext_lazy(
            "Your access is read-only: you can view this cart and comment on it, but not change it."
        )
    ),
    AccessLevel.PREVIEW: gettext_lazy("This is a preview: you can view the items and totals only."),
}
# What the accept page of an internal link promises for the level the visitor will have.
LEVEL_PROMISES: dict[AccessLevel, StrOrPromise] = {
    AccessLevel.OWNER: gettext_lazy("You own this cart."),
    AccessLevel.FULL_ACCESS: (
        gettext_lazy(
            "With full access you can view the cart, change its items, rename it, write its note, "
            "comment and place the order."
        )
    ),
    AccessLevel.CONTRIBUTOR: (
        gettext_lazy(
            "As a contributor you can view the cart, comment on it, add items, and change or "
            "remove the items you added."
        )
    ),
    AccessLevel.READ_ONLY: gettext_lazy(
        "With read-only access you can view the cart and comment on it."
    ),
    AccessLevel.PREVIEW: gettext_lazy("You can see the items and totals."),
}
# Refusals whose reason is not the level in general but who the caller is.
_OWNER_REFUSALS = {
    CartAction.DISMISS: (
        gettext_lazy(
            "You own this cart, so you cannot dismiss it. Stop sharing it on its share page, "
            "or delete it."
        )
    ),
}
_ACTION_REFUSALS = {
    CartAction.MANAGE_LINKS: gettext_lazy("Only the cart's owner can manage its share links."),
    CartAction.SHARE: gettext_lazy("Only the cart's owner can share it."),
    CartAction.UNSHARE: gettext_lazy("Only the cart's owner can change whom it is shared with."),
}
_FROZEN_REFUSALS = {
    CartAction.ORDER: gettext_lazy(
        "This cart has already been ordered; it cannot be ordered again."
    ),
}
FROZEN_MESSAGE = gettext_lazy("This cart has been ordered and can no longer be changed.")
CART_NOT_FOUND = gettext_lazy("This cart does not exist or is not shared with you.")
LAST_CART_MESSAGE = gettext_lazy(
    "You cannot delete your last cart: every customer keeps at least one."
)

_CACHE_ATTRIBUTE = "_access_levels"


# --- Levels -------------------------------------------------------------------------------------


def _is_customer(actor: Actor | None) -> TypeGuard[Customer]:
    """An active, logged-in customer (not anonymous, not a deactivated account)."""
    return isinstance(actor, Customer) and actor.is_active


def level_rank(level: AccessLevel | str) -> int:
    return LEVEL_ORDER.index(AccessLevel(level))


def level_higher(first: AccessLevel | None, second: AccessLevel) -> AccessLevel:
    """The higher of two levels (None: no level at all)."""
    if first is None or level_rank(second) > level_rank(first):
        return second
    return first


def level_allows(level: AccessLevel | None, action: CartAction) -> bool:
    """What a level allows in general, whatever the cart's state."""
    return level is not None and action in ALLOWED_ACTIONS[level]


def levels_allowing(action: CartAction) -> frozenset[AccessLevel]:
    return frozenset(level for level, actions in ALLOWED_ACTIONS.items() if action in actions)


# --- Queryset scopes ----------------------------------------------------------------------------


def grants_that_count() -> QuerySet[CartShare]:
    """Grants that give access now: the grantee's company user and account are active and in
    the owner's (active) business unit. Others stay in the table, inert (they count again if
    the grantee comes back), until the owner removes them."""
    return CartShare.objects.filter(
        company_user__is_active=True,
        company_user__customer__is_active=True,
        cart__owner__company_user__is_active=True,
        cart__owner__company_user__business_unit_id=F("company_user__business_unit_id"),
    )


def grants_of(actor: Actor) -> QuerySet[CartShare]:
    """The grants that count for `actor` (none for anonymous or inactive callers)."""
    if not _is_customer(actor):
        return CartShare.objects.none()
    return grants_that_count().filter(company_user__customer_id=actor.pk)


def carts_visible_to(actor: Actor) -> QuerySet[Cart]:
    """Every cart the actor can see without a link: their own and those validly shared."""
    return carts_allowing(actor, CartAction.VIEW)


def carts_allowing(actor: Actor, action: CartAction) -> QuerySet[Cart]:
    """The carts on which `actor` may do `action` now, in one query: the scope twin of `can`."""
    if not _is_customer(actor):
        return Cart.objects.none()
    levels = levels_allowing(action)
    condition = Q(pk__in=[])
    if AccessLevel.OWNER in levels:
        condition |= Q(owner_id=actor.pk)
    grant_levels = [level.value for level in levels if level.value in SharePermission.values]
    if grant_levels:
        grants = grants_of(actor).filter(permission__in=grant_levels)
        condition |= Q(pk__in=grants.values("cart_id"))
    carts = Cart.objects.filter(condition)
    if action in FROZEN_WHEN_ORDERED:
        carts = carts.filter(status=CartStatus.OPEN)
    return carts


def colleagues_of(customer: Actor | None) -> QuerySet[CompanyUser]:
    """Active company users (with active accounts) of the customer's business unit, not the
    customer: whom a cart can be shared with. Empty for B2C customers and for those whose own
    company user is deactivated."""
    if customer is None or not _is_customer(customer):
        return CompanyUser.objects.none()
    return (
        CompanyUser.objects.filter(
            is_active=True,
            customer__is_active=True,
            business_unit__company_users__customer_id=customer.pk,
            business_unit__company_users__is_active=True,
        )
        .exclude(customer_id=customer.pk)
        .select_related("customer")
        .order_by("customer__name", "pk")
    )


def people_allowed(cart: Cart, action: CartAction) -> QuerySet[Customer]:
    """Everyone who may do `action` on `cart` now, in one query: the scope twin of `can` for one
    cart and many people. Whom to tell about a cart (notifications) is this scope, so that nobody
    hears about a cart they cannot open."""
    if cart.is_ordered and action in FROZEN_WHEN_ORDERED:
        return Customer.objects.none()
    levels = levels_allowing(action)
    condition = Q(pk__in=[])
    if AccessLevel.OWNER in levels:
        condition |= Q(pk=cart.owner_id)
    grant_levels = [level.value for level in levels if level.value in SharePermission.values]
    if grant_levels:
        grants = grants_that_count().filter(cart_id=cart.pk, permission__in=grant_levels)
        condition |= Q(pk__in=grants.values("company_user__customer_id"))
    return Customer.objects.filter(condition, is_active=True)


def invitation_refusal(owner: Customer, option: ShareOption, address: str) -> str | None:
    """Why `owner` may not e-mail a link of `option` to `address` (None: they may). The preview
    goes to any address; an internal link only to an active colleague of the owner's unit."""
    if option == ShareOption.PREVIEW:
        return None
    if colleagues_of(owner).filter(customer__email__iexact=address).exists():
        return None
    return _(
        "An internal link can only be sent to active colleagues of your business unit; "
        "%(address)s is not one. Send the preview link instead."
    ) % {"address": address}


def is_own_order(actor: Actor | None, order: Order) -> bool:
    """Whether the order was placed from one of the actor's own carts."""
    return actor is not None and order.owner_id == actor.pk


def orders_visible_to(actor: Actor | None) -> QuerySet[Order]:
    """Orders the actor placed and orders placed from the actor's carts."""
    if actor is None or not _is_customer(actor):
        return Order.objects.none()
    return Order.objects.filter(Q(placed_by_id=actor.pk) | Q(owner_id=actor.pk))


def grants_managed_by(actor: Actor) -> QuerySet[CartShare]:
    """Grants the actor may act on: those of their carts (to change or end) and their own (to
    dismiss)."""
    if not _is_customer(actor):
        return CartShare.objects.none()
    return CartShare.objects.filter(
        Q(cart__owner_id=actor.pk) | Q(company_user__customer_id=actor.pk)
    )


# --- The activity log --------------------------------------------------------------------------


def _activity_rows_seen(level: AccessLevel | None, actor_id: int | None) -> Q:
    """The rows of a cart's log whose change `level` (and the person `actor_id`) is shown: every
    row, but the entries of access requests only to SEE_ACCESS_REQUESTS, and to the requester
    their own (`details.requester_id`: a JSON key, compared as a number on SQLite and
    PostgreSQL alike)."""
    if level_allows(level, CartAction.SEE_ACCESS_REQUESTS):
        return Q()
    seen = ~Q(verb__in=sorted(ACCESS_REQUEST_VERBS))
    if actor_id is not None:
        seen |= Q(details__requester_id=actor_id)
    return seen


def activity_row_seen(
    level: AccessLevel | None, actor_id: int | None, verb: str, details: object
) -> bool:
    """`_activity_rows_seen` for one row already read (a live stream's catch-up): the same rule
    in Python, so that a stream wakes its client only for what it would show."""
    if verb not in ACCESS_REQUEST_VERBS or level_allows(level, CartAction.SEE_ACCESS_REQUESTS):
        return True
    requester = details.get("requester_id") if isinstance(details, dict) else None
    return actor_id is not None and requester == actor_id


def activities_visible_to(actor: Actor | None, cart: Cart) -> QuerySet[CartActivity]:
    """The entries of the cart's activity log the actor may read, newest first, actors joined:
    none without COMMENT (previews never read the log), and the access requests' entries only
    with SEE_ACCESS_REQUESTS (or their own). Pages and API read the log through this alone."""
    if not can(actor, CartAction.COMMENT, cart):
        return CartActivity.objects.none()
    level = access_level(actor, cart)
    return (
        CartActivity.objects.filter(_activity_rows_seen(level, actor.pk if actor else None))
        .filter(cart_id=cart.pk)
        .select_related("actor")
        .order_by("-created_at", "-id")
    )


def activities_changing_view_of(
    level: AccessLevel | None, actor_id: int | None, cart: Cart
) -> QuerySet[CartActivity]:
    """The cart's rows whose change a view at `level` shows (a preview too, which reads no log
    but shows the items): what a page's ETag counts (storefront/live_pages.py)."""
    return CartActivity.objects.filter(_activity_rows_seen(level, actor_id)).filter(cart_id=cart.pk)


# --- Per object ---------------------------------------------------------------------------------


def grant_level_for(actor: Actor, cart: Cart) -> AccessLevel | None:
    """The level a grant that counts gives `actor` on `cart`, or None."""
    permission = grants_of(actor).filter(cart_id=cart.pk).values_list("permission", flat=True)
    found = permission.first()
    return AccessLevel(found) if found else None


def remember_access_level(actor: Actor, cart: Cart, level: AccessLevel | None) -> None:
    """Selectors that already computed the level in their query store it here (no extra query)."""
    cache = cart.__dict__.setdefault(_CACHE_ATTRIBUTE, {})
    cache[actor.pk] = level


def access_level(actor: Actor | None, cart: Cart) -> AccessLevel | None:
    """The caller's level on the cart, or None when they cannot see it at all."""
    if actor is None or not _is_customer(actor):
        return None
    if cart.owner_id == actor.pk:
        return AccessLevel.OWNER
    cache = cart.__dict__.setdefault(_CACHE_ATTRIBUTE, {})
    if actor.pk not in cache:
        cache[actor.pk] = grant_level_for(actor, cart)
    level: AccessLevel | None = cache[actor.pk]
    return level


def is_owner(actor: Actor | None, cart: Cart) -> bool:
    return access_level(actor, cart) == AccessLevel.OWNER


def owns(actor: Actor | None, cart: Cart) -> bool:
    """Ownership alone, without looking up a grant (no query): for labels over many carts."""
    return actor is not None and _is_customer(actor) and cart.owner_id == actor.pk


def can(actor: Actor | None, action: CartAction, cart: Cart) -> bool:
    level = access_level(actor, cart)
    if not level_allows(level, action):
        return False
    return not (cart.is_ordered and action in FROZEN_WHEN_ORDERED)


def ensure_can(actor: Actor | None, action: CartAction, cart: Cart) -> AccessLevel:
    """Raise NotFound (cannot see), PermissionDenied (level too low) or Conflict (ordered)."""
    level = access_level(actor, cart)
    if level is None:
        raise NotFound(CART_NOT_FOUND)
    if action not in ALLOWED_ACTIONS[level]:
        if level == AccessLevel.OWNER and action in _OWNER_REFUSALS:
            raise PermissionDenied(_OWNER_REFUSALS[action])
        raise PermissionDenied(_ACTION_REFUSALS.get(action, LEVEL_DESCRIPTIONS[level]))
    if cart.is_ordered and action in FROZEN_WHEN_ORDERED:
        raise Conflict(_FROZEN_REFUSALS.get(action, FROZEN_MESSAGE), code=ErrorCode.CART_ORDERED)
    return level


def ensure_customer_can(actor: Actor | None, action: CartAction, cart: Cart) -> Customer:
    """`ensure_can`, returning the actor as the customer they are: only a logged-in customer
    has a level on a cart, so whoever may act is one (for services that record who acted)."""
    ensure_can(actor, action, cart)
    if not _is_customer(actor):  # access_level gave no level to anybody else
        raise NotFound(CART_NOT_FOUND)
    return actor


def allowed_actions(actor: Actor | None, cart: Cart) -> frozenset[CartAction]:
    """Everything the caller may do now: what templates use to show or hide controls."""
    return frozenset(action for action in CartAction if can(actor, action, cart))


def can_fill(actor: Actor | None, cart: Cart) -> bool:
    """Whether "add to cart" may go into this cart: what an active cart must be (spec §2: an
    open cart the caller may add to, never a read-only or ordered one)."""
    return can(actor, CartAction.ACTIVATE, cart)


def level_fills(level: AccessLevel | None, cart: Cart) -> bool:
    """Whether `level` on `cart` would let "add to cart" fill it (for pages that promise it
    before the level is given, such as a link's accept page)."""
    return level_allows(level, CartAction.ACTIVATE) and not cart.is_ordered


def fill_refusal(actor: Actor | None, cart: Cart) -> str | None:
    """Why this cart cannot be the caller's active cart ("add to cart" cannot fill it), or None
    when it can."""
    if can_fill(actor, cart):
        return None
    if cart.is_ordered:
        return _(
            "“%(cart)s” has been ordered, so “Add to cart” cannot fill it: "
            "it cannot be your active cart."
        ) % {"cart": cart.name}
    return _(
        "Your access to “%(cart)s” is read-only, so “Add to cart” cannot fill it: "
        "it cannot be your active cart. Ask its owner for full access."
    ) % {"cart": cart.name}


def ensure_can_activate(actor: Actor | None, cart: Cart) -> Customer:
    """Anyone who can see the cart may ask to make it active (NotFound for everybody else);
    a cart they cannot fill is refused with Conflict and the reason (read-only, ordered)."""
    customer = ensure_customer_can(actor, CartAction.VIEW, cart)
    refusal = fill_refusal(customer, cart)
    if refusal is not None:
        code = ErrorCode.CART_ORDERED if cart.is_ordered else ErrorCode.CART_NOT_FILLABLE
        raise Conflict(refusal, code=code)
    return customer


def own_cart_count(owner_id: int) -> int:
    return Cart.objects.filter(owner_id=owner_id).count()


def ensure_can_delete(actor: Actor | None, cart: Cart, *, own_carts: int | None = None) -> None:
    """Only the owner deletes, and never their last own cart. `own_carts`: the owner's cart
    count when the caller has counted (and locked) them already."""
    ensure_can(actor, CartAction.DELETE, cart)
    if (own_carts if own_carts is not None else own_cart_count(cart.owner_id)) <= 1:
        raise Conflict(LAST_CART_MESSAGE, code=ErrorCode.LAST_CART)


def can_delete(actor: Actor | None, cart: Cart, *, own_carts: int | None = None) -> bool:
    try:
        ensure_can_delete(actor, cart, own_carts=own_carts)
    except (NotFound, PermissionDenied, Conflict):
        return False
    return True


# --- Items ---------------------------------------------------------------------------------------

ITEM_NOT_THEIRS = gettext_lazy(
    "As a contributor you can change or remove only the items you added; "
    "this one was added by someone else."
)


def can_change_item(actor: Actor | None, cart: Cart, item: CartItem) -> bool:
    """Change the quantity (or note) of a line, or remove it: anyone who may EDIT the cart;
    a contributor only the lines they added (spec §10). No query (the level is cached)."""
    if can(actor, CartAction.EDIT, cart):
        return True
    return (
        can(actor, CartAction.CHANGE_OWN_ITEMS, cart)
        and actor is not None
        and item.added_by_id is not None
        and item.added_by_id == actor.pk
    )


def ensure_can_change_item(actor: Actor | None, cart: Cart, item: CartItem) -> Customer:
    """NotFound, PermissionDenied (level, or someone else's line) or Conflict (ordered)."""
    customer = ensure_customer_can(actor, CartAction.CHANGE_OWN_ITEMS, cart)
    if not can_change_item(customer, cart, item):
        raise PermissionDenied(ITEM_NOT_THEIRS)
    return customer


def items_changeable_by(actor: Actor | None, cart: Cart, items: Iterable[CartItem]) -> set[int]:
    """The ids of the lines the caller may change or remove (what the cart page offers)."""
    return {item.pk for item in items if can_change_item(actor, cart, item)}


# --- The back office ----------------------------------------------------------------------------


def can_revoke_links_in_back_office(actor: Actor | None) -> bool:
    """Active staff with the change permission on share links revoke any link (a link posted
    somewhere it should not be, an owner who cannot be reached): the back office's one power
    over sharing; grants stay the owner's."""
    return (
        _is_customer(actor)
        and actor.is_active
        and actor.is_staff
        and actor.has_perm("sharing.change_sharelink")
    )


def ensure_can_revoke_links_in_back_office(actor: Actor | None) -> Customer:
    if not can_revoke_links_in_back_office(actor):
        raise PermissionDenied(_("Only staff allowed to change share links may revoke them."))
    assert _is_customer(actor)
    return actor


# --- Comments -----------------------------------------------------------------------------------


def can_edit_comment(actor: Actor | None, comment: Comment, cart: Cart) -> bool:
    """Authors edit their own comments while they may still take part in the discussion."""
    return (
        actor is not None and comment.author_id == actor.pk and can(actor, CartAction.COMMENT, cart)
    )


def can_delete_comment(actor: Actor | None, comment: Comment, cart: Cart) -> bool:
    """Authors delete their own comments; the cart's owner deletes any."""
    if actor is None or not can(actor, CartAction.COMMENT, cart):
        return False
    return comment.author_id == actor.pk or is_owner(actor, cart)


def ensure_can_edit_comment(actor: Actor | None, comment: Comment, cart: Cart) -> None:
    ensure_can(actor, CartAction.COMMENT, cart)
    if not can_edit_comment(actor, comment, cart):
        raise PermissionDenied(_("Only its author can edit a comment."))


def ensure_can_delete_comment(actor: Actor | None, comment: Comment, cart: Cart) -> None:
    ensure_can(actor, CartAction.COMMENT, cart)
    if not can_delete_comment(actor, comment, cart):
        raise PermissionDenied(
            _("You can delete your own comments; the cart's owner can delete any.")
        )


# --- Grants -------------------------------------------------------------------------------------


class GrantRole(StrEnum):
    OWNER = "owner"  # may change or end it
    GRANTEE = "grantee"  # may dismiss it


GRANT_NOT_FOUND = gettext_lazy("This grant does not exist or is not yours.")


def grant_role(actor: Actor | None, share: CartShare) -> GrantRole:
    """How `actor` stands to a grant; NotFound for anyone else (reveals nothing)."""
    if actor is not None and _is_customer(actor):
        if share.cart.owner_id == actor.pk:
            return GrantRole.OWNER
        if share.company_user.customer_id == actor.pk:
            return GrantRole.GRANTEE
    raise NotFound(GRANT_NOT_FOUND)


def ensure_can_change_grants(actor: Actor | None, cart: Cart, *, gives_access: bool) -> AccessLevel:
    """Giving or raising access is SHARE (not on an ordered cart); removing or lowering it is
    UNSHARE, always possible for the owner: taking access away must always work."""
    return ensure_can(actor, CartAction.SHARE if gives_access else CartAction.UNSHARE, cart)


def grant_gives_more(old: SharePermission | str | None, new: SharePermission | str | None) -> bool:
    """Whether changing a grant from `old` to `new` (None: none) gives more access."""
    if new is None:
        return False
    return old is None or level_rank(new) > level_rank(old)


def grant_after_accepting(
    current: SharePermission | str | None, offered: SharePermission | str
) -> SharePermission:
    """Accepting a link creates the grant or raises it, never lowers it."""
    if current is not None and level_rank(current) >= level_rank(offered):
        return SharePermission(current)
    return SharePermission(offered)


# --- Share links --------------------------------------------------------------------------------


def _company_user_of(customer: Customer) -> CompanyUser | None:
    try:
        company_user: CompanyUser = customer.company_user
    except CompanyUser.DoesNotExist:
        return None
    return company_user


def business_unit_of(customer: Actor | None) -> BusinessUnit | None:
    """The active business unit of a customer, or None (B2C, deactivated, anonymous)."""
    if not isinstance(customer, Customer):
        return None
    company_user = _company_user_of(customer)
    return company_user.business_unit if company_user and company_user.is_active else None


def share_options_for(owner: Customer) -> list[ShareOption]:
    """The link options an owner may use: B2C owners (and owners whose company user is
    deactivated) get PREVIEW only."""
    if business_unit_of(owner) is None:
        return [ShareOption.PREVIEW]
    return [
        ShareOption.PREVIEW,
        ShareOption.READ_ONLY,
        ShareOption.CONTRIBUTOR,
        ShareOption.FULL_ACCESS,
    ]


def ensure_share_option_allowed(owner: Customer, option: ShareOption) -> None:
    if option not in share_options_for(owner):
        message = _(
            "Read-only, contributor and full-access links are for company users' colleagues; "
            "you can share a preview link."
        )
        raise InvalidInput(message, errors={"share_option": [message]})


def _colleague_grant(actor: Customer, cart: Cart) -> tuple[bool, AccessLevel | None]:
    """In one query: is `actor` an active colleague of the cart's owner (same active business
    unit), and which level does their grant give (a grant of a colleague always counts)?"""
    grant = CartShare.objects.filter(cart_id=cart.pk, company_user_id=OuterRef("pk"))
    row = (
        CompanyUser.objects.filter(
            customer_id=actor.pk,
            is_active=True,
            customer__is_active=True,
            business_unit__company_users__customer_id=cart.owner_id,
            business_unit__company_users__is_active=True,
        )
        .annotate(grant=Subquery(grant.values("permission")[:1]))
        .values_list("pk", "grant")
        .first()
    )
    if row is None:
        return False, None
    return True, AccessLevel(row[1]) if row[1] else None


def link_access_level(actor: Actor | None, link: ShareLink) -> AccessLevel | None:
    """The level opening `link` gives `actor` before any accepting, or None when it gives none.
    A preview link gives PREVIEW to anyone, logged in or not. An internal link gives the owner
    OWNER and an active colleague of the owner's (current, active) business unit the link's
    level; nobody else gets anything. Validity (revoked, expired, cart deleted) is checked
    before, when the link is resolved."""
    if link.share_option == ShareOption.PREVIEW:
        return AccessLevel.PREVIEW
    cart = link.cart
    if cart is None or actor is None or not _is_customer(actor):
        return None
    if cart.owner_id == actor.pk:
        return AccessLevel.OWNER
    is_colleague, granted = _colleague_grant(actor, cart)
    remember_access_level(actor, cart, granted)
    return AccessLevel(link.share_option) if is_colleague else None


def link_unit_name(link: ShareLink) -> str:
    unit = business_unit_of(link.cart.owner) if link.cart is not None else None
    return unit.name if unit is not None else _("the owner's business unit")


def ensure_can_use_link(actor: Actor | None, link: ShareLink) -> AccessLevel:
    """The level `link` gives `actor`; LoginRequired for anonymous callers of an internal link,
    PermissionDenied (naming the unit, nothing about the cart) for everyone else outside it."""
    level = link_access_level(actor, link)
    if level is not None:
        return level
    unit = link_unit_name(link)
    if actor is None or not actor.is_authenticated:
        raise LoginRequired(
            _("This link is for colleagues in %(unit)s. Log in to open it.") % {"unit": unit}
        )
    raise PermissionDenied(
        _("This link is for colleagues in %(unit)s. Log in with another account.") % {"unit": unit},
        code=ErrorCode.LINK_OTHER_UNIT,
    )


def level_once_accepted(
    *, link: ShareLink, offered: AccessLevel, current: AccessLevel | None, cart: Cart
) -> AccessLevel:
    """The level a visitor has once they accept `link`, which is how they see the cart through
    it: PREVIEW for a preview link; for an internal one the owner stays OWNER and a grant is
    raised, never lowered. An ordered cart gets no new grants, so it shows READ_ONLY to a
    colleague without one."""
    if not link.is_internal:
        return AccessLevel.PREVIEW
    if AccessLevel.OWNER in (current, offered):
        return AccessLevel.OWNER
    if cart.is_ordered:
        return current or AccessLevel.READ_ONLY
    return level_higher(current, offered)


NO_CARD = gettext_lazy("This link has no preview card: colleagues log in to open it.")


def link_unfurls(link: ShareLink) -> bool:
    """Whether a link's card (its image, and the cart's name, item count and total in the
    preview's meta tags, which chats and social networks show) may be shown to anyone who has
    the link: only when the link shows the cart to anyone, a preview link. An internal link
    unfurls as the log-in page."""
    return link_access_level(None, link) is not None


def ensure_link_unfurls(link: ShareLink) -> None:
    """NotFound for the card of a link that does not unfurl (`link_unfurls`)."""
    if not link_unfurls(link):
        raise NotFound(NO_CARD)


def link_waiting_shown_to(actor: Actor | None, link: ShareLink) -> bool:
    """Whether the log-in page reached from `link` may tell `actor` what waits behind it: who
    shares which cart, and with which unit (never its items, its note or its totals). Only to
    an anonymous visitor who has just opened the usable link in this browser (the caller checks
    both): holding the token is what entitles them to the cart's name and its owner's; the
    internal link's refusal already names the unit. Anyone logged in is sent on to the link."""
    return link.cart is not None and (actor is None or not actor.is_authenticated)


# --- Access requests (spec §11) -----------------------------------------------------------------

ACCESS_REQUEST_NOT_FOUND = gettext_lazy("This access request does not exist or is not yours.")


def grant_levels() -> list[SharePermission]:
    """The levels a grant can give, lowest first (a new grant level slots in by LEVEL_ORDER)."""
    return sorted(SharePermission, key=level_rank)


def access_request_levels(actor: Actor | None, cart: Cart) -> list[SharePermission]:
    """The grant levels above the caller's current one on `cart`: what they may ask for (the
    refusal rules are `access_request_refusal`)."""
    current = access_level(actor, cart)
    return [
        level
        for level in grant_levels()
        if current is None or level_rank(level) > level_rank(current)
    ]


def access_request_refusal(
    actor: Actor | None,
    cart: Cart,
    permission: SharePermission | str | None = None,
    *,
    holds_link: bool = False,
) -> DomainError | None:
    """Why `actor` may not ask the owner of `cart` for `permission` (None: any level above
    theirs), or None when they may. A colleague of the owner's business unit may ask for a level
    above the one they have; someone who cannot see the cart at all may ask only when they hold
    one of its links (`holds_link`: the refusal page of a dead internal link), else the cart's
    existence is not revealed (NotFound). Whether one of theirs is pending is the service's."""
    if actor is None or not _is_customer(actor):
        return NotFound(CART_NOT_FOUND)
    current = access_level(actor, cart)
    if current is None and not holds_link:
        return NotFound(CART_NOT_FOUND)
    if current == AccessLevel.OWNER:
        message = _("You own this cart: you have every level already.")
        return InvalidInput(message, errors={"permission": [message]})
    if current is None and not _colleague_grant(actor, cart)[0]:
        unit = business_unit_of(cart.owner)
        if unit is None:
            return PermissionDenied(
                _(
                    "This cart is shared only with its owner's colleagues, and your account is "
                    "not one of them, so you cannot ask for access with it. Log in with an "
                    "account of that business unit."
                )
            )
        return PermissionDenied(
            _(
                "This cart is shared only with colleagues in %(unit)s, and your account is not "
                "one of them, so you cannot ask for access with it. Log in with an account of "
                "that business unit."
            )
            % {"unit": unit.name}
        )
    if cart.is_ordered:
        return Conflict(_("This cart has been ordered: nobody can be given access to it any more."))
    if permission is None:
        return None
    if permission not in SharePermission.values:
        message = levels_choice_message(grant_levels())
        return InvalidInput(message, errors={"permission": [message]})
    if current is not None and level_rank(current) >= level_rank(permission):
        message = _("You have %(level)s to this cart already: ask for a higher level.") % {
            "level": level_word(current)
        }
        return InvalidInput(message, errors={"permission": [message]})
    return None


def can_request_access(actor: Actor | None, cart: Cart, *, holds_link: bool = False) -> bool:
    """Whether to offer "Request access" (or "Ask for edit access") to the caller."""
    return access_request_refusal(actor, cart, holds_link=holds_link) is None and bool(
        access_request_levels(actor, cart)
    )


def can_decide_access_requests(actor: Actor | None, cart: Cart) -> bool:
    """Whether the caller answers the cart's access requests: whoever manages its sharing
    (approving also needs SHARE: `ensure_can_decide_access_request`)."""
    return can(actor, CartAction.UNSHARE, cart)


def ensure_can_request_access(
    actor: Actor | None,
    cart: Cart,
    permission: SharePermission | str,
    *,
    holds_link: bool = False,
) -> Customer:
    """`access_request_refusal` raised; the requester as the customer they are."""
    refusal = access_request_refusal(actor, cart, permission, holds_link=holds_link)
    if refusal is not None:
        raise refusal
    assert _is_customer(actor)  # access_request_refusal refused everybody else
    return actor


def access_requests_that_count() -> QuerySet[AccessRequest]:
    """Requests that are decided, or pending from someone who is still an active colleague of
    the owner's (active) unit: leaving the unit or being deactivated makes a pending request
    lapse (spec §11); it stays in the table, inert, and counts again if they come back."""
    return AccessRequest.objects.filter(
        ~Q(status=AccessRequestStatus.PENDING)
        | Q(
            requester__is_active=True,
            requester__company_user__is_active=True,
            cart__owner__company_user__is_active=True,
            cart__owner__company_user__business_unit_id=F(
                "requester__company_user__business_unit_id"
            ),
        )
    )


def access_requests_managed_by(actor: Actor) -> QuerySet[AccessRequest]:
    """Requests the actor may look at: those for their carts (to decide) and their own (to
    withdraw)."""
    if not _is_customer(actor):
        return AccessRequest.objects.none()
    return access_requests_that_count().filter(
        Q(cart__owner_id=actor.pk) | Q(requester_id=actor.pk)
    )


def access_request_is_lapsed(access_request: AccessRequest) -> bool:
    return (
        access_request.is_pending
        and not access_requests_that_count().filter(pk=access_request.pk).exists()
    )


def _ensure_sees_request(actor: Actor | None, access_request: AccessRequest) -> Customer:
    if actor is None or not _is_customer(actor):
        raise NotFound(ACCESS_REQUEST_NOT_FOUND)
    if actor.pk not in (access_request.cart.owner_id, access_request.requester_id):
        raise NotFound(ACCESS_REQUEST_NOT_FOUND)
    return actor


def _closed(access_request: AccessRequest) -> Conflict:
    status = AccessRequestStatus(access_request.status)
    message = ACCESS_REQUEST_CLOSED_MESSAGES.get(status, ACCESS_REQUEST_NOT_FOUND)
    return Conflict(message, code=ErrorCode.ACCESS_REQUEST_CLOSED)


def _ensure_pending(access_request: AccessRequest) -> None:
    if not access_request.is_pending:
        raise _closed(access_request)
    if access_request_is_lapsed(access_request):
        raise Conflict(
            _(
                "This request has lapsed: its requester is no longer an active colleague of your "
                "business unit."
            ),
            code=ErrorCode.ACCESS_REQUEST_CLOSED,
        )


def ensure_can_decide_access_request(
    actor: Actor | None, access_request: AccessRequest, *, approves: bool
) -> Customer:
    """Whoever may manage the cart's sharing answers its requests: approving gives access
    (SHARE: not on an ordered cart), declining does not (UNSHARE). The requester sees their
    request but may not answer it (PermissionDenied); everyone else NotFound. Only a pending
    request that has not lapsed can be answered (Conflict)."""
    customer = _ensure_sees_request(actor, access_request)
    if not can_decide_access_requests(customer, access_request.cart):
        raise PermissionDenied(_("Only the cart's owner can answer requests for access to it."))
    _ensure_pending(access_request)
    ensure_can_change_grants(customer, access_request.cart, gives_access=approves)
    return customer


def ensure_can_withdraw_access_request(
    actor: Actor | None, access_request: AccessRequest
) -> Customer:
    """Only the requester withdraws, while the request is pending."""
    customer = _ensure_sees_request(actor, access_request)
    if access_request.requester_id != customer.pk:
        raise PermissionDenied(_("Only the person who asked can withdraw a request; decline it."))
    if not access_request.is_pending:
        raise _closed(access_request)
    return customer
