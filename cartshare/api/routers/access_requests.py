"""Access requests (spec §11): a colleague asks for a level, the owner approves or declines, the
requester withdraws. The access-request services check every rule."""

import uuid

from django.http import HttpRequest
from ninja import Query, Router, Status

from cartshare.access.policies import CartAction
from cartshare.api.auth import caller
from cartshare.api.conditional import IdempotencyKey, idempotent
from cartshare.api.pagination import Page, PageParams, paginate
from cartshare.api.schemas import (
    AccessRequestCreateIn,
    AccessRequestDecideIn,
    AccessRequestOut,
    AccessRequestPage,
    Problem,
)
from cartshare.carts.selectors import cart_get_for
from cartshare.sharing import access_requests
from cartshare.sharing.models import AccessRequest

router = Router(tags=["access requests"])


@router.post(
    "/carts/{cart_id}/access-requests",
    response={201: AccessRequestOut, 403: Problem, 404: Problem, 409: Problem},
    summary="Ask the owner for a higher level (a colleague who can view the cart)",
)
@idempotent
def create_access_request(
    request: HttpRequest,
    cart_id: uuid.UUID,
    payload: AccessRequestCreateIn,
    idempotency_key: str | None = IdempotencyKey,
) -> Status[AccessRequest]:
    """409 while one of mine for this cart is pending, or when the cart is ordered; 422 for a
    level I cannot be given (one I have already, or I own the cart)."""
    cart = cart_get_for(caller(request), cart_id)
    created = access_requests.access_request_create(
        cart=cart, actor=caller(request), permission=payload.permission, message=payload.message
    )
    return Status(201, created)


@router.get(
    "/carts/{cart_id}/access-requests",
    response={200: AccessRequestPage, 403: Problem, 404: Problem},
    summary="The requests for access to this cart, pending first (owner)",
)
def list_cart_access_requests(
    request: HttpRequest, cart_id: uuid.UUID, page: Query[PageParams]
) -> Page[AccessRequest]:
    cart = cart_get_for(caller(request), cart_id, action=CartAction.SEE_SHARING)
    return paginate(request, access_requests.access_requests_for_cart(cart), page)


@router.get(
    "/access-requests",
    response={200: AccessRequestPage},
    summary="My own requests for access, newest first",
)
def list_my_access_requests(request: HttpRequest, page: Query[PageParams]) -> Page[AccessRequest]:
    return paginate(request, access_requests.access_requests_of(caller(request)), page)


@router.patch(
    "/access-requests/{request_id}",
    response={200: AccessRequestOut, 403: Problem, 404: Problem, 409: Problem},
    summary="Approve (creates or raises the grant, never lowers it) or decline (owner)",
)
def decide_access_request(
    request: HttpRequest, request_id: int, payload: AccessRequestDecideIn
) -> AccessRequest:
    """409 when the request is no longer pending, or approving on an ordered cart."""
    found = access_requests.access_request_get_for(caller(request), request_id)
    return access_requests.access_request_decide(
        access_request=found,
        actor=caller(request),
        status=payload.status,
        permission=payload.permission,
    )


@router.delete(
    "/access-requests/{request_id}",
    response={204: None, 403: Problem, 404: Problem, 409: Problem},
    summary="Withdraw my pending request (requester)",
)
def withdraw_access_request(request: HttpRequest, request_id: int) -> Status[None]:
    found = access_requests.access_request_get_for(caller(request), request_id)
    access_requests.access_request_withdraw(access_request=found, actor=caller(request))
    return Status(204, None)
