"""Access requests (spec §11): a colleague asks the owner for a level, the owner approves it (the
grant is created or raised, never lowered) or declines it, the requester may withdraw it. Who may
do which is the policy's (`cartshare.access.policies`); both sides are told
(`cartshare.notifications`). Each step is an entry of the cart's activity log (`_record`), which
also wakes the cart's live streams after commit (`activity_record`); who sees those entries is
the policy's SEE_ACCESS_REQUESTS (and the requester their own)."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from django.db import IntegrityError, transaction
from django.db.models import Case, IntegerField, QuerySet, Value, When
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from cartshare.access.policies import (
    ACCESS_REQUEST_NOT_FOUND,
    Actor,
    access_request_levels,
    access_requests_managed_by,
    access_requests_that_count,
    can_request_access,
    ensure_can_decide_access_request,
    ensure_can_request_access,
    ensure_can_withdraw_access_request,
    remember_access_level,
)
from cartshare.accounts.models import CompanyUser, Customer
from cartshare.activity.services import Verb, activity_record
from cartshare.carts.models import Cart
from cartshare.common.errors import Conflict, ErrorCode, InvalidInput, NotFound
from cartshare.common.locales import number_format
from cartshare.common.text import LINE_BREAKS_AND_TABS, control_characters_in
from cartshare.notifications.services import notify_access_decided, notify_access_requested
from cartshare.sharing.models import (
    MAX_ACCESS_REQUEST_MESSAGE_LENGTH,
    AccessLevel,
    AccessRequest,
    AccessRequestStatus,
    SharePermission,
    levels_choice_message,
)
from cartshare.sharing.services import cart_share_raise


def _record(access_request: AccessRequest, *, actor: Customer, verb: str) -> None:
    """The step's entry in the cart's log: the facts its sentence and the policy need (the
    requester's id: they see their own requests' entries)."""
    activity_record(
        cart=access_request.cart,
        actor=actor,
        verb=verb,
        request_id=access_request.pk,
        requester=access_request.requester.name,
        requester_id=access_request.requester_id,
        permission=str(access_request.permission),
        **(
            {"granted": str(access_request.granted_permission)}
            if access_request.granted_permission
            else {}
        ),
    )


def _message_clean(message: object) -> str:
    if not isinstance(message, str):
        message = ""
    message = message.strip()
    problem = None
    if len(message) > MAX_ACCESS_REQUEST_MESSAGE_LENGTH:
        problem = _("Keep the message to %(limit)s characters or fewer.") % {
            "limit": number_format(MAX_ACCESS_REQUEST_MESSAGE_LENGTH)
        }
    elif control_characters_in(message, allowed=LINE_BREAKS_AND_TABS):
        problem = _("The message contains characters that cannot be stored; type it again.")
    if problem is not None:
        raise InvalidInput(problem, errors={"message": [problem]})
    return message


def _lock(cart: Cart) -> None:
    """Serialise requests and answers of one cart (PostgreSQL; SQLite locks the file)."""
    Cart.objects.select_for_update().filter(pk=cart.pk).values_list("pk", flat=True).first()


def _pending_of(cart: Cart, requester: Customer) -> AccessRequest | None:
    return AccessRequest.objects.filter(
        cart_id=cart.pk, requester_id=requester.pk, status=AccessRequestStatus.PENDING
    ).first()


def _already_pending(cart: Cart, pending: AccessRequest | None) -> Conflict:
    if pending is None:
        message = _(
            "You asked for access to this cart already; %(owner)s has not answered yet. "
            "Withdraw that request to ask for another level."
        ) % {"owner": cart.owner.name}
    else:
        message = _(
            "You asked for access to this cart on %(date)s already; %(owner)s has not answered "
            "yet. Withdraw that request to ask for another level."
        ) % {
            # Translators: a date as Django's date filter writes it ("3 December 2026")
            "date": date_format(timezone.localtime(pending.created_at), pgettext("date", "j F Y")),
            "owner": cart.owner.name,
        }
    return Conflict(message, code=ErrorCode.ACCESS_REQUEST_PENDING)


@transaction.atomic
def access_request_create(
    *,
    cart: Cart,
    actor: Actor,
    permission: str | SharePermission,
    message: object = "",
    holds_link: bool = False,
) -> AccessRequest:
    """Ask the owner of `cart` for `permission`. `holds_link`: the requester opened one of the
    cart's links (whose refusal page offers this), so they may ask without seeing the cart."""
    requester = ensure_can_request_access(actor, cart, permission, holds_link=holds_link)
    text = _message_clean(message)
    _lock(cart)
    pending = _pending_of(cart, requester)
    if pending is not None:
        raise _already_pending(cart, pending)
    try:
        with transaction.atomic():
            access_request = AccessRequest.objects.create(
                cart=cart, requester=requester, permission=permission, message=text
            )
    except IntegrityError as error:  # asked twice at once
        raise _already_pending(cart, None) from error
    _record(access_request, actor=requester, verb=Verb.ACCESS_REQUESTED)
    notify_access_requested(cart=cart, requester=requester, level=str(permission), message=text)
    return access_request


def _with_people(access_request: AccessRequest) -> AccessRequest:
    return AccessRequest.objects.select_related("cart__owner", "requester", "decided_by").get(
        pk=access_request.pk
    )


def _status_parse(value: object) -> AccessRequestStatus:
    if value in (AccessRequestStatus.APPROVED, AccessRequestStatus.DECLINED):
        return AccessRequestStatus(str(value))
    message = _("Answer with APPROVED or DECLINED.")
    raise InvalidInput(message, errors={"status": [message]})


def _level_parse(value: object, default: str) -> SharePermission:
    if value in (None, ""):
        value = default
    if isinstance(value, str) and value in SharePermission.values:
        return SharePermission(value)
    message = levels_choice_message(SharePermission)
    raise InvalidInput(message, errors={"permission": [message]})


@transaction.atomic
def access_request_decide(
    *,
    access_request: AccessRequest,
    actor: Actor,
    status: object,
    permission: object = None,
) -> AccessRequest:
    """The owner's answer. Approving (with the asked level, or `permission`) creates the grant
    or raises it, never lowers it; declining changes no grant. The requester is told."""
    access_request = _with_people(access_request)
    cart = access_request.cart
    ensure_can_decide_access_request(actor, access_request, approves=False)
    decision = _status_parse(status)
    approves = decision == AccessRequestStatus.APPROVED
    owner = ensure_can_decide_access_request(actor, access_request, approves=approves)
    _lock(cart)
    if not AccessRequest.objects.filter(
        pk=access_request.pk, status=AccessRequestStatus.PENDING
    ).exists():
        raise Conflict(
            _("This request has been answered or withdrawn a moment ago."),
            code=ErrorCode.ACCESS_REQUEST_CLOSED,
        )
    requester = access_request.requester
    level = _level_parse(permission, access_request.permission)
    if approves:
        company_user = CompanyUser.objects.get(customer_id=requester.pk)
        granted, previous = cart_share_raise(cart=cart, company_user=company_user, offered=level)
        remember_access_level(requester, cart, AccessLevel(granted))
        if granted != previous:
            activity_record(
                cart=cart,
                actor=owner,
                verb=Verb.SHARED if previous is None else Verb.SHARE_CHANGED,
                grantee=requester.name,
                company_user_id=company_user.pk,
                old=previous.value if previous else None,
                new=granted.value,
                via="access request",
            )
        access_request.granted_permission = granted
    access_request.status = decision
    access_request.decided_at = timezone.now()
    access_request.decided_by = owner
    access_request.save(update_fields=["status", "granted_permission", "decided_at", "decided_by"])
    _record(
        access_request,
        actor=owner,
        verb=Verb.ACCESS_REQUEST_APPROVED if approves else Verb.ACCESS_REQUEST_DECLINED,
    )
    notify_access_decided(
        cart=cart,
        actor=owner,
        requester=requester,
        approved=approves,
        level=access_request.granted_permission or access_request.permission,
    )
    return access_request


@transaction.atomic
def access_request_withdraw(*, access_request: AccessRequest, actor: Actor) -> AccessRequest:
    """The requester takes their pending request back."""
    access_request = _with_people(access_request)
    requester = ensure_can_withdraw_access_request(actor, access_request)
    changed = AccessRequest.objects.filter(
        pk=access_request.pk, status=AccessRequestStatus.PENDING
    ).update(status=AccessRequestStatus.WITHDRAWN, decided_at=timezone.now(), decided_by=requester)
    if not changed:
        raise Conflict(
            _("This request has been answered a moment ago."),
            code=ErrorCode.ACCESS_REQUEST_CLOSED,
        )
    access_request.refresh_from_db()
    _record(access_request, actor=requester, verb=Verb.ACCESS_REQUEST_WITHDRAWN)
    return access_request


# --- Reading ------------------------------------------------------------------------------------


def _pending_first(requests: QuerySet[AccessRequest]) -> QuerySet[AccessRequest]:
    return requests.annotate(
        pending_rank=Case(
            When(status=AccessRequestStatus.PENDING, then=Value(0)),
            default=Value(1),
            output_field=IntegerField(),
        )
    ).order_by("pending_rank", "-created_at", "-id")


def access_requests_for_cart(cart: Cart) -> QuerySet[AccessRequest]:
    """The cart's requests for its owner, pending first, then newest first (lapsed ones left
    out)."""
    return _pending_first(
        access_requests_that_count()
        .filter(cart_id=cart.pk)
        .select_related("requester", "decided_by")
    )


def access_requests_pending_for_cart(cart: Cart) -> list[AccessRequest]:
    return list(access_requests_for_cart(cart).filter(status=AccessRequestStatus.PENDING))


def access_requests_of(customer: Customer) -> QuerySet[AccessRequest]:
    """The customer's own requests, newest first. A lapsed one (pending, but they or the owner
    left the unit or were deactivated) is left out, as in the owner's list: nobody can answer
    it, so it is not shown as waiting for an answer."""
    return (
        access_requests_that_count()
        .filter(requester_id=customer.pk)
        .select_related("requester", "decided_by")
    )


def access_request_latest_of(actor: Actor, cart_id: UUID) -> AccessRequest:
    """The actor's own latest request for the cart (lapsed ones left out), with the cart and
    its owner: what the requester's notification of a decision opens. NotFound otherwise."""
    found = None
    if isinstance(actor, Customer):
        found = (
            access_requests_managed_by(actor)
            .filter(requester_id=actor.pk, cart_id=cart_id)
            .select_related("cart__owner", "requester", "decided_by")
            .order_by("-created_at", "-id")
            .first()
        )
    if found is None:
        raise NotFound(ACCESS_REQUEST_NOT_FOUND)
    return found


def access_request_get_for(actor: Actor, request_id: object) -> AccessRequest:
    """A request the actor may look at: for their cart, or their own; NotFound otherwise."""
    try:
        pk = int(str(request_id))
    except ValueError:
        raise NotFound(ACCESS_REQUEST_NOT_FOUND) from None
    found = (
        access_requests_managed_by(actor)
        .select_related("cart__owner", "requester", "decided_by")
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise NotFound(ACCESS_REQUEST_NOT_FOUND)
    return found


@dataclass(frozen=True)
class AccessRequestOffer:
    """What a page offers the caller to ask the owner of `cart` for: the levels above theirs,
    or, while one of theirs is pending, that request (to wait for, or withdraw)."""

    cart: Cart
    levels: list[SharePermission]
    pending: AccessRequest | None


def access_request_offer(
    *, actor: Actor, cart: Cart, holds_link: bool = False
) -> AccessRequestOffer | None:
    """None when the caller may not ask (the policy's `can_request_access`) and has nothing
    pending."""
    pending = None
    if isinstance(actor, Customer):
        pending = (
            access_requests_that_count()
            .filter(cart_id=cart.pk, requester_id=actor.pk, status=AccessRequestStatus.PENDING)
            .first()
        )
    if pending is None and not can_request_access(actor, cart, holds_link=holds_link):
        return None
    return AccessRequestOffer(cart=cart, levels=access_request_levels(actor, cart), pending=pending)
