"""The cart page's discussion and ordering pieces. On the cart page, one line each:
`{% include "storefront/comments/_panels.html" %}` (comments and activity side by side) and
`{% include "storefront/orders/_cart_checkout.html" %}` (the "Check out" button), or the tags:
`{% load discuss %}{% cart_comments cart %}`, `{% cart_activity cart %}`,
`{% cart_checkout_button cart %}`. Each renders nothing for a viewer who may not see it."""

from __future__ import annotations

from dataclasses import dataclass

from django import template
from django.http import HttpRequest
from django.template import Context

from cartshare.access.policies import Actor, CartAction, can, can_delete_comment, can_edit_comment
from cartshare.activity.presenters import ActivityEntry, activity_present
from cartshare.activity.selectors import activities_for_cart, activity_visible_to
from cartshare.carts.models import Cart
from cartshare.comments.models import MAX_COMMENT_LENGTH, Comment
from cartshare.comments.selectors import comments_for_cart
from cartshare.common.errors import DomainError
from cartshare.orders.selectors import order_for_cart_visible_to
from cartshare.orders.services import checkout_validate

register = template.Library()


@dataclass(frozen=True)
class CommentRow:
    comment: Comment
    can_edit: bool
    can_delete: bool


def _request_and_user(context: Context) -> tuple[HttpRequest | None, Actor | None]:
    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    return request, user


@register.inclusion_tag("storefront/comments/_comments.html", takes_context=True)
def cart_comments(context: Context, cart: Cart) -> dict[str, object]:
    request, user = _request_and_user(context)
    if request is None or user is None or not can(user, CartAction.COMMENT, cart):
        return {"visible": False}
    page = comments_for_cart(cart, request.GET.get("comments_page"))
    rows = [
        CommentRow(
            comment=comment,
            can_edit=can_edit_comment(user, comment, cart),
            can_delete=can_delete_comment(user, comment, cart),
        )
        for comment in page.object_list
    ]
    return {
        "visible": True,
        "cart": cart,
        "page": page,
        "rows": rows,
        "request": request,
        "csrf_token": context.get("csrf_token"),
        "next_url": request.get_full_path(),
        "draft": context.get("comment_draft", ""),
        "error": context.get("comment_error"),
        "max_length": MAX_COMMENT_LENGTH,
    }


@register.inclusion_tag("storefront/comments/_activity.html", takes_context=True)
def cart_activity(context: Context, cart: Cart) -> dict[str, object]:
    request, user = _request_and_user(context)
    if request is None or user is None or not activity_visible_to(user, cart):
        return {"visible": False}
    page = activities_for_cart(user, cart, request.GET.get("activity_page"))
    entries: list[ActivityEntry] = [activity_present(activity) for activity in page.object_list]
    return {"visible": True, "cart": cart, "page": page, "entries": entries, "request": request}


@register.inclusion_tag("storefront/orders/_checkout_button.html", takes_context=True)
def cart_checkout_button(context: Context, cart: Cart) -> dict[str, object]:
    """ "Check out" for those who may order this cart now; for an ordered cart, a link to its
    order for those who may see it (placer, owner)."""
    request, user = _request_and_user(context)
    if request is None or user is None:
        return {"visible": False}
    if cart.is_ordered:
        order = order_for_cart_visible_to(user, cart.pk)
        return {"visible": order is not None, "order": order, "cart": cart}
    try:
        checkout_validate(cart=cart, actor=user)
    except DomainError:
        return {"visible": False}
    return {"visible": True, "order": None, "cart": cart}
