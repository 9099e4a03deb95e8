"""Comments on a cart: reading and writing them needs the right to take part in the discussion
(the policy's COMMENT action: owner, full access, read-only; never a preview). Authors edit their
own comments; authors and the cart's owner delete them. The comment services check every rule."""

import uuid

from django.http import HttpRequest
from ninja import Query, Router, Status

from cartshare.access.policies import CartAction
from cartshare.api.auth import caller
from cartshare.api.conditional import IdempotencyKey, idempotent
from cartshare.api.pagination import Page, PageParams, paginate
from cartshare.api.schemas import CommentIn, CommentOut, CommentPage, Problem
from cartshare.carts.selectors import cart_get_for
from cartshare.comments import selectors as comment_selectors
from cartshare.comments import services as comment_services
from cartshare.comments.models import Comment

router = Router(tags=["comments"])


@router.get(
    "/carts/{cart_id}/comments",
    response={200: CommentPage, 403: Problem, 404: Problem},
    summary="The cart's comments, newest first (owner, full access, contributor, read-only)",
)
def list_comments(
    request: HttpRequest, cart_id: uuid.UUID, page: Query[PageParams]
) -> Page[Comment]:
    cart = cart_get_for(caller(request), cart_id, action=CartAction.COMMENT, with_items=False)
    return paginate(request, comment_selectors.comment_list(cart), page)


@router.post(
    "/carts/{cart_id}/comments",
    response={201: CommentOut, 403: Problem, 404: Problem},
    summary="Comment on the cart (owner, full access, contributor, read-only)",
)
@idempotent
def create_comment(
    request: HttpRequest,
    cart_id: uuid.UUID,
    payload: CommentIn,
    idempotency_key: str | None = IdempotencyKey,
) -> Status[Comment]:
    """Plain text, 1 to 5,000 characters once surrounding blanks are trimmed; also on an ordered
    cart (the discussion goes on after the order)."""
    cart = cart_get_for(caller(request), cart_id, action=CartAction.COMMENT, with_items=False)
    comment = comment_services.comment_create(cart=cart, actor=caller(request), text=payload.text)
    return Status(201, comment)


@router.patch(
    "/comments/{comment_id}",
    response={200: CommentOut, 403: Problem, 404: Problem},
    summary="Edit my comment (author)",
)
def update_comment(request: HttpRequest, comment_id: int, payload: CommentIn) -> Comment:
    comment = comment_selectors.comment_get_for(caller(request), comment_id)
    return comment_services.comment_update(
        comment=comment, actor=caller(request), text=payload.text
    )


@router.delete(
    "/comments/{comment_id}",
    response={204: None, 403: Problem, 404: Problem},
    summary="Delete a comment (its author, or the cart's owner)",
)
def delete_comment(request: HttpRequest, comment_id: int) -> Status[None]:
    comment = comment_selectors.comment_get_for(caller(request), comment_id)
    comment_services.comment_delete(comment=comment, actor=caller(request))
    return Status(204, None)
