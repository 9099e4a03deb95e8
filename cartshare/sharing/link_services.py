"""The owner's side of share links (spec §5): get or create, list, revoke, renew, expiry.

Every function works without a request: pages and API pass `base_url` themselves. Who may do
what is the policy's (`cartshare.access.policies`); tokens are `cartshare.sharing.tokens`'.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cartshare.access.policies import (
    Actor,
    CartAction,
    access_level,
    ensure_can,
    ensure_can_revoke_links_in_back_office,
    ensure_customer_can,
    ensure_share_option_allowed,
)
from cartshare.accounts.models import Customer
from cartshare.activity.services import Verb, activity_record
from cartshare.carts.models import Cart
from cartshare.common.errors import Conflict, ErrorCode, InvalidInput, NotFound
from cartshare.sharing.models import ShareLink, ShareLinkStats, ShareOption
from cartshare.sharing.tokens import (
    share_link_url,
    token_encrypt,
    token_hash,
    token_new,
    url_for_token,
)

LINK_NOT_FOUND = gettext_lazy("This link does not exist.")
MAX_EXPIRY_AHEAD = timedelta(days=366)  # one year, leap day included
REVOKE_UNDO_WINDOW = timedelta(seconds=15)  # the dialog offers Undo for 10 s; some slack


def share_option_parse(value: object) -> ShareOption:
    if isinstance(value, str) and value in ShareOption.values:
        return ShareOption(value)
    message = _("Choose PREVIEW, READ_ONLY, CONTRIBUTOR or FULL_ACCESS.")
    raise InvalidInput(message, errors={"share_option": [message]})


def _expiry_check(expires_at: datetime | None) -> datetime | None:
    if expires_at is None:
        return None
    if timezone.is_naive(expires_at):
        message = _("The expiry needs a time zone.")
        raise InvalidInput(message, errors={"expires_at": [message]})
    if expires_at <= timezone.now():
        message = _("The expiry must be in the future.")
        raise InvalidInput(message, errors={"expires_at": [message]})
    if expires_at > timezone.now() + MAX_EXPIRY_AHEAD:  # compared before any time-zone change
        message = _("A link can expire at most one year ahead; choose an earlier expiry.")
        raise InvalidInput(message, errors={"expires_at": [message]})
    return expires_at


def _current_link(cart: Cart, option: ShareOption) -> ShareLink | None:
    return (
        ShareLink.objects.select_for_update()
        .filter(cart=cart, share_option=option, revoked_at__isnull=True)
        .first()
    )


def _link_create(
    *, cart: Cart, creator: Customer, option: ShareOption, expires_at: datetime | None
) -> tuple[ShareLink, str]:
    token = token_new()
    link = ShareLink.objects.create(
        cart=cart,
        share_option=option,
        token_hash=token_hash(token),
        token_encrypted=token_encrypt(token),
        created_by=creator,
        expires_at=expires_at,
    )
    ShareLinkStats.objects.create(link=link)
    return link, token


@transaction.atomic
def share_link_get_or_create(
    *,
    cart: Cart,
    actor: Actor,
    share_option: ShareOption | str,
    expires_at: datetime | None = None,
    base_url: str,
) -> tuple[ShareLink, str | None, bool]:
    """The cart's current link for the option, created if there is none: (link, url, created).
    An existing link is returned as it is (its expiry unchanged); an expired one is retired
    and replaced."""
    creator = ensure_customer_can(actor, CartAction.SHARE, cart)
    option = share_option_parse(share_option)
    ensure_share_option_allowed(cart.owner, option)
    current = _current_link(cart, option)
    if current is not None and not current.is_expired():
        return current, share_link_url(current, base_url), False
    expires_at = _expiry_check(expires_at)
    if current is not None:
        ShareLink.objects.filter(pk=current.pk).update(revoked_at=current.expires_at)
    try:
        with transaction.atomic():
            link, token = _link_create(
                cart=cart, creator=creator, option=option, expires_at=expires_at
            )
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
    return link, url_for_token(token, base_url), True


def share_links_for_cart(*, cart: Cart, actor: Actor) -> list[ShareLink]:
    """All links of the cart, revoked and expired included, newest first (owner only)."""
    ensure_can(actor, CartAction.MANAGE_LINKS, cart)
    return list(ShareLink.objects.filter(cart=cart).select_related("stats"))


def share_link_get_for(*, actor: Actor, link_id: object) -> ShareLink:
    """A link by id, for its cart's owner; NotFound for everyone else (reveals nothing)."""
    try:
        link_pk = int(str(link_id))
    except ValueError:
        raise NotFound(LINK_NOT_FOUND) from None
    link = ShareLink.objects.select_related("cart__owner").filter(pk=link_pk).first()
    if link is None or link.cart is None or access_level(actor, link.cart) is None:
        raise NotFound(LINK_NOT_FOUND)
    ensure_can(actor, CartAction.MANAGE_LINKS, link.cart)
    return link


def _cart_of(link: ShareLink) -> Cart:
    if link.cart is None:
        raise NotFound(LINK_NOT_FOUND)
    return link.cart


@transaction.atomic
def share_link_revoke(*, link: ShareLink, actor: Actor) -> ShareLink:
    """Dead at once, for everyone; also on an ordered cart. Revoking twice changes nothing."""
    cart = _cart_of(link)
    ensure_can(actor, CartAction.MANAGE_LINKS, cart)
    now = timezone.now()
    if ShareLink.objects.filter(pk=link.pk, revoked_at__isnull=True).update(revoked_at=now):
        link.revoked_at = now
        activity_record(
            cart=cart, actor=actor, verb=Verb.LINK_REVOKED, share_option=link.share_option
        )
    else:
        link.refresh_from_db(fields=["revoked_at"])
    return link


def share_links_revoked_recently(cart: Cart) -> dict[str, int]:
    """Option -> id of the cart's link revoked in the last seconds (`share_link_restore`)."""
    recent = ShareLink.objects.filter(
        cart=cart, revoked_at__gte=timezone.now() - REVOKE_UNDO_WINDOW
    ).order_by("revoked_at")
    return dict(recent.values_list("share_option", "pk"))


@transaction.atomic
def share_link_restore(*, link: ShareLink, actor: Actor) -> ShareLink:
    """Undo a revoke made seconds ago (`REVOKE_UNDO_WINDOW`): the same link works again, as
    the owner's Undo after Revoke. It gives access back, so it needs SHARE (not on an ordered
    cart); refused once a newer link of the option exists or the seconds have passed."""
    cart = _cart_of(link)
    ensure_can(actor, CartAction.SHARE, cart)
    too_late = timezone.now() - REVOKE_UNDO_WINDOW
    if link.revoked_at is None or link.revoked_at < too_late:
        raise Conflict(_("It is too late to undo revoking this link; create a new one."))
    if ShareLink.objects.filter(
        cart=cart, share_option=link.share_option, revoked_at__isnull=True
    ).exists():
        raise Conflict(_("This cart has a newer link for this option; the old one stays revoked."))
    try:
        with transaction.atomic():
            restored = ShareLink.objects.filter(pk=link.pk, revoked_at__gte=too_late).update(
                revoked_at=None
            )
    except IntegrityError as error:  # a new link was created at the same moment
        raise Conflict(_("This cart has a newer link for this option.")) from error
    if not restored:
        raise Conflict(_("It is too late to undo revoking this link; create a new one."))
    link.revoked_at = None
    activity_record(cart=cart, actor=actor, verb=Verb.LINK_RESTORED, share_option=link.share_option)
    return link


@transaction.atomic
def share_links_revoke_in_back_office(*, links: QuerySet[ShareLink], actor: Actor) -> int:
    """Staff revoke `links` (those not revoked yet; the others are left as they are), each
    recorded in its cart's activity as revoked by them. Returns how many were revoked."""
    staff = ensure_can_revoke_links_in_back_office(actor)
    now = timezone.now()
    chosen = list(
        links.filter(revoked_at__isnull=True)
        .select_related("cart")
        .select_for_update(of=("self",))
        .order_by("pk")
    )
    revoked = ShareLink.objects.filter(
        pk__in=[link.pk for link in chosen], revoked_at__isnull=True
    ).update(revoked_at=now)
    for link in chosen:
        if link.cart is not None:
            activity_record(
                cart=link.cart, actor=staff, verb=Verb.LINK_REVOKED, share_option=link.share_option
            )
    return revoked


@transaction.atomic
def share_link_renew(
    *, link: ShareLink, actor: Actor, expires_at: datetime | None = None, base_url: str
) -> tuple[ShareLink, str | None]:
    """Revoke the link and create a new one for the same cart and option."""
    cart = _cart_of(link)
    ensure_can(actor, CartAction.SHARE, cart)
    _expiry_check(expires_at)
    share_link_revoke(link=link, actor=actor)
    new_link, url, _created = share_link_get_or_create(
        cart=cart,
        actor=actor,
        share_option=link.share_option,
        expires_at=expires_at,
        base_url=base_url,
    )
    return new_link, url


@transaction.atomic
def share_link_expiry_set(
    *, link: ShareLink, actor: Actor, expires_at: datetime | None
) -> ShareLink:
    ensure_can(actor, CartAction.SHARE, _cart_of(link))
    expires_at = _expiry_check(expires_at)
    if not ShareLink.objects.filter(pk=link.pk, revoked_at__isnull=True).update(
        expires_at=expires_at
    ):
        raise Conflict(
            _("This link has been revoked; create a new one."), code=ErrorCode.LINK_REVOKED
        )
    link.expires_at = expires_at
    return link
