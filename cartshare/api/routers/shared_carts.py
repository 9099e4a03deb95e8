"""Grants of a cart to colleagues (SharedCart): list, create, change, and end them (the owner) or
dismiss them (the grantee). The sharing services check every rule."""

import uuid

from django.http import HttpRequest
from ninja import Query, Router, Status

from cartshare.access.policies import CartAction
from cartshare.api.auth import caller
from cartshare.api.conditional import IdempotencyKey, idempotent
from cartshare.api.pagination import Page, PageParams, paginate
from cartshare.api.schemas import (
    Problem,
    SharedCartCreateIn,
    SharedCartOut,
    SharedCartPage,
    SharedCartUpdateIn,
)
from cartshare.carts.selectors import cart_get_for
from cartshare.sharing import selectors as sharing_selectors
from cartshare.sharing import services as sharing_services
from cartshare.sharing.models import CartShare

router = Router(tags=["sharing"])


@router.get(
    "/carts/{cart_id}/shared-carts",
    response={200: SharedCartPage, 403: Problem, 404: Problem},
    summary="The colleagues this cart is shared with (owner; also once the cart is ordered)",
)
def list_shared_carts(
    request: HttpRequest, cart_id: uuid.UUID, page: Query[PageParams]
) -> Page[CartShare]:
    cart = cart_get_for(caller(request), cart_id, action=CartAction.SEE_SHARING)
    return paginate(request, sharing_selectors.cart_shares_list(cart), page)


@router.post(
    "/carts/{cart_id}/shared-carts",
    response={201: SharedCartOut, 403: Problem, 404: Problem, 409: Problem},
    summary="Share the cart with a colleague of my business unit (owner)",
)
@idempotent
def create_shared_cart(
    request: HttpRequest,
    cart_id: uuid.UUID,
    payload: SharedCartCreateIn,
    idempotency_key: str | None = IdempotencyKey,
) -> Status[CartShare]:
    """422 for someone outside my business unit, 409 when the cart is already shared with them
    (change their permission with PATCH instead) or is ordered."""
    cart = cart_get_for(caller(request), cart_id)
    share = sharing_services.cart_share_create(
        cart=cart,
        actor=caller(request),
        company_user_id=payload.company_user_id,
        permission=payload.permission,
    )
    return Status(201, share)


@router.patch(
    "/shared-carts/{share_id}",
    response={200: SharedCartOut, 403: Problem, 404: Problem, 409: Problem},
    summary="Change a colleague's permission (owner)",
)
def update_shared_cart(
    request: HttpRequest, share_id: int, payload: SharedCartUpdateIn
) -> CartShare:
    share = sharing_selectors.cart_share_get_for(caller(request), share_id)
    return sharing_services.cart_share_update(
        share=share, actor=caller(request), permission=payload.permission
    )


@router.delete(
    "/shared-carts/{share_id}",
    response={204: None, 403: Problem, 404: Problem},
    summary="Stop sharing (owner), or dismiss a cart shared with me (grantee)",
)
def delete_shared_cart(request: HttpRequest, share_id: int) -> Status[None]:
    share = sharing_selectors.cart_share_get_for(caller(request), share_id)
    sharing_services.cart_share_remove(share=share, actor=caller(request))
    return Status(204, None)
