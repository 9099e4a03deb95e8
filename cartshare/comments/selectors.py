"""Reading comments. Reading the discussion needs the right to take part in it (the policy's
COMMENT action: owner, full access, read-only; never a preview)."""

from __future__ import annotations

import uuid

from django.core.paginator import Page
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy

from cartshare.access.policies import Actor, CartAction, ensure_can
from cartshare.carts.models import Cart
from cartshare.comments.models import Comment
from cartshare.common.errors import NotFound
from cartshare.common.paging import page_get

COMMENTS_PER_PAGE = 20


COMMENT_NOT_FOUND = gettext_lazy("This comment does not exist (any more).")


def comment_list(cart: Cart) -> QuerySet[Comment]:
    """The cart's comments, newest first, authors joined (for the API's cursor pagination)."""
    return Comment.objects.filter(cart=cart).select_related("author").order_by("-created_at", "-id")


def comments_for_cart(
    cart: Cart, page: int | str | None = 1, *, per_page: int = COMMENTS_PER_PAGE
) -> Page:
    """One page of comments; an invalid or too-high page number gives the nearest real page."""
    return page_get(comment_list(cart), page, per_page)


def comment_get_for(
    customer: Actor, comment_id: object, *, cart_id: uuid.UUID | None = None
) -> Comment:
    """A comment on a cart the customer may discuss (optionally: on this very cart)."""
    try:
        pk = int(str(comment_id))
    except ValueError:
        pk = None
    comments = Comment.objects.select_related("cart", "cart__owner", "author")
    if cart_id is not None:
        comments = comments.filter(cart_id=cart_id)
    comment = comments.filter(pk=pk).first() if pk is not None else None
    if comment is None:
        raise NotFound(COMMENT_NOT_FOUND)
    try:
        ensure_can(customer, CartAction.COMMENT, comment.cart)
    except NotFound:
        raise NotFound(COMMENT_NOT_FOUND) from None
    return comment
