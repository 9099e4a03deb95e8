"""Granting carts to colleagues of the owner's business unit, changing and ending grants (spec §4).

Every function checks the access policy first, changes the grants atomically and records each
change in the cart's activity log (who, whom, old and new level)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cartshare.access.policies import (
    CART_NOT_FOUND,
    Actor,
    CartAction,
    GrantRole,
    colleagues_of,
    ensure_can,
    ensure_can_change_grants,
    ensure_customer_can,
    grant_after_accepting,
    grant_gives_more,
    grant_role,
)
from cartshare.accounts.models import CompanyUser
from cartshare.activity.services import Verb, activity_record
from cartshare.carts.models import Cart
from cartshare.carts.services import active_cart_move_on
from cartshare.common.errors import Conflict, ErrorCode, InvalidInput, NotFound
from cartshare.notifications.services import notify_cart_shared
from cartshare.sharing.models import CartShare, SharePermission, level_word

NO_ACCESS_LABEL = gettext_lazy("no access")


@dataclass(frozen=True)
class ShareChange:
    """One colleague's level before and after a change; None means no access."""

    company_user_id: int
    name: str
    old: SharePermission | None
    new: SharePermission | None

    def __str__(self) -> str:
        return f"{self.name}: {_level_label(self.old)} → {_level_label(self.new)}"


@dataclass(frozen=True)
class ShareSummary:
    """What a save of the share page changed, in the order of the colleagues' names."""

    changes: tuple[ShareChange, ...]

    def __bool__(self) -> bool:
        return bool(self.changes)

    @property
    def lines(self) -> list[str]:
        return [str(change) for change in self.changes]


def _level_label(permission: SharePermission | None) -> str:
    return level_word(permission) if permission else str(NO_ACCESS_LABEL)


def share_permission_parse(value: object) -> SharePermission | None:
    """`READ_ONLY` / `CONTRIBUTOR` / `FULL_ACCESS`, or None / "" / `NONE` for no access;
    anything else refused."""
    if value is None or value in ("", "NONE"):
        return None
    if isinstance(value, str) and value in SharePermission.values:
        return SharePermission(value)
    raise _permission_invalid()


def _permission_invalid() -> InvalidInput:
    message = _("Choose No access, Read-only, Contributor or Full access.")
    return InvalidInput(message, errors={"permission": [message]})


def _permission_required(value: object) -> SharePermission:
    """A level a grant can have (not "no access": that is removing the grant)."""
    permission = share_permission_parse(value)
    if permission is None:
        raise _permission_invalid()
    return permission


def _not_a_colleague(owner: object, company_user_id: object) -> InvalidInput:
    company_user = getattr(owner, "company_user", None) if owner is not None else None
    if company_user is not None and company_user.pk == company_user_id:
        message = _("You own this cart: you cannot share it with yourself.")
    elif company_user is None:
        message = _(
            "Your account belongs to no company, so there is nobody to share this cart with."
        )
    else:
        message = _(
            "You can only share a cart with active colleagues of your own business unit (%(unit)s)."
        ) % {"unit": company_user.business_unit.name}
    return InvalidInput(message, errors={"company_user_id": [message]})


def _lock(cart: Cart) -> None:
    """Serialise concurrent changes to one cart's grants (PostgreSQL; SQLite locks the file)."""
    Cart.objects.select_for_update().filter(pk=cart.pk).values_list("pk", flat=True).first()


def _record(cart: Cart, actor: Actor, change: ShareChange, verb: str | None = None) -> None:
    if verb is None:
        verb = (
            Verb.SHARED
            if change.old is None
            else Verb.UNSHARED
            if change.new is None
            else Verb.SHARE_CHANGED
        )
    activity_record(
        cart=cart,
        actor=actor,
        verb=verb,
        grantee=change.name,
        company_user_id=change.company_user_id,
        old=change.old.value if change.old else None,
        new=change.new.value if change.new else None,
    )


@transaction.atomic
def cart_shares_set(
    *, cart: Cart, actor: Actor, permissions: Mapping[int, str | SharePermission | None]
) -> ShareSummary:
    """The share page's "save all": company user id → level (None: no access). Either every
    change is applied or, when one entry is invalid, none is. On an ordered cart access can
    still be lowered or removed, not given."""
    owner = ensure_customer_can(actor, CartAction.UNSHARE, cart)
    _lock(cart)
    colleagues = {user.pk: user for user in colleagues_of(cart.owner)}
    wanted: dict[int, SharePermission | None] = {}
    for company_user_id, value in permissions.items():
        if company_user_id not in colleagues:
            raise _not_a_colleague(cart.owner, company_user_id)
        wanted[company_user_id] = share_permission_parse(value)
    existing = {
        share.company_user_id: share
        for share in CartShare.objects.filter(cart=cart, company_user_id__in=wanted)
    }
    olds = {
        user_id: SharePermission(share.permission) if (share := existing.get(user_id)) else None
        for user_id in wanted
    }
    gives = any(grant_gives_more(olds[user_id], new) for user_id, new in wanted.items())
    ensure_can_change_grants(actor, cart, gives_access=gives)
    changes = []
    for company_user_id, new in wanted.items():
        share = existing.get(company_user_id)
        old = olds[company_user_id]
        if old == new:
            continue
        if new is None:
            if share is not None:
                share.delete()
        elif share is None:
            CartShare.objects.create(cart=cart, company_user_id=company_user_id, permission=new)
        else:
            share.permission = new
            share.save(update_fields=["permission", "updated_at"])
        if not grant_gives_more(old, new):
            active_cart_move_on(
                cart_id=cart.pk, customer_ids=[colleagues[company_user_id].customer_id]
            )
        elif new is not None:
            notify_cart_shared(
                cart=cart,
                actor=owner,
                recipient=colleagues[company_user_id].customer,
                level=new,
                raised=old is not None,
            )
        change = ShareChange(
            company_user_id, colleagues[company_user_id].customer.name, old=old, new=new
        )
        _record(cart, actor, change)
        changes.append(change)
    changes.sort(key=lambda change: (change.name.casefold(), change.company_user_id))
    return ShareSummary(tuple(changes))


@transaction.atomic
def cart_shares_give_everyone(
    *, cart: Cart, actor: Actor, permission: str | SharePermission
) -> ShareSummary:
    """The share dialog's "Everyone in <unit>": every active colleague of the owner's unit gets
    `permission`, or keeps the higher level they have (never lowered, as accepting a link).
    People who join the unit later are not included: the unit's internal link is for them."""
    ensure_can(actor, CartAction.SHARE, cart)
    level = _permission_required(permission)
    current = dict(CartShare.objects.filter(cart=cart).values_list("company_user_id", "permission"))
    wanted = {
        colleague.pk: level
        for colleague in colleagues_of(cart.owner)
        if grant_gives_more(current.get(colleague.pk), level)
    }
    return cart_shares_set(cart=cart, actor=actor, permissions=wanted)


@transaction.atomic
def cart_share_create(
    *, cart: Cart, actor: Actor, company_user_id: int, permission: str | SharePermission
) -> CartShare:
    """One new grant (API). 409 when the colleague has one already: change it instead."""
    owner = ensure_customer_can(actor, CartAction.SHARE, cart)
    new = _permission_required(permission)
    _lock(cart)
    colleague = colleagues_of(cart.owner).filter(pk=company_user_id).first()
    if colleague is None:
        raise _not_a_colleague(cart.owner, company_user_id)
    if CartShare.objects.filter(cart=cart, company_user=colleague).exists():
        raise Conflict(
            _("This cart is shared with %(name)s already; change their level instead.")
            % {"name": colleague.customer.name},
            code=ErrorCode.ALREADY_SHARED,
        )
    try:
        with transaction.atomic():
            share = CartShare.objects.create(cart=cart, company_user=colleague, permission=new)
    except IntegrityError as error:
        raise Conflict(
            _("This cart is shared with %(name)s already.") % {"name": colleague.customer.name},
            code=ErrorCode.ALREADY_SHARED,
        ) from error
    _record(cart, actor, ShareChange(colleague.pk, colleague.customer.name, old=None, new=new))
    notify_cart_shared(
        cart=cart,
        actor=owner,
        recipient=colleague.customer,
        level=new,
        raised=False,
    )
    return share


def _share_with_people(share: CartShare) -> CartShare:
    return CartShare.objects.select_related("cart__owner", "company_user__customer").get(
        pk=share.pk
    )


@transaction.atomic
def cart_share_update(
    *, share: CartShare, actor: Actor, permission: str | SharePermission
) -> CartShare:
    """Change a colleague's level (owner only; the colleague must still be in the unit).
    Lowering it works on an ordered cart too."""
    share = _share_with_people(share)
    owner = ensure_customer_can(actor, CartAction.UNSHARE, share.cart)
    new = _permission_required(permission)
    old = SharePermission(share.permission)
    ensure_can_change_grants(actor, share.cart, gives_access=grant_gives_more(old, new))
    _lock(share.cart)
    if not colleagues_of(share.cart.owner).filter(pk=share.company_user_id).exists():
        raise _not_a_colleague(share.cart.owner, share.company_user_id)
    if old != new:
        share.permission = new
        share.save(update_fields=["permission", "updated_at"])
        if not grant_gives_more(old, new):
            active_cart_move_on(
                cart_id=share.cart_id, customer_ids=[share.company_user.customer_id]
            )
        else:
            notify_cart_shared(
                cart=share.cart,
                actor=owner,
                recipient=share.company_user.customer,
                level=new,
                raised=True,
            )
        _record(
            share.cart,
            actor,
            ShareChange(share.company_user_id, share.company_user.customer.name, old, new),
        )
    return share


@transaction.atomic
def cart_share_delete(*, share: CartShare, actor: Actor) -> None:
    """The owner ends a grant (also one that stopped counting because the grantee moved, and
    also once the cart is ordered: taking access away always works)."""
    share = _share_with_people(share)
    ensure_can(actor, CartAction.UNSHARE, share.cart)
    _lock(share.cart)
    share.delete()
    active_cart_move_on(cart_id=share.cart_id, customer_ids=[share.company_user.customer_id])
    _record(
        share.cart,
        actor,
        ShareChange(
            share.company_user_id,
            share.company_user.customer.name,
            old=SharePermission(share.permission),
            new=None,
        ),
        Verb.UNSHARED,
    )


@transaction.atomic
def cart_share_dismiss(*, cart: Cart, actor: Actor) -> None:
    """The grantee removes their own grant; the cart leaves their list, and if it was their
    active cart, the next one is chosen (`active_cart_move_on`)."""
    grantee = ensure_customer_can(actor, CartAction.DISMISS, cart)
    share = (
        CartShare.objects.select_related("company_user__customer")
        .filter(cart_id=cart.pk, company_user__customer_id=grantee.pk)
        .first()
    )
    if share is None:  # dismissed in another tab a moment ago
        raise NotFound(CART_NOT_FOUND)
    share.delete()
    active_cart_move_on(cart_id=cart.pk, customer_ids=[grantee.pk], actor=grantee)
    _record(
        cart,
        actor,
        ShareChange(
            share.company_user_id,
            share.company_user.customer.name,
            old=SharePermission(share.permission),
            new=None,
        ),
        Verb.SHARE_DISMISSED,
    )


@transaction.atomic
def cart_share_remove(*, share: CartShare, actor: Actor) -> None:
    """DELETE of a grant from the API: the owner removes it, the grantee dismisses it."""
    share = _share_with_people(share)
    if grant_role(actor, share) == GrantRole.OWNER:
        cart_share_delete(share=share, actor=actor)
    else:
        cart_share_dismiss(cart=share.cart, actor=actor)


def cart_share_raise(
    *, cart: Cart, company_user: CompanyUser, offered: SharePermission
) -> tuple[SharePermission, SharePermission | None]:
    """Create the grant or raise it to `offered`, never lower it: (now, before). Accepting a
    link and approving an access request both give access this way."""
    rows = CartShare.objects.select_for_update().filter(cart=cart, company_user=company_user)
    share = rows.first()
    if share is None:
        try:
            with transaction.atomic():
                CartShare.objects.create(cart=cart, company_user=company_user, permission=offered)
            return offered, None
        except IntegrityError:  # accepted concurrently
            share = rows.get()
    previous = SharePermission(share.permission)
    granted = grant_after_accepting(previous, offered)
    if granted != previous:
        rows.update(permission=granted, updated_at=timezone.now())
    return granted, previous
