"""The visitor's side of share links (spec §5): resolving a token, what opening a link shows,
accepting an internal link and copying a shared cart. Who gets what is the policy's
(`cartshare.access.policies`: `ensure_can_use_link`, `level_once_accepted`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db import connections, router, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from cartshare.access.policies import (
    Actor,
    CartAction,
    access_level,
    can_fill,
    ensure_can_use_link,
    ensure_link_unfurls,
    is_owner,
    level_allows,
    level_once_accepted,
    link_unit_name,
    link_waiting_shown_to,
    remember_access_level,
)
from cartshare.accounts.models import Customer
from cartshare.activity.services import Verb, activity_record
from cartshare.carts.models import Cart, CartItem, CartTotals
from cartshare.carts.selectors import CartLine, cart_lines, cart_lines_totals
from cartshare.carts.services import cart_activate, cart_create, cart_items_copy, cart_name_free
from cartshare.common.errors import (
    CartDeleted,
    Conflict,
    DomainError,
    ErrorCode,
    Gone,
    InvalidInput,
    LoginRequired,
    NotFound,
)
from cartshare.common.rows import Columns, fetch, quote
from cartshare.notifications.services import notify_proposal_copied
from cartshare.sharing.link_stats import link_open_record
from cartshare.sharing.models import AccessLevel, ShareLink, SharePermission
from cartshare.sharing.services import cart_share_raise
from cartshare.sharing.tokens import MAX_TOKEN_LENGTH, token_hash

UNKNOWN_LINK = gettext_lazy(
    "This link does not exist. Check that you copied all of it, or ask the person who sent it "
    "for a new one."
)


def _link_ensure_usable(link: ShareLink, now: datetime | None = None) -> Cart:
    """The link's cart; Gone (410) for a deleted cart, a revoked or an expired link, saying
    whom to ask."""
    if link.cart is None:
        if link.created_by is None:
            raise CartDeleted(_("This cart is no longer available: it has been deleted."))
        raise CartDeleted(
            _(
                "This cart is no longer available: it has been deleted. Ask %(creator)s if you "
                "still need it."
            )
            % {"creator": link.created_by.name}
        )
    owner = link.cart.owner.name
    if link.revoked_at is not None:
        raise Gone(
            _("This link has been turned off by %(owner)s. Ask %(owner)s for a new link.")
            % {"owner": owner},
            code=ErrorCode.LINK_REVOKED,
        )
    if link.expires_at is not None and link.is_expired(now):
        # Translators: a moment as Django's date filter writes it ("3 December 2026, 14:05 UTC")
        when = date_format(timezone.localtime(link.expires_at), pgettext("moment", "j F Y, H:i T"))
        raise Gone(
            _("This link expired on %(date)s. Ask %(owner)s for a new link.")
            % {"date": when, "owner": owner},
            code=ErrorCode.LINK_EXPIRED,
        )
    return link.cart


# The link, its cart and the cart's owner in one query whose SQL is ours (not compiled by the
# ORM on every request: this is the most frequent read of the whole shop).
_LINK = Columns.of(
    ShareLink,
    ["id", "cart", "share_option", "created_by", "created_at", "expires_at", "revoked_at"],
)
_CART = Columns.of(
    Cart,
    ["id", "owner", "name", "note", "currency", "status", "version", "created_at", "updated_at"],
)
_OWNER = Columns.of(Customer, ["id", "email", "name", "is_active"])
_LINK_SELECT = (
    f"SELECT {_LINK.sql}, {_CART.sql}, {_OWNER.sql} "
    f"FROM {quote(ShareLink._meta.db_table)} "
    f"LEFT JOIN {quote(Cart._meta.db_table)} ON {quote(Cart._meta.db_table)}.{quote('id')} = "
    f"{quote(ShareLink._meta.db_table)}.{quote(ShareLink._meta.get_field('cart').column)} "
    f"LEFT JOIN {quote(Customer._meta.db_table)} ON "
    f"{quote(Customer._meta.db_table)}.{quote('id')} = "
    f"{quote(Cart._meta.db_table)}.{quote(Cart._meta.get_field('owner').column)} "
)
_LINK_SQL = _LINK_SELECT + f"WHERE {quote(ShareLink._meta.db_table)}.{quote('token_hash')} = %s"
_LINK_BY_ID_SQL = _LINK_SELECT + f"WHERE {quote(ShareLink._meta.db_table)}.{quote('id')} = %s"


def _link_by_hash(hash_: str, *, lock: bool = False) -> ShareLink | None:
    """`lock`: the link's row stays locked until the transaction ends (PostgreSQL; SQLite has
    one writer at a time anyway), so that a concurrent revoke waits for an accept."""
    return _link_fetch(_LINK_SQL, hash_, lock=lock)


def _link_fetch(sql: str, key: object, *, lock: bool) -> ShareLink | None:
    if lock and connections[router.db_for_write(ShareLink)].vendor == "postgresql":
        sql += f" FOR UPDATE OF {quote(ShareLink._meta.db_table)}"
    alias, rows = fetch(ShareLink, sql, [key])
    if not rows:  # the hash is unique: one row or none
        return None
    row = rows[0]
    ends = len(_LINK.fields), len(_LINK.fields) + len(_CART.fields)
    link = _LINK.instance(row[: ends[0]], using=alias)
    assert isinstance(link, ShareLink)
    if row[ends[0]] is not None:
        cart = _CART.instance(row[ends[0] : ends[1]], using=alias)
        assert isinstance(cart, Cart)
        owner = _OWNER.instance(row[ends[1] :], using=alias)
        assert isinstance(owner, Customer)
        cart.owner = owner
        link.cart = cart
    else:
        link.cart = None
    return link


def share_link_resolve(token: object, *, lock: bool = False) -> ShareLink:
    """The usable link for a token: NotFound (unknown) or Gone (revoked, expired, cart deleted).
    One query (the link with its cart and owner); the link's creator is read only for a deleted
    cart's 410."""
    if not isinstance(token, str) or not 1 <= len(token) <= MAX_TOKEN_LENGTH:
        raise NotFound(UNKNOWN_LINK)
    link = _link_by_hash(token_hash(token), lock=lock)
    if link is None:
        raise NotFound(UNKNOWN_LINK)
    _link_ensure_usable(link)
    return link


def share_link_get_usable(link_id: int, *, lock: bool = False) -> ShareLink:
    """The usable link with this id, with its cart and owner: NotFound or Gone as for a token.
    For a visitor who opened the link's token a moment ago: the pages keep the id (never the
    token) in their session, so that the page they go on to has no token in its address."""
    link = _link_fetch(_LINK_BY_ID_SQL, int(link_id), lock=lock)
    if link is None:
        raise NotFound(UNKNOWN_LINK)
    _link_ensure_usable(link)
    return link


def share_link_find(*, token: object = None, link_id: int | None = None) -> ShareLink | None:
    """The link of a token (or id) with its cart and owner, whatever its state; None when
    unknown. For the refusal pages of revoked and expired links, which offer to ask the cart's
    owner for access (the policy decides whether they may)."""
    if link_id is not None:
        return _link_fetch(_LINK_BY_ID_SQL, int(link_id), lock=False)
    if not isinstance(token, str) or not 1 <= len(token) <= MAX_TOKEN_LENGTH:
        return None
    return _link_by_hash(token_hash(token))


def _link_usable(token: object, link_id: int | None, *, lock: bool = False) -> ShareLink:
    """By token, or by id for the pages' token-free addresses (`share_link_get_usable`)."""
    if link_id is not None:
        return share_link_get_usable(link_id, lock=lock)
    return share_link_resolve(token, lock=lock)


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
        """How the visitor sees the cart through the link (the policy decides)."""
        return level_once_accepted(
            link=self.link, offered=self.level, current=self.current_level, cart=self.cart
        )

    @property
    def keeps_current_level(self) -> bool:
        """Accepting changes nothing: the visitor has this level or more already."""
        return self.current_level is not None and self.level_once_accepted == self.current_level


@dataclass(frozen=True)
class ShareLinkOpening(ShareLinkVisit):
    """What opening a link shows: the visit, and the cart's items (as plain `CartLine` rows:
    id, sku, name, quantity, unit_price, total_price, note, and added_by unless a preview) and
    totals."""

    totals: CartTotals
    items: list[CartLine]


def share_link_visit(
    *, token: object = None, link: ShareLink | None = None, actor: Actor, counted: bool = True
) -> ShareLinkVisit:
    """Resolve the token (or take the usable `link` resolved already) and decide what it shows
    `actor`: NotFound, Gone, LoginRequired or PermissionDenied otherwise. Counts the open (the
    owner's own opens excepted, and `counted=False`: a page re-reading itself) in ShareLinkStats,
    the only table a GET writes to (at once, or within a few seconds: see
    `cartshare.sharing.link_stats`). The caller reads the items (`share_link_open` for the
    page, `cart_lines` for the API)."""
    link = link if link is not None else share_link_resolve(token)
    level = ensure_can_use_link(actor, link)
    cart = link.cart
    assert cart is not None  # share_link_resolve refused links of deleted carts
    current_level = access_level(actor, cart)
    if counted and not is_owner(actor, cart):  # the owner's own opens are not counted
        link_open_record(link.pk)
    return ShareLinkVisit(link=link, cart=cart, level=level, current_level=current_level)


def share_link_open(
    *, token: object = None, link: ShareLink | None = None, actor: Actor, counted: bool = True
) -> ShareLinkOpening:
    """`share_link_visit`, with the cart's items and totals. The items are plain rows of one
    query (no model instances): this page is opened far more often than any other. Who added
    each line only where the level once accepted shows the details (a preview names nobody)."""
    visit = share_link_visit(token=token, link=link, actor=actor, counted=counted)
    named = level_allows(visit.level_once_accepted, CartAction.SEE_DETAILS)
    lines = cart_lines(visit.cart, named=named)
    return ShareLinkOpening(
        link=visit.link,
        cart=visit.cart,
        level=visit.level,
        current_level=visit.current_level,
        totals=cart_lines_totals(lines),
        items=lines,
    )


@dataclass(frozen=True)
class ShareLinkWaiting:
    """What the log-in page says waits behind a link: who shares which cart with which unit.
    Never the items, the note or the totals (`share_link_waiting`)."""

    owner_name: str
    cart_name: str
    unit_name: str
    is_internal: bool


def share_link_waiting(*, link_id: int, actor: Actor) -> ShareLinkWaiting | None:
    """For the log-in page of a visitor who has just opened the link `link_id` in this browser
    (the caller checks that): what waits behind it, or None when nothing may be said: the link
    no longer works (revoked, expired, cart deleted) or the policy says no. Not counted as an
    open: the open that led here was."""
    try:
        link = share_link_get_usable(link_id)
    except DomainError:
        return None
    if not link_waiting_shown_to(actor, link):
        return None
    cart = link.cart
    assert cart is not None  # share_link_get_usable refused links of deleted carts
    return ShareLinkWaiting(
        owner_name=cart.owner.name,
        cart_name=cart.name,
        unit_name=link_unit_name(link),
        is_internal=link.is_internal,
    )


@dataclass(frozen=True)
class ShareLinkCard:
    """What a link's card (the image chats and social networks show beside it) says: the
    cart's name, item count and total. No personal data: no owner, no note, no items."""

    cart_name: str
    currency: str
    totals: CartTotals
    is_ordered: bool


def share_link_card(token: object) -> ShareLinkCard:
    """The card of the link with this token: NotFound or Gone as for opening it, NotFound for a
    link that does not unfurl (an internal one: the policy's `link_unfurls`). Not counted as an
    open: a chat fetches the card of every link it shows, opened or not."""
    link = share_link_resolve(token)
    ensure_link_unfurls(link)
    cart = link.cart
    assert cart is not None  # share_link_resolve refused links of deleted carts
    return ShareLinkCard(
        cart_name=cart.name,
        currency=cart.currency,
        totals=cart_lines_totals(cart_lines(cart)),
        is_ordered=cart.is_ordered,
    )


@transaction.atomic
def share_link_accept(
    *, token: object = None, link_id: int | None = None, actor: Actor
) -> tuple[AccessLevel, Cart]:
    """Join a cart through an internal link (by token, or by id for the pages): the grant is
    created or raised (never lowered), and the cart becomes the actor's active cart when they
    can fill it (never a read-only one, spec §9). Returns the actor's level and the cart."""
    link = _link_usable(token, link_id, lock=True)
    level = ensure_can_use_link(actor, link)
    if not link.is_internal:
        raise InvalidInput(
            _("A preview link needs no accepting: anyone with it can look at the cart.")
        )
    cart = link.cart
    assert cart is not None and isinstance(actor, Customer)
    if is_owner(actor, cart):
        if can_fill(actor, cart):
            cart_activate(cart=cart, actor=actor)
        return level, cart
    if cart.is_ordered:
        raise Conflict(
            _(
                "This cart has been ordered, so nobody can join it any more. "
                "You can still look at it through the link."
            ),
            code=ErrorCode.CART_ORDERED,
        )
    granted, previous = cart_share_raise(
        cart=cart, company_user=actor.company_user, offered=SharePermission(level)
    )
    level = AccessLevel(granted)
    remember_access_level(actor, cart, level)
    if can_fill(actor, cart):
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
def share_link_copy(*, token: object = None, link_id: int | None = None, actor: Actor) -> Cart:
    """ "Copy to my cart": a new own cart of the visitor's, in the shared cart's currency, with
    the same items and quantities; it becomes their active cart."""
    if actor is None or not actor.is_authenticated:
        raise LoginRequired(_("Log in to copy these items into a cart of your own."))
    link = _link_usable(token, link_id)
    ensure_can_use_link(actor, link)
    source = link.cart
    assert source is not None and isinstance(actor, Customer)
    items = list(CartItem.objects.filter(cart_id=source.pk).order_by("id"))
    copy = cart_create(
        owner=actor, name=cart_name_free(actor, _("Copy of %(name)s") % {"name": source.name})
    )
    if copy.currency != source.currency:
        Cart.objects.filter(pk=copy.pk).update(currency=source.currency)
        copy.currency = source.currency
    if source.is_proposal:  # a sales representative's proposal: the copy keeps note and preparer
        copy.note, copy.prepared_by_id, copy.prepared_from_id = (
            source.note,
            source.owner_id,
            source.pk,
        )
        copy.save(update_fields=["note", "prepared_by", "prepared_from", "updated_at"])
        notify_proposal_copied(proposal=source, copy=copy, actor=actor)
    cart_items_copy(items=items, into=copy, adder=actor)
    activity_record(
        cart=copy, actor=actor, verb=Verb.CART_DUPLICATED, source=source.name, via="share link"
    )
    cart_activate(cart=copy, actor=actor)
    return copy
