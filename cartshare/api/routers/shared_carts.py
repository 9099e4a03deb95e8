"""Grants of a cart to colleagues (SharedCart): list, create, change, and end them (the owner) or
dismiss them (the grantee). The sharing services check every rule."""

import uuid
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Status

from cartshare.access.policies import CartAction
from cartshare.api.auth import caller
from cartshare.api.conditional import IdempotencyKey, idempotent
from cartshare.api.pagination import PageParams, paginate
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


def shared_cart_payload(share: CartShare) -> dict[str, Any]:
    customer = share.company_user.customer
    return {
        "id": share.pk,
        "cart_id": share.cart_id,
        "company_user": {
            "id": share.company_user_id,
            "name": customer.name,
            "email": customer.email,
        },
        "permission": share.permission,
        "created_at": share.created_at,
    }


@router.get(
    "/carts/{cart_id}/shared-carts",
    response={200: SharedCartPage, 403: Problem, 404: Problem},
    summary="The colleagues this cart is shared with (owner; also once the cart is ordered)",
)
def list_shared_carts(
    request: HttpRequest, cart_id: uuid.UUID, page: Query[PageParams]
) -> dict[str, Any]:
    cart = cart_get_for(caller(request), cart_id, action=CartAction.SEE_SHARING)
    result = paginate(request, sharing_selectors.cart_shares_list(cart), page)
    result["results"] = [shared_cart_payload(share) for share in result["results"]]
    return result


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
) -> Status[dict[str, Any]]:
    """422 for someone outside my business unit, 409 when the cart is already shared with them
    (change their permission with PATCH instead) or is ordered."""
    cart = cart_get_for(caller(request), cart_id)
    share = sharing_services.cart_share_create(
        cart=cart,
        actor=caller(request),
        company_user_id=payload.company_user_id,
        permission=payload.permission,
    )
    return Status(201, shared_cart_payload(share))


@router.patch(
    "/shared-carts/{share_id}",
    response={200: SharedCartOut, 403: Problem, 404: Problem, 409: Problem},
    summary="Change a colleague's permission (owner)",
)
def update_shared_cart(
    request: HttpRequest, share_id: int, payload: SharedCartUpdateIn
) -> dict[str, Any]:
    share = sharing_selectors.cart_share_get_for(caller(request), share_id)
    share = sharing_services.cart_share_update(
        share=share, actor=caller(request), permission=payload.permission
    )
    return shared_cart_payload(share)


@router.delete(
    "/shared-carts/{share_id}",
    response={204: None, 403: Problem, 404: Problem},
    summary="Stop sharing (owner), or dismiss a cart shared with me (grantee)",
)
def delete_shared_cart(request: HttpRequest, share_id: int) -> Status[None]:
    share = sharing_selectors.cart_share_get_for(caller(request), share_id)
    sharing_services.cart_share_remove(share=share, actor=caller(request))
    return Status(204, None)
