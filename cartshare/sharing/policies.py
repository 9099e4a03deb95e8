"""The one place that decides who may do what with a cart, for pages and API alike (spec §3)."""

from __future__ import annotations

from enum import StrEnum

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import F

from cartshare.common.errors import Conflict, LoginRequired, NotFound, PermissionDenied
from cartshare.sharing.models import AccessLevel, CartShare, ShareOption


class CartAction(StrEnum):
    VIEW = "view"
    COMMENT = "comment"
    EDIT = "edit"
    ORDER = "order"
    SHARE = "share"
    DELETE = "delete"
    DISMISS = "dismiss"
    ACTIVATE = "activate"
    SEE_SHARING = "see_sharing"


ALLOWED_ACTIONS: dict[AccessLevel, frozenset[CartAction]] = {
    AccessLevel.OWNER: frozenset(
        {
            CartAction.VIEW,
            CartAction.COMMENT,
            CartAction.EDIT,
            CartAction.ORDER,
            CartAction.SHARE,
            CartAction.DELETE,
            CartAction.ACTIVATE,
            CartAction.SEE_SHARING,
        }
    ),
    AccessLevel.FULL_ACCESS: frozenset(
        {
            CartAction.VIEW,
            CartAction.COMMENT,
            CartAction.EDIT,
            CartAction.ORDER,
            CartAction.DISMISS,
            CartAction.ACTIVATE,
        }
    ),
    AccessLevel.READ_ONLY: frozenset(
        {CartAction.VIEW, CartAction.COMMENT, CartAction.DISMISS, CartAction.ACTIVATE}
    ),
    AccessLevel.PREVIEW: frozenset({CartAction.VIEW}),
}

# Actions that change the cart or its sharing, or would make it the target of "add to cart"; an
# ORDERED cart is frozen against all of them (it still shows, read-only, with its sharing).
FROZEN_WHEN_ORDERED = frozenset(
    {CartAction.EDIT, CartAction.ORDER, CartAction.SHARE, CartAction.ACTIVATE}
)

LEVEL_DESCRIPTIONS: dict[AccessLevel, str] = {
    AccessLevel.OWNER: "You own this cart: you can do everything with it.",
    AccessLevel.FULL_ACCESS: (
        "You have full access: you can view, change items, rename, write the note, comment and "
        "place the order, but not share or delete the cart."
    ),
    AccessLevel.READ_ONLY: (
        "Your access is read-only: you can view this cart and comment on it, but not change it."
    ),
    AccessLevel.PREVIEW: "This is a preview: you can view the items and totals only.",
}

_CACHE_ATTRIBUTE = "_access_levels"


def grant_level_for(actor, cart) -> AccessLevel | None:
    """The level a grant gives `actor`, or None. A grant counts only while both the grantee's and
    the owner's company users are active and in the same business unit."""
    permission = (
        CartShare.objects.filter(
            cart_id=cart.pk,
            company_user__customer_id=actor.pk,
            company_user__is_active=True,
            cart__owner__company_user__is_active=True,
            cart__owner__company_user__business_unit_id=F("company_user__business_unit_id"),
        )
        .values_list("permission", flat=True)
        .first()
    )
    return AccessLevel(permission) if permission else None


def remember_access_level(actor, cart, level: AccessLevel | None) -> None:
    """Selectors that already computed the level in their query store it here (no extra query)."""
    cache = cart.__dict__.setdefault(_CACHE_ATTRIBUTE, {})
    cache[actor.pk] = level


def access_level(actor, cart) -> AccessLevel | None:
    """The caller's level on the cart, or None when they cannot see it at all."""
    if actor is None or not actor.is_authenticated or not actor.is_active:
        return None
    if cart.owner_id == actor.pk:
        return AccessLevel.OWNER
    cache = cart.__dict__.setdefault(_CACHE_ATTRIBUTE, {})
    if actor.pk not in cache:
        cache[actor.pk] = grant_level_for(actor, cart)
    return cache[actor.pk]


def can(actor, action: CartAction, cart) -> bool:
    level = access_level(actor, cart)
    if level is None or action not in ALLOWED_ACTIONS[level]:
        return False
    return not (cart.is_ordered and action in FROZEN_WHEN_ORDERED)


def ensure_can(actor, action: CartAction, cart) -> AccessLevel:
    """Raise NotFound (cannot see), PermissionDenied (level too low) or Conflict (ordered)."""
    level = access_level(actor, cart)
    if level is None:
        raise NotFound("This cart does not exist or is not shared with you.")
    if action not in ALLOWED_ACTIONS[level]:
        raise PermissionDenied(LEVEL_DESCRIPTIONS[level])
    if cart.is_ordered and action in FROZEN_WHEN_ORDERED:
        raise Conflict("This cart has been ordered and can no longer be changed.")
    return level


def allowed_actions(actor, cart) -> frozenset[CartAction]:
    """Everything the caller may do now: what templates use to show or hide controls."""
    return frozenset(action for action in CartAction if can(actor, action, cart))


# --- Share links (spec §5): who may use which link ---------------------------------------------


def business_unit_of(customer):
    """The active business unit of a customer, or None (B2C, deactivated, anonymous)."""
    if customer is None or not customer.is_authenticated:
        return None
    try:
        company_user = customer.company_user
    except ObjectDoesNotExist:
        return None
    return company_user.business_unit if company_user.is_active else None


def link_access_level(actor, link) -> AccessLevel | None:
    """The level opening `link` gives `actor` before any accepting, or None when it gives none.
    A preview link gives PREVIEW to anyone, logged in or not. An internal link gives the owner
    OWNER and an active colleague of the owner's (current, active) business unit the link's
    level; nobody else gets anything. Validity (revoked, expired, cart deleted) is checked
    before, when the link is resolved."""
    if link.share_option == ShareOption.PREVIEW:
        return AccessLevel.PREVIEW
    if actor is None or not actor.is_authenticated or not actor.is_active:
        return None
    cart = link.cart
    if cart.owner_id == actor.pk:
        return AccessLevel.OWNER
    owner_unit = business_unit_of(cart.owner)
    actor_unit = business_unit_of(actor)
    if owner_unit is None or actor_unit is None or owner_unit.pk != actor_unit.pk:
        return None
    return AccessLevel(link.share_option)


def link_unit_name(link) -> str:
    owner = link.cart.owner
    try:
        return owner.company_user.business_unit.name
    except ObjectDoesNotExist:
        return "the owner's business unit"


def ensure_can_use_link(actor, link) -> AccessLevel:
    """The level `link` gives `actor`; LoginRequired for anonymous callers of an internal link,
    PermissionDenied (naming the unit, nothing about the cart) for everyone else outside it."""
    level = link_access_level(actor, link)
    if level is not None:
        return level
    unit = link_unit_name(link)
    if actor is None or not actor.is_authenticated:
        raise LoginRequired(f"This link is for colleagues in {unit}. Log in to open it.")
    raise PermissionDenied(f"This link is for colleagues in {unit}. Log in with another account.")


def ensure_can_manage_links(actor, cart) -> None:
    """Only the owner lists, revokes and changes a cart's links. Unlike creating one (SHARE),
    revoking stays possible on an ordered cart: it only takes access away."""
    level = access_level(actor, cart)
    if level is None:
        raise NotFound("This cart does not exist or is not shared with you.")
    if level != AccessLevel.OWNER:
        raise PermissionDenied("Only the cart's owner can manage its share links.")
