"""Writing comments: everyone who may discuss a cart comments; authors edit their own; authors
and the cart's owner delete. Every write is recorded in the cart's activity log."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from cartshare.activity.services import Verb, activity_record
from cartshare.carts.models import Cart
from cartshare.comments.models import MAX_COMMENT_LENGTH, Comment
from cartshare.common.errors import InvalidInput, PermissionDenied
from cartshare.common.text import LINE_BREAKS_AND_TABS, control_characters_in
from cartshare.sharing.models import AccessLevel
from cartshare.sharing.policies import CartAction, access_level, can, ensure_can

EMPTY_MESSAGE = "Write a comment first: it cannot be empty."
TOO_LONG_MESSAGE = f"A comment can have at most {MAX_COMMENT_LENGTH:,} characters."


def comment_text_clean(text: object) -> str:
    """Plain text, 1 to 5,000 characters after trimming; line breaks are kept as \\n, tabs too,
    and any other control character is refused."""
    if not isinstance(text, str):
        text = ""
    cleaned = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    if not cleaned:
        raise InvalidInput(EMPTY_MESSAGE, errors={"text": [EMPTY_MESSAGE]})
    if len(cleaned) > MAX_COMMENT_LENGTH:
        message = f"{TOO_LONG_MESSAGE} This one has {len(cleaned):,}."
        raise InvalidInput(message, errors={"text": [message]})
    if found := control_characters_in(cleaned, allowed=LINE_BREAKS_AND_TABS):
        message = (
            "A comment can hold line breaks and tabs but no other control characters "
            f"(found: {', '.join(found)}). Remove them and try again."
        )
        raise InvalidInput(message, errors={"text": [message]})
    return cleaned


def comment_can_update(actor, comment: Comment, cart: Cart | None = None) -> bool:
    """Authors edit their own comments while they may still take part in the discussion.
    `cart` saves a query when the caller holds the comment's cart already."""
    cart = cart if cart is not None else comment.cart
    return comment.author_id == actor.pk and can(actor, CartAction.COMMENT, cart)


def comment_can_delete(actor, comment: Comment, cart: Cart | None = None) -> bool:
    """Authors delete their own comments; the cart's owner deletes any."""
    cart = cart if cart is not None else comment.cart
    if not can(actor, CartAction.COMMENT, cart):
        return False
    return comment.author_id == actor.pk or access_level(actor, cart) == AccessLevel.OWNER


def comment_ensure_can_update(*, comment: Comment, actor) -> None:
    """NotFound if the cart is out of sight, PermissionDenied for anyone but the author."""
    ensure_can(actor, CartAction.COMMENT, comment.cart)
    if not comment_can_update(actor, comment):
        raise PermissionDenied("Only its author can edit a comment.")


@transaction.atomic
def comment_create(*, cart: Cart, actor, text: str) -> Comment:
    ensure_can(actor, CartAction.COMMENT, cart)
    comment = Comment.objects.create(cart=cart, author=actor, text=comment_text_clean(text))
    activity_record(cart=cart, actor=actor, verb=Verb.COMMENTED, comment_id=comment.pk)
    return comment


@transaction.atomic
def comment_update(*, comment: Comment, actor, text: str) -> Comment:
    """Only the author edits, and only while they may still comment on the cart."""
    comment_ensure_can_update(comment=comment, actor=actor)
    cleaned = comment_text_clean(text)
    if cleaned != comment.text:
        now = timezone.now()
        Comment.objects.filter(pk=comment.pk).update(text=cleaned, edited_at=now, updated_at=now)
        comment.text, comment.edited_at, comment.updated_at = cleaned, now, now
    return comment


@transaction.atomic
def comment_delete(*, comment: Comment, actor) -> None:
    """The author deletes their own comment; the cart's owner deletes any."""
    ensure_can(actor, CartAction.COMMENT, comment.cart)
    if not comment_can_delete(actor, comment):
        raise PermissionDenied("You can delete your own comments; the cart's owner can delete any.")
    comment.delete()
