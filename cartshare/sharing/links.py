"""Share links (spec §5): creating, revoking and renewing them, and what opening one does.

Tokens are `secrets.token_urlsafe(32)` (256 bits). The database keeps only their sha256, to find
a link, and a Fernet encryption of them, so the owner can copy the URL again. The Fernet key is
derived (HKDF-SHA256) from `CARTSHARE_LINK_KEY`, or from `SECRET_KEY` (and
`SECRET_KEY_FALLBACKS`) when that is empty. A database dump alone yields no working link;
changing the key leaves every link working but makes the owner create a new one to copy it.

Every function here works without a request: pages and API pass `base_url` themselves.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives.hashes import SHA256
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format

from cartshare.activity.services import Verb, activity_record
from cartshare.carts.models import Cart, CartItem, CartTotals
from cartshare.carts.selectors import CartLine, cart_lines
from cartshare.carts.services import cart_activate, cart_create, cart_name_free
from cartshare.common.errors import Conflict, Gone, InvalidInput, LoginRequired, NotFound
from cartshare.common.prepared import PreparedQuery
from cartshare.sharing.link_stats import link_open_record
from cartshare.sharing.models import (
    AccessLevel,
    CartShare,
    ShareLink,
    ShareLinkStats,
    ShareOption,
    SharePermission,
)
from cartshare.sharing.policies import (
    CartAction,
    access_level,
    business_unit_of,
    ensure_can,
    ensure_can_manage_links,
    ensure_can_use_link,
    remember_access_level,
)

TOKEN_BYTES = 32  # 256 bits from the OS's CSPRNG; token_urlsafe makes 43 characters of it
MAX_TOKEN_LENGTH = 128  # longer strings are not tokens: refused before hashing
SHARE_PATH = "/share/"
UNKNOWN_LINK = (
    "This link does not exist. Check that you copied all of it, or ask the person who sent it "
    "for a new one."
)
OPTION_DESCRIPTIONS = {
    ShareOption.PREVIEW: "Anyone with this link can see the items and totals, without logging in.",
    ShareOption.READ_ONLY: "Colleagues in {unit} can view this cart and comment on it.",
    ShareOption.FULL_ACCESS: "Colleagues in {unit} can change the items and place the order.",
}
MAX_EXPIRY_AHEAD = timedelta(days=366)  # one year, leap day included
_PERMISSION_RANK = {SharePermission.READ_ONLY: 1, SharePermission.FULL_ACCESS: 2}


# --- Tokens -------------------------------------------------------------------------------------


def token_new() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _link_secrets() -> tuple[str, ...]:
    dedicated = getattr(settings, "CARTSHARE_LINK_KEY", "")
    if dedicated:
        return (dedicated,)
    return (settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", []))


@lru_cache(maxsize=4)
def _fernet_for(link_secrets: tuple[str, ...]) -> MultiFernet:
    def key(secret: str) -> Fernet:
        derived = HKDF(
            algorithm=SHA256(), length=32, salt=None, info=b"cartshare share-link token"
        ).derive(secret.encode())
        return Fernet(base64.urlsafe_b64encode(derived))

    return MultiFernet([key(secret) for secret in link_secrets])


def _fernet() -> MultiFernet:
    return _fernet_for(_link_secrets())


def base_url_for(request) -> str:
    """`CARTSHARE_BASE_URL` when configured, else the scheme and host the request came to."""
    return (settings.CARTSHARE_BASE_URL or request.build_absolute_uri("/")).rstrip("/")


def share_link_url(link: ShareLink, base_url: str) -> str | None:
    """The link's absolute URL, or None when its token can no longer be decrypted (the key
    changed): the link still works for whoever has it, but the owner needs a new one to copy."""
    try:
        token = _fernet().decrypt(link.token_encrypted.encode()).decode()
    except InvalidToken:
        return None
    return f"{base_url.rstrip('/')}{SHARE_PATH}{token}"


# --- Options and expiry -------------------------------------------------------------------------


def share_option_parse(value: object) -> ShareOption:
    try:
        return ShareOption(value)
    except ValueError:
        message = "Choose PREVIEW, READ_ONLY or FULL_ACCESS."
        raise InvalidInput(message, errors={"share_option": [message]}) from None


def share_link_options_for(owner) -> list[ShareOption]:
    """B2C owners (and owners whose company user is deactivated) get PREVIEW only."""
    if business_unit_of(owner) is None:
        return [ShareOption.PREVIEW]
    return [ShareOption.PREVIEW, ShareOption.READ_ONLY, ShareOption.FULL_ACCESS]


def _expiry_check(expires_at: datetime | None) -> datetime | None:
    if expires_at is None:
        return None
    if timezone.is_naive(expires_at):
        message = "The expiry needs a time zone."
        raise InvalidInput(message, errors={"expires_at": [message]})
    if expires_at <= timezone.now():
        message = "The expiry must be in the future."
        raise InvalidInput(message, errors={"expires_at": [message]})
    if expires_at > timezone.now() + MAX_EXPIRY_AHEAD:  # compared before any time-zone change
        message = "A link can expire at most one year ahead; choose an earlier expiry."
        raise InvalidInput(message, errors={"expires_at": [message]})
    return expires_at


# --- Owner's side: create, list, revoke, renew, expiry ------------------------------------------


def _current_link(cart: Cart, option: ShareOption) -> ShareLink | None:
    return (
        ShareLink.objects.select_for_update()
        .filter(cart=cart, share_option=option, revoked_at__isnull=True)
        .first()
    )


def _link_create(*, cart: Cart, actor, option: ShareOption, expires_at) -> tuple[ShareLink, str]:
    token = token_new()
    link = ShareLink.objects.create(
        cart=cart,
        share_option=option,
        token_hash=token_hash(token),
        token_encrypted=_fernet().encrypt(token.encode()).decode(),
        created_by=actor,
        expires_at=expires_at,
    )
    ShareLinkStats.objects.create(link=link)
    return link, token


@transaction.atomic
def share_link_get_or_create(
    *,
    cart: Cart,
    actor,
    share_option: ShareOption | str,
    expires_at: datetime | None = None,
    base_url: str,
) -> tuple[ShareLink, str | None, bool]:
    """The cart's current link for the option, created if there is none: (link, url, created).
    An existing link is returned as it is (its expiry unchanged); an expired one is retired
    and replaced."""
    ensure_can(actor, CartAction.SHARE, cart)
    option = share_option_parse(share_option)
    if option not in share_link_options_for(cart.owner):
        message = (
            "Read-only and full-access links are for company users' colleagues; "
            "you can share a preview link."
        )
        raise InvalidInput(message, errors={"share_option": [message]})
    current = _current_link(cart, option)
    if current is not None and not current.is_expired():
        return current, share_link_url(current, base_url), False
    expires_at = _expiry_check(expires_at)
    if current is not None:
        ShareLink.objects.filter(pk=current.pk).update(revoked_at=current.expires_at)
    try:
        with transaction.atomic():
            link, token = _link_create(cart=cart, actor=actor, option=option, expires_at=expires_at)
    except IntegrityError:  # created concurrently: that one is the current link now
        current = ShareLink.objects.get(cart=cart, share_option=option, revoked_at__isnull=True)
        return current, share_link_url(current, base_url), False
    activity_record(
        cart=cart,
        actor=actor,
        verb=Verb.LINK_CREATED,
        share_option=option.value,
        expires_at=expires_at.isoformat() if expires_at else None,
    )
    return link, f"{base_url.rstrip('/')}{SHARE_PATH}{token}", True


def share_links_for_cart(*, cart: Cart, actor) -> list[ShareLink]:
    """All links of the cart, revoked and expired included, newest first (owner only)."""
    ensure_can_manage_links(actor, cart)
    return list(ShareLink.objects.filter(cart=cart).select_related("stats"))


def share_link_get_for(*, actor, link_id: object) -> ShareLink:
    """A link by id, for its cart's owner; NotFound for everyone else (reveals nothing)."""
    try:
        link_pk = int(str(link_id))
    except ValueError:
        link_pk = None
    link = (
        ShareLink.objects.select_related("cart__owner").filter(pk=link_pk).first()
        if link_pk is not None
        else None
    )
    if link is None or link.cart is None or access_level(actor, link.cart) is None:
        raise NotFound("This link does not exist.")
    ensure_can_manage_links(actor, link.cart)
    return link


@transaction.atomic
def share_link_revoke(*, link: ShareLink, actor) -> ShareLink:
    """Dead at once, for everyone. Revoking a revoked link changes nothing."""
    if link.cart is None:
        raise NotFound("This link does not exist.")
    ensure_can_manage_links(actor, link.cart)
    now = timezone.now()
    if ShareLink.objects.filter(pk=link.pk, revoked_at__isnull=True).update(revoked_at=now):
        link.revoked_at = now
        activity_record(
            cart=link.cart, actor=actor, verb=Verb.LINK_REVOKED, share_option=link.share_option
        )
    else:
        link.refresh_from_db(fields=["revoked_at"])
    return link


@transaction.atomic
def share_link_renew(
    *, link: ShareLink, actor, expires_at: datetime | None = None, base_url: str
) -> tuple[ShareLink, str | None]:
    """Revoke the link and create a new one for the same cart and option."""
    if link.cart is None:
        raise NotFound("This link does not exist.")
    ensure_can(actor, CartAction.SHARE, link.cart)
    _expiry_check(expires_at)
    share_link_revoke(link=link, actor=actor)
    new_link, url, _ = share_link_get_or_create(
        cart=link.cart,
        actor=actor,
        share_option=link.share_option,
        expires_at=expires_at,
        base_url=base_url,
    )
    return new_link, url


@transaction.atomic
def share_link_expiry_set(*, link: ShareLink, actor, expires_at: datetime | None) -> ShareLink:
    if link.cart is None:
        raise NotFound("This link does not exist.")
    ensure_can(actor, CartAction.SHARE, link.cart)
    expires_at = _expiry_check(expires_at)
    if not ShareLink.objects.filter(pk=link.pk, revoked_at__isnull=True).update(
        expires_at=expires_at
    ):
        raise Conflict("This link has been revoked; create a new one.")
    link.expires_at = expires_at
    return link


# --- Visitor's side: resolve, open, accept, copy ------------------------------------------------


def _link_ensure_usable(link: ShareLink, now: datetime | None = None) -> None:
    """Gone (410) for a deleted cart, a revoked or an expired link, saying whom to ask."""
    if link.cart is None:
        creator = f" Ask {link.created_by.name} if you still need it." if link.created_by else ""
        raise Gone(f"This cart is no longer available: it has been deleted.{creator}")
    owner = link.cart.owner.name
    if link.revoked_at is not None:
        raise Gone(f"This link has been turned off by {owner}. Ask {owner} for a new link.")
    if link.is_expired(now):
        when = date_format(timezone.localtime(link.expires_at), "j F Y, H:i T")
        raise Gone(f"This link expired on {when}. Ask {owner} for a new link.")


# The link with its cart and owner, compiled once (`cartshare.common.prepared`): this query is
# on the path of every link open, and compiling its three-table join took most of its time.
_link_by_hash = PreparedQuery(
    ShareLink,
    lambda hash_: ShareLink.objects.select_related("cart__owner").filter(token_hash=hash_),
    sample="0" * 64,
)


def share_link_resolve(token: object) -> ShareLink:
    """The usable link for a token: NotFound (unknown) or Gone (revoked, expired, cart deleted).
    One query (the link with its cart and owner); the link's creator is read only for a deleted
    cart's 410."""
    if not isinstance(token, str) or not 1 <= len(token) <= MAX_TOKEN_LENGTH:
        raise NotFound(UNKNOWN_LINK)
    found = _link_by_hash.instances(token_hash(token))  # the hash is unique: one row or none
    if not found:
        raise NotFound(UNKNOWN_LINK)
    link = found[0]
    _link_ensure_usable(link)
    return link


def share_link_get_usable(link_id: int) -> ShareLink:
    """The usable link with this id, with its cart and owner: NotFound or Gone as for a token.
    For a visitor who opened the link's token a moment ago: the pages keep the id (never the
    token) in their session, so the page they go on to has no token in its address."""
    link = ShareLink.objects.select_related("cart__owner").filter(pk=link_id).first()
    if link is None:
        raise NotFound(UNKNOWN_LINK)
    _link_ensure_usable(link)
    return link


@dataclass(frozen=True)
class ShareLinkVisit:
    """Who opens which link: the cart (without its items), the level the link gives the
    visitor, and the level they already have on the cart (owner, grant, or None)."""

    link: ShareLink
    cart: Cart
    level: AccessLevel
    current_level: AccessLevel | None

    @property
    def level_once_accepted(self) -> AccessLevel:
        """The level the visitor has once they accept the link, which is how they see the cart
        through it: PREVIEW for a preview link; for an internal one the owner stays OWNER and a
        grant is raised, never lowered. An ordered cart gets no new grants, so it shows
        READ_ONLY to a colleague without one."""
        if not self.link.is_internal:
            return AccessLevel.PREVIEW
        current = self.current_level
        if current == AccessLevel.OWNER or self.level == AccessLevel.OWNER:
            return AccessLevel.OWNER
        if self.cart.is_ordered:
            return current or AccessLevel.READ_ONLY
        if current is not None and _PERMISSION_RANK[current] >= _PERMISSION_RANK[self.level]:
            return current
        return self.level


@dataclass(frozen=True)
class ShareLinkOpening(ShareLinkVisit):
    """What opening a link shows: the visit, and the cart's items (as plain `CartLine` rows:
    id, sku, name, quantity, unit_price, total_price) and totals."""

    totals: CartTotals
    items: list[CartLine]


def share_link_visit(
    *, token: object = None, link: ShareLink | None = None, actor
) -> ShareLinkVisit:
    """Resolve the token (or take the usable `link` resolved already) and decide what it shows
    `actor`: NotFound, Gone, LoginRequired or PermissionDenied otherwise. Counts the open (the
    owner's own opens excepted) in ShareLinkStats, the only table a GET writes to (at once, or
    within a few seconds: see `cartshare.sharing.link_stats`). The caller reads the items
    (`share_link_open` for the page, `cart_lines` for the API)."""
    link = link if link is not None else share_link_resolve(token)
    level = ensure_can_use_link(actor, link)
    cart = link.cart
    current_level = access_level(actor, cart)
    if current_level != AccessLevel.OWNER:
        link_open_record(link.pk)
    return ShareLinkVisit(link=link, cart=cart, level=level, current_level=current_level)


def share_link_open(
    *, token: object = None, link: ShareLink | None = None, actor
) -> ShareLinkOpening:
    """`share_link_visit`, with the cart's items and totals. The items are plain rows of one
    five-column query (no model instances): this page is opened far more often than any other."""
    visit = share_link_visit(token=token, link=link, actor=actor)
    lines = cart_lines(visit.cart)
    return ShareLinkOpening(
        link=visit.link,
        cart=visit.cart,
        level=visit.level,
        current_level=visit.current_level,
        totals=CartTotals.of(lines),
        items=lines,
    )


def _grant_raise(*, cart: Cart, company_user, permission: SharePermission):
    """Create the grant or raise it to `permission`, never lower it: (new, previous)."""
    rows = CartShare.objects.select_for_update().filter(cart=cart, company_user=company_user)
    share = rows.first()
    if share is None:
        try:
            with transaction.atomic():
                CartShare.objects.create(
                    cart=cart, company_user=company_user, permission=permission
                )
            return permission, None
        except IntegrityError:  # accepted concurrently
            share = rows.get()
    previous = SharePermission(share.permission)
    if _PERMISSION_RANK[permission] > _PERMISSION_RANK[previous]:
        rows.update(permission=permission, updated_at=timezone.now())
        return permission, previous
    return previous, previous


@transaction.atomic
def share_link_accept(*, link: ShareLink, actor) -> tuple[AccessLevel, Cart]:
    """Join a cart through an internal link: the grant is created or raised (never lowered),
    the cart becomes the actor's active cart. Returns the actor's level and the cart."""
    link = (
        ShareLink.objects.select_for_update(of=("self",))
        .select_related("cart__owner", "created_by")
        .get(pk=link.pk)
    )
    _link_ensure_usable(link)
    level = ensure_can_use_link(actor, link)
    if not link.is_internal:
        raise InvalidInput(
            "A preview link needs no accepting: anyone with it can look at the cart."
        )
    cart = link.cart
    if level == AccessLevel.OWNER:
        cart_activate(cart=cart, actor=actor)
        return level, cart
    if cart.is_ordered:
        raise Conflict(
            "This cart has been ordered, so nobody can join it any more. "
            "You can still look at it through the link."
        )
    granted, previous = _grant_raise(
        cart=cart, company_user=actor.company_user, permission=SharePermission(level)
    )
    level = AccessLevel(granted)
    remember_access_level(actor, cart, level)
    cart_activate(cart=cart, actor=actor)
    activity_record(
        cart=cart,
        actor=actor,
        verb=Verb.LINK_ACCEPTED,
        share_option=link.share_option,
        permission=granted.value,
        previous=previous.value if previous else None,
    )
    return level, cart


@transaction.atomic
def share_link_copy(*, link: ShareLink, actor) -> Cart:
    """ "Copy to my cart": a new own cart of the visitor's, in the shared cart's currency, with
    the same items and quantities; it becomes their active cart."""
    if actor is None or not actor.is_authenticated:
        raise LoginRequired("Log in to copy these items into a cart of your own.")
    link = ShareLink.objects.select_related("cart__owner", "created_by").get(pk=link.pk)
    _link_ensure_usable(link)
    ensure_can_use_link(actor, link)
    source = link.cart
    items = list(CartItem.objects.filter(cart_id=source.pk).order_by("id"))
    copy = cart_create(owner=actor, name=cart_name_free(actor, f"Copy of {source.name}"))
    if copy.currency != source.currency:
        Cart.objects.filter(pk=copy.pk).update(currency=source.currency)
        copy.currency = source.currency
    CartItem.objects.bulk_create(
        CartItem(cart=copy, product_id=item.product_id, quantity=item.quantity) for item in items
    )
    activity_record(
        cart=copy, actor=actor, verb=Verb.CART_DUPLICATED, source=source.name, via="share link"
    )
    cart_activate(cart=copy, actor=actor)
    return copy


# --- The owner's Share panel --------------------------------------------------------------------


@dataclass(frozen=True)
class SharePanelRow:
    option: ShareOption
    description: str
    link: ShareLink | None
    url: str | None
    open_count: int
    last_opened_at: datetime | None
    is_expired: bool


def share_panel_rows(*, cart: Cart, actor, base_url: str) -> list[SharePanelRow]:
    """One row per option the owner may use, with its current link if any. Empty for anyone
    but the owner, so the panel can be included on the cart page unconditionally."""
    if access_level(actor, cart) != AccessLevel.OWNER:
        return []
    current = {
        link.share_option: link
        for link in ShareLink.objects.filter(cart=cart, revoked_at__isnull=True).select_related(
            "stats"
        )
    }
    unit = business_unit_of(cart.owner)
    rows = []
    for option in share_link_options_for(cart.owner):
        link = current.get(option)
        stats = getattr(link, "stats", None) if link else None
        rows.append(
            SharePanelRow(
                option=option,
                description=OPTION_DESCRIPTIONS[option].format(unit=unit.name if unit else ""),
                link=link,
                url=share_link_url(link, base_url) if link else None,
                open_count=stats.open_count if stats else 0,
                last_opened_at=stats.last_opened_at if stats else None,
                is_expired=bool(link and link.is_expired()),
            )
        )
    return rows
